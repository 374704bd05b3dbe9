// An import keeps the coverage figures with the C rules of src/coverage_rules.c;
// every other writer with the SQL rules of migration 0100.  After imports
// of messy random data (several assignments per person, two
// organisations, every level, ends and overlaps, month ends, leap days,
// repeats), the kept figures must equal a rebuild from scratch by the SQL
// rules, step for step, and the API must equal the plain query.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { admin, postCsv, sql, unique } from '../lib/harness.mjs';
import { assertCoverageAgrees } from '../lib/coverage_check.mjs';

const token = admin('create-token', 'RR8');

// A small deterministic generator, so a failure can be replayed.
function rng(seed) {
  let s = seed >>> 0;
  return (n) => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s % n;
  };
}

function day(r, from = 2018, years = 8) {
  const special = ['2024-02-29', '2024-01-31', '2023-08-31', '2022-12-31', '2025-03-31', '2021-03-01'];
  if (r(6) === 0) return special[r(special.length)];
  const d = new Date(Date.UTC(from + r(years), r(12), 1 + r(28)));
  const today = new Date();
  return (d > today ? today : d).toISOString().slice(0, 10);
}

// Differences between coverage_delta and a rebuild by the SQL rules, seen
// in one snapshot with writers held off, then rolled back.
function driftFromRebuild() {
  const rows = sql(`BEGIN ISOLATION LEVEL REPEATABLE READ;
    LOCK TABLE coverage_delta IN EXCLUSIVE MODE;
    CREATE TEMP TABLE kept AS SELECT grain, bucket, scope, module_id, state, delta
      FROM coverage_delta WHERE delta <> 0;
    SELECT ih_coverage_rebuild();
    CREATE TEMP TABLE rebuilt AS SELECT grain, bucket, scope, module_id, state, delta
      FROM coverage_delta WHERE delta <> 0;
    SELECT 'drift', count(*), (SELECT count(*) FROM rebuilt) FROM
      ((TABLE kept EXCEPT TABLE rebuilt) UNION ALL (TABLE rebuilt EXCEPT TABLE kept)) d;
    ROLLBACK;`);
  const row = rows.find((x) => x[0] === 'drift');
  return { drift: Number(row[1]), steps: Number(row[2]) };
}

async function upload(kind, csv) {
  const res = await postCsv('RR8', kind, csv, token);
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body).slice(0, 400));
  return body;
}

test('imports keep the figures a rebuild by the SQL rules gives', async () => {
  const r = rng(20261123);
  const prefix = unique('IC');
  const n = 120;
  const mods = sql('SELECT code FROM modules ORDER BY id').map((x) => x[0]);
  assert.ok(mods.length >= 6);

  // People and assignments in SQL: the trigger rules keep these.
  sql(`SELECT ih_act_as(NULL, NULL, 'admin');
    INSERT INTO people (staff_id, given_name, family_name, email)
      SELECT '${prefix}-' || i, 'I', 'C', '${prefix.toLowerCase()}-' || i || '@x.test'
      FROM generate_series(1, ${n}) i`);
  const assignments = [];
  for (let i = 1; i <= n; i++) {
    const k = 1 + r(3);
    for (let j = 0; j < k; j++) {
      const org = j === 0 || r(2) ? 'RR8' : 'RY6';
      const start = day(r, 2018, 6);
      const end = r(3) === 0 ? `DATE '${start}' + ${r(900)}` : 'NULL';
      assignments.push(`('${prefix}-${i}', '${org}', ${1 + r(3)}, DATE '${start}', ${end})`);
    }
  }
  sql(`SELECT ih_act_as(NULL, NULL, 'admin');
    INSERT INTO assignments (person_id, org_id, level, start_date, end_date)
    SELECT p.id, o.id, v.level, v.s, v.e FROM (VALUES ${assignments.join(',')})
      v(staff_id, org, level, s, e)
    JOIN people p ON p.staff_id = v.staff_id JOIN organisations o ON o.code = v.org`);
  // Some completions already there, by the single-write path.
  sql(`SELECT ih_act_as(NULL, NULL, 'admin');
    INSERT INTO completions (person_id, module_id, completed_on, source, recorded_via)
    SELECT p.id, m.id, DATE '2019-06-30' + (p.id % 700)::int, 'other', 'admin'
    FROM people p JOIN modules m ON m.mandatory AND m.id % 3 = p.id % 3
    WHERE p.staff_id LIKE '${prefix}-%' AND p.id % 2 = 0`);
  assert.equal(driftFromRebuild().drift, 0, 'before any import');

  for (let round = 0; round < 2; round++) {
    const lines = ['staff_id,module_code,completed_on'];
    for (let i = 1; i <= n; i++) {
      const k = r(9);
      for (let j = 0; j < k; j++) lines.push(`${prefix}-${1 + r(n)},${mods[r(mods.length)]},${day(r)}`);
    }
    const body = await upload('completions', `${lines.join('\n')}\n`);
    assert.ok(body.accepted > 0, `round ${round} accepted ${body.accepted}`);
    const { drift, steps } = driftFromRebuild();
    assert.ok(steps > 1000, `a real test: ${steps} steps`);
    assert.equal(drift, 0, `round ${round}: ${drift} steps differ from the rebuild`);
  }

  // A roster merge moves the level and start of RR8's latest assignment
  // of half of these people.
  const roster = ['staff_id,given_name,family_name,email,level,start_date,end_date'];
  const levels = ['foundation', 'intermediate', 'advanced'];
  for (let i = 1; i <= n; i += 2) {
    roster.push(`${prefix}-${i},I,C,${prefix.toLowerCase()}-${i}@x.test,${levels[r(3)]},${day(r, 2019, 5)},`);
  }
  await upload('staff', `${roster.join('\n')}\n`);
  assert.equal(driftFromRebuild().drift, 0, 'after a roster merge');

  const today = new Date().toISOString().slice(0, 10);
  await assertCoverageAgrees([today, '2024-02-29', '2022-12-31']);
});
