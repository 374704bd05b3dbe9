// The staff journey in headless Debian Chromium, on a phone-sized screen,
// with an axe-core WCAG 2.2 AA check of every page on the way.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BASE, newStaff, DEMO_PASSWORD } from '../lib/harness.mjs';
import { launch, assertAccessible } from '../lib/browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a staff member signs in on a phone, sees their training and records a module', async () => {
  const me = newStaff({ level: 2 });
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true });
  const page = await context.newPage();

  await page.goto(`${BASE}/`);
  assert.equal(new URL(page.url()).pathname, '/sign-in');
  await assertAccessible(page, '01-sign-in');

  await page.fill('#email', me.email);
  await page.fill('#password', 'not-the-password');
  await page.click('button[type=submit]');
  await page.waitForSelector('.nhsuk-error-summary');
  await assertAccessible(page, '02-sign-in-error');

  await page.fill('#password', DEMO_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(`${BASE}/`);
  assert.equal(await page.textContent('h1'), 'My training');
  assert.match(await page.textContent('main'), /You hold 0 of 7 required modules/);
  await assertAccessible(page, '03-my-training');

  await page.click('text=Record a completed module');
  await page.waitForURL(`${BASE}/record`);
  await assertAccessible(page, '04-record');

  // A future date is refused, and what was typed is kept.
  await page.selectOption('#module_code', 'MECC-IH');
  await page.fill('#completed_on-day', '31');
  await page.fill('#completed_on-month', '12');
  await page.fill('#completed_on-year', '2999');
  await page.check('#face-to-face');
  await page.fill('#provider', 'Leeds Health and Care Academy');
  await page.click('button[type=submit]');
  await page.waitForSelector('.nhsuk-error-summary');
  assert.match(await page.textContent('.nhsuk-error-summary'), /today or in the past/);
  assert.equal(await page.inputValue('#completed_on-year'), '2999');
  assert.equal(await page.inputValue('#module_code'), 'MECC-IH');
  assert.ok(await page.isChecked('#face-to-face'));
  await assertAccessible(page, '05-record-error');

  await page.fill('#completed_on-day', '30');
  await page.fill('#completed_on-month', '6');
  await page.fill('#completed_on-year', '2025');
  await page.click('button[type=submit]');
  await page.waitForURL(/\/my-training\?recorded=\d+$/);
  const row = page.locator('tr', { hasText: 'MECC-IH' });
  assert.match(await row.textContent(), /Complete/);
  assert.match(await row.textContent(), /30 Jun 2025/);
  assert.match(await row.textContent(), /30 Jun 2028/);
  assert.match(await page.textContent('main'), /You hold 1 of 7 required modules/);
  await assertAccessible(page, '06-recorded');

  await page.click('text=Sign out');
  await page.waitForURL(`${BASE}/sign-in`);
  await page.goto(`${BASE}/`);
  assert.equal(new URL(page.url()).pathname, '/sign-in');
  await context.close();
});
