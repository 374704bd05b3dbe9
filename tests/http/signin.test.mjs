// Sign-in, sessions and sign-out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client, DEMO_PASSWORD, sql } from '../lib/harness.mjs';

const STAFF = 'staff@demo.ihtrack.test';

test('pages need a session: no cookie is sent to sign in', async () => {
  const c = new Client();
  for (const [p, to] of [['/', '/sign-in'], ['/record', '/sign-in?next=%2Frecord']]) {
    const res = await c.get(p);
    assert.equal(res.status, 303, p);
    assert.equal(res.headers.get('location'), to);
  }
});

test('sign-in sets an HttpOnly SameSite=Lax session cookie and shows my training', async () => {
  const c = new Client();
  const csrf_token = await c.csrf('/sign-in');
  const res = await c.post('/sign-in', { csrf_token, email: 'STAFF@demo.ihtrack.test', password: DEMO_PASSWORD });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/');
  const cookie = res.headers.getSetCookie().find((s) => s.startsWith('ihtrack_session='));
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  assert.match(cookie, /^ihtrack_session=[0-9a-f]{64};/);
  const home = await c.get('/');
  assert.equal(home.status, 200);
  assert.match(home.text_, /<h1>My training<\/h1>/);
  // Only the token's hash is stored.
  const token = c.cookies.get('ihtrack_session');
  assert.equal(sql(`SELECT count(*) FROM sessions WHERE token_hash = '${token}'`)[0][0], '0');
});

test('a wrong password and an unknown email get the same answer', async () => {
  const c = new Client();
  const csrf_token = await c.csrf('/sign-in');
  const a = await c.post('/sign-in', { csrf_token, email: STAFF, password: 'wrong-password' });
  const b = await c.post('/sign-in', { csrf_token, email: 'nobody@demo.ihtrack.test', password: 'wrong-password' });
  assert.equal(a.status, 401);
  assert.equal(b.status, 401);
  for (const r of [a, b]) {
    assert.match(r.text_, /Enter a correct email address and password/);
    assert.match(r.text_, /nhsuk-error-summary/);
  }
  assert.ok(!c.cookies.has('ihtrack_session'));
  assert.match(b.text_, /value="nobody@demo.ihtrack.test"/, 'keeps what was typed');
  assert.doesNotMatch(a.text_, /wrong-password/, 'never echoes the password');
});

test('sign-in without the form token is refused', async () => {
  const c = new Client();
  await c.get('/sign-in');
  const res = await c.post('/sign-in', { email: STAFF, password: DEMO_PASSWORD });
  assert.equal(res.status, 403);
  const forged = await c.post('/sign-in', { csrf_token: 'a'.repeat(64), email: STAFF, password: DEMO_PASSWORD });
  assert.equal(forged.status, 403);
  assert.ok(!c.cookies.has('ihtrack_session'));
});

test('empty fields are each named in the error summary', async () => {
  const c = new Client();
  const csrf_token = await c.csrf('/sign-in');
  const res = await c.post('/sign-in', { csrf_token, email: '', password: '' });
  assert.equal(res.status, 422);
  assert.match(res.text_, /href="#email">Enter your email address/);
  assert.match(res.text_, /href="#password">Enter your password/);
});

test('sign-out needs the form token, then ends the session for good', async () => {
  const c = new Client();
  await c.signIn(STAFF);
  const token = c.cookies.get('ihtrack_session');
  const refused = await c.post('/sign-out', { csrf_token: 'nope' });
  assert.equal(refused.status, 403);
  const csrf_token = await c.csrf('/');
  const res = await c.post('/sign-out', { csrf_token });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/sign-in');
  const replay = new Client();
  replay.cookies.set('ihtrack_session', token);
  assert.equal((await replay.get('/')).status, 303, 'the old cookie no longer works');
});
