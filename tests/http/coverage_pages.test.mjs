// The coverage report pages: who may see which, aggregates only on the
// board report, the lists to chase on an organisation's, CSV downloads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client, newStaff, sql } from '../lib/harness.mjs';
import { done, newOrg, person } from '../lib/coverage_data.mjs';

async function signedIn(email) {
  const c = new Client();
  await c.signIn(email);
  return c;
}

test('the board report: every organisation, a chart, a total, and no names', async () => {
  const c = await signedIn('academy@demo.ihtrack.test');
  const res = await c.get('/reports/coverage?as_of=2026-03-31&compare_to=2025-12-31');
  assert.equal(res.status, 200);
  const page = res.text_;
  assert.match(page, /<h1>Inclusion health training coverage<\/h1>/);
  // Dates read as people write them (issue 13); links and CSV keep ISO.
  assert.match(page, /as at 31 Mar 2026, compared with 31 Dec 2025/);
  assert.match(page, /<figure class="ih-chart ih-bars">/);
  assert.match(page, /<svg class="ih-trend__svg" role="img"/);
  for (const [name] of sql("SELECT name FROM organisations WHERE code IN ('RR8', 'RY6', 'FGF')")) {
    assert.ok(page.includes(name), name);
  }
  assert.match(page, /<tfoot>[\s\S]*All organisations[\s\S]*<\/tfoot>/);
  assert.match(page, /(Green|Amber|Red)<\/strong>/, 'RAG in words');
  assert.match(page, /points since 31 Dec 2025/);
  // No one's name or email: the page is for public board papers.
  for (const [name, email] of sql('SELECT given_name || \' \' || family_name, email FROM people')) {
    assert.ok(!page.includes(name), `names ${name}`);
    assert.ok(!page.includes(email), `shows ${email}`);
  }
  const csv = await c.get('/reports/coverage?as_of=2026-03-31&format=csv');
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  assert.match(csv.headers.get('content-disposition'), /coverage-board-2026-03-31\.csv/);
  assert.match(csv.text_, /^as_of,org_code,org_name,module_code,counts,required,compliant/);
  assert.match(csv.text_, /2026-03-31,SYSTEM,All organisations,FULLY-COMPLIANT,people,/);
});

test('an organisation lead sees their own report with the people to chase', async () => {
  const me = newStaff({ org: 'RR8' });
  const c = await signedIn('lead.rr8@demo.ihtrack.test');
  const res = await c.get('/reports/coverage/RR8');
  assert.equal(res.status, 200);
  assert.match(res.text_, /Leeds Teaching Hospitals NHS Trust: inclusion health training coverage/);
  // No date asked for: the database's today (Europe/London).
  assert.ok(res.text_.includes(`As at ${sql("SELECT to_char(current_date, 'FMDD Mon YYYY')")[0][0]}.`),
    'as at the database\'s today');
  assert.match(res.text_, /<h2>By staff group<\/h2>/);
  assert.match(res.text_, /<h3 id="never">Never done: \d+<\/h3>/);
  // The new starter has done nothing: they are on the never-done list.
  assert.ok(res.text_.includes(me.email), 'lists the new starter');
  const csv = await c.get('/reports/coverage/RR8?format=csv&list=chase');
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-disposition'), /chase-RR8-/);
  assert.match(csv.text_, /^as_of,org_code,state,module_code,name,email,staff_id,staff_group,completed_on,expires_on,account\r\n/);
  assert.ok(csv.text_.split('\r\n').some((l) => l.includes(`never,IHF-01,Test Person,${me.email}`)));
  const figures = await c.get('/reports/coverage/RR8?format=csv');
  assert.match(figures.text_, /,RR8,Leeds Teaching Hospitals NHS Trust,IHF-01,people,/);

  // Another due soon window: the list, its title and the form follow it.
  const soon = await c.get('/reports/coverage/RR8?as_of=2026-03-31&due_within_days=120');
  assert.equal(soon.status, 200);
  assert.match(soon.text_, /<h3 id="due-soon">Due soon \(within 120 days\): \d+<\/h3>/);
  assert.match(soon.text_, /name="due_within_days"[^>]*value="120"/);
  assert.match(soon.text_, /due_within_days=120&amp;format=csv/);
  assert.equal((await c.get('/reports/coverage/RR8?due_within_days=366')).status, 400);

  assert.equal((await c.get('/reports/coverage/RY6')).status, 403);
  assert.equal((await c.get('/reports/coverage')).status, 403);
});

