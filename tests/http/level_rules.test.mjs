// Levels decided by rules (issue 15): POST /api/v1/orgs/{CODE}/level-rules.csv
// and POST /api/v1/level-rules.csv replace an organisation's (or the
// system-wide) rule set from effective_from; the most specific rule wins;
// the people whose level came from rules move from that date, history
// kept, so reports as at earlier dates do not move; a bad file changes
// nothing; the page's preview says what saving does; and a roster row
// without a level takes it from the rules (level_source 'rule'), an
// explicit level winning ('file').
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, Client, admin, newPerson, postCsv, sql, unique } from '../lib/harness.mjs';
import { assertCoverageAgrees } from '../lib/coverage_check.mjs';

const system = admin('create-token', '--system');
const [[today, yesterday, tomorrow]] = sql(`SELECT current_date::text,
  (current_date - 1)::text, (current_date + 1)::text`);
const PASSWORD = 'lantern orchid hedgehog 42';

function newOrg() {
  const code = unique('LV').slice(0, 14).toUpperCase();
  admin('create-org', code, `Levels ${code}`);
  return { code, token: admin('create-token', code) };
}

// A person at org whose level came from the rules (unless source says).
const person = (org, { source = 'rule', ...rest } = {}) => newPerson(org.code, { ...rest, levelSource: source });

// The person's assignments at org: level, start, end ('' open), continues?
function segments(id) {
  return sql(`SELECT a.level, a.start_date, coalesce(a.end_date::text, ''),
      a.continues IS NOT NULL, a.level_source
    FROM assignments a JOIN people p ON p.id = a.person_id
    WHERE p.staff_id = '${id}' ORDER BY a.start_date, a.id`);
}
const levelNow = (id) => segments(id).filter((s) => s[1] <= today && (s[2] === '' || s[2] >= today))
  .map((s) => s[0]).join(',');

async function post(org, csv, { token = org?.token, query = '', system: sys = false, type = 'text/csv' } = {}) {
  const url = sys ? `${BASE}/api/v1/level-rules.csv${query}`
    : `${BASE}/api/v1/orgs/${org.code}/level-rules.csv${query}`;
  const res = await fetch(url, {
    method: 'POST', body: csv,
    headers: { authorization: `Bearer ${token}`, 'content-type': type },
  });
  return { status: res.status, json: await res.json() };
}

// The page's form: rows of [staff group, job role, level], the date as
// [day, month, year], the button pressed.
function rulesForm(csrf, rows, [day, month, year], action) {
  const b = new URLSearchParams({ csrf_token: csrf });
  for (const [g, r, l] of rows) {
    b.append('staff_group', g);
    b.append('job_role', r);
    b.append('level', l);
  }
  b.append('effective_from-day', day);
  b.append('effective_from-month', month);
  b.append('effective_from-year', year);
  b.append('action', action);
  return b.toString();
}

async function coverage(org, asOf) {
  const res = await fetch(`${BASE}/api/v1/coverage?org=${org.code}&as_of=${asOf}`,
    { headers: { authorization: `Bearer ${system}` } });
  assert.equal(res.status, 200);
  return JSON.stringify((await res.json()).organisations[0]);
}

const sets = (org) => sql(`SELECT count(*) FROM level_rule_sets s JOIN organisations o ON o.id = s.org_id
  WHERE o.code = '${org.code}'`)[0][0];
// The import's lookup at org (code '': the system-wide rules alone).
const levelFor = (org, group, role, day = today) => sql(`SELECT coalesce(ih_level_for(
  (SELECT o.id FROM organisations o WHERE o.code = '${org.code}'), '${group}', '${role}', DATE '${day}')::text,
  'none')`)[0][0];

