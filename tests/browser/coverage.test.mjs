// The coverage reports in headless Chromium: a board report on a desktop
// screen, an organisation's report, each checked with axe-core; on a
// phone, nothing but a wide table scrolls sideways; the trend; the form
// again when a date is wrong.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BASE, DEMO_PASSWORD } from '../lib/harness.mjs';
import { assertAccessible, launch } from '../lib/browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function fillDate(page, name, day, month, year) {
  await page.fill(`#${name}-day`, day);
  await page.fill(`#${name}-month`, month);
  await page.fill(`#${name}-year`, year);
}

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

  // Dates as day, month and year (issue 13); the report's address keeps
  // them as YYYY-MM-DD.
  await fillDate(page, 'as_of', '31', '3', '2026');
  await fillDate(page, 'compare_to', '31', '12', '2025');
  await page.click('text=Show coverage');
  await page.waitForURL(/as_of=2026-03-31&compare_to=2025-12-31$/);
  assert.match(await page.textContent('main'), /compared with 31 Dec 2025/);
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
  assert.match(await groups.textContent(), /since 31 Dec 2025/);
  await assertAccessible(page, 'coverage-03-organisation-compared');

  await page.goto(`${BASE}/reports/coverage/RR8?as_of=2026-03-31`);
  assert.match(await page.textContent('h1'), /Leeds Teaching Hospitals/);
  await assertAccessible(page, 'coverage-04-organisation');
  await context.close();
});

const BOARD = '/reports/coverage?as_of=2026-03-31&compare_to=2025-12-31';
const RR8 = '/reports/coverage/RR8?as_of=2026-03-31&compare_to=2025-12-31';

for (const [label, width] of [['phone', 320], ['desktop', 1280]]) {
  test(`the reports reflow: only wide tables scroll, in a region that says so (${label})`, async () => {
    const context = await browser.newContext({ viewport: { width, height: 800 } });
    const page = await context.newPage();
    await signIn(page, 'academy@demo.ihtrack.test');
    for (const [name, url] of [['board', BOARD], ['organisation', RR8]]) {
      await page.goto(`${BASE}${url}`);
      const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      assert.ok(scroll <= inner, `${name}: the page is ${scroll} px wide in a ${inner} px window`);
      // A table wider than the page sits in a region of its own that
      // scrolls, is reached by keyboard, is named, and says it scrolls.
      const loose = await page.evaluate(() => [...document.querySelectorAll('main table')]
        .filter((t) => t.offsetParent !== null && t.getBoundingClientRect().width > document.querySelector('main').clientWidth + 4)
        .filter((t) => {
          const r = t.closest('.ih-wide');
          return !r || r.getAttribute('role') !== 'region' || r.tabIndex !== 0 || !/scrolls sideways/.test(r.getAttribute('aria-label'))
            || getComputedStyle(r).overflowX !== 'auto';
        }).map((t) => t.caption?.textContent));
      assert.deepEqual(loose, [], `${name}: tables wider than the page outside a scrolling region`);
      if (width === 320 && name === 'board') {
        assert.equal(await page.isVisible('text=Scroll the table sideways to see every column.'), true);
        // The chart names organisations as the table does, in text a
        // phone can read, and its bars fit the screen.
        const names = await page.$$eval('.ih-bars__name', (e) => e.map((x) => x.textContent));
        const rows = await page.$$eval('table.ih-coverage tbody th a', (e) => e.map((x) => x.textContent));
        assert.deepEqual(names.slice(0, -1), rows);
        assert.equal(names.at(-1), 'All organisations');
        const size = await page.$eval('.ih-bars__name', (e) => parseFloat(getComputedStyle(e).fontSize));
        assert.ok(size >= 16, `chart labels at ${size} px`);
        // The trend's charts are drawn at least at their own size: 12-unit
        // labels are 12 px or more.
        const drawn = await page.$eval('.ih-trend__svg', (e) => e.getBoundingClientRect().width);
        assert.ok(drawn >= 240, `trend charts ${drawn} px wide`);
      }
      if (width === 320 && name === 'organisation') {
        // The lists to chase reflow: each person's row stacks its cells.
        assert.equal(await page.isVisible('#expired + div .nhsuk-table-responsive__heading >> nth=0'), true);
      }
      await assertAccessible(page, `coverage-10-${name}-${label}`);
    }
    await context.close();
  });

  test(`the board's trend: a chart for the system and each organisation, and a table (${label})`, async () => {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    await signIn(page, 'academy@demo.ihtrack.test');
    await page.goto(`${BASE}${BOARD}`);
    const rows = await page.$$eval('table.ih-coverage tbody tr', (e) => e.length);
    const charts = page.locator('svg.ih-trend__svg[role=img]');
    assert.equal(await charts.count(), rows + 1);
    // Each chart is named, and described value by value.
    const first = await charts.first().evaluate((svg) => ({
      name: document.getElementById(svg.getAttribute('aria-labelledby')).textContent,
      desc: document.getElementById(svg.getAttribute('aria-describedby')).textContent,
      points: svg.querySelectorAll('circle').length,
    }));
    assert.match(first.name, /^All organisations: people fully compliant at each of the last 8 quarter ends$/);
    assert.equal(first.desc.split('; ').length, 8);
    assert.match(first.desc, /^30 Jun 2024: .*31 Mar 2026: \d+\.\d% \(\d+ of \d+\)\.$/);
    assert.ok(first.points > 0 && first.points <= 8);
    await page.click('text=The trend as a table');
    const table = page.locator('table', { has: page.locator('caption', { hasText: 'People fully compliant at each quarter end' }) });
    assert.equal(await table.isVisible(), true);
    assert.equal(await table.locator('thead th').count(), 9);
    await assertAccessible(page, `coverage-12-trend-${label}`);
    await context.close();
  });
}

for (const [label, width] of [['phone', 390], ['desktop', 1280]]) {
  test(`a date that is not a date gives the form again, with the error at its field (${label})`, async () => {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    await signIn(page, 'academy@demo.ihtrack.test');
    await page.goto(`${BASE}/reports/coverage/RR8?as_of=2026-03-31`);
    await fillDate(page, 'as_of', '30', '2', '2026');
    await fillDate(page, 'compare_to', '1', '', '2025');
    const [res] = await Promise.all([page.waitForResponse((r) => r.url().includes('as_of-day=30')),
      page.click('text=Show coverage')]);
    assert.equal(res.status(), 400);
    assert.match(await page.title(), /^Error: /);
    assert.deepEqual(await page.$$eval('.nhsuk-error-summary a', (e) => e.map((a) => [a.getAttribute('href'), a.textContent])), [
      ['#as_of-day', 'The as at date must be a real date'],
      ['#compare_to-month', 'The date to compare with must include a month'],
    ]);
    assert.match(await page.textContent('#as_of-error'), /The as at date must be a real date/);
    assert.equal(await page.inputValue('#as_of-day'), '30');
    await assertAccessible(page, `coverage-02-form-error-${label}`);
    // The summary's link takes you to the field.
    await page.click('.nhsuk-error-summary a[href="#compare_to-month"]');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'compare_to-month');
    await fillDate(page, 'as_of', '31', '3', '2026');
    await fillDate(page, 'compare_to', '31', '12', '2025');
    await page.click('text=Show coverage');
    await page.waitForURL(/\/reports\/coverage\/RR8\?as_of=2026-03-31&compare_to=2025-12-31$/);
    assert.match(await page.textContent('h1'), /Leeds Teaching Hospitals/);
    await context.close();
  });
}
