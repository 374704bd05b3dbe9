// The audit trail: every write says who, when, what, before and after,
// and how; admins read it as a page and a CSV; nobody can change it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client, newStaff, sql } from '../lib/harness.mjs';

function today(offsetDays = 0) {
  const d = new Date(Date.now() + offsetDays * 86400000);
  return d.toISOString().slice(0, 10);
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
  assert.ok(pageRes.text_.includes(email), 'names the actor');
  assert.ok(!pageRes.text_.includes('=HYPERLINK("'), 'JSON is HTML-escaped');
  assert.match(pageRes.text_, /The latest 1 matching entries/);
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

test('filters: by entity and dates; a bad date is a 422 with the field named', async () => {
  const adm = new Client();
  await adm.signIn('admin@demo.ihtrack.test');
  const all = await adm.get(`/admin/audit?entity=sessions&from=${today(-1)}&to=${today()}`);
  assert.equal(all.status, 200);
  assert.match(all.text_, /<td class="nhsuk-table__cell">sessions<\/td>/);
  assert.doesNotMatch(all.text_, /<td class="nhsuk-table__cell">completions<\/td>/);
  const none = await adm.get(`/admin/audit?from=${today(2)}`);
  assert.match(none.text_, /The latest 0 matching entries/);
  const bad = await adm.get('/admin/audit?from=2026-02-30&entity=x%27%3B--');
  assert.equal(bad.status, 422);
  assert.match(bad.text_, /href="#from">From must be a real date/);
  assert.match(bad.text_, /href="#entity">Entity must be a table name/);
});

test('the trail cannot be changed, even by the database owner', () => {
  assert.throws(() => sql('UPDATE audit_log SET via = \'x\' WHERE id = (SELECT max(id) FROM audit_log)'),
    /update of audit_log is not allowed/);
  assert.throws(() => sql('DELETE FROM audit_log'), /delete of audit_log is not allowed/);
  assert.throws(() => sql('TRUNCATE audit_log'), /truncate of audit_log is not allowed/);
});
