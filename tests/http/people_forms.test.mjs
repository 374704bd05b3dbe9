// People in the browser (issue 15): an organisation's lead adds a person
// (/people/new), changes a person's level, staff group or job role from a
// date, and records a leaver (/people/ID/change, /people/ID/leave), under
// the roster's rules (README, "Who a roster may change" and "A roster
// never rewrites the past"), each write audited as the lead's, by form.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, Client, admin, newOrgLead, sql, unique } from '../lib/harness.mjs';

const system = admin('create-token', '--system');
const [[today]] = sql('SELECT current_date::text');
const day = (n) => sql(`SELECT (current_date + ${n})::text`)[0][0];
const past = sql("SELECT (current_date - interval '6 months')::date::text")[0][0];

// Someone the organisation never employed: works for RY6.
function stranger() {
  const staffId = unique('S');
  const email = `${staffId.toLowerCase()}@elsewhere.ihtrack.test`;
  const [[id]] = sql(`INSERT INTO people (staff_id, given_name, family_name, email)
    VALUES ('${staffId}', 'Secret', 'Stranger', '${email}') RETURNING id`);
  sql(`INSERT INTO assignments (person_id, org_id, level, start_date)
    SELECT ${id}, id, 1, '2022-01-01' FROM organisations WHERE code = 'RY6'`);
  return { id, staffId, email };
}

function dateFields(name, iso) {
  const [y, m, d] = iso.split('-');
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y };
}

async function add(c, fields) {
  const csrf_token = await c.csrf('/people/new');
  return c.post('/people/new', {
    csrf_token, level: 'foundation', staff_group: 'Nursing', job_role: '',
    ...dateFields('start_date', '2024-01-01'), ...fields,
  });
}

async function change(c, id, fields) {
  const csrf_token = await c.csrf(`/people/${id}/change`);
  return c.post(`/people/${id}/change`, { csrf_token, ...fields });
}

async function leave(c, id, iso) {
  const csrf_token = await c.csrf(`/people/${id}/leave`);
  return c.post(`/people/${id}/leave`, { csrf_token, ...dateFields('end_date', iso) });
}

const errors = (res) => [...res.text_.matchAll(/<li><a href="#([^"]+)">([^<]*)<\/a><\/li>/g)].map((m) => [m[1], m[2]]);

function segments(person, org) {
  return sql(`SELECT level, staff_group, job_role, start_date, coalesce(end_date::text, ''),
      continues IS NOT NULL FROM assignments WHERE person_id = ${person} AND org_id = ${org}
    ORDER BY start_date, id`);
}

async function required(code, asOf) {
  const res = await fetch(`${BASE}/api/v1/coverage?org=${code}&as_of=${asOf}`,
    { headers: { authorization: `Bearer ${system}` } });
  assert.equal(res.status, 200);
  return (await res.json()).organisations[0].modules.map((m) => `${m.code}:${m.required}`).join(' ');
}

test('a lead adds a new person: on the staff list from the start date, audited as theirs', async () => {
  const o = await newOrgLead('PF');
  const staffId = unique('N');
  const res = await add(o.lead, { staff_id: ` ${staffId} `, given_name: 'Nia', family_name: 'New',
    email: `${staffId.toLowerCase()}@forms.ihtrack.test`, job_role: 'Staff Nurse' });
  assert.equal(res.status, 303);
  const [, person] = res.headers.get('location').match(/^\/people\/(\d+)\?done=added$/);
  assert.deepEqual(sql(`SELECT staff_id, given_name, family_name FROM people WHERE id = ${person}`),
    [[staffId, 'Nia', 'New']], 'trimmed, as a roster is');
  assert.deepEqual(segments(person, o.org), [['1', 'Nursing', 'Staff Nurse', '2024-01-01', '', 'f']]);
  const page = await o.lead.get(res.headers.get('location'));
  assert.match(page.text_, /role="status"><p>Added to your staff list\./);
  assert.match(page.text_, new RegExp(`href="/people/${person}/change"`));
  assert.match(page.text_, new RegExp(`href="/people/${person}/leave"`));
  assert.deepEqual(sql(`SELECT entity, action, via, actor_user_id FROM audit_log
    WHERE (entity = 'people' AND entity_id = ${person}) OR (entity = 'assignments'
      AND after->>'person_id' = '${person}') ORDER BY id`),
  [['people', 'insert', 'form', String(o.user)], ['assignments', 'insert', 'form', String(o.user)]]);
  // On the list: adding them again is a conflict, not a second assignment.
  const again = await add(o.lead, { staff_id: staffId, given_name: 'Nia', family_name: 'New',
    email: `${staffId.toLowerCase()}@forms.ihtrack.test` });
  assert.equal(again.status, 409);
  assert.match(errors(again)[0][1], /already on your staff list/);
  assert.equal(segments(person, o.org).length, 1);
});

