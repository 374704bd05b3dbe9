// PostgreSQL stopped under the server: 503, no worker dies, and the
// service heals by itself when PostgreSQL is back.  Runs after the
// others (HTTP_LAST in scripts/test).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, script } from '../lib/harness.mjs';

test('healthz is 503 while the database is down and 200 after', async () => {
  assert.equal((await fetch(`${BASE}/healthz`)).status, 200);
  script('db', ['stop']);
  try {
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${BASE}/healthz`);
      assert.equal(res.status, 503);
      assert.deepEqual(await res.json(), { status: 'degraded', database: 'unavailable' });
    }
    const page = await fetch(`${BASE}/api/v1/modules`);
    assert.equal(page.status, 503);
    assert.match((await page.json()).message, /database is unavailable/);
  } finally {
    script('db', ['start']);
  }
  let status = 0;
  for (let i = 0; i < 20 && status !== 200; i++) {
    status = (await fetch(`${BASE}/healthz`)).status;
  }
  assert.equal(status, 200);
  // Every pooled connection heals, not just the first one tried.
  for (let i = 0; i < 10; i++) {
    assert.equal((await fetch(`${BASE}/api/v1/modules`)).status, 200);
  }
});
