// Every role has a home (issue 13): GET / serves each its own page, and
// every way back leads there; a session that ends mid-task brings the
// person back where they were; the record form's banner says what the
// database holds.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { Client, newStaff, sql } from '../lib/harness.mjs';

const sha256 = (s) => createHash('sha256').update(s).digest('hex');
async function as(email) {
  const c = new Client();
  await c.signIn(email);
  return c;
}
const h1 = (html) => (html.match(/<h1[^>]*>([\s\S]*?)<\/h1>/) ?? [])[1];

test('GET / serves each role its home', async () => {
  const staff = await (await as(newStaff().email)).get('/');
  assert.equal(h1(staff.text_), 'My training');
  const lead = await (await as('lead.rr8@demo.ihtrack.test')).get('/');
  assert.equal(lead.status, 200);
  assert.equal(h1(lead.text_), 'Leeds Teaching Hospitals NHS Trust');
  for (const href of ['/reports/coverage/RR8', '/people', '/imports', '/reports/coverage/RR8/reminders']) {
    assert.match(lead.text_, new RegExp(`href="${href.replaceAll('/', '\\/')}"`), href);
  }
  assert.doesNotMatch(lead.text_, /not linked/);
  const academy = await (await as('academy@demo.ihtrack.test')).get('/');
  assert.equal(academy.status, 200);
  assert.match(h1(academy.text_), /coverage/i, 'the board report');
  const admin = await (await as('admin@demo.ihtrack.test')).get('/');
  assert.equal(h1(admin.text_), 'Administration');
  for (const href of ['/admin/users', '/admin/tokens', '/admin/mail', '/admin/reminders', '/admin/audit']) {
    assert.match(admin.text_, new RegExp(`href="${href.replaceAll('/', '\\/')}"`), href);
  }
});

test('a lead who is also on a roster has My training too', async () => {
  const s = newStaff();
  sql(`UPDATE users SET role = 'org_lead', org_id = (SELECT id FROM organisations WHERE code = 'RR8')
    WHERE email = '${s.email}'`);
  const c = await as(s.email);
  const home = await c.get('/');
  assert.equal(h1(home.text_), 'Leeds Teaching Hospitals NHS Trust');
  assert.match(home.text_, /href="\/my-training"/);
  assert.equal(h1((await c.get('/my-training')).text_), 'My training');
});

test('the way back from an error page is the home page', async () => {
  const res = await (await as('lead.rr8@demo.ihtrack.test')).get('/no/such/page');
  assert.equal(res.status, 404);
  assert.match(res.text_, /<a href="\/">Go to your home page<\/a>/);
  assert.doesNotMatch(res.text_, /my training/i);
});

test('a session that ends mid-form comes back to the form with what was typed', async () => {
  const s = newStaff();
  const c = await as(s.email);
  const csrf_token = await c.csrf('/record');
  sql(`UPDATE sessions SET expires_at = now() - interval '1 second'
    WHERE token_hash = '${sha256(c.cookies.get('ihtrack_session'))}'`);
  const res = await c.post('/record', { csrf_token, module_code: 'IHF-02', 'completed_on-day': '3',
    'completed_on-month': '4', 'completed_on-year': '2025', source: 'face-to-face', provider: 'Forum Central' });
  assert.equal(res.status, 303);
  const to = res.headers.get('location');
  assert.match(to, /^\/sign-in\?next=%2Frecord%3F.*&ended=1$/);
  const page = await c.get(to);
  assert.match(page.text_, /Your session ended, so you were signed out/);
  assert.match(page.text_, /name="next" value="\/record\?module_code=IHF-02&amp;completed_on-day=3/);
  const csrf = page.text_.match(/name="csrf_token" value="([0-9a-f]+)"/)[1];
  const next = page.text_.match(/name="next" value="([^"]+)"/)[1].replaceAll('&amp;', '&');
  const signed = await c.post('/sign-in', { csrf_token: csrf, email: s.email,
    password: process.env.IHTRACK_DEMO_PASSWORD ?? 'inclusion-health-demo', next });
  assert.equal(signed.status, 303);
  assert.equal(signed.headers.get('location'), next);
  const form = await c.get(next);
  assert.match(form.text_, /<option value="IHF-02" selected>/);
  assert.match(form.text_, /id="completed_on-year" name="completed_on-year" type="text" inputmode="numeric" value="2025"/);
  assert.match(form.text_, /id="face-to-face" name="source" type="radio" value="face-to-face" checked/);
  assert.match(form.text_, /value="Forum Central"/);
});

test('after signing in, only a path on this site is followed', async () => {
  const s = newStaff();
  for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
    const c = new Client();
    const csrf_token = await c.csrf(`/sign-in?next=${encodeURIComponent(next)}`);
    const res = await c.post('/sign-in', { csrf_token, email: s.email,
      password: process.env.IHTRACK_DEMO_PASSWORD ?? 'inclusion-health-demo', next });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/', next);
  }
});

test('the banner after recording comes from the database, not the address', async () => {
  const s = newStaff();
  const c = await as(s.email);
  assert.doesNotMatch((await c.get('/?recorded=Anything%20you%20like')).text_, /Anything you like/);
  assert.doesNotMatch((await c.get('/my-training?recorded=Anything')).text_, /Recorded your completion/);
  const other = newStaff();
  const [[theirs]] = sql(`INSERT INTO completions (person_id, module_id, completed_on, source, recorded_via)
    SELECT ${other.personId}, id, DATE '2025-02-02', 'other', 'admin' FROM modules WHERE code = 'IHF-01' RETURNING id`);
  assert.doesNotMatch((await c.get(`/my-training?recorded=${theirs}`)).text_, /Recorded your completion/,
    'not someone else\'s completion');
  const record = async () => {
    const csrf_token = await c.csrf('/record');
    return c.post('/record', { csrf_token, module_code: 'IHF-01', completed_on: '2025-03-04', source: 'other' });
  };
  const first = await record();
  assert.match((await c.get(first.headers.get('location'))).text_,
    /Recorded your completion of What inclusion health is and how to address health inequalities on 4 Mar 2025\./);
  const again = await record();
  assert.match(again.headers.get('location'), /&already=1$/);
  assert.match((await c.get(again.headers.get('location'))).text_,
    /You had already recorded What inclusion health is and how to address health inequalities on 4 Mar 2025: it is stored once\./);
});

test('a date before 2000 is refused on the form: check the year', async () => {
  const s = newStaff();
  const c = await as(s.email);
  const csrf_token = await c.csrf('/record');
  const res = await c.post('/record', { csrf_token, module_code: 'IHF-01', 'completed_on-day': '1',
    'completed_on-month': '1', 'completed_on-year': '1901', source: 'other' });
  assert.equal(res.status, 422);
  assert.match(res.text_, /<span class="nhsuk-error-message" id="completed_on-error"><span class="nhsuk-u-visually-hidden">Error:<\/span> Check the year/);
  assert.equal(sql(`SELECT count(*) FROM completions WHERE person_id = ${s.personId}`)[0][0], '0');
});
