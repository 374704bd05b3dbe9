// Sign-in throttling per account and per address, session rotation, and
// idle and absolute session expiry.
import assert from 'node:assert/strict';
import { createHash, randomInt } from 'node:crypto';
import http from 'node:http';
import { test } from 'node:test';
import { BASE, Client, DEMO_PASSWORD, newStaff, sql } from '../lib/harness.mjs';

const LOCKED = /too many failed sign-ins for this email address or from your network/;
const sha256 = (s) => createHash('sha256').update(s).digest('hex');
// Documentation addresses (RFC 5737), different in every run.
let next = randomInt(1, 200) * 256;
const address = () => { next += 1; return `198.51.${(next >> 8) % 256}.${next % 256}`; };

async function attempt(c, email, password, from) {
  const csrf_token = await c.csrf('/sign-in');
  return c.post('/sign-in', { csrf_token, email, password },
    { headers: { 'x-forwarded-for': from } });
}

test('five wrong passwords lock the account; an unknown email locks the same way', async () => {
  const { email } = newStaff();
  const ghost = `ghost${Date.now()}@demo.ihtrack.test`;
  const seen = {};
  for (const who of [email, ghost]) {
    const c = new Client();
    for (let i = 0; i < 5; i++) {
      assert.equal((await attempt(c, who, 'wrong-password', address())).status, 401, `${who} try ${i}`);
    }
    const locked = await attempt(c, who, 'wrong-password', address());
    assert.equal(locked.status, 429, who);
    assert.match(locked.text_, LOCKED);
    seen[who] = locked.text_.replaceAll(who, 'EMAIL').replace(/value="[0-9a-f]{64}"/, 'TOKEN');
  }
  // Nothing tells an existing account from an unknown one.
  assert.equal(seen[email], seen[ghost]);
  // Locked means locked: even the right password, from anywhere.
  const c = new Client();
  const right = await attempt(c, email, DEMO_PASSWORD, address());
  assert.equal(right.status, 429);
  assert.ok(!c.cookies.has('ihtrack_session'));
  // And unlocked when the lock has passed.
  sql(`UPDATE signin_failures SET locked_until = now() - interval '1 second'
    WHERE key = 'account:${email}'`);
  assert.equal((await attempt(c, email, DEMO_PASSWORD, address())).status, 303);
});

test('parallel attempts check at most five passwords for one account', async () => {
  const { email } = newStaff();
  const c = new Client();
  const csrf_token = await c.csrf('/sign-in');
  const from = address();
  const all = await Promise.all(Array.from({ length: 15 }, () => c.post('/sign-in',
    { csrf_token, email, password: 'wrong-password' }, { headers: { 'x-forwarded-for': from } })));
  const statuses = all.map((r) => r.status).sort();
  assert.deepEqual(statuses, [...Array(5).fill(401), ...Array(10).fill(429)]);
  const [[checks]] = sql(`SELECT failures FROM signin_failures WHERE key = 'account:${email}'`);
  assert.equal(checks, '5');
});

// Failures from one address, each for a different unknown account, ten
// at a time.
async function failuresFrom(from, n) {
  const c = new Client();
  const csrf_token = await c.csrf('/sign-in');
  for (let i = 0; i < n; i += 10) {
    const batch = await Promise.all(Array.from({ length: Math.min(10, n - i) }, (_, k) => c.post('/sign-in',
      { csrf_token, email: `typo${i + k}.${Date.now()}@demo.ihtrack.test`, password: 'x' },
      { headers: { 'x-forwarded-for': from } })));
    for (const r of batch) assert.equal(r.status, 401);
  }
}

test('typos from a trust behind one address do not lock everyone out', async () => {
  const from = address();
  await failuresFrom(from, 25);
  const { email } = newStaff();
  assert.equal((await attempt(new Client(), email, DEMO_PASSWORD, from)).status, 303);
});

test('a hundred failures lock an address, except for a browser that signed in to the account before', async () => {
  const from = address();
  const { email } = newStaff();
  // This browser signed in before (elsewhere): it holds a device cookie.
  const known = new Client();
  assert.equal((await attempt(known, email, DEMO_PASSWORD, address())).status, 303);
  assert.ok(known.cookies.has('ihtrack_device'));
  known.cookies.delete('ihtrack_session');
  await failuresFrom(from, 100);
  const stranger = await attempt(new Client(), email, DEMO_PASSWORD, from);
  assert.equal(stranger.status, 429);
  assert.match(stranger.text_, LOCKED);
  assert.equal((await attempt(known, email, DEMO_PASSWORD, from)).status, 303);
  // Another address is not affected.
  assert.equal((await attempt(new Client(), email, DEMO_PASSWORD, address())).status, 303);
});

