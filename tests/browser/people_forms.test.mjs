// Issue 15 in Chromium, at 390 and 1280 px, each page checked with
// axe-core: an organisation's lead adds a person from their home, changes
// the person's level from a date and records that they left, from the
// person's record; and records a face-to-face session for people found
// by a search (no script) and pasted as staff IDs.  Nothing may scroll
// sideways.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BASE, sql, unique } from '../lib/harness.mjs';
import { assertAccessible, launch, signInPage } from '../lib/browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const noSidewaysScroll = async (page, what) => {
  const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(scroll <= inner, `${what}: ${scroll} px wide at ${inner}`);
};
const [[today]] = sql('SELECT current_date::text');
const [year, month, day] = today.split('-').map(Number);

async function fillDate(page, name, d, m, y) {
  await page.fill(`#${name}-day`, String(d));
  await page.fill(`#${name}-month`, String(m));
  await page.fill(`#${name}-year`, String(y));
}

for (const width of [390, 1280]) {
  test(`a lead adds a person, changes their level from a date, and records that they left (${width} px)`, async () => {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    await signInPage(page, 'lead.rr8@demo.ihtrack.test');
    await page.click('a.nhsuk-card__link:has-text("Add a person")');
    await page.waitForURL(/\/people\/new$/);
    await noSidewaysScroll(page, 'add a person');
    await assertAccessible(page, `people-01-new-${width}`);

    const staffId = unique('B');
    await page.fill('#staff_id', staffId);
    await page.fill('#given_name', 'Bea');
    await page.fill('#email', 'not an email');
    await fillDate(page, 'start_date', 1, 4, 2024);
    await page.click('button:has-text("Add person")');
    await page.waitForSelector('.nhsuk-error-summary');
    assert.match(await page.textContent('#family_name-error'), /Enter their family name/);
    assert.match(await page.textContent('#email-error'), /right format/);
    assert.match(await page.textContent('#level-error'), /Select their level/);
    assert.equal(await page.inputValue('#given_name'), 'Bea', 'what was typed stays');
    assert.ok(await page.evaluate(() => document.activeElement.classList.contains('nhsuk-error-summary')),
      'focus moves to the error summary');
    await noSidewaysScroll(page, 'add a person, errors');
    await assertAccessible(page, `people-02-new-errors-${width}`);

    await page.fill('#family_name', 'Browser');
    await page.fill('#email', `${staffId.toLowerCase()}@browser.ihtrack.test`);
    await page.selectOption('#level', 'foundation');
    await page.fill('#staff_group', 'Allied Health Professionals');
    await page.click('button:has-text("Add person")');
    await page.waitForURL(/\/people\/\d+\?done=added$/);
    assert.match(await page.textContent('[role=status]'), /Added to your staff list/);
    assert.match(await page.textContent('h1'), /Bea Browser/);
    await noSidewaysScroll(page, 'the new person');
    await assertAccessible(page, `people-03-added-${width}`);

    await page.click('a:has-text("Change their level, staff group or job role")');
    await page.waitForURL(/\/change$/);
    assert.equal(await page.inputValue('#effective_from-year'), String(year), 'from today unless told');
    await noSidewaysScroll(page, 'change form');
    await assertAccessible(page, `people-04-change-${width}`);
    await page.selectOption('#level', 'intermediate');
    await fillDate(page, 'effective_from', day, month, year + 1);
    await page.click('button:has-text("Save the change")');
    await page.waitForSelector('.nhsuk-error-summary');
    assert.match(await page.textContent('#effective_from-error'), /today or in the past/);
    assert.equal(await page.inputValue('#level'), 'intermediate', 'the choice stays');
    await noSidewaysScroll(page, 'change form, error');
    await assertAccessible(page, `people-05-change-error-${width}`);
    await fillDate(page, 'effective_from', day, month, year);
    await page.click('button:has-text("Save the change")');
    await page.waitForURL(/done=changed$/);
    assert.match(await page.textContent('[role=status]'), /Their change is saved/);
    const rows = await page.$$eval('table tbody tr', (trs) => trs.map((tr) => tr.textContent));
    assert.equal(rows.length, 2, 'the change is a new assignment; the old one ends');
    assert.match(rows[0], /Intermediate[\s\S]*Current/);
    assert.match(rows[1], /Foundation[\s\S]*1 Apr 2024/);

    await page.click('a:has-text("Record that they left")');
    await page.waitForURL(/\/leave$/);
    await noSidewaysScroll(page, 'leave form');
    await assertAccessible(page, `people-06-leave-${width}`);
    await fillDate(page, 'end_date', 31, 3, 2024);
    await page.click('button:has-text("Record that they left")');
    await page.waitForSelector('.nhsuk-error-summary');
    assert.match(await page.textContent('#end_date-error'), /Their last change took effect on/);
    await assertAccessible(page, `people-07-leave-error-${width}`);
    await fillDate(page, 'end_date', day, month, year);
    await page.click('button:has-text("Record that they left")');
    await page.waitForURL(/done=left$/);
    assert.match(await page.textContent('[role=status]'), /Their leaving date is recorded/);
    await noSidewaysScroll(page, 'after leaving');
    await assertAccessible(page, `people-08-left-${width}`);
    await context.close();
  });

  test(`a lead records a face-to-face session for people found and pasted (${width} px)`, async () => {
    const family = unique('Sess');
    const ids = [];
    for (const given of ['Ann', 'Bob']) {
      const staffId = unique('F');
      const [[id]] = sql(`INSERT INTO people (staff_id, given_name, family_name, email)
        VALUES ('${staffId}', '${given}', '${family}', '${staffId.toLowerCase()}@browser.ihtrack.test') RETURNING id`);
      sql(`INSERT INTO assignments (person_id, org_id, level, start_date)
        SELECT ${id}, id, 1, '2023-01-01' FROM organisations WHERE code = 'RR8'`);
      ids.push(staffId);
    }
    const [[elsewhere]] = sql(`SELECT p.staff_id FROM people p WHERE NOT EXISTS (SELECT 1 FROM assignments a
      JOIN organisations o ON o.id = a.org_id WHERE a.person_id = p.id AND o.code = 'RR8') ORDER BY p.id LIMIT 1`);
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    await signInPage(page, 'lead.rr8@demo.ihtrack.test');
    await page.click('.nhsuk-header__navigation-link:has-text("People")');
    await page.click('a:has-text("Record a face-to-face session")');
    await page.waitForURL(/\/sessions\/new$/);
    await noSidewaysScroll(page, 'session form');
    await assertAccessible(page, `sessions-01-new-${width}`);

    await page.fill('#q', family);
    await page.click('button:has-text("Search")');
    await page.waitForURL(/q=/);
    await page.check(`label:has-text("Ann ${family}")`);
    await page.click('button:has-text("Add to the list")');
    await page.waitForURL(/add=/);
    assert.equal((await page.inputValue('#staff_ids')).trim(), ids[0]);
    assert.match(await page.textContent('main'), new RegExp(`Ann ${family}, staff ID ${ids[0]}: in the list`));
    await noSidewaysScroll(page, 'session form, found');
    await assertAccessible(page, `sessions-02-found-${width}`);

    // Then paste the rest, one a line, with someone who is not ours.
    await page.fill('#staff_ids', `${ids[0]}\n${ids[1]}\n${elsewhere}\n`);
    await page.click('button:has-text("Record attendance")');
    await page.waitForSelector('.nhsuk-error-summary');
    assert.match(await page.textContent('#module_code-error'), /Choose the module/);
    assert.equal((await page.inputValue('#staff_ids')).trim().split('\n').length, 3, 'the list stays');
    await assertAccessible(page, `sessions-03-errors-${width}`);
    await page.selectOption('#module_code', 'MECC-IH');
    await fillDate(page, 'completed_on', day, month, year);
    await page.fill('#provider', 'Leeds Health and Care Academy');
    await page.click('button:has-text("Record attendance")');
    await page.waitForSelector('h1:has-text("Attendance recorded")');
    const main = await page.textContent('main');
    assert.match(main, /2 recorded, 0 had it already, 1 not on your staff list/);
    assert.match(main, new RegExp(`Not on your staff list[\\s\\S]*${elsewhere}`));
    await noSidewaysScroll(page, 'session result');
    await assertAccessible(page, `sessions-04-result-${width}`);
    await context.close();
  });
}

test('the browser journeys left their people as they said', () => {
  assert.ok(Number(sql(`SELECT count(*) FROM completions c JOIN modules m ON m.id = c.module_id
    WHERE m.code = 'MECC-IH' AND c.source = 'face-to-face' AND c.recorded_via = 'form'
    AND c.completed_on = current_date`)[0][0]) >= 4);
});
