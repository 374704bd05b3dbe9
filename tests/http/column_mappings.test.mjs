// Saved column mappings through the API (issue 15): PUT, GET and DELETE
// of an organisation's (/api/v1/orgs/CODE/mappings/NAME, guarded as the
// imports are) and of the shared ones (/api/v1/mappings/NAME, a system
// token); every rule of what a mapping may say, each broken rule a 400
// or 422 that says what to change; the order an import reads them in
// (the organisation's before the shared one, ih_mapping_for); and the
// audit trail of every change.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, test } from 'node:test';
import { BASE, Client, admin, sql, unique } from '../lib/harness.mjs';

let rr8;
let ry6;
let sys;
const orgId = {};

function tokenId(token) {
  const hash = createHash('sha256').update(token).digest('hex');
  return sql(`SELECT id FROM api_tokens WHERE token_hash = '${hash}'`)[0][0];
}

before(() => {
  rr8 = admin('create-token', 'RR8');
  ry6 = admin('create-token', 'RY6');
  sys = admin('create-token', '--system');
  for (const [code, id] of sql("SELECT code, id FROM organisations WHERE code IN ('RR8', 'RY6')")) orgId[code] = id;
});

function call(method, path, token, body, type = 'application/json') {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = type;
  return fetch(BASE + path, { method, headers, body });
}

async function json(res) {
  const text = await res.text();
  return text === '' ? null : JSON.parse(text);
}

const orgPath = (code, name) => `/api/v1/orgs/${code}/mappings/${name}`;

const ESR = {
  kind: 'staff',
  columns: { 'Employee Number': 'staff_id', 'First Name': 'given_name', 'Last Name': 'family_name' },
};

test('an organisation saves, reads, replaces and deletes a mapping', async () => {
  const name = unique('esr-');
  let res = await call('PUT', orgPath('RR8', name), rr8, JSON.stringify(ESR));
  assert.equal(res.status, 201);
  assert.deepEqual(await json(res), ESR);

  res = await call('GET', orgPath('RR8', name), rr8);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/json');
  const got = await json(res);
  assert.deepEqual(got, ESR);
  // In the order given, not jsonb's.
  assert.deepEqual(Object.keys(got.columns), ['Employee Number', 'First Name', 'Last Name']);

  // Replaced: headers trimmed, our columns named without case.
  const next = { kind: 'staff', columns: { ' Person Number ': 'Staff_ID', 'Work Email': 'email' } };
  res = await call('PUT', orgPath('RR8', name), rr8, JSON.stringify(next));
  assert.equal(res.status, 200);
  assert.deepEqual(await json(res), { kind: 'staff', columns: { 'Person Number': 'staff_id', 'Work Email': 'email' } });

  // Another organisation's of the same name is another mapping.
  res = await call('GET', orgPath('RY6', name), ry6);
  assert.equal(res.status, 404);

  res = await call('DELETE', orgPath('RR8', name), rr8);
  assert.equal(res.status, 204);
  assert.equal(await res.text(), '');
  res = await call('GET', orgPath('RR8', name), rr8);
  assert.equal(res.status, 404);
  assert.match((await json(res)).message, new RegExp(`There is no mapping named ${name}`));
  res = await call('DELETE', orgPath('RR8', name), rr8);
  assert.equal(res.status, 404);
});

test('a system token keeps any organisation\'s mappings, and the shared ones', async () => {
  const name = unique('lms-');
  const lms = { kind: 'completions', columns: { 'Learner ID': 'staff_id', Course: 'module_code', Completed: 'completed_on' } };
  let res = await call('PUT', orgPath('RY6', name), sys, JSON.stringify(lms));
  assert.equal(res.status, 201);
  res = await call('GET', orgPath('RY6', name), ry6);
  assert.deepEqual(await json(res), lms);

  res = await call('PUT', `/api/v1/mappings/${name}`, sys, JSON.stringify(lms));
  assert.equal(res.status, 201);
  res = await call('GET', `/api/v1/mappings/${name}`, sys);
  assert.deepEqual(await json(res), lms);
  res = await call('DELETE', `/api/v1/mappings/${name}`, sys);
  assert.equal(res.status, 204);
  res = await call('GET', `/api/v1/mappings/${name}`, sys);
  assert.equal(res.status, 404);
  assert.match((await json(res)).message, /no shared mapping/);
});

