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
