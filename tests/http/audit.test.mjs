// The audit trail: every write says who, when, what, before and after,
// and how; admins read it as a page and a CSV; nobody can change it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client, newStaff, sql } from '../lib/harness.mjs';

// YYYY-MM-DD in Europe/London, whose days the filters mean.
function today(offsetDays = 0) {
  const d = new Date(Date.now() + offsetDays * 86400000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(d);
}

test('a completion recorded on the form is in the trail with who, how, before and after', async () => {
  const { email, personId } = newStaff();
  const c = new Client();
  await c.signIn(email);
  const csrf_token = await c.csrf('/record');
  const res = await c.post('/record', { csrf_token, module_code: 'IHF-01',
    completed_on: today(-3), source: 'face-to-face', provider: '=HYPERLINK("http://x")' });
  assert.equal(res.status, 303);
  const [[id]] = sql(`SELECT id FROM completions WHERE person_id = ${personId}`);
  const rows = sql(`SELECT a.action, a.via, u.email, a.before IS NULL, a.after->>'provider'
    FROM audit_log a JOIN users u ON u.id = a.actor_user_id
    WHERE a.entity = 'completions' AND a.entity_id = ${id}`);
  assert.deepEqual(rows, [['insert', 'form', email, 't', '=HYPERLINK("http://x")']]);

  const adm = new Client();
  await adm.signIn('admin@demo.ihtrack.test');
  const pageRes = await adm.get(`/admin/audit?entity=completions&entity_id=${id}`);
  assert.equal(pageRes.status, 200);
  assert.match(pageRes.text_, /<h1>Audit trail<\/h1>/);
  assert.ok(pageRes.text_.includes(`Test Person, ${email}`), 'names the actor');
  assert.ok(!pageRes.text_.includes('=HYPERLINK("'), 'values are HTML-escaped');
  assert.match(pageRes.text_, /Provider: =HYPERLINK\(&quot;http:\/\/x&quot;\)/);
  assert.match(pageRes.text_, /The one matching entry/);
  // The record by what it is, each value named and dated as people write it.
  assert.match(pageRes.text_, /<strong>Added<\/strong><br><a href="\/admin\/audit\?entity=completions&amp;entity_id=\d+">Completion of IHF-01 by Test Person<\/a>/);
  const [yy, mm, dd] = today(-3).split('-');
  const written = `${+dd} ${'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ')[mm - 1]} ${yy}`;
  assert.ok(pageRes.text_.includes(`<li>Completed on: ${written}</li>`), `completed on ${written}`);
  assert.match(pageRes.text_, /<li>Person: Test Person<\/li><li>Module: IHF-01<\/li>/);
  assert.match(pageRes.text_, /<li>Source: face-to-face<\/li>/);
  assert.doesNotMatch(pageRes.text_, /person_id|module_id|&quot;id&quot;|\{&quot;/, 'no ids, no JSON');
  assert.match(pageRes.text_, /href="\/admin\/audit\?format=csv&amp;entity=completions&amp;entity_id=\d+"/);

  const csv = await adm.get(`/admin/audit?format=csv&entity=completions&entity_id=${id}`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  assert.match(csv.headers.get('content-disposition'), /attachment/);
  const lines = csv.text_.trimEnd().split('\r\n');
  assert.equal(lines[0], 'id,at,actor,token,source,action,entity,entity_id,before,after');
  assert.equal(lines.length, 2);
  assert.ok(lines[1].startsWith(`${lines[1].split(',')[0]},`));
  assert.ok(lines[1].includes(`,${email},,form,insert,completions,${id},,"{`), lines[1]);
  assert.ok(lines[1].includes('""provider"": ""=HYPERLINK(\\""http://x\\"")""'), 'quotes doubled');
});

test('sessions, sign-out and an API token change are in the trail; secrets are not', async () => {
  const { email } = newStaff();
  const c = new Client();
  await c.signIn(email);
  const csrf_token = await c.csrf('/');
  assert.equal((await c.post('/sign-out', { csrf_token })).status, 303);
  const rows = sql(`SELECT a.action, a.via, a.after ? 'token_hash', a.after ? 'csrf_token'
    FROM audit_log a JOIN users u ON u.id = a.actor_user_id
    WHERE a.entity = 'sessions' AND u.email = '${email}' ORDER BY a.id`);
  assert.deepEqual(rows, [['insert', 'form', 'f', 'f'], ['update', 'form', 'f', 'f']]);
});

test('filters: by entity and dates, as one field or three; sign-ins only when asked for', async () => {
  const { email } = newStaff();
  const staff = new Client();
  await staff.signIn(email);
  const adm = new Client();
  await adm.signIn('admin@demo.ihtrack.test');

  const sessions = await adm.get(`/admin/audit?entity=sessions&from=${today(-1)}&to=${today()}`);
  assert.equal(sessions.status, 200);
  assert.match(sessions.text_, new RegExp(`<strong>Signed in</strong><br><a href="[^"]+">Session of ${email}</a>`));
  assert.doesNotMatch(sessions.text_, /Completion of|Person |Assignment of/);

  // Every sign-in would flood the list: apart unless asked for.
  const [y, m, d] = today().split('-');
  const parts = `from-day=${+d}&from-month=${+m}&from-year=${y}`;
  const plain = await adm.get(`/admin/audit?${parts}`);
  assert.equal(plain.status, 200);
  assert.ok(!plain.text_.includes(`Session of ${email}`), 'no sign-ins by default');
  assert.match(plain.text_, /<option value="" selected>Every kind of record<\/option>/);
  assert.match(plain.text_, /id="sessions" name="sessions" type="checkbox" value="1">/);
  assert.match(plain.text_, /id="from-day" name="from-day" type="text" inputmode="numeric" value="\d+"/);
  // The three fields mean what from=YYYY-MM-DD means, which links carry.
  assert.match(plain.text_, new RegExp(`href="/admin/audit\\?format=csv&amp;from=${today()}"`));
  assert.equal((await adm.get(`/admin/audit?from=${today()}`)).text_.replace(/value="\d*"/g, ''),
    plain.text_.replace(/value="\d*"/g, '').replace(/&amp;from=[-\d]+/g, `&amp;from=${today()}`));
  const shown = await adm.get(`/admin/audit?${parts}&sessions=1`);
  assert.ok(shown.text_.includes(`Session of ${email}`), 'sign-ins when asked for');
  assert.match(shown.text_, /id="sessions" name="sessions" type="checkbox" value="1" checked>/);
  assert.match(shown.text_, new RegExp(`href="/admin/audit\\?format=csv&amp;from=${today()}&amp;sessions=1"`));

  // The CSV holds what the page shows.
  const csvPlain = await adm.get(`/admin/audit?format=csv&from=${today()}`);
  assert.doesNotMatch(csvPlain.text_, /,sessions,/);
  const csvAll = await adm.get(`/admin/audit?format=csv&from=${today()}&sessions=1`);
  assert.match(csvAll.text_, /,form,insert,sessions,\d+,/);

  const none = await adm.get(`/admin/audit?from=${today(2)}`);
  assert.match(none.text_, /No entries match these filters/);
});

test('a filter that is wrong gives the form again (400) with the problem at the field', async () => {
  const adm = new Client();
  await adm.signIn('admin@demo.ihtrack.test');
  const bad = await adm.get('/admin/audit?from=2026-02-30&entity=x%27%3B--&entity_id=12a');
  assert.equal(bad.status, 400);
  assert.match(bad.text_, /<title>Error: Audit trail - ihtrack<\/title>/);
  assert.match(bad.text_, /class="nhsuk-error-summary"/);
  assert.match(bad.text_, /href="#from-day">From date must be a real date<\/a>/);
  assert.match(bad.text_, /href="#entity">Choose a kind of record from the list<\/a>/);
  assert.match(bad.text_, /href="#entity_id">Record number must be a whole number, like 5531<\/a>/);
  assert.match(bad.text_, /<span class="nhsuk-error-message" id="from-error">/);
  assert.match(bad.text_, /aria-describedby="from-hint from-error"/);
  assert.match(bad.text_, /id="from-day" name="from-day" type="text" inputmode="numeric" value="30"/);
  assert.match(bad.text_, /nhsuk-input--error nhsuk-input--width-2 nhsuk-date-input__input" id="from-day"/);
  assert.match(bad.text_, /nhsuk-input nhsuk-input--width-2 nhsuk-date-input__input" id="from-month"/, 'the month is right');
  assert.doesNotMatch(bad.text_, /matching entr/, 'no entries under an error');

  const part = await adm.get('/admin/audit?from-month=3&from-year=2026&to-day=1&to-month=13&to-year=2026');
  assert.equal(part.status, 400);
  assert.match(part.text_, /href="#from-day">From date must include a day<\/a>/);
  assert.match(part.text_, /href="#to-month">To date must be a real date<\/a>/);
  assert.match(part.text_, /id="from-month" name="from-month" type="text" inputmode="numeric" value="3"/);

  const two = await adm.get('/admin/audit?from-year=2026');
  assert.match(two.text_, /href="#from-day">From date must include a day and month<\/a>/);

  const order = await adm.get('/admin/audit?from=2026-03-02&to=2026-03-01');
  assert.equal(order.status, 400);
  assert.match(order.text_, /href="#to-day">To date must be the same as or after the from date<\/a>/);
  assert.match(order.text_, /<a class="nhsuk-link" href="\/admin\/audit">Clear the filters<\/a>/);
});

test('a change reads as field: before -> after, with names for ids', async () => {
  const { personId } = newStaff();
  const [[adminId]] = sql("SELECT id FROM users WHERE email = 'admin@demo.ihtrack.test'");
  const [[assignmentId]] = sql(`SELECT id FROM assignments WHERE person_id = ${personId}`);
  sql(`BEGIN; SELECT ih_act_as(${adminId}, NULL, 'form');
    UPDATE people SET family_name = 'Begum' WHERE id = ${personId};
    UPDATE assignments SET level = 2, job_role = 'Nurse' WHERE id = ${assignmentId}; COMMIT`);
  const adm = new Client();
  await adm.signIn('admin@demo.ihtrack.test');
  const res = await adm.get(`/admin/audit?entity=assignments&entity_id=${assignmentId}`);
  assert.equal(res.status, 200);
  const to = '<span aria-hidden="true">→</span><span class="nhsuk-u-visually-hidden">to</span>';
  assert.ok(res.text_.includes(`<li>Job role: (none) ${to} Nurse</li><li>Level: Foundation ${to} Intermediate</li>`),
    'only what changed, levels by name');
  assert.match(res.text_, /<strong>Changed<\/strong><br><a href="[^"]+">Assignment of Test Begum to RR8<\/a>/);
  assert.match(res.text_, /admin@demo\.ihtrack\.test<span class="ih-audit-how">in the browser<\/span>/);
  // Its insert lists what it set, the person and organisation by name.
  assert.match(res.text_, /<li>Person: Test Begum<\/li><li>Organisation: RR8<\/li><li>Level: Foundation<\/li><li>Start date: 1 Jan 2020<\/li>/);
  assert.doesNotMatch(res.text_, /org_id|person_id|Created at/);
  const person = await adm.get(`/admin/audit?entity=people&entity_id=${personId}`);
  assert.ok(person.text_.includes(`<li>Family name: Person ${to} Begum</li></ul>`));
});

test('fifty entries a page, and a link to the older ones', async () => {
  const adm = new Client();
  await adm.signIn('admin@demo.ihtrack.test');
  const first = await adm.get('/admin/audit');
  assert.match(first.text_, /The latest 50 matching entries/);
  assert.equal(first.text_.match(/<tr class="nhsuk-table__row" role="row"><td/g).length, 50);
  const [[fiftieth]] = sql("SELECT id FROM audit_log WHERE entity <> 'sessions' ORDER BY id DESC OFFSET 49 LIMIT 1");
  assert.match(first.text_, new RegExp(`href="/admin/audit\\?before=${fiftieth}"><span class="nhsuk-pagination__title">Older entries`));
  assert.doesNotMatch(first.text_, /Newest entries/);
  const older = await adm.get(`/admin/audit?before=${fiftieth}`);
  assert.match(older.text_, /50 older matching entries/);
  assert.match(older.text_, /href="\/admin\/audit"><span class="nhsuk-pagination__title">Newest entries/);
  // The next page of one kind keeps the filter.
  const people = await adm.get('/admin/audit?entity=people');
  const next = people.text_.match(/href="(\/admin\/audit\?before=\d+&amp;entity=people)"/);
  assert.ok(next, 'older people');
  const page2 = await adm.get(next[1].replaceAll('&amp;', '&'));
  assert.match(page2.text_, /older matching entr/);
  assert.doesNotMatch(page2.text_, /Assignment of|Completion of/);
});

test('the trail cannot be changed, even by the database owner', () => {
  assert.throws(() => sql('UPDATE audit_log SET via = \'x\' WHERE id = (SELECT max(id) FROM audit_log)'),
    /update of audit_log is not allowed/);
  assert.throws(() => sql('DELETE FROM audit_log'), /delete of audit_log is not allowed/);
  assert.throws(() => sql('TRUNCATE audit_log'), /truncate of audit_log is not allowed/);
});
