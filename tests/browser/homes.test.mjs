// Issue 13 in Chromium, at 320 and 1280 px, each page checked with
// axe-core: each role's home (1), a session that ends mid-task (3),
// putting a completion right (4), finding a person (5), dates in one
// format with the date input (6), and the record form's errors and banner
// (7).  Nothing may scroll sideways at 320 px.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createHash } from 'node:crypto';
import { BASE, newStaff, sql } from '../lib/harness.mjs';
import { assertAccessible, launch, signInPage } from '../lib/browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const sha256 = (s) => createHash('sha256').update(s).digest('hex');
const noSidewaysScroll = async (page, what) => {
  const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(scroll <= inner, `${what}: ${scroll} px wide at ${inner}`);
};
// No ISO dates in what a person reads (CSV and JSON keep them).
const noIsoDates = async (page, what) => {
  assert.doesNotMatch(await page.textContent('main'), /\b\d{4}-\d{2}-\d{2}\b/, what);
};

for (const width of [320, 1280]) {
  test(`every role lands on its own page (${width} px)`, async () => {
    for (const [email, heading, label] of [
      ['lead.rr8@demo.ihtrack.test', /Leeds Teaching Hospitals/, 'org-lead'],
      ['academy@demo.ihtrack.test', /coverage/i, 'academy-lead'],
      ['admin@demo.ihtrack.test', /Administration/, 'admin'],
    ]) {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();
      await signInPage(page, email);
      assert.match(await page.textContent('h1'), heading, email);
      await noSidewaysScroll(page, `${label} home`);
      if (label !== 'academy-lead') await assertAccessible(page, `homes-01-${label}-${width}`);
      // The logo leads home too.
      await page.click('.nhsuk-header__service-logo');
      assert.match(await page.textContent('h1'), heading);
      await context.close();
    }
  });

  test(`a session that ends mid-form keeps what was typed (${width} px)`, async () => {
    const s = newStaff();
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    await signInPage(page, s.email);
    await page.goto(`${BASE}/record`);
    await page.selectOption('#module_code', 'IHF-02');
    await page.fill('#completed_on-day', '3');
    await page.fill('#completed_on-month', '4');
    await page.fill('#completed_on-year', '2025');
    await page.check('#face-to-face');
    const [cookie] = (await context.cookies()).filter((k) => k.name === 'ihtrack_session');
    sql(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_hash = '${sha256(cookie.value)}'`);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/sign-in\?/);
    assert.match(await page.textContent('main'), /Your session ended/);
    await assertAccessible(page, `homes-02-session-ended-${width}`);
    await page.fill('#email', s.email);
    await page.fill('#password', process.env.IHTRACK_DEMO_PASSWORD ?? 'inclusion-health-demo');
    await page.click('button[type=submit]');
    await page.waitForURL(/\/record\?/);
    assert.equal(await page.inputValue('#module_code'), 'IHF-02');
    assert.equal(await page.inputValue('#completed_on-year'), '2025');
    assert.ok(await page.isChecked('#face-to-face'));
    await page.click('button[type=submit]');
    await page.waitForURL(/\/my-training\?recorded=\d+$/);
    assert.match(await page.textContent('[role=status]'), /Recorded your completion of Culturally appropriate and compassionate care on 3 Apr 2025/);
    await noIsoDates(page, 'My training');
    await noSidewaysScroll(page, 'My training');
    await context.close();
  });

  test(`the record form says what is wrong at the field, and focuses the summary (${width} px)`, async () => {
    const s = newStaff();
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    await signInPage(page, s.email);
    await page.goto(`${BASE}/record`);
    await page.fill('#completed_on-day', '1');
    await page.fill('#completed_on-month', '1');
    await page.fill('#completed_on-year', '1901');
    await page.click('button[type=submit]');
    await page.waitForSelector('.nhsuk-error-summary');
    assert.match(await page.textContent('#completed_on-error'), /Check the year/);
    assert.match(await page.textContent('#module_code-error'), /Choose the module/);
    assert.ok(await page.evaluate(() => document.activeElement.classList.contains('nhsuk-error-summary')),
      'focus moves to the error summary');
    await noSidewaysScroll(page, 'record form');
    await assertAccessible(page, `homes-03-record-errors-${width}`);
    await context.close();
  });

  test(`a person puts a completion right; a lead finds a person (${width} px)`, async () => {
    const s = newStaff();
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    await signInPage(page, s.email);
    await page.goto(`${BASE}/record`);
    await page.selectOption('#module_code', 'IHF-01');
    await page.fill('#completed_on-day', '5');
    await page.fill('#completed_on-month', '5');
    await page.fill('#completed_on-year', '2025');
    await page.check('#source');
    await page.click('button[type=submit]');
    await page.waitForURL(/\/my-training\?recorded=/);
    await page.click('a:has-text("Withdraw or correct")');
    await page.waitForURL(/\/completions\/\d+$/);
    await noSidewaysScroll(page, 'completion page');
    await noIsoDates(page, 'completion page');
    await assertAccessible(page, `homes-04-completion-${width}`);
    await page.fill('#completed_on-year', '2024');
    await page.fill('#reason', 'I typed the wrong year');
    await page.click('button:has-text("Correct the completion")');
    await page.waitForURL(/done=corrected/);
    assert.match(await page.textContent('[role=status]'), /The completion is corrected/);
    assert.match(await page.textContent('main'), /5 May 2024/);
    await context.close();

    const lead = await browser.newContext({ viewport: { width, height: 900 } });
    const lpage = await lead.newPage();
    await signInPage(lpage, 'lead.rr8@demo.ihtrack.test');
    await lpage.click('.nhsuk-header__navigation-link:has-text("People")');
    await lpage.fill('#q', s.staffId);
    await lpage.click('button:has-text("Find people")');
    await lpage.waitForURL(/q=/);
    await noSidewaysScroll(lpage, 'people found');
    await assertAccessible(lpage, `homes-05-people-${width}`);
    await lpage.click(`a:has-text("Test Person")`);
    await lpage.waitForURL(/\/people\/\d+$/);
    assert.match(await lpage.textContent('main'), /Withdrawn or corrected[\s\S]*I typed the wrong year/);
    await noSidewaysScroll(lpage, 'person record');
    await noIsoDates(lpage, 'person record');
    await assertAccessible(lpage, `homes-06-person-${width}`);
    await lead.close();
  });
}