test("a stranger's staff ID with another email is an identity conflict that tells nothing about them", async () => {
  const o = await newOrgLead('PF');
  const s = stranger();
  const typed = `${unique('typed').toLowerCase()}@forms.ihtrack.test`;
  const res = await add(o.lead, { staff_id: s.staffId, given_name: 'Guess', family_name: 'Who', email: typed });
  assert.equal(res.status, 409);
  assert.deepEqual(errors(res), [['staff_id', `Staff ID ${s.staffId} belongs to someone who has not worked for your organisation, and ${typed} is not their email: check both.`]]);
  assert.doesNotMatch(res.text_, /Secret|Stranger|elsewhere\.ihtrack|RY6|Community/);
  // What was typed stays.
  assert.match(res.text_, /id="given_name" name="given_name" type="text" value="Guess"/);
  assert.match(res.text_, new RegExp(`value="${typed}"`));
  assert.equal(sql(`SELECT count(*) FROM assignments WHERE person_id = ${s.id}`)[0][0], '1');
  // With their own email (in any case) they are attached; the name they
  // hold elsewhere stays, as a roster keeps it.
  const ok = await add(o.lead, { staff_id: s.staffId, given_name: 'Other', family_name: 'Name',
    email: s.email.toUpperCase() });
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get('location'), `/people/${s.id}?done=added-kept`);
  assert.deepEqual(sql(`SELECT given_name, family_name, email FROM people WHERE id = ${s.id}`),
    [['Secret', 'Stranger', s.email]]);
  assert.equal(segments(s.id, o.org).length, 1);
  assert.match((await o.lead.get(ok.headers.get('location'))).text_, /Their name and email stay as they were/);
});

test('an email is one person\'s, whatever its case', async () => {
  const o = await newOrgLead('PF');
  const mine = unique('M');
  const mineEmail = `${mine.toLowerCase()}@forms.ihtrack.test`;
  assert.equal((await add(o.lead, { staff_id: mine, given_name: 'Mo', family_name: 'Mine', email: mineEmail })).status, 303);
  const s = stranger();
  const ours = await add(o.lead, { staff_id: unique('E'), given_name: 'E', family_name: 'Two', email: mineEmail.toUpperCase() });
  assert.equal(ours.status, 409);
  assert.deepEqual(errors(ours), [['email', `${mineEmail.toUpperCase()} is the email of another of your people (staff ID ${mine}).`]]);
  const theirs = await add(o.lead, { staff_id: unique('E'), given_name: 'E', family_name: 'Three', email: s.email });
  assert.equal(theirs.status, 409);
  assert.deepEqual(errors(theirs), [['email', `${s.email} is already the email of someone else: check it.`]]);
  assert.doesNotMatch(theirs.text_, new RegExp(`${s.staffId}|Secret|Stranger`));
  assert.equal(sql(`SELECT count(*) FROM assignments WHERE org_id = ${o.org}`)[0][0], '1');
});

