// Accounts in the browser (issue 11): administrators look after every
// account and the API tokens; academy leads look after staff and
// organisation leads; nobody raises their own role; every change is
// audited; an organisation lead sees who has activated an account.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BASE, Client, DEMO_PASSWORD, admin, newStaff, sql } from '../lib/harness.mjs';
import { linkIn, setPassword } from '../lib/mail.mjs';
import { startSmtp } from '../lib/smtp.mjs';

let smtp;
before(async () => { smtp = await startSmtp(); });
after(async () => { await smtp.stop(); });

async function as(email) {
  const c = new Client();
  await c.signIn(email);
  return c;
}
// The table of accounts found, without the header's own email.
const found = (page) => page.text_.split('<tbody')[1].split('</tbody>')[0];
const userId = (email) => sql(`SELECT id FROM users WHERE lower(email) = lower('${email}')`)[0][0];

async function post(c, path, form) {
  const csrf_token = await c.csrf(path.replace(/\/revoke$/, '').replace(/^\/admin\/tokens\/\d+$/, '/admin/tokens'));
  return c.post(path, { csrf_token, ...form });
}

test('administrators find accounts; academy leads see staff and organisation leads only', async () => {
  const adm = await as('admin@demo.ihtrack.test');
  const all = await adm.get('/admin/users?q=demo.ihtrack.test');
  assert.equal(all.status, 200);
  for (const e of ['admin@demo', 'academy@demo', 'lead.rr8@demo', 'staff@demo']) assert.match(found(all), new RegExp(e));
  const byRole = await adm.get('/admin/users?role=org_lead&q=demo.ihtrack.test');
  assert.match(found(byRole), /lead\.rr8@demo/);
  assert.doesNotMatch(found(byRole), /admin@demo/);
  const byName = await adm.get('/admin/users?q=hussain');
  assert.match(found(byName), /staff@demo/, 'the demo staff member is Ben Hussain');

  const academy = await as('academy@demo.ihtrack.test');
  const seen = await academy.get('/admin/users?q=demo.ihtrack.test');
  assert.equal(seen.status, 200);
  assert.match(found(seen), /lead\.rr8@demo/);
  assert.doesNotMatch(found(seen), /admin@demo/);
  assert.equal((await academy.get(`/admin/users/${userId('admin@demo.ihtrack.test')}`)).status, 404);
  assert.equal((await (await as('lead.rr8@demo.ihtrack.test')).get('/admin/users')).status, 403);
});

test('a role change is audited, and takes effect at once; nobody raises their own', async () => {
  const s = newStaff();
  const id = userId(s.email);
  const academy = await as('academy@demo.ihtrack.test');
  const made = await post(academy, `/admin/users/${id}`, { action: 'role', role: 'org_lead', org: 'RR8' });
  assert.equal(made.status, 303);
  assert.equal(made.headers.get('location'), `/admin/users/${id}?done=role`);
  assert.match((await academy.get(made.headers.get('location'))).text_, /The role is saved/);
  assert.deepEqual(sql(`SELECT u.role, o.code FROM users u JOIN organisations o ON o.id = u.org_id WHERE u.id = ${id}`),
    [['org_lead', 'RR8']]);
  const [[actor, before, afterRole]] = sql(`SELECT actor_user_id, before->>'role', after->>'role' FROM audit_log
    WHERE entity = 'users' AND entity_id = ${id} AND action = 'update' ORDER BY id DESC LIMIT 1`);
  assert.equal(actor, userId('academy@demo.ihtrack.test'));
  assert.deepEqual([before, afterRole], ['staff', 'org_lead']);
  assert.equal((await (await as(s.email)).get('/reports/coverage/RR8')).status, 200);
  // An academy lead may not make an administrator, nor change themselves.
  assert.equal((await post(academy, `/admin/users/${id}`, { action: 'role', role: 'admin', org: '' })).status, 403);
  const self = userId('academy@demo.ihtrack.test');
  assert.equal((await post(academy, `/admin/users/${self}`, { action: 'role', role: 'admin', org: '' })).status, 403);
  const adm = await as('admin@demo.ihtrack.test');
  const me = userId('admin@demo.ihtrack.test');
  assert.equal((await post(adm, `/admin/users/${me}`, { action: 'disable' })).status, 403);
  // An organisation lead needs an organisation.
  const none = await post(adm, `/admin/users/${id}`, { action: 'role', role: 'org_lead', org: '' });
  assert.equal(none.status, 422);
  assert.match(none.text_, /Choose the organisation this lead looks after/);
});

test('a disabled account cannot sign in and its sessions end; enabled, it can', async () => {
  const s = newStaff();
  const id = userId(s.email);
  const them = await as(s.email);
  const adm = await as('admin@demo.ihtrack.test');
  assert.equal((await post(adm, `/admin/users/${id}`, { action: 'disable' })).status, 303);
  assert.equal((await them.get('/')).status, 303);
  const c = new Client();
  const csrf_token = await c.csrf('/sign-in');
  assert.equal((await c.post('/sign-in', { csrf_token, email: s.email, password: DEMO_PASSWORD })).status, 401);
  assert.equal((await post(adm, `/admin/users/${id}`, { action: 'enable' })).status, 303);
  await new Client().signIn(s.email);
});