test('board rows link to each organisation\'s report, for those who may read it', async () => {
  const academy = await signedIn('academy@demo.ihtrack.test');
  const page = (await academy.get('/reports/coverage?as_of=2026-03-31&compare_to=2025-12-31&due_within_days=90')).text_;
  const links = [...page.matchAll(/<a href="\/reports\/coverage\/([A-Z0-9_-]+)\?as_of=2026-03-31&amp;compare_to=2025-12-31&amp;due_within_days=90">/g)]
    .map((m) => m[1]);
  // Organisations with no one on 2026-03-31 are listed apart (issue 13).
  const codes = sql(`SELECT o.code FROM organisations o WHERE EXISTS (SELECT 1 FROM assignments a
    WHERE a.org_id = o.id AND a.start_date <= '2026-03-31' AND (a.end_date IS NULL OR a.end_date >= '2026-03-31'))
    ORDER BY o.code`).map((r) => r[0]);
  assert.deepEqual(links, codes, 'one link per organisation row, keeping the dates and window');
  const followed = await academy.get(`/reports/coverage/${codes[0]}?as_of=2026-03-31&compare_to=2025-12-31`);
  assert.equal(followed.status, 200);
  // An administrator may read the board report but no organisation's.
  const admin = await signedIn('admin@demo.ihtrack.test');
  const own = await admin.get('/reports/coverage?as_of=2026-03-31');
  assert.equal(own.status, 200);
  assert.doesNotMatch(own.text_, /href="\/reports\/coverage\/[A-Z]/);
  assert.equal((await admin.get(`/reports/coverage/${codes[0]}`)).status, 403);
});

test('the organisation report: change since compare_to per staff group', async () => {
  const org = newOrg();
  const porter = person([{ org, group: 'Porters', start: '2024-01-01' }]);
  person([{ org, group: 'Porters', start: '2024-01-01' }]);
  person([{ org, group: 'Nursing', start: '2024-01-01' }]);
  person([{ org, group: 'Nursing', start: '2024-09-01' }]);
  done(porter, 'IHF-01', '2024-08-01');
  const c = await signedIn('academy@demo.ihtrack.test');
  const res = await c.get(`/reports/coverage/${org}?as_of=2024-12-31&compare_to=2024-06-30`);
  assert.equal(res.status, 200);
  const groups = res.text_.slice(res.text_.indexOf('<h2>By staff group</h2>'));
  const row = (g) => {
    const m = groups.match(new RegExp(`<th class="nhsuk-table__header" scope="row">${g}</th>(.*?)</tr>`));
    assert.ok(m, `a row for ${g}`);
    return [...m[1].matchAll(/<td class="nhsuk-table__cell">(.*?)<\/td>/g)].map((x) => x[1].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
  };
  const porters = row('Porters');
  const nursing = row('Nursing');
  assert.equal(porters[0], '2 0 since 30 Jun 2024');
  assert.equal(nursing[0], '2 +1 since 30 Jun 2024');
  // Columns: people, fully compliant, then the modules in order.
  const ihf01 = 2 + sql("SELECT count(*) FROM modules WHERE mandatory AND (level, code) < (SELECT level, code FROM modules WHERE code = 'IHF-01')")[0][0] * 1;
  assert.match(porters[ihf01], /^50\.0% Red 1 of 2 \+50\.0 points since 30 Jun 2024$/);
  assert.match(nursing[ihf01], /^0\.0% Red 0 of 2 0\.0 points since 30 Jun 2024$/);
  // Without compare_to there is no change to show.
  const plain = await c.get(`/reports/coverage/${org}?as_of=2024-12-31`);
  assert.doesNotMatch(plain.text_.slice(plain.text_.indexOf('<h2>By staff group</h2>')), /since/);
});

test('reports are closed to staff and to people signed out; bad input is 400', async () => {
  const me = newStaff();
  const staff = await signedIn(me.email);
  assert.equal((await staff.get('/reports/coverage')).status, 403);
  assert.equal((await staff.get('/reports/coverage/RR8')).status, 403);
  const anon = new Client();
  const res = await anon.get('/reports/coverage');
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/sign-in?next=%2Freports%2Fcoverage');
  const academy = await signedIn('academy@demo.ihtrack.test');
  assert.equal((await academy.get('/reports/coverage/RR8')).status, 200);
  assert.equal((await academy.get('/reports/coverage/NOSUCHORG')).status, 400);
  const bad = await academy.get('/reports/coverage?as_of=2026-02-30');
  assert.equal(bad.status, 400);
  assert.match(bad.text_, /The as at date must be a real date/);
});

// Issue 13: the form's dates, the board's trend, print, the chase links.

test('dates typed as day, month and year go to the report\'s address', async () => {
  const c = await signedIn('academy@demo.ihtrack.test');
  const res = await c.get('/reports/coverage?as_of-day=31&as_of-month=3&as_of-year=2026'
    + '&compare_to-day=31&compare_to-month=Dec&compare_to-year=2025&due_within_days=90');
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/reports/coverage?as_of=2026-03-31&compare_to=2025-12-31&due_within_days=90');
  // Nothing typed for as_of: today, and the address says nothing of it.
  const org = await c.get('/reports/coverage/RR8?as_of-day=&as_of-month=&as_of-year=&compare_to-day=1'
    + '&compare_to-month=1&compare_to-year=2025&due_within_days=60');
  assert.equal(org.status, 303);
  assert.equal(org.headers.get('location'), '/reports/coverage/RR8?compare_to=2025-01-01');
  // The report's form shows its dates in the three fields.
  const page = (await c.get('/reports/coverage?as_of=2026-03-01')).text_;
  assert.match(page, /id="as_of-day" name="as_of-day" type="text" inputmode="numeric" value="1"/);
  assert.match(page, /id="as_of-month" name="as_of-month" type="text" inputmode="numeric" value="3"/);
  assert.match(page, /id="as_of-year" name="as_of-year" type="text" inputmode="numeric" value="2026"/);
});

test('a wrong date gives the form again (400) with the error at its field; the API keeps its JSON', async () => {
  const c = await signedIn('academy@demo.ihtrack.test');
  const errors = (html) => [...html.matchAll(/<li><a href="#([a-z_-]+)">([^<]*)<\/a><\/li>/g)].map((m) => [m[1], m[2]]);

  const slash = await c.get('/reports/coverage?as_of=31/03/2026');
  assert.equal(slash.status, 400);
  assert.match(slash.text_, /<title>Error: Coverage report for the workforce board - ihtrack<\/title>/);
  assert.match(slash.text_, /<div class="nhsuk-error-summary"/);
  assert.deepEqual(errors(slash.text_), [['as_of-day',
    'The as at date in the address (31/03/2026) is not written YYYY-MM-DD: enter it as a day, month and year']]);
  assert.match(slash.text_, /<span class="nhsuk-error-message" id="as_of-error">/);
  assert.match(slash.text_, /aria-describedby="as_of-hint as_of-error"/);
  assert.match(slash.text_, /nhsuk-input--error[^"]*" id="as_of-day"/);
  assert.doesNotMatch(slash.text_, /ih-coverage/, 'no figures');
  const api = await c.get('/api/v1/coverage?as_of=31/03/2026');
  assert.equal(api.status, 400);
  assert.deepEqual(JSON.parse(api.text_), { error: 'Bad Request', message: 'as_of must be a real date written YYYY-MM-DD.' });

  const later = await c.get('/reports/coverage/RR8?as_of=2026-03-31&compare_to=2026-06-30');
  assert.equal(later.status, 400);
  assert.match(later.text_, /<h1>Leeds Teaching Hospitals NHS Trust: inclusion health training coverage<\/h1>/);
  assert.deepEqual(errors(later.text_), [['compare_to-day', 'The date to compare with must be the same as or before the as at date']]);
  // What was asked for stays in the fields.
  assert.match(later.text_, /id="compare_to-month" name="compare_to-month" type="text" inputmode="numeric" value="6"/);
  const apiLater = await c.get('/api/v1/coverage?org=RR8&as_of=2026-03-31&compare_to=2026-06-30');
  assert.equal(apiLater.status, 400);
  assert.match(JSON.parse(apiLater.text_).message, /compare_to must be on or before as_of/);

  const typed = await c.get('/reports/coverage?as_of-day=30&as_of-month=2&as_of-year=2026'
    + '&compare_to-day=1&compare_to-month=&compare_to-year=2025&due_within_days=400');
  assert.equal(typed.status, 400);
  assert.deepEqual(errors(typed.text_), [
    ['as_of-day', 'The as at date must be a real date'],
    ['compare_to-month', 'The date to compare with must include a month'],
    ['due_within_days', 'Due soon within must be a whole number of days from 0 to 365'],
  ]);
  assert.match(typed.text_, /id="as_of-day" name="as_of-day" type="text" inputmode="numeric" value="30"/);
  assert.match(typed.text_, /name="due_within_days" type="text" aria-describedby="due_within_days-hint due_within_days-error" value="400"/);
  const year = await c.get('/reports/coverage?as_of-day=1&as_of-month=3&as_of-year=26');
  assert.deepEqual(errors(year.text_), [['as_of-year', 'The as at date must have 4 numbers in its year']]);

  // Nobody learns of another organisation's report from its form.
  const lead = await signedIn('lead.rr8@demo.ihtrack.test');
  assert.equal((await lead.get('/reports/coverage/RY6?as_of=31/03/2026')).status, 403);
  assert.equal((await lead.get('/reports/coverage?as_of=31/03/2026')).status, 403);
  assert.equal((await c.get('/reports/coverage/NOSUCHORG?as_of=31/03/2026')).status, 400);
});

test('each name on the lists to chase links to the person\'s record', async () => {
  const me = newStaff({ org: 'RR8' });
  const lead = await signedIn('lead.rr8@demo.ihtrack.test');
  const page = (await lead.get('/reports/coverage/RR8')).text_;
  assert.ok(page.includes(`<a href="/people/${me.personId}">Test Person</a>`), 'links to /people/ID');
  // The CSV's columns stay as they were.
  const csv = (await lead.get('/reports/coverage/RR8?format=csv&list=chase')).text_;
  assert.ok(csv.split('\r\n').every((l) => l === '' || l.split(',').length === 11));
});

test('the board\'s trend: people fully compliant at the last eight quarter ends, drawn and in words', async () => {
  const org = newOrg();
  const a = person([{ org, start: '2024-08-01' }]);
  person([{ org, start: '2025-08-01' }]);
  for (const m of ['IHF-01', 'IHF-02', 'IHF-03', 'TIC-F01']) done(a, m, '2025-05-15');
  const c = await signedIn('academy@demo.ihtrack.test');
  const page = (await c.get('/reports/coverage?as_of=2026-03-31')).text_;
  const desc = (name) => {
    const m = page.match(new RegExp(`<title id="trend-(\\d+)-title">${name}: people fully compliant at each of the last 8 `
      + 'quarter ends</title>\\n<desc id="trend-\\1-desc">([^<]*)</desc>'));
    assert.ok(m, `a chart for ${name}`);
    return m[2];
  };
  assert.equal(desc(`Coverage test ${org}`), '30 Jun 2024: no one; 30 Sep 2024: 0.0% (0 of 1); '
    + '31 Dec 2024: 0.0% (0 of 1); 31 Mar 2025: 0.0% (0 of 1); 30 Jun 2025: 100.0% (1 of 1); '
    + '30 Sep 2025: 50.0% (1 of 2); 31 Dec 2025: 50.0% (1 of 2); 31 Mar 2026: 50.0% (1 of 2).');
  assert.match(page, /aria-labelledby="trend-\d+-title" aria-describedby="trend-\d+-desc"/);
  // The system's, from the same figures as the API's (each person once).
  const system = desc('All organisations').split('; ');
  assert.equal(system.length, 8);
  const api = JSON.parse((await c.get('/api/v1/coverage?as_of=2025-12-31')).text_).system;
  assert.ok(system[6].startsWith(`31 Dec 2025: `) && system[6].endsWith(`(${api.fully_compliant} of ${api.people})`), system[6]);
  // One chart per organisation in the table, and the system's.
  const rows = [...page.matchAll(/<tr class="nhsuk-table__row"><th class="nhsuk-table__header" scope="row">/g)].length;
  // Rows: the figures table's and the trend table's, each with the system.
  assert.equal([...page.matchAll(/<svg class="ih-trend__svg"/g)].length, rows / 2);
  // Another as_of: the quarter ends on or before it.
  const may = (await c.get('/reports/coverage?as_of=2026-05-15')).text_;
  assert.match(may, /People fully compliant at each quarter end from 30 Jun 2024 to 31 Mar 2026/);
});

test('organisations with no one as at the date are listed apart, not as rows', async () => {
  const org = newOrg();
  person([{ org, start: '2024-01-01', end: '2025-12-31' }]);
  const c = await signedIn('academy@demo.ihtrack.test');
  const page = (await c.get('/reports/coverage?as_of=2026-03-31&compare_to=2025-12-31')).text_;
  const table = page.slice(page.indexOf('<table class="nhsuk-table ih-coverage">'), page.indexOf('</table></div>\n</section>'));
  assert.ok(!table.includes(`(${org})`), 'no row');
  assert.match(page, new RegExp(`<h2>Organisations with no one on their staff list</h2>\\n<p>No one is required to hold `
    + `training at these organisations as at 31 Mar 2026, so they have no figures:</p>\\n<ul>\\n(<li>[^<]*</li>\\n)*`
    + `<li>Coverage test ${org} \\(${org}\\)</li>`));
  // The CSV still has every organisation.
  const csv = (await c.get('/reports/coverage?as_of=2026-03-31&format=csv')).text_;
  assert.match(csv, new RegExp(`2026-03-31,${org},Coverage test ${org},FULLY-COMPLIANT,people,0,0,-,none`));
});

test('each printed page repeats the report, its dates and the page number', async () => {
  const c = await signedIn('academy@demo.ihtrack.test');
  const board = (await c.get('/reports/coverage?as_of=2026-03-31&compare_to=2025-12-31')).text_;
  assert.match(board, /<link rel="stylesheet" media="print" href="\/reports\/coverage\/print\.css\?as_of=2026-03-31&amp;compare_to=2025-12-31">/);
  const org = (await c.get('/reports/coverage/RR8?as_of=2026-03-31')).text_;
  assert.match(org, /<link rel="stylesheet" media="print" href="\/reports\/coverage\/print\.css\?as_of=2026-03-31&amp;org=RR8">/);
  const css = await new Client().get('/reports/coverage/print.css?as_of=2026-03-31&compare_to=2025-12-31&org=RR8');
  assert.equal(css.status, 200);
  assert.match(css.headers.get('content-type'), /^text\/css/);
  assert.match(css.text_, /size: A4 landscape;/);
  assert.match(css.text_, /content: "Inclusion health training coverage: RR8, as at 31 Mar 2026, compared with 31 Dec 2025";/);
  assert.match(css.text_, /content: "Produced \d{1,2} [A-Z][a-z]{2} \d{4}";/);
  assert.match(css.text_, /content: "Page " counter\(page\) " of " counter\(pages\);/);
  // Only checked values reach the stylesheet.
  assert.equal((await c.get('/reports/coverage/print.css?as_of=2026-03-31&org=%22%7D*%7B')).status, 400);
  assert.equal((await c.get('/reports/coverage/print.css')).status, 400);
});
