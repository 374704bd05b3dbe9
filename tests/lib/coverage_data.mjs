// coverage_data.mjs: small hand-made organisations, people and
// completions for the coverage tests, written straight to the database
// (the triggers keep the figures as they would for any writer).
import { admin, sql, unique } from './harness.mjs';

// An organisation nobody else uses.
export function newOrg() {
  const code = unique('CV');
  admin('create-org', code, `Coverage test ${code}`);
  return code;
}

// A person with assignments [{ org, level, start, end }].
export function person(assignments) {
  const sid = unique('CVP');
  const [[id]] = sql(`INSERT INTO people (staff_id, given_name, family_name, email)
    VALUES ('${sid}', 'Cov', 'Person${sid}', '${sid.toLowerCase()}@test.ihtrack.test') RETURNING id`);
  for (const a of assignments) {
    sql(`INSERT INTO assignments (person_id, org_id, level, start_date, end_date, staff_group)
      SELECT ${id}, id, ${a.level ?? 1}, DATE '${a.start ?? '2020-01-01'}',
      ${a.end ? `DATE '${a.end}'` : 'NULL'}, '${a.group ?? 'Nursing'}' FROM organisations WHERE code = '${a.org}'`);
  }
  return id;
}

// A completion, recorded on the day it was done unless said otherwise.
export function done(pid, module, on, recorded = on) {
  const [[id]] = sql(`INSERT INTO completions (person_id, module_id, completed_on, source, recorded_via, recorded_at)
    SELECT ${pid}, id, DATE '${on}', 'other', 'admin', TIMESTAMPTZ '${recorded} 12:00' FROM modules WHERE code = '${module}'
    RETURNING id`);
  return id;
}