test('an administrator adds an organisation lead, who sets a password from the email', async () => {
  const email = `newlead.${Date.now()}@accounts.ihtrack.test`;
  const adm = await as('admin@demo.ihtrack.test');
  const res = await post(adm, '/admin/users', { email, new_role: 'org_lead', new_org: 'RY6' });
  assert.equal(res.status, 303);
  const m = await smtp.waitFor((x) => x.envelope.to.includes(email));
  const c = new Client();
  const done = await setPassword(linkIn(m), 'copper kettle marigold 19', { c });
  assert.equal(done.status, 303);
  assert.equal(done.headers.get('location'), '/reports/coverage/RY6');
  assert.equal((await post(adm, '/admin/users', { email, new_role: 'staff', new_org: '' })).status, 409);
  // And a link on request from the account's page.
  const id = userId(email);
  assert.equal((await post(adm, `/admin/users/${id}`, { action: 'link' })).status, 303);
  await smtp.waitFor((x) => x.envelope.to.includes(email) && x.parsed.subject === 'Reset your ihtrack password');
});

test('API tokens: made and shown once, used, listed with their last use, revoked; audited', async () => {
  const adm = await as('admin@demo.ihtrack.test');
  const page = await post(adm, '/admin/tokens', { org: 'RR8' });
  assert.equal(page.status, 200);
  const [, tok] = page.text_.match(/<code class="ih-token">([0-9a-f]{64})<\/code>/);
  const api = (t) => fetch(`${BASE}/api/v1/coverage`, { headers: { authorization: `Bearer ${t}` } });
  assert.equal((await api(tok)).status, 200);
  const listed = await adm.get('/admin/tokens');
  assert.doesNotMatch(listed.text_, new RegExp(tok), 'shown once');
  const [[id, used]] = sql(`SELECT id, last_used_at IS NOT NULL FROM api_tokens
    WHERE token_hash = encode(sha256('${tok}'::bytea), 'hex')`);
  assert.equal(used, 't');
  assert.equal((await post(adm, `/admin/tokens/${id}/revoke`, {})).status, 303);
  assert.equal((await api(tok)).status, 401);
  assert.deepEqual(sql(`SELECT action FROM audit_log WHERE entity = 'api_tokens' AND entity_id = ${id} ORDER BY id`),
    [['insert'], ['update']]);
  assert.equal((await (await as('academy@demo.ihtrack.test')).get('/admin/tokens')).status, 403);
  // The ihtrack-admin command still works the same way.
  assert.match(admin('create-token', 'RR8'), /^[0-9a-f]{64}$/);
});

test('an organisation lead sees who has activated an account', async () => {
  const active = newStaff();
  const [[personId]] = sql(`INSERT INTO people (staff_id, given_name, family_name, email)
    VALUES ('NA${Date.now()}', 'Not', 'Activated', 'na${Date.now()}@x.test') RETURNING id`);
  sql(`INSERT INTO assignments (person_id, org_id, level, start_date)
    SELECT ${personId}, id, 1, DATE '2020-01-01' FROM organisations WHERE code = 'RR8'`);
  const lead = await as('lead.rr8@demo.ihtrack.test');
  const report = await lead.get('/reports/coverage/RR8');
  const [, on, of] = report.text_.match(/(\d+) of (\d+) people on the staff list as at \d+ [A-Z][a-z]{2} \d{4} have activated an account/);
  const [[people, activated]] = sql(`SELECT count(DISTINCT a.person_id), count(DISTINCT a.person_id) FILTER (WHERE
    EXISTS (SELECT 1 FROM users u WHERE u.person_id = a.person_id AND u.password_hash IS NOT NULL AND u.disabled_at IS NULL))
    FROM assignments a JOIN organisations o ON o.id = a.org_id WHERE o.code = 'RR8' AND a.start_date <= current_date
    AND (a.end_date IS NULL OR a.end_date >= current_date)`);
  assert.deepEqual([on, of], [activated, people]);
  const csv = (await lead.get('/reports/coverage/RR8?format=csv&list=chase')).text_;
  const rows = csv.trim().split('\r\n').map((l) => l.split(','));
  assert.ok(rows.some((r) => r[6] === active.staffId && r[10] === 'activated'));
  assert.ok(rows.some((r) => r[4] === 'Not Activated' && r[10] === 'not_activated'));
});

test('an administrator sees the messages that could not be delivered', async () => {
  const email = `undeliverable.${Date.now()}@accounts.ihtrack.test`;
  sql(`INSERT INTO outbox (kind, to_email, to_name, state, attempts, last_error)
    VALUES ('set_password', '${email}', 'X', 'failed', 9, '550 5.1.1 no such mailbox')`);
  const page = await (await as('admin@demo.ihtrack.test')).get('/admin/mail');
  assert.equal(page.status, 200);
  assert.match(page.text_, new RegExp(`${email}[\\s\\S]*550 5\\.1\\.1 no such mailbox[\\s\\S]*Failed`));
});
