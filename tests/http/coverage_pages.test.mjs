// The coverage report pages: who may see which, aggregates only on the
// board report, the lists to chase on an organisation's, CSV downloads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client, newStaff, sql } from '../lib/harness.mjs';

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
  assert.match(csv.text_, /^as_of,org_code,state,module_code,name,email,staff_id,staff_group,completed_on,expires_on\r\n/);
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

test('reports are closed to staff and to people signed out; bad input is 400', async () => {
  const me = newStaff();
  const staff = await signedIn(me.email);
  assert.equal((await staff.get('/reports/coverage')).status, 403);
  assert.equal((await staff.get('/reports/coverage/RR8')).status, 403);
  const anon = new Client();
  const res = await anon.get('/reports/coverage');
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/sign-in');
  const academy = await signedIn('academy@demo.ihtrack.test');
  assert.equal((await academy.get('/reports/coverage/RR8')).status, 200);
  assert.equal((await academy.get('/reports/coverage/NOSUCHORG')).status, 400);
  const bad = await academy.get('/reports/coverage?as_of=2026-02-30');
  assert.equal(bad.status, 400);
  assert.match(bad.text_, /as_of must be a real date/);
});
