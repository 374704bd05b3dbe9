// A face-to-face session's attendance (issue 15): an organisation's lead
// records one module, date and provider for many of their people at once
// (GET/POST /sessions/new), found by a GET search or pasted as staff IDs.
// The result says who was recorded, who had it already and which staff
// IDs are not on the staff list, and nothing more about those; one
// statement, so nothing is half-written.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client, newOrgLead, sql, unique } from '../lib/harness.mjs';

const [[today]] = sql('SELECT current_date::text');

// Someone on code's staff list since 2022 (until end).
function person(code, given, family, { end = null } = {}) {
  const staffId = unique('A');
  const [[id]] = sql(`INSERT INTO people (staff_id, given_name, family_name, email)
    VALUES ('${staffId}', '${given}', '${family}', '${staffId.toLowerCase()}@sessions.ihtrack.test') RETURNING id`);
  sql(`INSERT INTO assignments (person_id, org_id, level, start_date, end_date)
    SELECT ${id}, id, 1, '2022-01-01', ${end ? `'${end}'` : 'NULL'} FROM organisations WHERE code = '${code}'`);
  return { id, staffId };
}

async function record(c, fields) {
  const csrf_token = await c.csrf('/sessions/new');
  return c.post('/sessions/new', {
    csrf_token, module_code: 'TIC-F01', 'completed_on-day': '12', 'completed_on-month': '3',
    'completed_on-year': '2025', provider: 'Leeds Health and Care Academy', ...fields,
  });
}

// The items of the list under heading h2 on the result page.
function listed(text, heading) {
  const m = text.match(new RegExp(`<h2[^>]*>${heading}</h2>[\\s\\S]*?<ul[^>]*>([\\s\\S]*?)</ul>`));
  return m ? [...m[1].matchAll(/<li>([\s\S]*?)<\/li>/g)].map((l) => l[1].replace(/<[^>]+>/g, '')) : [];
}

const completions = (ids) => sql(`SELECT p.staff_id, c.source, c.provider, c.recorded_via, c.recorded_by
  FROM completions c JOIN people p ON p.id = c.person_id JOIN modules m ON m.id = c.module_id
  WHERE m.code = 'TIC-F01' AND c.completed_on = '2025-03-12' AND c.superseded_at IS NULL
  AND p.id IN (${ids.join(',')}) ORDER BY p.staff_id`);

