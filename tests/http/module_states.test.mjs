// One rule, two languages (issue 12): ih_module_states() (migration 0500,
// the rule's home: My training, the report's lists, reminders) and
// src/coverage_rules.c (the C copy an import keeps coverage with) must give
// every mandatory module the same state, on hand-made cases: boundary
// days of due soon and expiry, a leap day and month ends, a renewal, two
// organisations at different levels, an assignment that ended.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT, sql, unique } from '../lib/harness.mjs';

const LETTER = { compliant: 'C', due_soon: 'S', expired: 'X', never: 'N' };

function person(assignments, completions) {
  const staffId = unique('MS');
  const [[id]] = sql(`INSERT INTO people (staff_id, given_name, family_name, email)
    VALUES ('${staffId}', 'Mod', 'States', '${staffId.toLowerCase()}@x.test') RETURNING id`);
  for (const [org, level, start, end] of assignments) {
    sql(`INSERT INTO assignments (person_id, org_id, level, start_date, end_date)
      SELECT ${id}, id, ${level}, DATE '${start}', ${end ? `DATE '${end}'` : 'NULL'}
      FROM organisations WHERE code = '${org}'`);
  }
  for (const [code, on] of completions) {
    sql(`INSERT INTO completions (person_id, module_id, completed_on, source, recorded_via)
      SELECT ${id}, id, DATE '${on}', 'other', 'admin' FROM modules WHERE code = '${code}'`);
  }
  return id;
}

// scope -> module -> letter, by the SQL rule: scope 0 is any organisation.
function bySql(id, on) {
  const out = {};
  const orgs = sql(`SELECT DISTINCT org_id FROM assignments WHERE person_id = ${id}`).map((r) => r[0]);
  for (const scope of ['0', ...orgs]) {
    for (const [m, st] of sql(`SELECT module_id, state FROM ih_module_states(ARRAY[${id}::bigint],
        DATE '${on}', 60, ${scope === '0' ? 'NULL' : scope}) WHERE mandatory`)) {
      (out[scope] ??= {})[m] = LETTER[st];
    }
  }
  return out;
}

// The same, by src/coverage_rules.c (build/coverage-rules-states), from the same facts.
function byC(id, on) {
  const lines = [
    ...sql(`SELECT 'module ' || id || ' ' || level || ' ' || coalesce(validity_months, 0)
      FROM modules WHERE mandatory ORDER BY id`),
    ...sql(`SELECT 'assign ' || org_id || ' ' || level || ' ' || (start_date - DATE '1970-01-01') || ' '
      || coalesce(end_date + 1 - DATE '1970-01-01', -1) FROM assignments WHERE person_id = ${id}`),
    ...sql(`SELECT 'done ' || c.module_id || ' ' || (c.completed_on - DATE '1970-01-01') || ' '
      || (c.recorded_at::date - DATE '1970-01-01') FROM completions c JOIN modules m ON m.id = c.module_id
      WHERE c.person_id = ${id} AND c.superseded_at IS NULL AND m.mandatory ORDER BY c.module_id, c.completed_on`),
    ...sql(`SELECT 'date ' || (DATE '${on}' - DATE '1970-01-01')`),
  ].map((r) => r[0]);
  const out = {};
  const text = execFileSync(path.join(ROOT, 'build/coverage-rules-states'), { input: `${lines.join('\n')}\n`, encoding: 'utf8' });
  for (const line of text.trim().split('\n').filter(Boolean)) {
    const [scope, m, st] = line.split(' ');
    (out[scope] ??= {})[m] = st;
  }
  return out;
}

const code = (m) => sql(`SELECT id FROM modules WHERE code = '${m}'`)[0][0];

test('the SQL rule and the C rules agree, day by day, on hand-made cases', () => {
  const id = person(
    [['RR8', 1, '2020-01-01', null], ['RY6', 2, '2022-01-01', '2023-12-31']],
    [['IHF-03', '2024-02-29'], ['IHF-01', '2023-01-31'], ['IHF-02', '2021-05-05'], ['IHF-02', '2023-05-01'],
      ['MECC-IH', '2022-03-15']],
  );
  const days = ['2021-05-04', '2021-05-05', '2022-03-15', '2023-06-01', '2023-12-31', '2024-01-01',
    '2024-02-28', '2024-02-29', '2025-12-29', '2025-12-30', '2026-01-30', '2026-01-31', '2026-02-27',
    '2026-02-28', '2026-03-01'];
  for (const on of days) assert.deepEqual(bySql(id, on), byC(id, on), on);

  // And the figures a person sees are the rule's: the leap day expires on
  // the 28th, due soon 60 days before, and the ended organisation drops out.
  assert.equal(bySql(id, '2025-12-29')['0'][code('IHF-03')], 'C');
  assert.equal(bySql(id, '2025-12-30')['0'][code('IHF-03')], 'S');
  assert.equal(bySql(id, '2026-02-27')['0'][code('IHF-03')], 'S');
  assert.equal(bySql(id, '2026-02-28')['0'][code('IHF-03')], 'X');
  assert.equal(bySql(id, '2026-01-31')['0'][code('IHF-01')], 'X');
  assert.equal(bySql(id, '2023-06-01')['0'][code('MECC-IH')], 'C', 'Intermediate through RY6');
  assert.equal(bySql(id, '2024-01-01')['0'][code('MECC-IH')], undefined, 'not required once RY6 ended');
  assert.equal(bySql(id, '2021-05-04')['0'][code('IHF-02')], 'N');
});

test('every person of a random workforce gets the same states from both', () => {
  let s = 20261130;
  const r = (n) => { s = (s * 1664525 + 1013904223) >>> 0; return s % n; };
  const mods = ['IHF-01', 'TIC-F01', 'IHF-02', 'IHF-03', 'MECC-IH', 'TIC-I01', 'PC-I01', 'IHA-01'];
  const iso = (y, m, d) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  for (let i = 0; i < 12; i++) {
    const assignments = [];
    for (let k = 0; k < 1 + r(2); k++) {
      const start = iso(2019 + r(4), 1 + r(12), 1 + r(28));
      assignments.push([k ? 'RY6' : 'RR8', 1 + r(3), start, r(3) ? null : iso(2024 + r(2), 1 + r(12), 1 + r(28))]);
    }
    const completions = [];
    for (let k = 0; k < r(7); k++) completions.push([mods[r(mods.length)], iso(2019 + r(6), 1 + r(12), 1 + r(28))]);
    const id = person(assignments, completions);
    for (const on of ['2021-06-30', '2024-02-29', '2025-03-31', '2026-01-31']) {
      assert.deepEqual(bySql(id, on), byC(id, on), `person ${i} on ${on}`);
    }
  }
});
