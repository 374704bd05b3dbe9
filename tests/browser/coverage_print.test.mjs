// Board papers: the coverage reports printed to PDF by Chromium on A4
// landscape, as a browser prints them, and read back with poppler-utils
// (pdfinfo for the pages, pdftotext for what is on each).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { BASE, DEMO_PASSWORD, ROOT, sql, unique } from '../lib/harness.mjs';
import { launch } from '../lib/browser.mjs';

const OUT = path.join(ROOT, 'test-results');
const BOARD = '/reports/coverage?as_of=2026-03-31&compare_to=2025-12-31';

let browser;
before(async () => {
  browser = await launch();
  // Enough organisations, each with someone on its staff list, for the
  // table to run over several pages.
  const tag = unique('PR');
  sql(`WITH o AS (INSERT INTO organisations (code, name)
      SELECT '${tag}' || lpad(g::text, 2, '0'), 'Print test ${tag} ' || g FROM generate_series(1, 34) g
      RETURNING id, code),
    p AS (INSERT INTO people (staff_id, given_name, family_name, email)
      SELECT 'P' || o.code, 'Print', 'Person ' || o.code, lower(o.code) || '@print.ihtrack.test' FROM o
      RETURNING id, staff_id)
    INSERT INTO assignments (person_id, org_id, level, start_date, staff_group)
    SELECT p.id, o.id, 1, DATE '2024-01-01', 'Nursing' FROM o JOIN p ON p.staff_id = 'P' || o.code`);
});
after(async () => { await browser?.close(); });

async function signedIn(email) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${BASE}/sign-in`);
  await page.fill('#email', email);
  await page.fill('#password', DEMO_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(`${BASE}/**`);
  return page;
}

// Prints the page as a person would on A4 landscape: the page's own
// @page rules decide; returns each page's text (layout, and raw order).
async function print(page, name) {
  mkdirSync(OUT, { recursive: true });
  const file = path.join(OUT, `${name}.pdf`);
  await page.pdf({ path: file, format: 'A4', landscape: true, preferCSSPageSize: true });
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  const pages = Number(info.match(/^Pages:\s+(\d+)/m)[1]);
  const [, w, h] = info.match(/^Page size:\s+([\d.]+) x ([\d.]+) pts/m);
  assert.ok(Math.abs(w - 841.9) < 1 && Math.abs(h - 595.3) < 1, `A4 landscape, not ${w} x ${h}`);
  const text = (i, mode) => execFileSync('pdftotext', ['-f', `${i}`, '-l', `${i}`, mode, file, '-'], { encoding: 'utf8' });
  return Array.from({ length: pages }, (_, i) => ({
    layout: text(i + 1, '-layout'),
    raw: text(i + 1, '-raw').replace(/\s+/g, ' '),
  }));
}

// What every page of a report must carry in its margins.
function assertMargins(pages, heading) {
  pages.forEach((p, i) => {
    assert.match(p.layout, new RegExp(`Page ${i + 1} of ${pages.length}`), `page ${i + 1}: its number`);
    assert.ok(p.raw.includes(heading), `page ${i + 1}: "${heading}"`);
    assert.match(p.raw, /Produced \d{1,2} [A-Z][a-z]{2} \d{4}/, `page ${i + 1}: the date`);
    assert.doesNotMatch(p.raw, /https?:|\/reports\/|Link:/, `page ${i + 1}: a link's address`);
  });
}

test('the board report prints on A4 landscape: every column, 15 organisations or more a page', async () => {
  const page = await signedIn('academy@demo.ihtrack.test');
  await page.goto(`${BASE}${BOARD}`);
  const codes = await page.$$eval('table.ih-coverage tbody th .ih-line', (e) => e.map((x) => x.textContent));
  const heads = await page.$$eval('table.ih-coverage thead th', (e) => e.map((x) => x.textContent.split(' ')[0]));
  const names = await page.$$eval('.ih-bars__name', (e) => e.map((x) => x.textContent));
  assert.ok(codes.length >= 40, `${codes.length} organisations`);
  const pages = await print(page, 'coverage-11-board');
  assertMargins(pages, 'Inclusion health training coverage, as at 31 Mar 2026, compared with 31 Dec 2025');

  // The table: its header on each of its pages, with every column (the
  // last one too), and each page but the last holding 15 rows or more.
  const table = pages.map((p, i) => ({ i, rows: codes.filter((c) => p.raw.includes(c)).length, p }))
    .filter((t) => t.rows > 0);
  assert.ok(table.length >= 2, 'the table runs over pages');
  for (const t of table) {
    for (const h of heads) assert.ok(t.p.raw.includes(h), `page ${t.i + 1}: column ${h}`);
  }
  // The first of them also holds the section's heading and caption.
  for (const [k, t] of table.slice(0, -1).entries()) {
    assert.ok(t.rows >= (k === 0 ? 12 : 15), `page ${t.i + 1}: ${t.rows} organisations`);
  }
  assert.equal(table.reduce((n, t) => n + t.rows, 0), codes.length, 'every row printed once');
  // The changes say once what they are since, not in every cell.
  assert.doesNotMatch(table[0].p.raw, /points since/);
  assert.match(table[0].p.raw, /Changes are since 31 Dec 2025, in percentage points\./);

  // The chart names organisations as the table does, on one page (in up
  // to four columns: 120 organisations; the test database has fewer).
  const chart = pages.findIndex((p) => p.raw.includes('Bars show the share'));
  const on = names.length <= 120 ? pages.slice(chart, chart + 1) : pages.slice(chart);
  for (const n of names) assert.ok(on.some((p) => p.raw.includes(n)), `the chart names ${n}`);
  await page.context().close();
});

test('the organisation report prints in a few pages, and no one\'s name', async () => {
  const page = await signedIn('lead.rr8@demo.ihtrack.test');
  await page.goto(`${BASE}/reports/coverage/RR8?as_of=2026-03-31&compare_to=2025-12-31`);
  const people = await page.$$eval('#expired + div tbody a, #never + div tbody a', (e) => e.map((x) => x.textContent));
  assert.ok(people.length > 0);
  const pages = await print(page, 'coverage-11-organisation');
  assert.ok(pages.length <= 4, `${pages.length} pages`);
  assertMargins(pages, 'Inclusion health training coverage: RR8, as at 31 Mar 2026, compared with 31 Dec 2025');
  const all = pages.map((p) => p.raw).join(' ');
  for (const who of people) assert.ok(!all.includes(who), `prints ${who}`);
  assert.match(all, /Expired: \d+ Never done: \d+ Due soon \(within 60 days\): \d+/);
  assert.match(all, /The names are not printed/);
  await page.context().close();
});
