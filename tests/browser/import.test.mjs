// A lead imports completions from the browser: upload, a check that lists
// every error by line, a corrected upload, confirm, the result and the
// history, each page checked with axe-core (WCAG 2.2 AA).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BASE, newStaff } from '../lib/harness.mjs';
import { launch, assertAccessible } from '../lib/browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a lead checks a file, sees its errors by line, then imports a corrected one', async () => {
  const a = newStaff({ org: 'RR8' });
  const context = await browser.newContext({ viewport: { width: 1024, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${BASE}/sign-in`);
  await page.fill('#email', 'lead.rr8@demo.ihtrack.test');
  await page.fill('#password', process.env.IHTRACK_DEMO_PASSWORD ?? 'inclusion-health-demo');
  await page.click('button[type=submit]');
  await page.waitForURL(`${BASE}/`);

  await page.goto(`${BASE}/imports`);
  assert.equal(await page.textContent('h1'), 'Imports');
  await assertAccessible(page, 'import-01-imports');

  // No file: the form says so.
  await page.click('button:has-text("Check the file")');
  await page.waitForSelector('.nhsuk-error-summary');
  await assertAccessible(page, 'import-02-no-file');

  const bad = `staff_id,module_code,completed_on\r\n${a.staffId},IHF-01,31/02/2024\r\n${a.staffId},NOPE,2024-01-01\r\n`;
  await page.setInputFiles('#file', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await page.click('button:has-text("Check the file")');
  await page.waitForURL(/\/imports\/\d+$/);
  const rows = await page.$$eval('table tbody tr', (trs) => trs.map((tr) => tr.innerText.split('\t')[0].trim()));
  assert.deepEqual(rows, ['2', '3']);
  assert.match(await page.textContent('main'), /31\/02\/2024/);
  assert.match(await page.textContent('main'), /There is no module with code NOPE/);
  assert.equal(await page.$('button:has-text("Confirm")'), null, 'errors with reject cannot be confirmed');
  await assertAccessible(page, 'import-03-check-with-errors');

  await page.goto(`${BASE}/imports`);
  const good = `\ufeffstaff_id,module_code,completed_on\r\n${a.staffId},IHF-01,29/02/2024\r\n${a.staffId},IHF-02,2024-01-01\r\n`;
  await page.setInputFiles('#file', { name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await page.click('button:has-text("Check the file")');
  await page.waitForURL(/\/imports\/\d+$/);
  assert.match(await page.textContent('main'), /Checked, not imported/);
  await page.click('button:has-text("Confirm and import 2 rows")');
  await page.waitForURL(/\/imports\/\d+$/);
  // The import runs in the background; the page refreshes until it is done.
  await page.waitForFunction(() => document.querySelector('main').innerText.includes('Imported'), null, { timeout: 15000 });
  await assertAccessible(page, 'import-04-imported');

  await page.goto(`${BASE}/imports`);
  assert.match(await page.textContent('table'), /good\.csv/);
  await assertAccessible(page, 'import-05-history');
  await context.close();
});