// The list as pasted: commas, semicolons, spaces, and lines as a browser
// sends a textarea's (CR LF), which Kore alone would drop (form.c).
test('a session records who attended, says who had it already and which IDs are not ours', async () => {
  const o = await newOrgLead('SE');
  const ada = person(o.code, 'Ada', 'Attended');
  const ben = person(o.code, 'Ben', 'Attended');
  const cat = person(o.code, 'Cat', 'Already');
  const dan = person(o.code, 'Dan', 'Departed', { end: '2025-06-30' });
  const other = person('RY6', 'Secret', 'Elsewhere');
  sql(`SELECT ih_record_completion(NULL, NULL, 'import', ${cat.id}, 'TIC-F01', '2025-03-12', 'e-learning', NULL)`);
  const res = await record(o.lead, {
    staff_ids: `${ada.staffId}, ${ben.staffId}\r\n${cat.staffId};${other.staffId}  NOBODY-${unique('X')}\n${ada.staffId}\n${dan.staffId}`,
  });
  assert.equal(res.status, 200);
  assert.match(res.text_, /<h1>Attendance recorded<\/h1>/);
  assert.match(res.text_, /3 recorded, 1 had it already, 2 not on your staff list\./);
  assert.deepEqual(listed(res.text_, 'Recorded'), [
    `Ada Attended, staff ID ${ada.staffId}`, `Ben Attended, staff ID ${ben.staffId}`,
    `Dan Departed, staff ID ${dan.staffId}`]);
  assert.deepEqual(listed(res.text_, 'Had it already'), [`Cat Already, staff ID ${cat.staffId}`]);
  const notOurs = listed(res.text_, 'Not on your staff list');
  assert.equal(notOurs.length, 2);
  assert.equal(notOurs[0], other.staffId);
  assert.match(notOurs[1], /^NOBODY-/);
  assert.doesNotMatch(res.text_, /Secret|Elsewhere/, 'nothing about a person they never employed');
  assert.match(res.text_, /Trauma-informed care: foundation/);
  assert.match(res.text_, /12 Mar 2025/);
  assert.match(res.text_, new RegExp(`href="/people/${ada.id}"`));
  assert.deepEqual(completions([ada.id, ben.id, cat.id, dan.id, other.id]), [
    [ada.staffId, 'face-to-face', 'Leeds Health and Care Academy', 'form', String(o.user)],
    [ben.staffId, 'face-to-face', 'Leeds Health and Care Academy', 'form', String(o.user)],
    [cat.staffId, 'e-learning', '', 'import', ''],
    [dan.staffId, 'face-to-face', 'Leeds Health and Care Academy', 'form', String(o.user)],
  ]);
  // Audited as a form completion is: a row each, the lead's, by form.
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE entity = 'completions' AND action = 'insert'
    AND via = 'form' AND actor_user_id = ${o.user}`)[0][0], '3');
  // The same again records nothing twice.
  const again = await record(o.lead, { staff_ids: `${ada.staffId} ${ben.staffId}` });
  assert.equal(again.status, 200);
  assert.match(again.text_, /0 recorded, 2 had it already, 0 not on your staff list\./);
  assert.equal(sql(`SELECT count(*) FROM completions WHERE person_id IN (${ada.id}, ${ben.id})`)[0][0], '2');
});

test('a wrong form writes nothing and keeps what was typed', async () => {
  const o = await newOrgLead('SE');
  const ada = person(o.code, 'Ada', 'Early');
  const none = () => sql(`SELECT count(*) FROM completions WHERE person_id = ${ada.id}`)[0][0];
  const future = await record(o.lead, { staff_ids: ada.staffId, 'completed_on-day': '1',
    'completed_on-month': '1', 'completed_on-year': String(Number(today.slice(0, 4)) + 1) });
  assert.equal(future.status, 400);
  assert.match(future.text_, /<a href="#completed_on-day">The date of the session must be today or in the past/);
  assert.match(future.text_, new RegExp(`<textarea[^>]*>\\n${ada.staffId}\\n</textarea>`));
  assert.match(future.text_, /1 person on your staff list: Ada Early/);
  const noModule = await record(o.lead, { staff_ids: ada.staffId, module_code: '' });
  assert.equal(noModule.status, 400);
  assert.match(noModule.text_, /<a href="#module_code">Choose the module/);
  const nobody = await record(o.lead, { staff_ids: ' ,\n ' });
  assert.equal(nobody.status, 400);
  assert.match(nobody.text_, /<a href="#staff_ids">Enter the staff IDs/);
  // Too many at once: refused whole, even those that are ours.
  const many = [ada.staffId, ...Array.from({ length: 1000 }, (_, i) => `MANY-${i}`)].join('\n');
  const tooMany = await record(o.lead, { staff_ids: many });
  assert.equal(tooMany.status, 400);
  assert.match(tooMany.text_, /<a href="#staff_ids">Enter at most 1,000 staff IDs at a time/);
  assert.equal(none(), '0');
  const forged = await o.lead.post('/sessions/new', { csrf_token: 'forged', staff_ids: ada.staffId,
    module_code: 'TIC-F01', completed_on: '2025-03-12' });
  assert.equal(forged.status, 403);
  assert.equal(none(), '0');
});

test('the search finds only the lead\'s own people and adds those ticked to the list', async () => {
  const o = await newOrgLead('SE');
  const family = unique('Fam');
  const ada = person(o.code, 'Ada', family);
  const ben = person(o.code, 'Ben', family);
  const other = person('RY6', 'Cy', family);
  const found = await o.lead.get(`/sessions/new?q=${family}`);
  assert.equal(found.status, 200);
  assert.match(found.text_, new RegExp(`name="add" type="checkbox" value="${ada.staffId}"`));
  assert.match(found.text_, new RegExp(`value="${ben.staffId}"`));
  assert.doesNotMatch(found.text_, new RegExp(`${other.staffId}|Cy ${family}`));
  assert.doesNotMatch(found.text_.match(/<form method="get"[\s\S]*?<\/form>/)[0], /csrf_token/,
    'no form token in an address');
  // Ticked: added to the list it carries, and shown as in it.
  const added = await o.lead.get(`/sessions/new?q=${family}&staff_ids=${encodeURIComponent(`X-${family} `)}&add=${ada.staffId}`);
  assert.equal(added.status, 200);
  assert.match(added.text_, new RegExp(`<textarea[^>]*>\\nX-${family}\\n${ada.staffId}\\n</textarea>`));
  assert.match(added.text_, new RegExp(`name="staff_ids" value="X-${family} ${ada.staffId} "`),
    'the search carries the list without line breaks, which Kore refuses in an address');
  assert.match(added.text_, new RegExp(`Ada ${family}, staff ID ${ada.staffId}: in the list`));
  assert.match(added.text_, new RegExp(`1 person on your staff list: Ada ${family} \\(${ada.staffId}\\)`));
  assert.match(added.text_, new RegExp(`Not on your staff list: X-${family}\\.`));
  // Not another organisation's, even by its staff ID.
  const byId = await o.lead.get(`/sessions/new?q=${other.staffId}`);
  assert.match(byId.text_, /Nobody on your staff list matches/);
});

test('only an organisation lead records sessions', async () => {
  for (const email of ['academy@demo.ihtrack.test', 'admin@demo.ihtrack.test', 'staff@demo.ihtrack.test']) {
    const c = new Client();
    await c.signIn(email);
    assert.equal((await c.get('/sessions/new')).status, 403, email);
  }
});
