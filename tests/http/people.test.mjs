// GET /people/ID: a person's record for the person, the leads of every
// organisation they are or were assigned to, academy leads and admins;
// 404 for everyone else, the same answer as an id that does not exist.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { admin, Client, DEMO_PASSWORD, sql, unique } from '../lib/harness.mjs';

let person;
let stranger;
const as = {};

function lead(org) {
  const email = `${unique('lead').toLowerCase()}@test.ihtrack.test`;
  admin('create-user', email, 'org_lead', org, { stdin: `${DEMO_PASSWORD}\n` });
  return email;
}

async function client(email) {
  const c = new Client();
  await c.signIn(email);
  return c;
}

before(async () => {
  // Worked for RY6 until 2023; works for LCC now.  The name needs escaping.
  const staffId = unique('P');
  const email = `${staffId.toLowerCase()}@test.ihtrack.test`;
  [[person]] = sql(`INSERT INTO people (staff_id, given_name, family_name, email)
    VALUES ('${staffId}', 'Ada <b>', 'O''Neill', '${email}') RETURNING id`);
  sql(`INSERT INTO assignments (person_id, org_id, level, start_date, end_date)
    SELECT ${person}, id, 1, '2019-04-01', '2023-03-31' FROM organisations WHERE code = 'RY6'`);
  sql(`INSERT INTO assignments (person_id, org_id, level, start_date)
    SELECT ${person}, id, 2, '2023-04-01' FROM organisations WHERE code = 'LCC'`);
  sql(`SELECT ih_record_completion(NULL, NULL, 'import', ${person}, 'IHF-01', '2024-05-02', 'e-learning', NULL)`);
  admin('create-user', email, 'staff', { stdin: `${DEMO_PASSWORD}\n` });
  [[stranger]] = sql(`SELECT person_id FROM users WHERE email = 'staff@demo.ihtrack.test'`);

  as.self = await client(email);
  as.pastLead = await client(lead('RY6'));
  as.currentLead = await client(lead('LCC'));
  as.otherLead = await client(lead('RR8'));
  as.otherStaff = await client('staff@demo.ihtrack.test');
  as.academy = await client('academy@demo.ihtrack.test');
  as.admin = await client('admin@demo.ihtrack.test');
});

test('the person, their past and current organisations\' leads, academy and admin see the record', async () => {
  for (const who of ['self', 'pastLead', 'currentLead', 'academy', 'admin']) {
    const res = await as[who].get(`/people/${person}`);
    assert.equal(res.status, 200, who);
    const t = res.text_;
    assert.match(t, /<h1>Ada &lt;b&gt; O&#39;Neill<\/h1>|<h1>Ada &lt;b&gt; O&#x27;Neill<\/h1>/, `${who}: name, escaped`);
    assert.doesNotMatch(t, /Ada <b>/, `${who}: no raw markup`);
    assert.match(t, /nhsuk-summary-list/);
    assert.match(t, /Staff ID/);
    assert.match(t, /Leeds Community Healthcare NHS Trust \(RY6\)/);
    assert.match(t, /31 Mar 2023/, 'the past assignment ends');
    assert.match(t, /Current/);
    assert.match(t, /Intermediate/);
    assert.match(t, /\(IHF-01\)/);
    assert.match(t, /2 May 2024/);
    assert.match(t, /2 May 2027/, 'IHF-01 expires after 36 months');
  }
});

test('anyone else gets the same 404 as an id that does not exist', async () => {
  const missing = await as.admin.get('/people/999999999');
  assert.equal(missing.status, 404);
  for (const who of ['otherLead', 'otherStaff']) {
    const res = await as[who].get(`/people/${person}`);
    assert.equal(res.status, 404, who);
    assert.equal(res.text_, (await as[who].get('/people/999999999')).text_, `${who}: nothing tells them apart`);
    assert.doesNotMatch(res.text_, /Neill/);
  }
  const own = await as.otherStaff.get(`/people/${stranger}`);
  assert.equal(own.status, 200, 'a staff member sees their own record');
  assert.equal((await as.self.get(`/people/${stranger}`)).status, 404);
});
