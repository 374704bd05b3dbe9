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
  assert.match(page, /as at 2026-03-31, compared with 2025-12-31/);
  assert.match(page, /<svg role="img" aria-labelledby="chart-title"/);
  for (const [name] of sql("SELECT name FROM organisations WHERE code IN ('RR8', 'RY6', 'FGF')")) {
    assert.ok(page.includes(name), name);
  }
  assert.match(page, /<tfoot>[\s\S]*All organisations[\s\S]*<\/tfoot>/);
  assert.match(page, /(Green|Amber|Red)<\/strong>/, 'RAG in words');
  assert.match(page, /points since 2025-12-31/);
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
  assert.ok(res.text_.includes(`As at ${sql('SELECT current_date')[0][0]}.`), 'as at the database\'s today');
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
  const codes = sql('SELECT code FROM organisations ORDER BY code').map((r) => r[0]);
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
  assert.equal(porters[0], '2 0 since 2024-06-30');
  assert.equal(nursing[0], '2 +1 since 2024-06-30');
  // Columns: people, fully compliant, then the modules in order.
  const ihf01 = 2 + sql("SELECT count(*) FROM modules WHERE mandatory AND (level, code) < (SELECT level, code FROM modules WHERE code = 'IHF-01')")[0][0] * 1;
  assert.match(porters[ihf01], /^50\.0% 1 of 2 .* \+50\.0 points since 2024-06-30$/);
  assert.match(nursing[ihf01], /^0\.0% 0 of 2 .* 0\.0 points since 2024-06-30$/);
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
  assert.match(bad.text_, /as_of must be a real date/);
});
