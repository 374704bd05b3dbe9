// Who a roster may change (issue 10): an organisation cannot take over,
// or find out about, another organisation's people.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, Client, admin, postCsv, sql, unique } from '../lib/harness.mjs';

const rr8 = admin('create-token', 'RR8');
const ry6 = admin('create-token', 'RY6');

const HEAD = 'staff_id,given_name,family_name,email,level,start_date';
async function roster(org, token, rows, query = '') {
  const res = await postCsv(org, 'staff', `${HEAD}\n${rows.join('\n')}\n`, token, { query });
  return { status: res.status, json: await res.json() };
}

// A person who works for RY6 only.
async function ry6Person() {
  const id = unique('B-');
  const email = `${unique('bea')}@ry6.ihtrack.test`;
  const res = await roster('RY6', ry6, [`${id},Bea,Other,${email},foundation,2024-01-01`]);
  assert.equal(res.status, 200, JSON.stringify(res.json));
  const [[personId]] = sql(`SELECT id FROM people WHERE staff_id = '${id}'`);
  return { id, email, personId };
}

const personRow = (id) => sql(`SELECT given_name, family_name, email FROM people WHERE id = ${id}`)[0];
const orgsOf = (id) => sql(`SELECT o.code FROM assignments a JOIN organisations o ON o.id = a.org_id
  WHERE a.person_id = ${id} ORDER BY o.code`).map((r) => r[0]);

test("another organisation's staff_id with another email is identity_conflict; nothing changes", async () => {
  const b = await ry6Person();
  const before = personRow(b.personId);
  const taken = await roster('RR8', rr8, [`${b.id},Mal,Lory,mal.${b.id}@rr8.ihtrack.test,advanced,2025-01-01`]);
  assert.equal(taken.status, 422);
  assert.equal(taken.json.errors.length, 1);
  const [e] = taken.json.errors;
  assert.equal(e.code, 'identity_conflict');
  assert.equal(e.line, 2);
  assert.equal(e.column, 'staff_id');
  // The message names the row's values only: not the person's email or name.
  assert.ok(!e.message.includes(b.email), e.message);
  assert.ok(!e.message.includes('Bea'), e.message);
  assert.deepEqual(personRow(b.personId), before);
  assert.deepEqual(orgsOf(b.personId), ['RY6']);
  // Nor can RR8 then see them, or import completions for them.
  const lead = new Client();
  await lead.signIn('lead.rr8@demo.ihtrack.test');
  assert.equal((await lead.get(`/people/${b.personId}`)).status, 404);
  const comp = await postCsv('RR8', 'completions', `staff_id,module_code,completed_on\n${b.id},IHF-01,2025-01-02\n`, rr8);
  assert.equal(comp.status, 422);
  assert.equal((await comp.json()).errors[0].code, 'unknown_staff');
  // skip applies nothing for that row either, and the error report says the same.
  const skipped = await roster('RR8', rr8, [`${b.id},Mal,Lory,mal.${b.id}@rr8.ihtrack.test,advanced,2025-01-01`], '?on_error=skip');
  assert.equal(skipped.status, 200);
  assert.equal(skipped.json.accepted, 0);
  assert.deepEqual(personRow(b.personId), before);
  const report = await (await fetch(BASE + skipped.json.error_report, {
    headers: { authorization: `Bearer ${rr8}` } })).text();
  assert.match(report, /identity_conflict/);
  assert.ok(!report.includes(b.email));
});

test("an email of another organisation's person does not reveal their staff_id", async () => {
  const b = await ry6Person();
  const res = await roster('RR8', rr8, [`${unique('N-')},New,Starter,${b.email.toUpperCase()},foundation,2025-01-01`], '?dry_run=1');
  assert.equal(res.status, 422);
  const [e] = res.json.errors;
  assert.equal(e.code, 'email_in_use');
  assert.equal(e.column, 'email');
  assert.ok(!e.message.includes(b.id), `the message names ${b.id}: ${e.message}`);
  assert.match(e.message, /already the email of someone else/);
});

test('a person may be attached with their own email; their name and email are then kept', async () => {
  const b = await ry6Person();
  const res = await roster('RR8', rr8, [`${b.id},Beatrice,Renamed,${b.email.toUpperCase()},intermediate,2025-02-01`]);
  assert.equal(res.status, 200, JSON.stringify(res.json));
  assert.equal(res.json.accepted, 1);
  assert.deepEqual(orgsOf(b.personId), ['RR8', 'RY6']);
  // They work for RY6 too: RR8's roster leaves their own fields alone.
  assert.deepEqual(personRow(b.personId), ['Bea', 'Other', b.email]);
  const kept = res.json.warnings.filter((w) => w.code === 'person_kept');
  assert.equal(kept.length, 1);
  assert.equal(kept[0].line, 2);
  // RY6, which also employs them, is held to the same rule now.
  const own = await roster('RY6', ry6, [`${b.id},Beatrice,Other,${b.email},foundation,2024-01-01`]);
  assert.equal(own.status, 200);
  assert.equal(own.json.warnings.filter((w) => w.code === 'person_kept').length, 1);
  assert.deepEqual(personRow(b.personId), ['Bea', 'Other', b.email]);
});

test('a person who works for the importing organisation alone may be renamed', async () => {
  const b = await ry6Person();
  const res = await roster('RY6', ry6, [`${b.id},Beatrice,Other,${b.email},foundation,2024-01-01`]);
  assert.equal(res.status, 200);
  assert.equal(res.json.accepted, 1);
  assert.deepEqual(res.json.warnings, []);
  assert.deepEqual(personRow(b.personId), ['Beatrice', 'Other', b.email]);
});

test('a lead\'s session cookie cannot import through the API', async () => {
  const lead = new Client();
  await lead.signIn('lead.rr8@demo.ihtrack.test');
  const res = await lead.post('/api/v1/orgs/RR8/completions.csv', Buffer.from('staff_id,module_code,completed_on\n'),
    { headers: { 'content-type': 'text/csv' } });
  assert.equal(res.status, 401);
});

test("another organisation's token gets 403 for an organisation that exists and one that does not", async () => {
  for (const kind of ['staff', 'completions']) {
    const exists = await postCsv('RY6', kind, 'staff_id\n', rr8);
    const none = await postCsv('NOSUCH', kind, 'staff_id\n', rr8);
    assert.equal(exists.status, 403, kind);
    assert.equal(none.status, 403, kind);
    assert.deepEqual(await exists.json(), await none.json());
  }
  const get = (org) => fetch(`${BASE}/api/v1/coverage?org=${org}`, { headers: { authorization: `Bearer ${rr8}` } });
  const [a, b] = [await get('RY6'), await get('NOSUCH')];
  assert.equal(a.status, 403);
  assert.equal(b.status, 403);
  assert.deepEqual(await a.json(), await b.json());
  const lead = new Client();
  await lead.signIn('lead.rr8@demo.ihtrack.test');
  assert.equal((await lead.get('/api/v1/coverage?org=RY6')).status, 403);
  assert.equal((await lead.get('/api/v1/coverage?org=NOSUCH')).status, 403);
});