test('who may: as the imports, and shared ones with a system token only', async () => {
  const name = unique('who-');
  const body = JSON.stringify(ESR);
  // No token, or a session's cookie: 401.
  assert.equal((await call('PUT', orgPath('RR8', name), null, body)).status, 401);
  const lead = new Client();
  await lead.signIn('lead.rr8@demo.ihtrack.test');
  const viaCookie = await lead.req('PUT', orgPath('RR8', name), {
    body: Buffer.from(body), headers: { 'content-type': 'application/json' } });
  assert.equal(viaCookie.status, 401);
  assert.match(viaCookie.headers.get('www-authenticate'), /Bearer/);
  // Another organisation's token: 403, whether or not the code exists.
  assert.equal((await call('PUT', orgPath('RY6', name), rr8, body)).status, 403);
  assert.equal((await call('GET', orgPath('NOSUCH', name), rr8)).status, 403);
  // An organisation that does not exist, to a system token: 404.
  assert.equal((await call('GET', orgPath('NOSUCH', name), sys)).status, 404);
  // Shared ones: not with an organisation's token.
  const shared = await call('PUT', `/api/v1/mappings/${name}`, rr8, body);
  assert.equal(shared.status, 403);
  assert.match((await json(shared)).message, /system token/);
  // A revoked token is no token.
  const revoked = admin('create-token', 'RR8');
  admin('revoke-token', revoked);
  assert.equal((await call('GET', orgPath('RR8', name), revoked)).status, 401);
  // Nothing was stored by any of them.
  assert.deepEqual(sql(`SELECT count(*) FROM column_mappings WHERE name = '${name}'`), [['0']]);
  // Methods: GET, HEAD, PUT and DELETE.
  const post = await call('POST', orgPath('RR8', name), rr8, body);
  assert.equal(post.status, 405);
  assert.equal(post.headers.get('allow'), 'GET, HEAD, PUT, DELETE');
});

// One PUT, and the problems it reports: [field, header, message pattern].
async function problems(body, { name = unique('bad-'), status = 422, type } = {}) {
  const res = await call('PUT', orgPath('RR8', name), rr8, body, type);
  const got = await json(res);
  assert.equal(res.status, status, JSON.stringify(got));
  assert.deepEqual(sql(`SELECT count(*) FROM column_mappings WHERE name = '${name}'`), [['0']],
    'nothing stored');
  return got;
}

test('what a mapping may say: every rule, each error a person can act on', async () => {
  let got = await problems(JSON.stringify({
    kind: 'roster',
    columns: {
      'Staff Number': 'staff_id',
      ' staff number ': 'email',
      Surname: 'surname',
      'Person ID': 'staff_id',
      Grade: 3,
      '': 'email',
      'Course': 'module_code',
    },
    notes: 'x',
  }));
  assert.equal(got.error, 'Unprocessable Content');
  const seen = got.errors.map((e) => [e.field, e.header, e.message]);
  const expect = [
    ['notes', null, /notes is not part of a mapping: send kind and columns only/],
    ['kind', null, /kind must be "staff" \(a staff roster\) or "completions"/],
    ['columns', 'staff number', /'Staff Number' and 'staff number' are the same header: headers are matched without case/],
    // Without a kind, our columns cannot be checked, but two to one can.
    ['columns', 'Person ID', /'Staff Number' and 'Person ID' both map to staff_id/],
    ['columns', 'Grade', /The column for 'Grade' must be one of our columns, as a string/],
    ['columns', '', /A header is empty/],
  ];
  assert.equal(seen.length, expect.length, JSON.stringify(seen));
  expect.forEach(([field, header, re], i) => {
    assert.equal(seen[i][0], field);
    assert.equal(seen[i][1], header);
    assert.match(seen[i][2], re);
  });

  // With a kind, our columns are checked against its columns.
  got = await problems(JSON.stringify({
    kind: 'staff',
    columns: { 'Staff Number': 'staff_id', Surname: 'surname', 'Person ID': 'STAFF_ID', Course: 'module_code' },
  }));
  assert.deepEqual(got.errors.map((e) => e.header), ['Surname', 'Person ID', 'Course']);
  assert.match(got.errors[0].message, /'surname' is not a column of a staff roster: map 'Surname' to one of staff_id, given_name, family_name, email/);
  assert.match(got.errors[1].message, /'Staff Number' and 'Person ID' both map to staff_id: a column can come from one header only/);
  assert.match(got.errors[2].message, /not a column of a staff roster/);
  got = await problems(JSON.stringify({ kind: 'completions', columns: { Email: 'email' } }));
  assert.match(got.errors[0].message, /'email' is not a column of a completions file: map 'Email' to one of staff_id, module_code, completed_on, source, provider/);

  got = await problems(JSON.stringify({ kind: 'staff', columns: {} }));
  assert.match(got.message, /columns is empty/);
  got = await problems(JSON.stringify({ kind: 'staff', columns: ['staff_id'] }));
  assert.match(got.message, /columns must be an object of your headers and our columns/);
  got = await problems(JSON.stringify({ kind: 'staff' }));
  assert.match(got.message, /columns must be an object/);
  got = await problems('{"kind": "staff", "kind": "staff", "columns": {"A": "email"}}');
  assert.match(got.message, /kind is given more than once/);
  got = await problems(JSON.stringify({ kind: 'staff', columns: { [`H${'x'.repeat(128)}`]: 'email' } }));
  assert.match(got.message, /longer than 128 characters/);
  const many = {};
  for (let i = 0; i < 65; i++) many[`Column ${i}`] = i === 0 ? 'email' : 'ignored';
  got = await problems(JSON.stringify({ kind: 'staff', columns: many }));
  assert.match(got.errors.at(-1).message, /at most 64 headers/);
  // Two of one header in the JSON itself (JSON allows it; we do not).
  got = await problems('{"kind": "staff", "columns": {"A": "email", "A": "staff_id"}}');
  assert.match(got.message, /'A' and 'A' are the same header/);
});

