// Module aliases through the API (issue 15): POST
// /api/v1/module-aliases.csv (alias, module_code) for a system token or a
// signed-in academy lead adds or replaces aliases, compared trimmed and
// without case; a file with any error stores nothing and says why by
// line; what the completions import will load (module_names) and the key
// it looks up by, the same as src/import_alias.c's (test_import_alias.c
// has the same cases); the audit trail of every change.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, test } from 'node:test';
import { BASE, Client, admin, sql, unique } from '../lib/harness.mjs';

let sys;
let rr8;
const moduleId = {};

before(() => {
  sys = admin('create-token', '--system');
  rr8 = admin('create-token', 'RR8');
  for (const [code, id] of sql('SELECT code, id FROM modules')) moduleId[code] = id;
});

function post(csv, token = sys, type = 'text/csv') {
  return fetch(`${BASE}/api/v1/module-aliases.csv`, {
    method: 'POST', body: csv,
    headers: { authorization: `Bearer ${token}`, 'content-type': type },
  });
}

const stored = (like) => sql(`SELECT a.alias, m.code FROM module_aliases a JOIN modules m ON m.id = a.module_id
  WHERE a.alias ILIKE '${like}%' ORDER BY a.alias`);

test('a file adds aliases, and replaces one given again without case or spaces', async () => {
  const t = unique('Course ');
  let res = await post(`alias,module_code\r\n${t} one,IHF-01\r\n"NHS|IH|${t}|",ihf-02\r\n`);
  let got = await res.json();
  assert.equal(res.status, 200, JSON.stringify(got));
  assert.deepEqual(got, { rows: 2, added: 2, replaced: 0, unchanged: 0, rejected: 0, errors: [], warnings: [] });
  assert.deepEqual(stored(t), [[`${t} one`, 'IHF-01']]);
  assert.deepEqual(stored(`NHS|IH|${t}`), [[`NHS|IH|${t}|`, 'IHF-02']]);

  // The same alias, other case and spaces: the one alias, now of IHF-03;
  // columns in any order, named without case; another column a warning.
  res = await post(`Module_Code , ALIAS,notes\n IHF-03 ,"  ${t.toUpperCase()} ONE\t",x\n  IHF-02,NHS|IH|${t}|,\n`);
  got = await res.json();
  assert.equal(res.status, 200, JSON.stringify(got));
  assert.equal(got.replaced, 1);
  assert.equal(got.unchanged, 1);
  assert.deepEqual(got.warnings, [{ line: 1, column: 'notes', code: 'unknown_column', message: "Unknown column 'notes' is ignored." }]);
  assert.deepEqual(stored(t), [[`${t.toUpperCase()} ONE`, 'IHF-03']]);
});

test('a file with an error stores nothing, and says why by line', async () => {
  const t = unique('Bad ');
  const csv = [
    'alias,module_code',
    `${t} fine,IHF-01`,
    `${t} nope,NOPE`,
    'ihf-02,IHF-01',
    `${t} twice,IHF-01`,
    `${t.toLowerCase()} TWICE ,IHF-02`,
    `,IHF-01`,
    `${t} empty,`,
    `"${t} bad"quote,IHF-01`,
    `${t} x,IHF-01,extra`,
    `${'y'.repeat(201)},IHF-01`,
    '',
  ].join('\r\n');
  const res = await post(csv);
  const got = await res.json();
  assert.equal(res.status, 422, JSON.stringify(got));
  assert.deepEqual(got.errors.map((e) => [e.line, e.column, e.code]), [
    [3, 'module_code', 'unknown_module'],
    [4, 'alias', 'alias_is_code'],
    [6, 'alias', 'duplicate_alias'],
    [7, 'alias', 'missing_value'],
    [8, 'module_code', 'missing_value'],
    [9, null, 'bad_quote'],
    [10, null, 'wrong_field_count'],
    [11, 'alias', 'alias_too_long'],
  ]);
  const msg = Object.fromEntries(got.errors.map((e) => [e.line, e.message]));
  assert.equal(msg[3], 'There is no module with code NOPE.');
  assert.equal(msg[4], 'IHF-02 is the code of a module already: a code needs no alias.');
  assert.equal(msg[6], `'${t.toLowerCase()} TWICE' is on line 5 already, for IHF-01: an alias names one module.`);
  assert.match(msg[11], /longer than 200 characters/);
  assert.equal(got.rows, 10);
  assert.equal(got.rejected, 8);
  assert.equal(got.added, 2, 'what the good rows would have done');
  assert.deepEqual(stored(t), [], 'nothing stored');
});

test('a header that is not usable is 422 before any row', async () => {
  for (const [csv, code] of [
    ['alias,code\nx,IHF-01\n', 'missing_column'],
    ['alias,module_code,ALIAS\nx,IHF-01,y\n', 'duplicate_column'],
    ['', 'empty_file'],
  ]) {
    const res = await post(csv);
    const got = await res.json();
    assert.equal(res.status, 422, csv);
    assert.equal(got.errors[0].code, code, csv);
    assert.equal(got.rows, 0);
  }
});