test('the most specific rule wins: both fields, job role (exact, then the longest prefix), staff group, catch-all', async () => {
  const org = newOrg();
  const p = {
    both: person(org, { group: 'Nursing', role: 'Staff Nurse' }),
    role: person(org, { group: 'Estates', role: 'Staff Nurse' }),
    group: person(org, { group: 'Nursing', role: 'Porter' }),
    prefix: person(org, { group: 'Estates', role: 'Nurse Consultant' }),
    longer: person(org, { group: 'Estates', role: 'Nurse Specialist Band 7' }),
    any: person(org, { group: 'Estates', role: 'Porter', level: 2 }),
    file: person(org, { group: 'Estates', role: 'Porter', source: 'file' }),
  };
  const csv = 'Staff_Group, JOB_ROLE ,Level\n'
    + '" nursing ","STAFF NURSE ",Advanced\n' // case and spaces do not matter
    + ',Staff Nurse,intermediate\n'
    + 'Nursing,,INTERMEDIATE\n'
    + ',Nurse*,intermediate\n'
    + ',Nurse Specialist*,advanced\n'
    + ',,foundation\n';
  const { status, json } = await post(org, csv);
  assert.equal(status, 200, JSON.stringify(json));
  assert.equal(json.rules, 6);
  assert.equal(json.organisation, org.code);
  assert.equal(json.moved_on, today);
  assert.deepEqual(json.moved, [
    { from: 'intermediate', to: 'foundation', people: 1 },
    { from: 'foundation', to: 'intermediate', people: 3 },
    { from: 'foundation', to: 'advanced', people: 2 },
  ]);
  assert.equal(json.people_moved, 6);
  assert.deepEqual(json.no_rule, []);
  assert.equal(levelNow(p.both), '3', 'staff group and job role');
  assert.equal(levelNow(p.role), '2', 'job role');
  assert.equal(levelNow(p.group), '2', 'staff group');
  assert.equal(levelNow(p.prefix), '2', 'job role prefix');
  assert.equal(levelNow(p.longer), '3', 'the longer prefix');
  assert.equal(levelNow(p.any), '1', 'catch-all');
  assert.equal(levelNow(p.file), '1', 'a level the file gave stays');
  // The import's lookup: the same answers, trimmed and in any case.
  assert.equal(levelFor(org, ' NURSING', 'staff nurse  '), '3');
  assert.equal(levelFor(org, 'Estates', 'nurse practitioner'), '2');
  assert.equal(levelFor(org, 'Estates', 'Nurse'), '2', 'a prefix matches the role itself');
  assert.equal(levelFor(org, '', ''), '1');
});

test("an organisation's own rules override the system-wide ones, which decide the rest", async () => {
  const org = newOrg();
  const other = newOrg();
  const porter = person(org, { group: 'Estates', role: 'Porter' });
  const cleaner = person(org, { group: 'Estates', role: 'Cleaner' });
  const elsewhere = person(other, { group: 'Estates', role: 'Cleaner' });
  assert.equal((await post(org, 'staff_group,job_role,level\n,Porter,intermediate\n')).status, 200);
  const sys = await post(null, 'staff_group,job_role,level\n,Porter,advanced\n,Cleaner,advanced\n',
    { token: system, system: true });
  assert.equal(sys.status, 200, JSON.stringify(sys.json));
  assert.equal(sys.json.organisation, null);
  assert.ok(sys.json.people_moved >= 2);
  assert.equal(levelNow(porter), '2', "the organisation's rule");
  assert.equal(levelNow(cleaner), '3', 'the system-wide rule, where none of its own decides');
  assert.equal(levelNow(elsewhere), '3');
  // An organisation's catch-all leaves nothing to the system's rules.
  const own = await post(other, 'staff_group,job_role,level\n,,foundation\n');
  assert.deepEqual(own.json.moved, [{ from: 'advanced', to: 'foundation', people: 1 }]);
  assert.equal(levelNow(elsewhere), '1');
  // Rules that decide nobody any more leave people at their level.
  const none = await post(org, 'staff_group,job_role,level\nNursing,,intermediate\n');
  assert.equal(none.status, 200);
  assert.equal(levelNow(porter), '3', 'now the system-wide rule for porters');
  const gone = await post(null, 'staff_group,job_role,level\n', { token: system, system: true });
  assert.equal(gone.status, 200);
  assert.equal(gone.json.rules, 0);
  assert.ok(gone.json.no_rule.some((n) => n.level === 'advanced' && n.people >= 2), JSON.stringify(gone.json));
  assert.equal(levelNow(porter), '3', 'kept');
  assert.equal(levelNow(cleaner), '3', 'kept');
});

