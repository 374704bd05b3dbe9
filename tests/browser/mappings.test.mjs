// Saved column mappings in the browser (issue 15), in Chromium at a
// phone's width and a desktop's, each page checked with axe-core (WCAG
// 2.2 AA) and nothing scrolling sideways: an organisation lead makes a
// mapping from an export's header line (a name left out is an error that
// keeps what was chosen), sees it listed and deletes it; an academy lead
// shares an organisation's mapping with every organisation.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BASE, sql, unique } from '../lib/harness.mjs';
import { assertAccessible, launch, signInPage } from '../lib/browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function assertNoSidewaysScroll(page, label) {
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth,
    document.documentElement.clientWidth]);
  assert.ok(scroll <= client, `${label}: the page is ${scroll} px wide in a ${client} px window`);
}

async function check(page, label) {
  await assertAccessible(page, label);
  await assertNoSidewaysScroll(page, label);
}

// An ESR-style staff list export: its own headers, one of them ours.
const ESR = '\ufeffEmployee Number,First Name,Last Name,Email,Assignment Category,Position Title\r\n'
  + 'E100,Sam,Example,sam@example.test,Permanent,Staff Nurse\r\n';

for (const [label, width] of [['phone', 390], ['desktop', 1280]]) {
  test(`a lead makes a mapping from an export's headers, then deletes it (${label})`, async () => {
    const name = unique('esr-');
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    await signInPage(page, 'lead.rr8@demo.ihtrack.test');
    await page.click('.nhsuk-header__navigation-link:has-text("Column mappings")');
    await page.waitForURL(`${BASE}/imports/mappings`);
    assert.equal(await page.textContent('h1'), 'Column mappings');
    await check(page, `mappings-01-list-${label}`);

    // Nothing chosen: both errors, at their fields.
    await page.click('button:has-text("Read the headers")');
    await page.waitForSelector('.nhsuk-error-summary');
    assert.match(await page.textContent('.nhsuk-error-summary'), /Choose a CSV file.*Choose what the file holds/s);
    await check(page, `mappings-02-nothing-chosen-${label}`);

    await page.setInputFiles('#file', { name: 'esr-staff.csv', mimeType: 'text/csv', buffer: Buffer.from(ESR) });
    await page.check('#kind-0');
    await page.click('button:has-text("Read the headers")');
    await page.waitForSelector('h1:has-text("Match the columns of esr-staff.csv")');
    // One select a header; ours is chosen for the header we know.
    const labels = await page.$$eval('select', (s) => s.map((e) => e.labels[0].textContent));
    assert.deepEqual(labels, ['Employee Number', 'First Name', 'Last Name', 'Email',
      'Assignment Category', 'Position Title']);
    assert.equal(await page.inputValue('#column-3'), 'email');
    assert.equal(await page.inputValue('#column-0'), '-');
    await check(page, `mappings-03-columns-${label}`);

    await page.selectOption('#column-0', 'staff_id');
    await page.selectOption('#column-1', 'given_name');
    await page.selectOption('#column-2', 'given_name');
    await page.selectOption('#column-5', 'job_role');
    await page.click('button:has-text("Save the mapping")');
    await page.waitForSelector('.nhsuk-error-summary');
    const errors = await page.textContent('.nhsuk-error-summary');
    assert.match(errors, /'First Name' and 'Last Name' both map to given_name/);
    assert.match(errors, /Enter a name for the mapping/);
    // What was chosen is kept.
    assert.equal(await page.inputValue('#column-0'), 'staff_id');
    assert.equal(await page.inputValue('#column-5'), 'job_role');
    await check(page, `mappings-04-errors-${label}`);

    await page.selectOption('#column-2', 'family_name');
    await page.fill('#name', name);
    await page.click('button:has-text("Save the mapping")');
    await page.waitForURL(/\/imports\/mappings\?saved=/);
    assert.match(await page.textContent('[role=status]'), new RegExp(`Mapping ${name} is saved`));
    const row = page.locator('tr', { hasText: name });
    assert.match(await row.textContent(), /Employee Number.*staff_id.*Position Title.*job_role/s);
    await check(page, `mappings-05-saved-${label}`);

    await row.locator('button:has-text("Delete")').click();
    await page.waitForURL(/\/imports\/mappings\?deleted=/);
    assert.equal(await page.locator('tr', { hasText: name }).count(), 0);
    await context.close();
  });
}

for (const [label, width] of [['phone', 390], ['desktop', 1280]]) {
  test(`an academy lead shares an organisation's mapping (${label})`, async () => {
    const name = unique('lms-');
    const [[org]] = sql("SELECT id FROM organisations WHERE code = 'RY6'");
    sql(`INSERT INTO column_mappings (org_id, name, kind, columns) VALUES (${org}, '${name}',
      'completions', '[["Learner ID", "staff_id"], ["Course", "module_code"], ["Completed", "completed_on"]]')`);
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    await signInPage(page, 'academy@demo.ihtrack.test');
    await page.goto(`${BASE}/imports/mappings`);
    await check(page, `mappings-06-academy-${label}`);
    await page.locator('tr', { hasText: name }).locator('button:has-text("Share")').click();
    await page.waitForURL(/shared=/);
    assert.match(await page.textContent('[role=status]'), new RegExp(`Mapping ${name} is shared with every organisation`));
    const shared = page.locator('table', { hasText: 'Shared mappings' }).locator('tr', { hasText: name });
    assert.equal(await shared.count(), 1);
    await check(page, `mappings-07-shared-${label}`);
    await shared.locator('button:has-text("Delete")').click();
    await page.waitForURL(/deleted=/);
    sql(`DELETE FROM column_mappings WHERE name = '${name}'`);
    await context.close();
  });
}
