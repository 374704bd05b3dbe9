// The accounts pages (issue 11) in Chromium at phone and desktop widths,
// each checked with axe-core (WCAG 2.2 AA) with a screenshot.
import { after, before, test } from 'node:test';
import { BASE, DEMO_PASSWORD, sql } from '../lib/harness.mjs';
import { assertAccessible, launch } from '../lib/browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const [label, width] of [['phone', 390], ['desktop', 1280]]) {
  test(`an administrator's accounts, tokens and email pages (${label})`, async () => {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${BASE}/sign-in`);
    await page.fill('#email', 'admin@demo.ihtrack.test');
    await page.fill('#password', DEMO_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForLoadState();
    await page.goto(`${BASE}/admin/users`);
    await assertAccessible(page, `accounts-01-list-${label}`);
    await page.fill('#q', 'lead');
    await page.click('button:has-text("Find accounts")');
    await page.waitForURL(/q=lead/);
    await page.click('a:has-text("lead.rr8@demo.ihtrack.test")');
    await page.waitForURL(/\/admin\/users\/\d+$/);
    await assertAccessible(page, `accounts-02-account-${label}`);
    await page.click('button:has-text("Email a link to set a password")');
    await page.waitForURL(/done=link/);
    await assertAccessible(page, `accounts-03-link-sent-${label}`);
    await page.goto(`${BASE}/admin/tokens`);
    await assertAccessible(page, `accounts-04-tokens-${label}`);
    await page.goto(`${BASE}/admin/mail`);
    await assertAccessible(page, `accounts-05-mail-${label}`);
    await context.close();
  });
}

test('an academy lead\'s accounts page (desktop)', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${BASE}/sign-in`);
  await page.fill('#email', 'academy@demo.ihtrack.test');
  await page.fill('#password', DEMO_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForLoadState();
  const [[id]] = sql("SELECT id FROM users WHERE email = 'lead.rr8@demo.ihtrack.test'");
  await page.goto(`${BASE}/admin/users/${id}`);
  await assertAccessible(page, 'accounts-06-academy-account');
  await context.close();
});

for (const [label, width] of [['phone', 390], ['desktop', 1280]]) {
  test(`reminders pages: the lead's list, the stages (${label})`, async () => {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${BASE}/sign-in`);
    await page.fill('#email', 'lead.rr8@demo.ihtrack.test');
    await page.fill('#password', DEMO_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForLoadState();
    await page.goto(`${BASE}/reports/coverage/RR8`);
    await page.click('a:has-text("Reminders sent to these people")');
    await page.waitForURL(/\/reminders$/);
    await assertAccessible(page, `reminders-01-lead-${label}`);
    await page.fill('#from', 'last week');
    await page.click('button:has-text("Show these reminders")');
    await page.waitForSelector('.nhsuk-error-summary');
    await assertAccessible(page, `reminders-02-lead-error-${label}`);
    await context.close();

    const admin = await browser.newContext({ viewport: { width, height: 900 } });
    const apage = await admin.newPage();
    await apage.goto(`${BASE}/sign-in`);
    await apage.fill('#email', 'admin@demo.ihtrack.test');
    await apage.fill('#password', DEMO_PASSWORD);
    await apage.click('button[type=submit]');
    await apage.waitForLoadState();
    await apage.goto(`${BASE}/admin/reminders`);
    await assertAccessible(apage, `reminders-03-stages-${label}`);
    await apage.fill('#days_expiry_minus_30', '0');
    await apage.click('button:has-text("Save the stages")');
    await apage.waitForSelector('.nhsuk-error-summary');
    await assertAccessible(apage, `reminders-04-stages-error-${label}`);
    await admin.close();
  });
}