test('a body that is not a mapping at all is 400, 413 or 415', async () => {
  let got = await problems('{"kind": "staff", "columns": {', { status: 400 });
  assert.match(got.message, /The body is not valid JSON \(The input string ended unexpectedly\)\. Send an object such as/);
  got = await problems('{"kind": staff}', { status: 400 });
  assert.match(got.message, /not valid JSON \(Token "staff" is invalid\)/);
  got = await problems('"\\u0000"', { status: 400 });
  assert.match(got.message, /not valid JSON/);
  got = await problems('[1, 2]', { status: 400 });
  assert.match(got.message, /The body must be a JSON object/);
  got = await problems('', { status: 400 });
  assert.match(got.message, /not valid JSON/);
  got = await problems(Buffer.from([0x7b, 0xff, 0x7d]), { status: 400 });
  assert.match(got.message, /not UTF-8/);
  got = await problems(JSON.stringify(ESR), { status: 415, type: 'text/plain' });
  assert.match(got.message, /Content-Type: application\/json/);
  got = await problems(JSON.stringify({ kind: 'staff', columns: { A: 'email' }, pad: 'x'.repeat(70000) }), { status: 413 });
  assert.match(got.message, /64 KiB/);
  // With its charset, it is JSON all the same.
  const name = unique('cs-');
  const res = await call('PUT', orgPath('RR8', name), rr8, JSON.stringify(ESR), 'application/json; charset=utf-8');
  assert.equal(res.status, 201);
  await call('DELETE', orgPath('RR8', name), rr8);
});