test('a new rule set moves people from its date: figures as at yesterday stay, from today they change', async () => {
  const org = newOrg();
  const nurses = [0, 1, 2].map(() => person(org, { role: 'Staff Nurse', start: '2024-02-01' }));
  const starter = person(org, { role: 'Staff Nurse', start: tomorrow });
  const fixed = person(org, { role: 'Staff Nurse', source: 'file', start: '2024-02-01' });
  assert.equal((await post(org, 'staff_group,job_role,level\n,,foundation\n')).status, 200);
  const beforeYesterday = await coverage(org, yesterday);
  const beforeToday = await coverage(org, today);
  assert.equal(beforeYesterday, beforeToday);
  assert.match(beforeToday, /"code":"TIC-I01","required":0,/);

  const { status, json } = await post(org, 'staff_group,job_role,level\n,Staff Nurse,intermediate\n');
  assert.equal(status, 200, JSON.stringify(json));
  assert.equal(json.effective_from, today);
  assert.deepEqual(json.moved, [{ from: 'foundation', to: 'intermediate', people: 4 }]);
  assert.equal(await coverage(org, yesterday), beforeYesterday, 'as at yesterday: unchanged');
  assert.match(await coverage(org, today), /"code":"TIC-I01","required":3,/, 'from today');
  // History kept as for a promotion in a roster (migration 0305).
  assert.deepEqual(segments(nurses[0]), [
    ['1', '2024-02-01', yesterday, 'f', 'rule'],
    ['2', today, '', 't', 'rule'],
  ]);
  // One that starts on or after the date changes in place; a level the
  // file gave does not move.
  assert.deepEqual(segments(starter), [['2', tomorrow, '', 'f', 'rule']]);
  assert.deepEqual(segments(fixed), [['1', '2024-02-01', '', 'f', 'file']]);

  // A set from a later day moves people from that day only.
  const later = await post(org, 'staff_group,job_role,level\n,Staff Nurse,advanced\n',
    { query: `?effective_from=${tomorrow}` });
  assert.equal(later.status, 200, JSON.stringify(later.json));
  assert.equal(later.json.effective_from, tomorrow);
  assert.equal(later.json.moved_on, tomorrow);
  assert.match(await coverage(org, today), /"code":"TIC-I01","required":3,/);
  assert.deepEqual(segments(nurses[1]).map((s) => [s[0], s[1], s[2]]), [
    ['1', '2024-02-01', yesterday],
    ['2', today, today],
    ['3', tomorrow, ''],
  ]);
  assert.deepEqual(segments(starter), [['3', tomorrow, '', 'f', 'rule']]);
  assert.equal(levelFor(org, '', 'staff nurse', today), '2');
  assert.equal(levelFor(org, '', 'staff nurse', tomorrow), '3');
});

