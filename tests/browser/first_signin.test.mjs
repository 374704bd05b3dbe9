// Everyone on a roster can get in (issue 11): a lead uploads a roster,
// one of the people on it asks for a link, opens it from the email (as
// delivered to a real SMTP server), chooses a password and lands on My
// training.  Each new page is checked with axe-core at phone and desktop
// widths.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BASE, DEMO_PASSWORD, unique } from '../lib/harness.mjs';
import { assertAccessible, launch } from '../lib/browser.mjs';
import { anyAddress, linkIn } from '../lib/mail.mjs';
import { startSmtp } from '../lib/smtp.mjs';

let browser;
let smtp;
before(async () => { browser = await launch(); smtp = await startSmtp(); });
after(async () => { await browser?.close(); await smtp?.stop(); });

async function uploadRoster(page, csv) {
  await page.goto(`${BASE}/sign-in`);
  await page.fill('#email', 'lead.rr8@demo.ihtrack.test');
  await page.fill('#password', DEMO_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForLoadState();
  await page.goto(`${BASE}/imports`);
  await page.check('#kind-1');
  await page.setInputFiles('#file', { name: 'roster.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.click('button:has-text("Check the file")');
  await page.waitForURL(/\/imports\/\d+$/);
  await page.click('button:has-text("Confirm and import")');
  await page.waitForFunction(() => document.querySelector('main').innerText.includes('Imported'), null,
    { timeout: 15000 });
}

for (const [label, width] of [['phone', 390], ['desktop', 1280]]) {
  test(`first sign-in from a roster to My training (${label})`, async () => {
    const id = unique('FS');
    const email = `${id.toLowerCase()}@firstsignin.ihtrack.test`;
    const lead = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await uploadRoster(await lead.newPage(),
      `staff_id,given_name,family_name,email,level,start_date\n${id},Amara,Nwosu,${email},foundation,2024-04-01\n`);
    await lead.close();

    // A client address of its own: one address may ask 20 times an hour.
    const context = await browser.newContext({ viewport: { width, height: 900 },
      extraHTTPHeaders: { 'x-forwarded-for': anyAddress() } });
    const page = await context.newPage();
    await page.goto(`${BASE}/sign-in`);
    await page.click('text=Forgotten your password, or signing in for the first time?');
    await page.waitForURL(`${BASE}/set-password`);
    await assertAccessible(page, `first-signin-01-ask-${label}`);
    await page.click('button:has-text("Email me a link")');
    await page.waitForSelector('.nhsuk-error-summary');
    await assertAccessible(page, `first-signin-02-ask-error-${label}`);
    await page.fill('#email', email);
    await page.click('button:has-text("Email me a link")');
    await page.waitForSelector('h1:has-text("Check your email")');
    await assertAccessible(page, `first-signin-03-sent-${label}`);

    const message = await smtp.waitFor((m) => m.envelope.to.includes(email));
    assert.equal(message.parsed.subject, 'Set your password for ihtrack');
    await page.goto(linkIn(message));
    assert.match(await page.textContent('main'), new RegExp(`For ${email}`));
    await assertAccessible(page, `first-signin-04-set-${label}`);
    await page.fill('#password', 'qwerty123456');
    await page.fill('#password_confirm', 'qwerty123456');
    await page.click('button:has-text("Set password and sign in")');
    await page.waitForSelector('#password-error');
    assert.match(await page.textContent('#password-error'), /simple pattern/);
    await assertAccessible(page, `first-signin-05-weak-${label}`);
    await page.fill('#password', 'lantern orchid hedgehog 42');
    await page.fill('#password_confirm', 'lantern orchid hedgehog 42');
    await page.click('button:has-text("Set password and sign in")');
    await page.waitForURL(`${BASE}/`);
    assert.equal(await page.textContent('h1'), 'My training');
    assert.match(await page.textContent('main'), /Amara Nwosu/);
    await assertAccessible(page, `first-signin-06-my-training-${label}`);

    // The link was for one use.
    await page.goto(linkIn(message));
    assert.match(await page.textContent('h1'), /expired or has already been used/);
    await assertAccessible(page, `first-signin-07-used-${label}`);
    await context.close();
  });
}