test('a mapping\'s name is a short slug: lower-case letters, digits, - and _', async () => {
  for (const bad of ['ESR', 'esr staff', 'esr%20staff', '-esr', '_esr', 'x'.repeat(41), 'esr.staff', 'é']) {
    for (const method of ['PUT', 'GET', 'DELETE']) {
      const res = await call(method, orgPath('RR8', encodeURI(bad).replace(/%25/g, '%')), rr8,
        method === 'PUT' ? JSON.stringify(ESR) : undefined);
      const got = await json(res);
      assert.equal(res.status, 400, `${method} ${bad}`);
      assert.match(got.message, /A mapping's name is 1 to 40 characters: lower-case letters a to z, digits, - and _, starting with a letter or a digit/, `${method} ${bad}`);
    }
  }
  for (const good of ['e', '0', 'esr_staff-2', 'x'.repeat(40)]) {
    const res = await call('PUT', orgPath('RR8', good), rr8, JSON.stringify(ESR));
    assert.ok(res.status === 201 || res.status === 200, `${good}: ${res.status}`);
    assert.equal((await call('DELETE', orgPath('RR8', good), rr8)).status, 204);
  }
});

test('an import asked for ?mapping=NAME reads the organisation\'s, else the shared one', async () => {
  const name = unique('order-');
  const shared = { kind: 'completions', columns: { Learner: 'staff_id', Course: 'module_code' } };
  const ours = { kind: 'completions', columns: { 'Assignment Number': 'staff_id', 'Course Title': 'module_code', When: 'completed_on' } };
  assert.equal((await call('PUT', `/api/v1/mappings/${name}`, sys, JSON.stringify(shared))).status, 201);
  assert.equal((await call('PUT', orgPath('RR8', name), rr8, JSON.stringify(ours))).status, 201);
  const load = (org, kind = 'completions') => sql(`SELECT header, col FROM ih_mapping_for(${org}, '${name}', '${kind}')`);
  assert.deepEqual(load(orgId.RR8), [['Assignment Number', 'staff_id'], ['Course Title', 'module_code'], ['When', 'completed_on']]);
  assert.deepEqual(load(orgId.RY6), [['Learner', 'staff_id'], ['Course', 'module_code']]);
  // Of the other kind: an error the client can read.
  assert.throws(() => load(orgId.RY6, 'staff'), /Mapping order-\d+ is for completions files, not for a staff roster/);
  // Once the organisation's is gone, the shared one serves it too.
  assert.equal((await call('DELETE', orgPath('RR8', name), rr8)).status, 204);
  assert.deepEqual(load(orgId.RR8), [['Learner', 'staff_id'], ['Course', 'module_code']]);
  assert.equal((await call('DELETE', `/api/v1/mappings/${name}`, sys)).status, 204);
  assert.throws(() => load(orgId.RR8), /There is no saved mapping named order-\d+ for this organisation, nor a shared one/);
  assert.throws(() => sql("SELECT * FROM ih_mapping_for(1, 'Not A Name', 'staff')"), /A mapping's name is 1 to 40/);
});

test('every change is in the audit trail, by the token that made it', async () => {
  const name = unique('audit-');
  const before = sql('SELECT coalesce(max(id), 0) FROM audit_log')[0][0];
  await call('PUT', orgPath('RR8', name), rr8, JSON.stringify(ESR));
  // The same again changes nothing, and writes nothing.
  await call('PUT', orgPath('RR8', name), rr8, JSON.stringify(ESR));
  await call('PUT', orgPath('RR8', name), sys, JSON.stringify({ kind: 'staff', columns: { 'Employee Number': 'staff_id' } }));
  await call('DELETE', orgPath('RR8', name), rr8);
  const rows = sql(`SELECT action, actor_token_id, coalesce(actor_user_id::text, ''), via,
      coalesce(before ->> 'name', after ->> 'name'), coalesce(before ->> 'org_id', after ->> 'org_id'),
      coalesce(after -> 'columns', 'null')::text
    FROM audit_log WHERE id > ${before} AND entity = 'column_mappings'
    AND coalesce(before ->> 'name', after ->> 'name') = '${name}' ORDER BY id`);
  assert.deepEqual(rows, [
    ['insert', tokenId(rr8), '', 'api', name, orgId.RR8,
      '[["Employee Number", "staff_id"], ["First Name", "given_name"], ["Last Name", "family_name"]]'],
    ['update', tokenId(sys), '', 'api', name, orgId.RR8, '[["Employee Number", "staff_id"]]'],
    ['delete', tokenId(rr8), '', 'api', name, orgId.RR8, 'null'],
  ]);
});

test('both imports read a file through ?mapping=NAME; a missing or wrong-kind mapping says so', async () => {
  const tok = admin('create-token', 'RR8');
  const name = unique('lms').toLowerCase().replace(/[^a-z0-9_-]/g, '-');
  const put = await fetch(`${BASE}/api/v1/orgs/RR8/mappings/${name}`, {
    method: 'PUT', headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'completions', columns: { 'Employee Number': 'staff_id', 'Course Title': 'module_code', 'Completion Date': 'completed_on' } }),
  });
  assert.equal(put.status, 201);
  const [[sid]] = sql(`SELECT p.staff_id FROM people p JOIN assignments a ON a.person_id = p.id
    JOIN organisations o ON o.id = a.org_id WHERE o.code = 'RR8' AND a.end_date IS NULL ORDER BY p.id LIMIT 1`);
  const send = (kind, qs, body) => fetch(`${BASE}/api/v1/orgs/RR8/${kind}.csv?${qs}`, {
    method: 'POST', body, headers: { authorization: `Bearer ${tok}`, 'content-type': 'text/csv' },
  });
  const file = `Employee Number,Course Title,Completion Date,Grade\r\n${sid},IHF-01,05-MAR-2026,x\r\n`;
  let res = await send('completions', `mapping=${name}&dry_run=1`, file);
  let got = await res.json();
  assert.equal(res.status, 200, JSON.stringify(got));
  assert.equal(got.rows, 1);
  assert.equal(got.accepted + got.unchanged, 1);
  assert.deepEqual(got.warnings.map((w) => [w.column, w.code]), [['grade', 'unknown_column']]);
  // Without the mapping the same file lacks our columns.
  res = await send('completions', 'dry_run=1', file);
  assert.equal(res.status, 422);
  assert.equal((await res.json()).errors[0].code, 'missing_column');
  res = await send('completions', 'mapping=no-such-mapping', file);
  assert.equal(res.status, 404);
  assert.match((await res.json()).message, /no saved mapping named no-such-mapping/);
  res = await send('staff', `mapping=${name}`, file);
  assert.equal(res.status, 422);
  assert.deepEqual(await res.json(), { error: 'Unprocessable Content', message: `Mapping ${name} is for completions files, not for a staff roster.` });
});
