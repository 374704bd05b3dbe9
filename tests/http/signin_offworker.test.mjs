// A burst of sign-ins does not stall other requests: the password hash
// (PBKDF2, 600,000 iterations) runs off the Kore worker (src/verify.c).
// Times are compared within one run, never against fixed figures.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, Client, DEMO_PASSWORD } from '../lib/harness.mjs';

const ACCOUNTS = ['staff', 'lead.rr8', 'academy', 'admin']
  .map((n) => `${n}@demo.ihtrack.test`);

async function signInForm() {
  const c = new Client();
  return { c, csrf_token: await c.csrf('/sign-in') };
}

test('healthz keeps answering while 8 sign-ins hash at once', async () => {
  const forms = await Promise.all(Array.from({ length: 8 }, signInForm));
  let burstOver = false;
  const latencies = [];
  const poll = (async () => {
    while (!burstOver) {
      const t0 = performance.now();
      const res = await fetch(`${BASE}/healthz`);
      await res.text();
      latencies.push(performance.now() - t0);
      assert.equal(res.status, 200);
    }
  })();

  const t0 = performance.now();
  const results = await Promise.all(forms.map(({ c, csrf_token }, i) =>
    c.post('/sign-in', { csrf_token, email: ACCOUNTS[i % 4], password: DEMO_PASSWORD })));
  const burst = performance.now() - t0;
  burstOver = true;
  await poll;

  assert.deepEqual(results.map((r) => r.status), Array(8).fill(303), 'every sign-in succeeded');
  const worst = Math.max(...latencies);
  console.log(`8 sign-ins took ${burst.toFixed(0)} ms; healthz answered ${latencies.length}`
    + ` times, worst ${worst.toFixed(0)} ms`);
  assert.ok(latencies.length >= 3, 'healthz was asked during the burst');
  assert.ok(worst < burst / 2, `healthz worst ${worst.toFixed(0)} ms < half of ${burst.toFixed(0)} ms`);
});

test('a wrong password for an unknown email is answered like a known one', async () => {
  const times = {};
  for (const email of ['staff@demo.ihtrack.test', 'nobody-here@demo.ihtrack.test']) {
    const { c, csrf_token } = await signInForm();
    const t0 = performance.now();
    const res = await c.post('/sign-in', { csrf_token, email, password: 'wrong-password' });
    times[email] = performance.now() - t0;
    assert.equal(res.status, 401);
    assert.match(res.text_, /Enter a correct email address and password/);
  }
  // Both cost a hash: neither answers in a small fraction of the other.
  const [known, unknown] = Object.values(times);
  console.log(`wrong password: known email ${known.toFixed(0)} ms, unknown ${unknown.toFixed(0)} ms`);
  assert.ok(unknown > known / 4, 'an unknown email still costs a hash');
});