test('the form says what is missing at each field and keeps what was typed', async () => {
  const o = await newOrgLead('PF');
  const res = await add(o.lead, { staff_id: '', given_name: 'Kept', family_name: '', email: 'no-at-sign',
    level: '', 'start_date-day': '31', 'start_date-month': '2', 'start_date-year': '2024' });
  assert.equal(res.status, 400);
  assert.deepEqual(errors(res).map((e) => e[0]),
    ['staff_id', 'family_name', 'email', 'level', 'start_date-day']);
  assert.match(res.text_, /<title>Error: Add a person - ihtrack<\/title>/);
  assert.match(res.text_, /Start date must be a real date/);
  assert.match(res.text_, /value="Kept"/);
  assert.match(res.text_, /value="no-at-sign"/);
  assert.equal(sql(`SELECT count(*) FROM assignments WHERE org_id = ${o.org}`)[0][0], '0');
});

test('a change of level from a date leaves the report as at an earlier date alone', async () => {
  const o = await newOrgLead('PF');
  const staffId = unique('L');
  const res = await add(o.lead, { staff_id: staffId, given_name: 'Lev', family_name: 'Up',
    email: `${staffId.toLowerCase()}@forms.ihtrack.test` });
  const person = res.headers.get('location').match(/\/people\/(\d+)/)[1];
  const lastWeek = day(-7);
  const before = await required(o.code, past);
  const beforeToday = await required(o.code, today);
  assert.match(before, /TIC-I01:0/);
  const page = await o.lead.get(`/people/${person}/change`);
  assert.equal(page.status, 200);
  assert.match(page.text_, /<option value="foundation" selected>/);
  assert.match(page.text_, new RegExp(`id="effective_from-year"[^>]*value="${today.slice(0, 4)}"`), 'today by default');
  // Never from a day to come; nothing is written.
  const future = await change(o.lead, person, { level: 'intermediate', staff_group: 'Nursing',
    ...dateFields('effective_from', day(1)) });
  assert.equal(future.status, 400);
  assert.equal(errors(future)[0][0], 'effective_from-day');
  assert.match(errors(future)[0][1], /today or in the past/);
  assert.equal(segments(person, o.org).length, 1);
  // Nothing to change is said so.
  const same = await change(o.lead, person, { level: 'foundation', staff_group: 'Nursing', job_role: '',
    ...dateFields('effective_from', lastWeek) });
  assert.equal(same.status, 400);
  assert.equal(errors(same)[0][0], 'level');

  const ok = await change(o.lead, person, { level: 'intermediate', staff_group: 'Midwifery', job_role: '',
    ...dateFields('effective_from', lastWeek) });
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get('location'), `/people/${person}?done=changed`);
  assert.deepEqual(segments(person, o.org), [
    ['1', 'Nursing', '', '2024-01-01', day(-8), 'f'],
    ['2', 'Midwifery', '', lastWeek, '', 't'],
  ]);
  assert.equal(await required(o.code, past), before, 'the report as at six months ago');
  assert.notEqual(await required(o.code, today), beforeToday);
  assert.match(await required(o.code, today), /TIC-I01:1/);
  assert.deepEqual(sql(`SELECT DISTINCT via, actor_user_id FROM audit_log WHERE entity = 'assignments'
    AND after->>'person_id' = '${person}' AND at > now() - interval '1 minute'`), [['form', String(o.user)]]);
  assert.match((await o.lead.get(ok.headers.get('location'))).text_, /Their change is saved/);
  // A date before that change would cross it.
  const crossing = await change(o.lead, person, { level: 'advanced', staff_group: 'Midwifery',
    ...dateFields('effective_from', day(-30)) });
  assert.equal(crossing.status, 400);
  assert.match(errors(crossing)[0][1], /Their last change took effect on/);
  assert.equal(segments(person, o.org).length, 2);
});

