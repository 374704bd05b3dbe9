// Coverage stays exact when many writers change one organisation at once:
// staff recording completions through the form while the organisation's
// lead imports completions for the same people over the API.  Every
// write must succeed first time (the server does not retry), and the
// trigger-kept figures must then equal the plain query's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, Client, admin, newStaff, postCsv, sql, unique } from '../lib/harness.mjs';
import { assertCoverageAgrees } from '../lib/coverage_check.mjs';

const USERS = 10;
const WRITES = 6;
const MODULES = ['IHF-01', 'IHF-02', 'IHF-03', 'TIC-F01', 'MECC-IH', 'TIC-I01'];

function isoDaysAgo(n) {
  return new Date(Date.now() - n * 86400000).toISOString().slice(0, 10);
}

async function importCsv(org, token, rows) {
  const res = await postCsv(org, 'completions',
    `staff_id,module_code,completed_on,source\n${rows.join('\n')}\n`, token);
  return { status: res.status, text: await res.text() };
}

test('concurrent form recordings and an import for one organisation keep coverage exact', async () => {
  const org = unique('CC');
  admin('create-org', org, `Concurrent test ${org}`);
  const token = admin('create-token', org);
  const staff = [];
  for (let i = 0; i < USERS; i++) {
    const s = newStaff({ org, level: 2 });
    // Each person starts on another day, so each has figures rows of
    // their own besides the ones everybody shares: the mix that lets two
    // writers take row locks in opposite orders.
    sql(`UPDATE assignments SET start_date = DATE '2019-01-07' + ${37 * i} WHERE person_id = ${s.personId}`);
    const c = new Client();
    await c.signIn(s.email);
    staff.push({ ...s, c, csrf: await c.csrf('/record') });
  }
  // A few dates shared by everyone's writes, from three years ago to last
  // week: some expired by now, some due soon, some valid.
  const day = (k) => isoDaysAgo(7 + 90 * (k % 12));
  const form = staff.flatMap((s, u) => Array.from({ length: WRITES }, (_, i) => async () => {
    const res = await s.c.post('/record', { csrf_token: s.csrf, module_code: MODULES[i],
      completed_on: day(u + i), source: 'e-learning' });
    return { what: `form ${s.staffId} ${MODULES[i]}`, status: res.status, text: res.text_ };
  }));
  const imports = [0, 1, 2].map((k) => async () => {
    const rows = staff.map((s, u) => `${s.staffId},${MODULES[(u + k) % MODULES.length]},${isoDaysAgo(52 + 90 * ((u + k) % 12))},other`);
    const r = await importCsv(org, token, rows);
    return { what: `import ${k}`, ...r };
  });
  // Interleave the import among the form posts so they overlap.
  const jobs = [...form];
  imports.forEach((j, k) => jobs.splice(Math.floor((k + 1) * jobs.length / 4), 0, j));
  const outcomes = await Promise.all(jobs.map((j) => j()));

  const failed = outcomes.filter((o) => !(o.status === 303 || o.status === 200));
  assert.deepEqual(failed.map((o) => `${o.what}: ${o.status} ${o.text.slice(0, 200)}`), []);
  const [[n]] = sql(`SELECT count(*) FROM completions c JOIN assignments a ON a.person_id = c.person_id
    JOIN organisations o ON o.id = a.org_id WHERE o.code = '${org}' AND c.superseded_at IS NULL`);
  assert.equal(Number(n), USERS * WRITES + 3 * USERS, 'every write stored once');

  // The organisation's own figures: everyone holds something now.
  const res = await fetch(`${BASE}/api/v1/coverage?org=${org}`, { headers: { authorization: `Bearer ${token}` } });
  const o = (await res.json()).organisations[0];
  assert.equal(o.people, USERS);
  assert.equal(o.modules.find((m) => m.code === 'IHF-01').never, 0);
  await assertCoverageAgrees([isoDaysAgo(0), isoDaysAgo(200), isoDaysAgo(500)]);
});