test("an organisation's first rule set applies to every date; later ones from their own", async () => {
  const org = newOrg();
  // Before: whatever the system-wide rules say, on that date.
  assert.equal(levelFor(org, 'Maternity', 'Midwife', '2001-01-01'), levelFor({ code: '' }, 'Maternity',
    'Midwife', '2001-01-01'));
  const first = await post(org, 'staff_group,job_role,level\nMaternity,,advanced\n',
    { query: `?effective_from=${tomorrow}` });
  assert.equal(first.status, 200, JSON.stringify(first.json));
  assert.equal(first.json.effective_from, null, 'every date');
  assert.equal(first.json.moved_on, tomorrow);
  assert.equal(levelFor(org, 'Maternity', 'Midwife', '2001-01-01'), '3');
  const second = await post(org, 'staff_group,job_role,level\nMaternity,,intermediate\n');
  assert.equal(second.json.effective_from, today);
  assert.equal(levelFor(org, 'Maternity', 'Midwife', yesterday), '3', 'the first set before');
  assert.equal(levelFor(org, 'Maternity', 'Midwife', today), '2');
  // The page says so.
  const code = org.code;
  const lead = `lead.${code.toLowerCase()}@levels.ihtrack.test`;
  admin('create-user', lead, 'org_lead', code, { stdin: `${PASSWORD}\n` });
  const c = new Client();
  await c.signIn(lead, PASSWORD);
  const page = await c.get('/level-rules');
  assert.equal(page.status, 200);
  assert.match(page.text_, /In force today, since \d+ \w+ \d{4}/);
  assert.doesNotMatch(page.text_, /Planned from/);
});

test('effective_from in the past is refused, and nothing changes', async () => {
  const org = newOrg();
  const nurse = person(org, { role: 'Staff Nurse' });
  const q = await post(org, 'staff_group,job_role,level\n,,advanced\n', { query: `?effective_from=${yesterday}` });
  assert.equal(q.status, 422);
  assert.deepEqual(q.json.errors.map((e) => [e.line, e.column, e.code]), [[null, 'effective_from', 'past_date']]);
  const col = await post(org, `staff_group,job_role,level,effective_from\n,,advanced,\n,Porter,advanced,${yesterday}\n`);
  assert.equal(col.status, 422);
  assert.deepEqual(col.json.errors.map((e) => [e.line, e.column, e.code]), [[3, 'effective_from', 'past_date']]);
  assert.equal(sets(org), '0');
  assert.equal(levelNow(nurse), '1');
  const bad = await post(org, 'staff_group,job_role,level\n,,advanced\n', { query: '?effective_from=soon' });
  assert.equal(bad.status, 400);
  // A date the file gives, in any form an import takes.
  const [[d, m, y]] = sql(`SELECT to_char(current_date + 2, 'DD'), to_char(current_date + 2, 'MM'),
    to_char(current_date + 2, 'YYYY')`);
  const ok = await post(org, `staff_group,job_role,level,effective_from\n,,advanced,${d}/${m}/${y}\n,Porter,advanced,\n`);
  assert.equal(ok.status, 200, JSON.stringify(ok.json));
  assert.equal(ok.json.moved_on, `${y}-${m}-${d}`);
});

test('a bad file is 422 with its errors by line, and changes nothing', async () => {
  const org = newOrg();
  const nurse = person(org, { role: 'Staff Nurse' });
  const cases = [
    ['', [[1, null, 'empty_file']]],
    ['staff_group,level\nNursing,advanced\n', [[1, 'job_role', 'missing_column']]],
    ['staff_group,job_role,level,level\n', [[1, 'level', 'duplicate_column']]],
    ['staff_group,job_role,level,effective_from\n'
      + 'Nursing,Staff Nurse,advanced,\n'
      + 'Nursing,Porter,senior,\n'
      + ',Porter\n'
      + ' NURSING , staff nurse ,foundation,\n'
      + ',*,advanced,\n'
      + `,Cleaner,,${tomorrow}\n`
      + `,Driver,advanced,${today}\n`
      + '"Estates,Porter\n',
    [
      [3, 'level', 'invalid_level'],
      [4, null, 'wrong_field_count'],
      [5, 'job_role', 'duplicate_rule'],
      [6, 'job_role', 'invalid_job_role'],
      [7, 'level', 'missing_value'],
      [8, 'effective_from', 'effective_from_differs'],
      [9, null, 'unterminated_quote'],
    ]],
  ];
  for (const [csv, want] of cases) {
    const { status, json } = await post(org, csv);
    assert.equal(status, 422, csv);
    assert.deepEqual(json.errors.map((e) => [e.line, e.column, e.code]), want, csv);
  }
  const dup = (await post(org, cases[3][0])).json.errors.find((e) => e.code === 'duplicate_rule');
  assert.match(dup.message, /^Line 2 already has a rule/, 'names the other line');
  assert.equal(sets(org), '0');
  assert.equal(levelNow(nurse), '1');
  // Unknown columns are warnings, as in an import.
  const warned = await post(org, 'staff_group,job_role,level,notes\n,,foundation,hello\n', { query: '?dry_run=1' });
  assert.equal(warned.status, 200);
  assert.deepEqual(warned.json.warnings.map((w) => [w.line, w.column, w.code]), [[1, 'notes', 'unknown_column']]);
  assert.equal(warned.json.set, null);
  assert.equal(sets(org), '0', 'a dry run keeps nothing');
});