test('who may send one: a system token, or a signed-in academy lead', async () => {
  const t = unique('Who ');
  const csv = `alias,module_code\n${t},IHF-01\n`;
  assert.equal((await post(csv, rr8)).status, 403);
  assert.equal((await fetch(`${BASE}/api/v1/module-aliases.csv`, { method: 'POST', body: csv,
    headers: { 'content-type': 'text/csv' } })).status, 401);
  for (const email of ['lead.rr8@demo.ihtrack.test', 'admin@demo.ihtrack.test', 'staff@demo.ihtrack.test']) {
    const c = new Client();
    await c.signIn(email);
    const res = await c.req('POST', '/api/v1/module-aliases.csv', { body: Buffer.from(csv), headers: { 'content-type': 'text/csv' } });
    assert.equal(res.status, 403, email);
  }
  assert.deepEqual(stored(t), []);
  const academy = new Client();
  await academy.signIn('academy@demo.ihtrack.test');
  // Only a CSV body: no form elsewhere can send one on a lead's behalf.
  let res = await academy.req('POST', '/api/v1/module-aliases.csv', { body: { alias: t, module_code: 'IHF-01' } });
  assert.equal(res.status, 415);
  res = await academy.req('POST', '/api/v1/module-aliases.csv', { body: Buffer.from(csv), headers: { 'content-type': 'text/csv; charset=utf-8' } });
  assert.equal(res.status, 200, res.text_);
  assert.deepEqual(stored(t), [[t, 'IHF-01']]);
  const [[user]] = sql("SELECT id FROM users WHERE email = 'academy@demo.ihtrack.test'");
  assert.deepEqual(sql(`SELECT action, actor_user_id, via FROM audit_log WHERE entity = 'module_aliases'
    AND after ->> 'alias' = '${t}'`), [['insert', user, 'api']]);
  assert.equal((await post('x'.repeat(4 * 1024 * 1024 + 1))).status, 413);
});

test('what the completions import loads: codes first, then aliases by their key', async () => {
  const t = unique('santé publique ');
  const res = await post(`alias,module_code\n" nhs|IH|${t} ...|\t",IHF-04\n`);
  assert.equal(res.status, 200);
  // The key: trimmed, A to Z upper case, other bytes as they are (as
  // import_alias_key() makes it in C).
  const key = `NHS|IH|${t.toUpperCase().replace('É', 'é')} ...|`;
  assert.deepEqual(sql(`SELECT alias_key FROM module_aliases WHERE alias = 'nhs|IH|${t} ...|'`), [[key]]);
  const names = sql('SELECT name, module_id, alias FROM module_names ORDER BY alias');
  const codes = names.filter((r) => r[2] === 'f');
  assert.equal(codes.length, Object.keys(moduleId).length);
  assert.ok(names.slice(0, codes.length).every((r) => r[2] === 'f'), 'the codes first');
  assert.deepEqual(names.find((r) => r[0] === key), [key, moduleId['IHF-04'], 't']);
  assert.deepEqual(names.find((r) => r[0] === 'IHF-04'), ['IHF-04', moduleId['IHF-04'], 'f']);
});

test('every change is in the audit trail, by the token that made it', async () => {
  const t = unique('Audit ');
  const hash = createHash('sha256').update(sys).digest('hex');
  const [[token]] = sql(`SELECT id FROM api_tokens WHERE token_hash = '${hash}'`);
  const [[since]] = sql('SELECT coalesce(max(id), 0) FROM audit_log');
  await post(`alias,module_code\n${t},IHF-01\n`);
  await post(`alias,module_code\n${t},IHF-01\n`);
  await post(`alias,module_code\n${t.toLowerCase()},IHF-02\n`);
  const [[id]] = sql(`SELECT id FROM module_aliases WHERE alias_key = upper('${t}')`);
  assert.deepEqual(sql(`SELECT action, actor_token_id, via, before ->> 'alias', after ->> 'alias',
      after ->> 'module_id' FROM audit_log WHERE entity = 'module_aliases' AND entity_id = ${id}
      AND id > ${since} ORDER BY id`), [
    ['insert', token, 'api', '', t, moduleId['IHF-01']],
    ['update', token, 'api', t, t.toLowerCase(), moduleId['IHF-02']],
  ]);
});

test('a completions import resolves a module by its alias, trimmed and without case', async () => {
  const t = unique('LMS course ');
  const res = await post(`alias,module_code\r\n"NHS|IH|${t}|",TIC-F01\r\n`);
  assert.equal(res.status, 200);
  const [[sid, pid]] = sql(`SELECT p.staff_id, p.id FROM people p JOIN assignments a ON a.person_id = p.id
    JOIN organisations o ON o.id = a.org_id WHERE o.code = 'RR8' AND a.end_date IS NULL AND a.level >= 1
    ORDER BY p.id LIMIT 1`);
  const csv = `staff_id,module_code,completed_on\r\n${sid}, nhs|ih|${t.toLowerCase()}| ,2026-01-02\r\n${sid},NO SUCH COURSE,2026-01-02\r\n`;
  const imp = await fetch(`${BASE}/api/v1/orgs/RR8/completions.csv?on_error=skip`, {
    method: 'POST', body: csv,
    headers: { authorization: `Bearer ${rr8}`, 'content-type': 'text/csv' },
  });
  const got = await imp.json();
  assert.equal(imp.status, 200, JSON.stringify(got));
  assert.equal(got.rejected, 1);
  assert.equal(got.errors[0].code, 'unknown_module');
  assert.equal(got.errors[0].message, 'There is no module with code or alias NO SUCH COURSE: academy leads add the names other systems use as module aliases.');
  assert.equal(got.accepted + got.unchanged, 1);
  assert.deepEqual(sql(`SELECT m.code FROM completions c JOIN modules m ON m.id = c.module_id
    WHERE c.person_id = ${pid} AND c.completed_on = '2026-01-02'`), [['TIC-F01']]);
});