test('signing in again rotates the session: the old cookie is revoked', async () => {
  const { email } = newStaff();
  const c = new Client();
  const csrf_token = await c.csrf('/sign-in');
  await c.post('/sign-in', { csrf_token, email, password: DEMO_PASSWORD });
  const first = c.cookies.get('ihtrack_session');
  // The presign cookie lasts an hour, so the same form token still works.
  const again = await c.post('/sign-in', { csrf_token, email, password: DEMO_PASSWORD });
  assert.equal(again.status, 303);
  const second = c.cookies.get('ihtrack_session');
  assert.notEqual(first, second);
  assert.equal(sql(`SELECT revoked_at IS NOT NULL FROM sessions
    WHERE token_hash = '${sha256(first)}'`)[0][0], 't');
  const old = new Client();
  old.cookies.set('ihtrack_session', first);
  assert.equal((await old.get('/')).status, 303);
  assert.equal((await c.get('/')).status, 200);
});

test('a session idle for 30 minutes or older than 12 hours has expired', async () => {
  const { email } = newStaff();
  const c = new Client();
  await c.signIn(email);
  const hash = sha256(c.cookies.get('ihtrack_session'));
  const at = (sqlSet) => sql(`UPDATE sessions SET ${sqlSet} WHERE token_hash = '${hash}'`);
  const [[hours]] = sql(`SELECT extract(epoch FROM expires_at - created_at) / 3600
    FROM sessions WHERE token_hash = '${hash}'`);
  assert.equal(Number(hours), 12, 'absolute lifetime');

  at("last_seen_at = now() - interval '29 minutes'");
  assert.equal((await c.get('/')).status, 200, 'idle 29 minutes: still valid');
  at("last_seen_at = now() - interval '31 minutes'");
  assert.equal((await c.get('/')).status, 303, 'idle 31 minutes: expired');

  at("last_seen_at = now(), expires_at = now() + interval '1 minute'");
  assert.equal((await c.get('/')).status, 200, 'restored');
  at("expires_at = now() - interval '1 second'");
  assert.equal((await c.get('/')).status, 303, 'past the absolute expiry');
});

// A raw sign-in POST from a chosen local address (the server listens on
// 127.0.0.1; all of 127/8 is loopback, and only 127.0.0.1 is a trusted
// proxy in make test).
function postFrom(localAddress, body, headers) {
  const url = new URL(BASE);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: '/sign-in', method: 'POST',
      localAddress, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end(new URLSearchParams(body).toString());
  });
}

test('X-Forwarded-For is believed only from IHTRACK_TRUSTED_PROXIES', async () => {
  // Our test client on 127.0.0.1 is a trusted proxy here: two addresses
  // have two separate rows.
  const a = address();
  const b = address();
  const c = new Client();
  await attempt(c, `x${Date.now()}@demo.ihtrack.test`, 'x', a);
  await attempt(c, `y${Date.now()}@demo.ihtrack.test`, 'x', b);
  const rows = sql(`SELECT key FROM signin_failures WHERE key IN ('address:${a}', 'address:${b}')`);
  assert.equal(rows.length, 2);
  // A value that is not an address is ignored: the peer's address counts.
  await attempt(c, `z${Date.now()}@demo.ihtrack.test`, 'x', "1.2.3.4'; DROP TABLE users; --");
  assert.equal(sql(`SELECT count(*) FROM signin_failures WHERE key LIKE '%DROP%'`)[0][0], '0');
  // From 127.0.0.2, not listed, the header is ignored.
  const csrf_token = await c.csrf('/sign-in');
  const cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const spoofed = address();
  const status = await postFrom('127.0.0.2', { csrf_token, email: `w${Date.now()}@demo.ihtrack.test`, password: 'x' },
    { cookie, 'x-forwarded-for': spoofed });
  assert.equal(status, 401);
  assert.equal(sql(`SELECT count(*) FROM signin_failures WHERE key = 'address:${spoofed}'`)[0][0], '0');
  assert.equal(sql("SELECT count(*) FROM signin_failures WHERE key = 'address:127.0.0.2'")[0][0], '1');
});
