// scripts/ihtrack-admin and the set-up scripts: what an operator runs.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT, admin, script, sql, unique, DEMO_PASSWORD } from '../lib/harness.mjs';

function fails(fn, pattern) {
  assert.throws(fn, (e) => pattern.test(String(e.stderr)));
}

test('create-org adds an organisation, refuses a duplicate code', () => {
  const code = unique('O').slice(0, 12).toUpperCase();
  admin('create-org', code, 'Test Org', 'third_sector');
  assert.deepEqual(sql(`SELECT name, kind FROM organisations WHERE code = '${code}'`), [['Test Org', 'third_sector']]);
  fails(() => admin('create-org', code, 'Again'), /already exists|duplicate/);
  fails(() => admin('create-org', 'bad code!', 'X'), /violates check constraint|check/i);
});

test('create-token prints a token once; only its hash is stored; revoke-token ends it', async () => {
  const tok = admin('create-token', 'RR8');
  assert.match(tok, /^[0-9a-f]{64}$/);
  assert.equal(sql(`SELECT count(*) FROM api_tokens WHERE token_hash = '${tok}'`)[0][0], '0');
  assert.deepEqual(sql(`SELECT o.code FROM api_tokens t JOIN organisations o ON o.id = t.org_id
    WHERE t.token_hash = encode(sha256('${tok}'::bytea), 'hex')`), [['RR8']]);
  const sys = admin('create-token', '--system');
  assert.deepEqual(sql(`SELECT org_id IS NULL FROM api_tokens WHERE token_hash = encode(sha256('${sys}'::bytea), 'hex')`), [['t']]);
  fails(() => admin('create-token', 'NOSUCHORG'), /no organisation/);
  admin('revoke-token', tok);
  fails(() => admin('revoke-token', tok), /no such live token/);
});

