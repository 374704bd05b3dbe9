// A lead imports completions from the browser: upload, a check that lists
// every error by line, a corrected upload, confirm, the result and the
// history, each page checked with axe-core (WCAG 2.2 AA).  Since issue 13
// an upload keeps one number from its check to its import (the journey
// used to confirm check N into import N+1), a check with errors offers
// its rows without errors there and then, and a finished import links to
// the coverage report; at 320 px nothing scrolls sideways.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BASE, newStaff } from '../lib/harness.mjs';
import { launch, assertAccessible } from '../lib/browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function signInLead(width) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${BASE}/sign-in`);
  await page.fill('#email', 'lead.rr8@demo.ihtrack.test');
  await page.fill('#password', process.env.IHTRACK_DEMO_PASSWORD ?? 'inclusion-health-demo');
  await page.click('button[type=submit]');
  await page.waitForLoadState();
  return { context, page };
}

// The page itself never scrolls sideways; wide tables scroll in their
// own region.
async function assertNoSidewaysScroll(page, label) {
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth,
    document.documentElement.clientWidth]);
  assert.ok(scroll <= client, `${label}: the page is ${scroll} px wide in a ${client} px window`);
}

async function check(page, name, csv) {
  await page.goto(`${BASE}/imports`);
  await page.setInputFiles('#file', { name, mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.click('button:has-text("Check the file")');
  await page.waitForURL(/\/imports\/\d+$/);
  return page.url().split('/').pop();
}

const imported = () => document.querySelector('main').innerText.includes('Imported');

test('a lead checks a file, sees its errors by line, then imports a corrected one under the same number', async () => {
  const a = newStaff({ org: 'RR8' });
  const { context, page } = await signInLead(1024);

  await page.goto(`${BASE}/imports`);
  assert.equal(await page.textContent('h1'), 'Imports');
  await assertAccessible(page, 'import-01-imports');

  // No file: the form says so.
  await page.click('button:has-text("Check the file")');
  await page.waitForSelector('.nhsuk-error-summary');
  await assertAccessible(page, 'import-02-no-file');

  const bad = `staff_id,module_code,completed_on\r\n${a.staffId},IHF-01,31/02/2024\r\n${a.staffId},NOPE,2024-01-01\r\n`;
  await check(page, 'bad.csv', bad);
  const rows = await page.$$eval('table tbody tr', (trs) => trs.map((tr) => tr.innerText.split('\t')[0].trim()));
  assert.deepEqual(rows, ['2', '3']);
  assert.match(await page.textContent('main'), /31\/02\/2024/);
  assert.match(await page.textContent('main'), /There is no module with code or alias NOPE/);
  assert.equal(await page.$('button:has-text("Confirm")'), null, 'errors with reject cannot be confirmed');
  assert.equal(await page.$('button:has-text("without errors")'), null, 'no row is without errors');
  await assertAccessible(page, 'import-03-check-with-errors');

  const good = `\ufeffstaff_id,module_code,completed_on\r\n${a.staffId},IHF-01,29/02/2024\r\n${a.staffId},IHF-02,2024-01-01\r\n`;
  const id = await check(page, 'good.csv', good);
  assert.equal(await page.textContent('h1'), `Import ${id}`);
  assert.match(await page.textContent('main'), /Checked, not imported/);
  await page.click('button:has-text("Confirm and import 2 rows")');
  // The check's page becomes the import's: the same number throughout.
  await page.waitForURL(`${BASE}/imports/${id}`);
  // The import runs in the background; the page refreshes until it is done.
  await page.waitForFunction(imported, null, { timeout: 15000 });
  assert.equal(await page.textContent('h1'), `Import ${id}`);
  assert.match(await page.textContent('.nhsuk-notification-banner--success'), new RegExp(`Import ${id} is complete`));
  await assertAccessible(page, 'import-04-imported');

  await page.goto(`${BASE}/imports`);
  const history = await page.$$eval('table.nhsuk-table-responsive tbody tr', (trs) => trs.map((tr) => tr.innerText));
  // The newest row is the upload, checked and imported: no second number.
  assert.match(history[0], new RegExp(`Import ${id}: Completions, good\\.csv`));
  assert.match(history[0], /Imported/);
  assert.ok(!history.some((r) => r.includes(`Import ${Number(id) + 1}`)), 'no batch after the upload');
  await assertAccessible(page, 'import-05-history');

  // From the result to the coverage report it changed.
  await page.goto(`${BASE}/imports/${id}`);
  await page.click('.nhsuk-notification-banner--success a:has-text("coverage report")');
  await page.waitForURL(`${BASE}/reports/coverage/RR8`);
  await context.close();
});

for (const [label, width] of [['phone', 320], ['desktop', 1280]]) {
  test(`a check with errors imports its rows without errors there and then (${label}, ${width} px)`, async () => {
    const a = newStaff({ org: 'RR8' });
    const { context, page } = await signInLead(width);

    await page.goto(`${BASE}/imports`);
    assert.ok(await page.isVisible('a[href="/imports/template-completions.csv"]'));
    assert.ok(await page.isVisible('[aria-label^="Module codes"] code:text-is("IHF-01")'));
    await assertAccessible(page, `import-10-imports-${label}`);
    await assertNoSidewaysScroll(page, 'imports');

    const csv = `staff_id,module_code,completed_on\n${a.staffId},IHF-01,2024-04-01\n`
      + `${a.staffId},NOPE-WITH-A-VERY-LONG-CODE-THAT-DOES-NOT-WRAP-AT-ALL,2024-04-01\n${a.staffId},IHF-02,2024-04-01\n`;
    const id = await check(page, 'mixed.csv', csv);
    assert.match(await page.textContent('main'), /1 row of this file has errors/);
    await assertAccessible(page, `import-11-check-with-errors-${label}`);
    await assertNoSidewaysScroll(page, 'check with errors');

    await page.click('button:has-text("Import the 2 rows without errors")');
    await page.waitForURL(`${BASE}/imports/${id}`);
    await page.waitForFunction(imported, null, { timeout: 15000 });
    assert.match(await page.textContent('main'), /Rows with errors\s*1/);
    await assertAccessible(page, `import-12-imported-${label}`);
    await assertNoSidewaysScroll(page, 'imported');

    await page.goto(`${BASE}/imports`);
    await assertAccessible(page, `import-13-history-${label}`);
    await assertNoSidewaysScroll(page, 'history');
    await context.close();
  });
}
