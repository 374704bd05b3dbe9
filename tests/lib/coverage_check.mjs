// coverage_check.mjs: the coverage API against the plain query
// (scripts/bench/coverage_naive.sql) over the whole test database, so a
// test can prove the trigger-kept figures after any kind of write.
import assert from 'node:assert/strict';
import { BASE, admin, script } from './harness.mjs';

// dueWithinDays: the due soon window (the API's default, 60, when absent).
export async function assertCoverageAgrees(dates, dueWithinDays = 60) {
  const token = admin('create-token', '--system');
  for (const asOf of dates) {
    const plain = script('db', ['psql', '-tA', '-v', `as_of=${asOf}`, '-v', `due_within_days=${dueWithinDays}`,
      '-f', 'scripts/bench/coverage_naive.sql']).split('\n').filter((l) => l !== '');
    const res = await fetch(`${BASE}/api/v1/coverage?as_of=${asOf}&due_within_days=${dueWithinDays}`,
      { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
    const json = await res.json();
    const lines = [];
    for (const o of [...json.organisations, { ...json.system, code: 'SYSTEM' }]) {
      if (o.people > 0) lines.push(`${o.code}|-|${o.people}|${o.fully_compliant}`);
      for (const m of o.modules) {
        if (m.required > 0) lines.push(`${o.code}|${m.code}|${m.required}|${m.compliant}|${m.due_soon}|${m.expired}|${m.never}`);
      }
    }
    const sorted = (xs) => [...xs].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    assert.equal(json.due_within_days, dueWithinDays);
    assert.deepEqual(sorted(lines), sorted(plain), `as of ${asOf}, due within ${dueWithinDays} days`);
  }
}