test('who may: a token of the organisation or a system token, as for imports', async () => {
  const org = newOrg();
  const other = newOrg();
  const csv = 'staff_group,job_role,level\n,,foundation\n';
  assert.equal((await post(org, csv, { token: 'f'.repeat(64) })).status, 401);
  assert.equal((await post(org, csv, { token: other.token })).status, 403);
  assert.equal((await post({ code: 'NOSUCHORG' }, csv, { token: other.token })).status, 403);
  assert.equal((await post({ code: 'NOSUCHORG' }, csv, { token: system })).status, 404);
  assert.equal((await post(org, csv, { token: system, type: 'text/plain' })).status, 415);
  assert.equal((await post(org, csv, { token: system })).status, 200);
  assert.equal((await post(null, csv, { token: org.token, system: true })).status, 403);
  // A session is not enough to change data through /api/v1/.
  const c = new Client();
  await c.signIn('academy@demo.ihtrack.test');
  const res = await c.post('/api/v1/level-rules.csv', Buffer.from(csv), { headers: { 'content-type': 'text/csv' } });
  assert.equal(res.status, 401);
});

test('the page previews exactly what saving does; the preview keeps nothing', async () => {
  const org = newOrg();
  const lead = `lead.${org.code.toLowerCase()}@levels.ihtrack.test`;
  admin('create-user', lead, 'org_lead', org.code, { stdin: `${PASSWORD}\n` });
  for (let i = 0; i < 4; i++) person(org, { group: 'Nursing', role: 'Staff Nurse' });
  person(org, { group: 'Estates', role: 'Porter', level: 3 });
  const c = new Client();
  await c.signIn(lead, PASSWORD);
  const csrf = await c.csrf('/level-rules');
  // More fields than Kore keeps by itself (19): 8 rows of three.
  const form = (action) => rulesForm(csrf, [['Nursing', '', 'intermediate'], ['', 'Porter', 'foundation'],
    ['', 'Driver', 'advanced'], ['', 'Cleaner', 'advanced'], ['', 'Chef', 'advanced'],
    ['', 'Gardener', 'advanced'], ['', '', ''], ['', '', '']], ['', '', ''], action);
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  const preview = await c.req('POST', '/level-rules', { body: form('preview'), headers });
  assert.equal(preview.status, 200);
  const text = preview.text_.replace(/<[^>]+>/g, '');
  assert.match(text, /The new set has 6 rules/);
  assert.match(text, /makes 4 people Intermediate \(4 were Foundation\)/);
  assert.match(text, /makes 1 person Foundation \(1 was Advanced\)/);
  assert.match(preview.text_, /value="Gardener"/, 'the sixth row, past the 19th field');
  assert.equal(sets(org), '0');
  const saved = await c.req('POST', '/level-rules', { body: form('save'), headers });
  assert.equal(saved.status, 303);
  assert.match(saved.headers.get('location'), /^\/level-rules\?saved=\d+#saved$/);
  assert.equal(sets(org), '1');
  const after = await c.get(saved.headers.get('location').replace(/#.*/, ''));
  const said = after.text_.replace(/<[^>]+>/g, '');
  assert.match(said, /The rules are saved/);
  assert.match(said, /made 4 people Intermediate \(4 were Foundation\)/);
  assert.match(said, /made 1 person Foundation \(1 was Advanced\)/);
  // The same change through the API, dry run and real, agree too.
  const csv = 'staff_group,job_role,level\nNursing,,advanced\n';
  const dry = await post(org, csv, { token: system, query: '?dry_run=1' });
  const real = await post(org, csv, { token: system });
  assert.deepEqual(dry.json.moved, real.json.moved);
  assert.deepEqual(real.json.moved, [{ from: 'intermediate', to: 'advanced', people: 4 }]);
});

test('the page: mistakes at their fields with what was typed, 400; who may see it', async () => {
  const lead = new Client();
  await lead.signIn('lead.rr8@demo.ihtrack.test');
  const csrf = await lead.csrf('/level-rules');
  const body = rulesForm(csrf, [['Nursing', 'Nurse <b>', ''], ['', '*', 'advanced'],
    ['nursing', 'NURSE <B>', 'foundation']], ['1', '1', '2001'], 'preview');
  const res = await lead.req('POST', '/level-rules', { body,
    headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(res.status, 400);
  assert.match(res.text_, /<title>Error: Level rules/);
  assert.match(res.text_, /id="level-1-error"[\s\S]*Choose a level for rule 1/);
  assert.match(res.text_, /id="job_role-2-error"[\s\S]*a job role of \* alone/);
  assert.match(res.text_, /id="job_role-3-error"[\s\S]*Rule 3 has the same staff group and job role as rule 1/);
  assert.match(res.text_, /must be today or later/);
  assert.match(res.text_, /value="Nurse &lt;b&gt;"/);
  assert.match(res.text_, /id="effective_from-year"[^>]*value="2001"/);
  // An academy lead reads an organisation's rules, and changes none.
  const academy = new Client();
  await academy.signIn('academy@demo.ihtrack.test');
  const ro = await academy.get('/level-rules?org=RR8');
  assert.equal(ro.status, 200);
  assert.doesNotMatch(ro.text_, /name="staff_group"/);
  assert.equal((await lead.get('/level-rules?org=RY6')).status, 403);
  assert.equal((await lead.get('/level-rules?org=NOSUCHORG')).status, 404);
  const staff = new Client();
  await staff.signIn('staff@demo.ihtrack.test');
  assert.equal((await staff.get('/level-rules')).status, 403);
  const home = await lead.get('/');
  assert.match(home.text_, /href="\/level-rules"/);
  assert.match((await academy.get('/')).text_, /href="\/level-rules"/);
  // In the menu of both; not of staff or admins.
  const menu = (text) => /class="nhsuk-header__navigation-link" href="\/level-rules"/.test(text);
  assert.ok(menu(home.text_) && menu((await academy.get('/')).text_));
  assert.ok(!menu((await staff.get('/my-training')).text_));
  const adm = new Client();
  await adm.signIn('admin@demo.ihtrack.test');
  assert.ok(!menu((await adm.get('/admin/users')).text_));
  // The organisation's report links to its rules, which both may open.
  for (const c of [lead, academy]) {
    const report = await c.get('/reports/coverage/RR8');
    assert.match(report.text_, /href="\/level-rules\?org=RR8"/);
    assert.equal((await c.get('/level-rules?org=RR8')).status, 200);
  }
  // Their changes are in the audit trail's filter.
  assert.match((await adm.get('/admin/audit')).text_, /<option value="level_rules">Level rules<\/option>/);
});

test('the coverage figures a rule change keeps equal the plain query, before and after its date', async () => {
  // Kept in C by the server, and in SQL by ih_level_rules_replace (psql).
  const org = newOrg();
  const other = newOrg();
  for (let i = 0; i < 3; i++) {
    person(org, { group: 'Nursing', role: 'Staff Nurse' });
    person(other, { group: 'Nursing', role: 'Staff Nurse', start: '2025-03-01' });
  }
  assert.equal((await post(org, 'staff_group,job_role,level\nNursing,,advanced\n',
    { query: `?effective_from=${tomorrow}` })).status, 200);
  const [[moved]] = sql(`SELECT sum(r.people) FROM organisations o, ih_level_rules_replace(o.id, current_date + 1,
    '[{"line": 1, "staff_group": "nursing", "job_role": "", "level": "intermediate"}]', NULL, NULL, 'sql', false) r
    WHERE o.code = '${other.code}'`);
  assert.equal(moved, '3');
  await assertCoverageAgrees([yesterday, today, tomorrow]);
});

// A roster through the import API: its JSON, asserting the status.
async function roster(org, csv, status = 200, query = '') {
  const res = await postCsv(org.code, 'staff', csv, org.token, { query });
  const json = await res.json();
  assert.equal(res.status, status, JSON.stringify(json));
  return json;
}

const rosterRow = (id, group, role, level = '', start = '2024-04-01') =>
  `${id},Rule,Person,${id.toLowerCase()}@levels.ihtrack.test,${group},${role},${level},${start}\n`;
const HEAD = 'staff_id,given_name,family_name,email,staff_group,job_role,level,start_date\n';

test('a roster row without a level takes it from the rules; an explicit level wins; none deciding is an error', async () => {
  const org = newOrg();
  assert.equal((await post(org, 'staff_group,job_role,level\n'
    + 'Nursing,,intermediate\n,Consultant*,advanced\nNursing,Ward Manager,advanced\n,,foundation\n')).status, 200);
  const [a, b, c, d, e] = [1, 2, 3, 4, 5].map(() => unique('R'));
  const json = await roster(org, HEAD + rosterRow(a, 'Nursing', 'Staff Nurse')
    + rosterRow(b, ' nursing ', 'WARD MANAGER') + rosterRow(c, 'Medical', 'Consultant Psychiatrist')
    + rosterRow(d, 'Admin', 'Receptionist') + rosterRow(e, 'Nursing', 'Staff Nurse', 'foundation'));
  assert.equal(json.accepted, 5);
  assert.deepEqual([a, b, c, d, e].map((id) => segments(id).map((s) => `${s[0]} ${s[4]}`).join()),
    ['2 rule', '3 rule', '3 rule', '1 rule', '1 file']);

  // No level column at all: the same; a row no rule decides names its
  // staff group and job role, and nothing of the file is kept.
  const other = newOrg();
  assert.equal((await post(other, 'staff_group,job_role,level\nNursing,,intermediate\n')).status, 200);
  const [f, g] = [unique('R'), unique('R')];
  const bad = await roster(other, 'staff_id,given_name,family_name,email,staff_group,job_role,start_date\n'
    + `${f},Rule,Person,${f.toLowerCase()}@levels.ihtrack.test,Nursing,Staff Nurse,2024-04-01\n`
    + `${g},Rule,Person,${g.toLowerCase()}@levels.ihtrack.test,Estates,Porter,2024-04-01\n`, 422);
  assert.equal(bad.errors.length, 1);
  assert.equal(bad.errors[0].line, 3);
  assert.equal(bad.errors[0].column, 'level');
  assert.equal(bad.errors[0].code, 'no_level_rule');
  assert.match(bad.errors[0].message, /staff group "Estates" with job role "Porter": give this row a level/);
  assert.equal(segments(f).length, 0, 'nothing kept');
});

test('people whose level the import took from the rules move with the next rule set; past figures stay', async () => {
  const org = newOrg();
  assert.equal((await post(org, 'staff_group,job_role,level\n,Support Worker,foundation\n')).status, 200);
  const [a, b] = [unique('R'), unique('R')];
  await roster(org, HEAD + rosterRow(a, 'Care', 'Support Worker') + rosterRow(b, 'Care', 'Support Worker', 'foundation'));
  const before = await coverage(org, yesterday);
  const { json } = await post(org, 'staff_group,job_role,level\n,Support Worker,intermediate\n');
  assert.deepEqual(json.moved, [{ from: 'foundation', to: 'intermediate', people: 1 }]);
  assert.deepEqual(segments(a).map((s) => [s[0], s[1], s[2], s[4]]),
    [['1', '2024-04-01', yesterday, 'rule'], ['2', today, '', 'rule']]);
  assert.deepEqual(segments(b).map((s) => s[0]), ['1'], 'the file\'s level stays');
  assert.equal(await coverage(org, yesterday), before, 'as at yesterday: unchanged');

  // The same roster again changes nothing: the rules still say 2.
  const again = await roster(org, HEAD + rosterRow(a, 'Care', 'Support Worker') + rosterRow(b, 'Care', 'Support Worker', 'foundation'));
  assert.equal(again.unchanged, 2, JSON.stringify(again));
  // A level given where the rules gave one: from today it is the file's.
  await roster(org, HEAD + rosterRow(a, 'Care', 'Support Worker', 'advanced'));
  assert.deepEqual(segments(a).slice(-1).map((s) => [s[0], s[4]]), [['3', 'file']]);
});

test('a roster imported after a rule set was posted for a later day: its people move on that day too', async () => {
  const org = newOrg();
  assert.equal((await post(org, 'staff_group,job_role,level\n,Porter,foundation\n')).status, 200);
  assert.equal((await post(org, 'staff_group,job_role,level\n,Porter,intermediate\n',
    { query: `?effective_from=${tomorrow}` })).status, 200);
  const a = unique('R');
  await roster(org, HEAD + rosterRow(a, 'Estates', 'Porter'));
  assert.deepEqual(segments(a).map((s) => [s[0], s[1], s[2], s[4]]),
    [['1', '2024-04-01', today, 'rule'], ['2', tomorrow, '', 'rule']]);

  // A change of job role from yesterday takes yesterday's rules (none
  // for drivers yet: an error), and a set posted since from its day.
  const b = unique('R');
  await roster(org, HEAD + rosterRow(b, 'Estates', 'Porter'));
  const driver = 'staff_id,given_name,family_name,email,staff_group,job_role,start_date,effective_from\n'
    + `${b},Rule,Person,${b.toLowerCase()}@levels.ihtrack.test,Estates,Driver,2024-04-01,${yesterday}\n`;
  const refused = (await roster(org, driver, 422)).errors[0];
  assert.equal(refused.code, 'no_level_rule');
  const [[yesterdayWords]] = sql(`SELECT to_char(DATE '${yesterday}', 'FMDD Mon YYYY')`);
  assert.match(refused.message, new RegExp(`job role "Driver" on ${yesterdayWords}: give this row a level`));
  const fresh = newOrg();
  assert.equal((await post(fresh, 'staff_group,job_role,level\n,Porter,foundation\n,Driver,intermediate\n')).status, 200);
  assert.equal((await post(fresh, 'staff_group,job_role,level\n,Porter,foundation\n,Driver,advanced\n')).status, 200);
  const c = unique('R');
  await roster(fresh, HEAD + rosterRow(c, 'Estates', 'Porter'));
  await roster(fresh, driver.replaceAll(b, c).replaceAll(b.toLowerCase(), c.toLowerCase()));
  const [[dayBefore]] = sql(`SELECT (DATE '${yesterday}' - 1)::text`);
  assert.deepEqual(segments(c).map((s) => [s[0], s[1], s[2], s[4]]), [
    ['1', '2024-04-01', dayBefore, 'rule'],
    ['2', yesterday, yesterday, 'rule'],
    ['3', today, '', 'rule'],
  ]);
  await assertCoverageAgrees([yesterday, today, tomorrow]);
});
