// The coverage reports in headless Chromium: a board report on a desktop
// screen, an organisation's report, each checked with axe-core.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BASE, DEMO_PASSWORD } from '../lib/harness.mjs';
import { assertAccessible, launch } from '../lib/browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function signIn(page, email) {
  await page.goto(`${BASE}/sign-in`);
  await page.fill('#email', email);
  await page.fill('#password', DEMO_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(`${BASE}/`);
}

test('an academy lead reads the board report and an organisation report', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signIn(page, 'academy@demo.ihtrack.test');
  await page.goto(`${BASE}/reports/coverage`);
  assert.equal(await page.textContent('h1'), 'Inclusion health training coverage');
  await assertAccessible(page, 'coverage-01-board');

  await page.fill('#as_of', '2026-03-31');
  await page.fill('#compare_to', '2025-12-31');
  await page.click('text=Show coverage');
  await page.waitForURL(/as_of=2026-03-31&compare_to=2025-12-31/);
  assert.match(await page.textContent('main'), /compared with 2025-12-31/);
  await assertAccessible(page, 'coverage-02-board-compared');
  // The print layout hides the form and keeps the table.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.isVisible('form.ih-no-print'), false);
  assert.equal(await page.isVisible('table.ih-coverage'), true);
  await page.emulateMedia({ media: 'screen' });

  // Each organisation's row opens its report for the same dates, with
  // the change since compare_to by staff group too.
  await page.click('table.ih-coverage a[href^="/reports/coverage/RR8?"]');
  await page.waitForURL(/\/reports\/coverage\/RR8\?as_of=2026-03-31&compare_to=2025-12-31$/);
  assert.match(await page.textContent('h1'), /Leeds Teaching Hospitals/);
  const groups = page.locator('table', { has: page.locator('caption', { hasText: 'Coverage by staff group' }) });
  assert.match(await groups.textContent(), /since 2025-12-31/);
  await assertAccessible(page, 'coverage-03-organisation-compared');

  await page.goto(`${BASE}/reports/coverage/RR8?as_of=2026-03-31`);
  assert.match(await page.textContent('h1'), /Leeds Teaching Hospitals/);
  await assertAccessible(page, 'coverage-04-organisation');
  await context.close();
});