test('create-user hashes the password, links staff by email, checks role and organisation', () => {
  const email = `${unique('u')}@test.ihtrack.test`;
  admin('create-user', email, 'org_lead', 'RR8', { stdin: `${DEMO_PASSWORD}\n` });
  const [[hash, role, code]] = sql(`SELECT u.password_hash, u.role, o.code FROM users u
    JOIN organisations o ON o.id = u.org_id WHERE u.email = '${email}'`);
  assert.match(hash, /^pbkdf2-sha256\$600000\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
  assert.equal(role, 'org_lead');
  assert.equal(code, 'RR8');
  fails(() => admin('create-user', email.toUpperCase(), 'staff', { stdin: `${DEMO_PASSWORD}\n` }), /already exists|duplicate/);
  fails(() => admin('create-user', `x${email}`, 'org_lead', { stdin: `${DEMO_PASSWORD}\n` }), /needs ORG_CODE/);
  fails(() => admin('create-user', `y${email}`, 'superuser', { stdin: `${DEMO_PASSWORD}\n` }), /ROLE is one of/);
  fails(() => admin('create-user', `z${email}`, 'staff', { stdin: 'short\n' }), /at least 12/);
  const audit = sql(`SELECT via FROM audit_log WHERE entity = 'users' AND after->>'email' = '${email}'`);
  assert.deepEqual(audit, [['admin']]);
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE after ? 'password_hash'`)[0][0], '0',
    'the trail never holds password hashes');
});

test('seeding again changes nothing', () => {
  const count = () => sql(`SELECT (SELECT count(*) FROM organisations), (SELECT count(*) FROM people),
    (SELECT count(*) FROM assignments), (SELECT count(*) FROM completions), (SELECT count(*) FROM modules),
    (SELECT count(*) FROM users), (SELECT count(*) FROM schema_migrations)`)[0];
  const before = count();
  script('db', ['migrate']);
  script('db', ['seed']);
  assert.deepEqual(count(), before);
});

test('the audit trail cannot be rewritten, and completions cannot be deleted', () => {
  fails(() => sql('UPDATE audit_log SET via = via'), /not allowed/);
  fails(() => sql('DELETE FROM audit_log'), /not allowed/);
  fails(() => sql('TRUNCATE audit_log'), /not allowed/);
  fails(() => sql('DELETE FROM completions'), /not allowed/);
  fails(() => sql('UPDATE completions SET completed_on = completed_on - 1'), /append-only/);
});

// Completions' references are checked a statement at a time (0203); they
// cannot dangle later because what they refer to is never deleted.
test('a completion must refer to what exists, and that is never deleted', () => {
  const insert = (person, module, extra = '') => sql(`INSERT INTO completions (person_id, module_id,
    completed_on, source, recorded_via${extra ? ', supersedes' : ''}) VALUES (${person}, ${module},
    DATE '2024-01-01', 'other', 'admin'${extra})`);
  const [[person, module]] = sql('SELECT (SELECT min(id) FROM people), (SELECT min(id) FROM modules)');
  fails(() => insert(0, module), /refers to what does not exist/);
  fails(() => insert(person, 0), /refers to what does not exist/);
  fails(() => insert(person, module, ', -5'), /refers to what does not exist/);
  fails(() => sql(`INSERT INTO completions (person_id, module_id, completed_on, source, recorded_via)
    SELECT ${person}, ${module}, DATE '1950-01-01' + i, 'other', 'admin' FROM generate_series(1, 3000) i
    UNION ALL SELECT 0, ${module}, DATE '2020-01-01', 'other', 'admin'`), /refers to what does not exist/);
  fails(() => sql(`DELETE FROM people WHERE id = ${person}`), /delete of people is not allowed/);
  fails(() => sql(`DELETE FROM modules WHERE id = ${module}`), /delete of modules is not allowed/);
  fails(() => sql('DELETE FROM users WHERE false'), /delete of users is not allowed/);
});

// So are an assignment's (0206), and what it refers to is never deleted.
test('an assignment must refer to a person, an organisation and a level that exist', () => {
  const [[assignment, person, org]] = sql(`SELECT id, person_id, org_id FROM assignments
    ORDER BY id LIMIT 1`);
  const insert = (p, o, level) => sql(`INSERT INTO assignments (person_id, org_id, staff_group,
    job_role, level, start_date) VALUES (${p}, ${o}, 'Nursing', 'Nurse', ${level}, DATE '2024-01-01')`);
  fails(() => insert(0, org, 1), /assignment refers to what does not exist/);
  fails(() => insert(person, 0, 1), /assignment refers to what does not exist/);
  fails(() => insert(person, org, 9), /assignment refers to what does not exist/);
  fails(() => sql(`UPDATE assignments SET level = 9 WHERE id = ${assignment}`),
    /assignment refers to what does not exist/);
  fails(() => sql('DELETE FROM organisations WHERE false'), /delete of organisations is not allowed/);
  fails(() => sql('DELETE FROM framework_levels WHERE false'), /delete of framework_levels is not allowed/);
});

// An import checks staff against the organisation's people as read at its
// start (0205): who has (or had) an assignment there can only grow.
test('an assignment is never deleted or moved, and a staff_id never changes', () => {
  const [[assignment, person, org, other]] = sql(`SELECT a.id, a.person_id, a.org_id,
    (SELECT min(id) FROM organisations WHERE id <> a.org_id) FROM assignments a ORDER BY a.id LIMIT 1`);
  fails(() => sql(`DELETE FROM assignments WHERE id = ${assignment}`), /delete of assignments is not allowed/);
  fails(() => sql(`UPDATE assignments SET org_id = ${other} WHERE id = ${assignment}`),
    /person_id or org_id of assignments cannot change/);
  fails(() => sql(`UPDATE assignments SET person_id = person_id + 1 WHERE id = ${assignment}`),
    /cannot change/);
  fails(() => sql(`UPDATE people SET staff_id = staff_id || 'x' WHERE id = ${person}`),
    /staff_id of people cannot change/);
  // What may change still does.
  sql(`UPDATE assignments SET job_role = job_role WHERE id = ${assignment}`);
  sql(`UPDATE people SET given_name = given_name WHERE id = ${person}`);
  assert.equal(sql(`SELECT org_id FROM assignments WHERE id = ${assignment}`)[0][0], org);
});

test('ihtrack-admin run by hand finds the cluster under IHTRACK_VAR (issue 10)', () => {
  // As an operator runs it: no database URL, only IHTRACK_VAR.
  const env = { ...process.env };
  delete env.IHTRACK_DATABASE_URL;
  delete env.IHTRACK_APP_DATABASE_URL;
  delete env.IHTRACK_LOCAL_DB;
  const bin = path.join(ROOT, 'scripts/ihtrack-admin');
  const run = (v) => execFileSync(bin, ['create-token', 'RR8'], { env: { ...env, IHTRACK_VAR: v }, encoding: 'utf8' });
  const abs = process.env.IHTRACK_VAR;
  assert.ok(abs, 'make test sets IHTRACK_VAR');
  assert.match(run(abs), /^[0-9a-f]{64}\n$/);
  // Relative to the project, as the scripts take it.
  assert.match(run(path.relative(ROOT, abs)), /^[0-9a-f]{64}\n$/);
});