test('a leaver: their assignment ends on the day given; the past keeps them', async () => {
  const o = await newOrgLead('PF');
  const staffId = unique('G');
  const res = await add(o.lead, { staff_id: staffId, given_name: 'Gone', family_name: 'Soon',
    email: `${staffId.toLowerCase()}@forms.ihtrack.test` });
  const person = res.headers.get('location').match(/\/people\/(\d+)/)[1];
  assert.match(await required(o.code, past), /IHF-01:1/);
  const early = await leave(o.lead, person, '2023-12-31');
  assert.equal(early.status, 400);
  assert.match(errors(early)[0][1], /They started on 1 Jan 2024/);
  const gone = await leave(o.lead, person, day(-1));
  assert.equal(gone.status, 303);
  assert.equal(gone.headers.get('location'), `/people/${person}?done=left`);
  assert.deepEqual(segments(person, o.org), [['1', 'Nursing', '', '2024-01-01', day(-1), 'f']]);
  assert.match(await required(o.code, past), /IHF-01:1/, 'as at six months ago they still count');
  assert.match(await required(o.code, today), /IHF-01:0/);
  const record = await o.lead.get(`/people/${person}?done=left`);
  assert.match(record.text_, /Their leaving date is recorded/);
  assert.doesNotMatch(record.text_, /\/leave"/, 'no way to leave twice');
  const twice = await leave(o.lead, person, today);
  assert.equal(twice.status, 409);
  assert.match(errors(twice)[0][1], /They left on/);
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE entity = 'assignments' AND via = 'form'
    AND actor_user_id = ${o.user} AND action = 'update' AND after->>'person_id' = '${person}'`)[0][0], '1');
  // Taken on again: a new employment, never before they left.
  const back = await add(o.lead, { staff_id: staffId, given_name: 'Gone', family_name: 'Soon',
    email: `${staffId.toLowerCase()}@forms.ihtrack.test`, ...dateFields('start_date', day(-1)) });
  assert.equal(back.status, 400);
  assert.equal(errors(back)[0][0], 'start_date-day');
  const rejoined = await add(o.lead, { staff_id: staffId, given_name: 'Gone', family_name: 'Soon',
    email: `${staffId.toLowerCase()}@forms.ihtrack.test`, ...dateFields('start_date', today) });
  assert.equal(rejoined.status, 303);
  assert.deepEqual(segments(person, o.org).map((s) => [s[3], s[4], s[5]]),
    [['2024-01-01', day(-1), 'f'], [today, '', 'f']]);
});

test("another organisation's person does not exist to a lead; other roles may not change people", async () => {
  const o = await newOrgLead('PF');
  const s = stranger();
  const missing = await o.lead.get('/people/999999999/change');
  for (const path of [`/people/${s.id}/change`, `/people/${s.id}/leave`]) {
    const res = await o.lead.get(path);
    assert.equal(res.status, 404, path);
    assert.equal(res.text_, missing.text_, `${path}: the same answer as nobody`);
  }
  const csrf_token = await o.lead.csrf('/people/new');
  const posted = await o.lead.post(`/people/${s.id}/leave`, { csrf_token, ...dateFields('end_date', today) });
  assert.equal(posted.status, 404);
  assert.deepEqual(sql(`SELECT coalesce(end_date::text, 'none') FROM assignments WHERE person_id = ${s.id}`), [['none']]);
  for (const email of ['academy@demo.ihtrack.test', 'admin@demo.ihtrack.test', 'staff@demo.ihtrack.test']) {
    const c = new Client();
    await c.signIn(email);
    assert.equal((await c.get('/people/new')).status, 403, email);
    assert.equal((await c.get(`/people/${s.id}/change`)).status, 403, email);
    const record = await c.get(`/people/${s.id}`);
    assert.doesNotMatch(record.text_, /\/change"|\/leave"/, `${email}: no ways to change`);
  }
});

test('every form refuses a post without its token, and writes nothing', async () => {
  const o = await newOrgLead('PF');
  const staffId = unique('C');
  const res = await add(o.lead, { staff_id: staffId, given_name: 'Cee', family_name: 'Surf',
    email: `${staffId.toLowerCase()}@forms.ihtrack.test` });
  const person = res.headers.get('location').match(/\/people\/(\d+)/)[1];
  const audit = () => sql('SELECT max(id) FROM audit_log WHERE via = \'form\'')[0][0];
  const mark = audit();
  for (const [path, body] of [
    ['/people/new', { staff_id: unique('C'), given_name: 'X', family_name: 'Y', email: 'x@y.test', level: 'foundation', ...dateFields('start_date', today) }],
    [`/people/${person}/change`, { level: 'advanced', ...dateFields('effective_from', today) }],
    [`/people/${person}/leave`, dateFields('end_date', today)],
  ]) {
    for (const token of [undefined, 'forged']) {
      const r = await o.lead.post(path, token ? { csrf_token: token, ...body } : body);
      assert.equal(r.status, 403, `${path} ${token}`);
      assert.match(r.text_, /The form has expired/);
    }
  }
  assert.equal(audit(), mark, 'nothing written');
  assert.deepEqual(segments(person, o.org).map((s) => [s[0], s[4]]), [['1', '']]);
});

// Levels from the level rules (migration 0730), as a roster row without
// a level takes them.
test('the forms take a level from the level rules; a level chosen by hand is the lead\'s', async () => {
  const o = await newOrgLead('PR');
  const token = admin('create-token', o.code);
  const rules = await fetch(`${BASE}/api/v1/orgs/${o.code}/level-rules.csv`, {
    method: 'POST', body: 'staff_group,job_role,level\n,Staff Nurse,intermediate\n,Ward Manager,advanced\n',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
  });
  assert.equal(rules.status, 200);
  const source = (person) => sql(`SELECT level, job_role, level_source FROM assignments
    WHERE person_id = ${person} AND org_id = ${o.org} ORDER BY start_date, id`);
  const form = await o.lead.get('/people/new');
  assert.match(form.text_, /<option value="rules">Decided by the level rules<\/option>/);

  const staffId = unique('N');
  const res = await add(o.lead, { staff_id: staffId, given_name: 'Ria', family_name: 'Rule',
    email: `${staffId.toLowerCase()}@forms.ihtrack.test`, job_role: 'staff nurse', level: 'rules' });
  assert.equal(res.status, 303);
  const [, person] = res.headers.get('location').match(/^\/people\/(\d+)\?done=added$/);
  assert.deepEqual(source(person), [['2', 'staff nurse', 'rule']]);
  assert.match((await o.lead.get(`/people/${person}`)).text_, /Intermediate \(by the level rules\)/);

  // None decides: 400 at the level, naming what none decides; nothing kept.
  const none = unique('N');
  const bad = await add(o.lead, { staff_id: none, given_name: 'No', family_name: 'Rule',
    email: `${none.toLowerCase()}@forms.ihtrack.test`, job_role: 'Porter', level: 'rules' });
  assert.equal(bad.status, 400);
  assert.deepEqual(errors(bad).map((e) => e[0]), ['level']);
  assert.match(bad.text_, /No level rule decides staff group &quot;Nursing&quot; with job role &quot;Porter&quot;/);
  assert.equal(sql(`SELECT count(*) FROM people WHERE staff_id = '${none}'`)[0][0], '0');

  // The change form keeps the rules chosen; a new job role takes its level.
  const page = await o.lead.get(`/people/${person}/change`);
  assert.match(page.text_, /<option value="rules" selected>/);
  let ch = await change(o.lead, person, { level: 'rules', staff_group: '', job_role: 'Ward Manager', ...dateFields('effective_from', today) });
  assert.equal(ch.status, 303);
  assert.deepEqual(source(person), [['2', 'staff nurse', 'rule'], ['3', 'Ward Manager', 'rule']]);
  // A level chosen by hand: no rule set moves it.
  ch = await change(o.lead, person, { level: 'advanced', staff_group: '', job_role: 'Ward Manager', ...dateFields('effective_from', today) });
  assert.equal(ch.status, 303);
  assert.deepEqual(source(person).slice(-1), [['3', 'Ward Manager', 'file']]);
  const moved = await fetch(`${BASE}/api/v1/orgs/${o.code}/level-rules.csv`, {
    method: 'POST', body: 'staff_group,job_role,level\n,Ward Manager,foundation\n',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
  });
  assert.equal(moved.status, 200);
  assert.deepEqual(source(person).slice(-1), [['3', 'Ward Manager', 'file']]);
});
