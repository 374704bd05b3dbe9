// GET /healthz and GET /api/v1/modules: the service and its catalogue.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE } from '../lib/harness.mjs';

test('healthz says the service and its database are up', async () => {
  const res = await fetch(`${BASE}/healthz`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /application\/json/);
  assert.deepEqual(await res.json(), { status: 'ok', database: 'ok' });
});

test('the catalogue lists every framework module with its rules', async () => {
  const res = await fetch(`${BASE}/api/v1/modules`);
  assert.equal(res.status, 200);
  const { modules } = await res.json();
  const byCode = Object.fromEntries(modules.map((m) => [m.code, m]));
  assert.ok(modules.length >= 12);
  assert.deepEqual(Object.keys(byCode['IHF-01']).sort(),
    ['code', 'level', 'mandatory', 'title', 'topic', 'validity_months']);
  assert.equal(byCode['IHF-01'].level, 'foundation');
  assert.equal(byCode['IHF-01'].validity_months, 36);
  assert.equal(byCode['IHF-01'].mandatory, true);
  assert.equal(byCode['IHF-05'].validity_months, null, 'no expiry is null');
  assert.equal(byCode['MECC-IH'].level, 'intermediate');
  assert.equal(byCode['IHA-01'].level, 'advanced');
  assert.equal(byCode['TIC-I02'].mandatory, false);
});

test('every response carries the security headers', async () => {
  for (const path of ['/healthz', '/sign-in', '/assets/ihtrack.css', '/no-such-page']) {
    const res = await fetch(BASE + path, { redirect: 'manual' });
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
    if (path !== '/no-such-page') {
      assert.match(res.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/, path);
    }
  }
});

test('assets are served with their type, and nothing outside assets/', async () => {
  const css = await fetch(`${BASE}/assets/nhsuk/nhsuk-frontend.min.css`);
  assert.equal(css.status, 200);
  assert.match(css.headers.get('content-type'), /^text\/css/);
  for (const p of ['/assets/../conf/ihtrack.conf', '/assets/%2e%2e/Makefile', '/assets/.hidden.css', '/assets/nope.css']) {
    const res = await fetch(BASE + p);
    assert.equal(res.status, 404, p);
  }
});
