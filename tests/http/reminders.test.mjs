// Reminders and digests (issue 12), against a real SMTP server.  Each
// test lives in a year of its own, long past, so that the runs it makes
// (which look at everyone) meet only its own people: completions and
// assignments are written straight into the database with dates then.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { BASE, Client, ROOT, admin, sql, unique } from '../lib/harness.mjs';
import { jobs } from '../lib/mail.mjs';
import { startSmtp } from '../lib/smtp.mjs';

let smtp;
before(async () => { smtp = await startSmtp(); });
after(async () => { await smtp.stop(); });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const day = (iso, n) => sql(`SELECT (DATE '${iso}' + ${n})::text`)[0][0];

// send-reminders as an operator runs it; resolves to its last JSON line
// and the lines before.
function remind(asOf, { dry = false } = {}) {
  const args = ['send-reminders', '--as-of', asOf, ...(dry ? ['--dry-run'] : [])];
  return new Promise((resolve, reject) => {
    execFile(path.join(ROOT, 'scripts/ihtrack-admin'), args, { cwd: ROOT, encoding: 'utf8' },
      (err, out) => {
        if (err) return reject(err);
        const lines = out.trim().split('\n');
        return resolve({ ...JSON.parse(lines.pop()), lines });
      });
  });
}

// A person of org(s) since startsOn (ending on endsOn, if given), with
// completions [module code, completed_on].
function person({ orgs = ['RR8'], level = 1, startsOn = '2000-01-01', endsOn = null, completions = [] } = {}) {
  const staffId = unique('RM');
  const email = `${staffId.toLowerCase()}@reminders.ihtrack.test`;
  const [[id]] = sql(`INSERT INTO people (staff_id, given_name, family_name, email)
    VALUES ('${staffId}', 'Rem', 'Inder${staffId}', '${email}') RETURNING id`);
  for (const org of orgs) {
    sql(`INSERT INTO assignments (person_id, org_id, level, start_date, end_date)
      SELECT ${id}, o.id, ${level}, DATE '${startsOn}', ${endsOn ? `DATE '${endsOn}'` : 'NULL'}
      FROM organisations o WHERE o.code = '${org}'`);
  }
  for (const [code, on] of completions) {
    sql(`INSERT INTO completions (person_id, module_id, completed_on, source, recorded_via)
      SELECT ${id}, id, DATE '${on}', 'other', 'admin' FROM modules WHERE code = '${code}'`);
  }
  return { id, email, staffId };
}

const to = (email) => (m) => m.envelope.to.includes(email);
const remindersOf = (p) => sql(`SELECT r.stage, r.expires_on::text FROM reminders r
  WHERE r.person_id = ${p.id} ORDER BY r.stage_on, r.stage`);

// The reminder email a run queued for p, once delivered; null if none.
async function mailFor(p, asOf) {
  const [row] = sql(`SELECT o.id FROM reminder_emails e JOIN outbox o ON o.id = e.outbox_id
    WHERE e.person_id = ${p.id} AND e.day = DATE '${asOf}'`);
  if (!row) return null;
  return smtp.waitFor((m) => to(p.email)(m) && m.parsed.messageId.includes(`.${row[0]}.`));
}

test('each stage on its boundary days: one day early nothing, on the day one email', async () => {
  // IHF-03 lasts 24 months: done 10 Mar 2003, it expires 10 Mar 2005.
  const p = person({ completions: [['IHF-03', '2003-03-10']] });
  const stages = [
    ['expiry_minus_60', '2005-01-09', /expires on 10 Mar 2005, in 60 days: renew it before then/],
    ['expiry_minus_30', '2005-02-08', /expires on 10 Mar 2005, in 30 days/],
    ['expiry_minus_7', '2005-03-03', /expires on 10 Mar 2005, in 7 days/],
    ['expiry_day', '2005-03-10', /expires today, 10 Mar 2005: renew it now/],
    ['expiry_plus_14', '2005-03-24', /expired on 10 Mar 2005 and no longer counts/],
  ];
  for (const [stage, on, says] of stages) {
    const early = await remind(day(on, -1));
    assert.equal(await mailFor(p, day(on, -1)), null, `${stage}: nothing the day before`);
    assert.ok(early.emails >= 0);
    await remind(on);
    const m = await mailFor(p, on);
    assert.ok(m, `${stage}: an email on ${on}`);
    assert.equal(m.parsed.subject, 'Your inclusion health training: 1 module needs attention');
    assert.match(m.parsed.text, /Entitlement to services/);
    assert.match(m.parsed.text, says);
    assert.match(m.parsed.text, new RegExp(`${BASE}/my-training\n`));
    assert.match(m.parsed.text, /set-password/, 'never signed in: how to');
  }
  assert.deepEqual(remindersOf(p).map((r) => r[0]), stages.map((s) => s[0]));
});

test('a renewal cancels the reminders still to come', async () => {
  const p = person({ completions: [['IHF-03', '2007-03-10']] });
  await remind('2009-01-09');
  assert.ok(await mailFor(p, '2009-01-09'));
  sql(`INSERT INTO completions (person_id, module_id, completed_on, source, recorded_via)
    SELECT ${p.id}, id, DATE '2009-01-20', 'other', 'admin' FROM modules WHERE code = 'IHF-03'`);
  for (const on of ['2009-02-08', '2009-03-03', '2009-03-10', '2009-03-24']) {
    await remind(on);
    assert.equal(await mailFor(p, on), null, on);
  }
  assert.equal(remindersOf(p).length, 1);
});

test('a leaver, and a person with no assignment, get nothing', async () => {
  const leaver = person({ endsOn: '2010-12-31', completions: [['IHF-03', '2010-01-05']] });
  const nobody = person({ orgs: [], completions: [['IHF-03', '2010-01-05']] });
  const stayer = person({ completions: [['IHF-03', '2010-01-05']] });
  const run = await remind('2011-11-06');
  assert.ok(run.emails >= 1);
  assert.ok(await mailFor(stayer, '2011-11-06'));
  assert.equal(await mailFor(leaver, '2011-11-06'), null);
  assert.equal(await mailFor(nobody, '2011-11-06'), null);
  assert.deepEqual(remindersOf(leaver), []);
  assert.deepEqual(remindersOf(nobody), []);
});

test('a person in two organisations gets one email listing every module due', async () => {
  // IHF-03 (24 months) and IHF-01 (36 months) both expire 10 May 2015.
  const p = person({ orgs: ['RR8', 'RY6'], completions: [['IHF-03', '2013-05-10'], ['IHF-01', '2012-05-10']] });
  const run = await remind('2015-03-11');
  assert.equal(run.as_of, '2015-03-11');
  assert.equal(run.dry_run, false);
  const m = await mailFor(p, '2015-03-11');
  assert.equal(m.parsed.subject, 'Your inclusion health training: 2 modules need attention');
  assert.match(m.parsed.text, /What inclusion health is[\s\S]*Entitlement to services/);
  await sleep(1500);
  assert.equal(smtp.count(to(p.email)), 1);
  assert.equal(remindersOf(p).length, 2);
});

test('a new starter is reminded of what they have never done, 14 days after starting', async () => {
  const p = person({ startsOn: '2016-02-01', completions: [['IHF-01', '2016-02-03']] });
  await remind('2016-02-14');
  assert.equal(await mailFor(p, '2016-02-14'), null);
  await remind('2016-02-15');
  const m = await mailFor(p, '2016-02-15');
  assert.match(m.parsed.subject, /3 modules need attention/);
  assert.match(m.parsed.text, /required for your role and not done yet/);
  assert.doesNotMatch(m.parsed.text, /What inclusion health is/, 'done already');
});

test('two overlapping runs send each reminder once', async () => {
  const ps = [1, 2, 3, 4, 5].map(() => person({ completions: [['IHF-03', '2016-09-12']] }));
  const [a, b] = await Promise.all([remind('2018-07-14'), remind('2018-07-14')]);
  assert.equal(a.emails + b.emails, 5, JSON.stringify([a, b]));
  assert.ok(a.emails === 0 || b.emails === 0, 'one run found them all');
  for (const p of ps) {
    await smtp.waitFor(to(p.email));
    assert.equal(remindersOf(p).length, 1);
  }
  await sleep(1500);
  for (const p of ps) assert.equal(smtp.count(to(p.email)), 1);
  // A third run later the same day finds nothing more.
  assert.equal((await remind('2018-07-14')).emails, 0);
});

test('a dry run says who would be emailed and queues nothing', async () => {
  const p = person({ completions: [['IHF-03', '2016-04-20']] });
  const dry = await remind('2018-02-19', { dry: true });
  assert.equal(dry.dry_run, true);
  assert.equal(dry.emails, 0);
  assert.ok(dry.people >= 1 && dry.reminders >= 1);
  assert.ok(dry.lines.some((l) => l === `would email Rem Inder${p.staffId} <${p.email}>: 1 reminder`), dry.lines.join('\n'));
  assert.deepEqual(remindersOf(p), []);
  const real = await remind('2018-02-19');
  assert.equal(real.emails, dry.people);
  assert.ok(await mailFor(p, '2018-02-19'));
});

test('the stages are an administrator\'s to change', async () => {
  const p = person({ completions: [['IHF-03', '2001-06-01']] });
  const adm = new Client();
  await adm.signIn('admin@demo.ihtrack.test');
  const form = async (fields) => {
    const csrf_token = await adm.csrf('/admin/reminders');
    return adm.post('/admin/reminders', { csrf_token, ...fields });
  };
  const defaults = { days_expiry_minus_60: '60', days_expiry_minus_30: '30', days_expiry_minus_7: '7',
    days_expiry_plus_14: '14', days_new_starter: '14', active_expiry_minus_60: '1', active_expiry_minus_30: '1',
    active_expiry_minus_7: '1', active_expiry_day: '1', active_expiry_plus_14: '1', active_new_starter: '1' };
  const bad = await form({ ...defaults, days_expiry_minus_60: 'soon' });
  assert.equal(bad.status, 422);
  assert.match(bad.text_, /Enter a whole number of days from 1 to 365/);
  assert.equal((await form({ ...defaults, days_expiry_minus_60: '45' })).status, 303);
  try {
    // Expires 1 Jun 2003: 45 days before is 17 Apr 2003.
    await remind('2003-04-17');
    const m = await mailFor(p, '2003-04-17');
    assert.match(m.parsed.text, /in 45 days/);
    assert.equal(sql(`SELECT count(*) FROM audit_log WHERE entity = 'reminder_stages' AND action = 'update'`)[0][0] > 0, true);
  } finally {
    assert.equal((await form(defaults)).status, 303);
  }
  assert.equal(sql("SELECT offset_days FROM reminder_stages WHERE code = 'expiry_minus_60'")[0][0], '-60');
});

test('a lead sees the reminders sent to their people, and the person\'s page lists them', async () => {
  const p = person({ completions: [['IHF-03', '2004-08-02']] });
  await remind('2006-06-03');
  await mailFor(p, '2006-06-03');
  const lead = new Client();
  await lead.signIn('lead.rr8@demo.ihtrack.test');
  const page = await lead.get('/reports/coverage/RR8/reminders');
  assert.equal(page.status, 200);
  assert.match(page.text_, new RegExp(`Inder${p.staffId}[\\s\\S]*Entitlement to services[\\s\\S]*60 days before expiry`));
  const csv = await lead.get('/reports/coverage/RR8/reminders?format=csv');
  assert.match(csv.text_, /^queued,staff_id,name,module_code,stage,expires_on,delivery,sent_at,error\r\n/);
  assert.match(csv.text_, new RegExp(`${p.staffId},Rem Inder${p.staffId},IHF-03,60 days before expiry,2006-08-02,sent,`));
  const none = await lead.get('/reports/coverage/RR8/reminders?from=1999-01-01&to=1999-01-02');
  assert.match(none.text_, /No reminders were sent in this time/);
  const badDate = await lead.get('/reports/coverage/RR8/reminders?from=yesterday');
  assert.equal(badDate.status, 400);
  assert.equal((await lead.get('/reports/coverage/RY6/reminders')).status, 403);
  const academy = new Client();
  await academy.signIn('academy@demo.ihtrack.test');
  const record = await academy.get(`/people/${p.id}`);
  assert.match(record.text_, /Reminders sent[\s\S]*Entitlement to services[\s\S]*60 days before expiry[\s\S]*Delivered/);
});

test('the weekly digest gives the coverage API\'s figures, and the change since the last', async () => {
  const code = unique('DG').slice(0, 12).toUpperCase();
  admin('create-org', code, `Digest ${code}`);
  const leadEmail = `lead.${code.toLowerCase()}@digest.ihtrack.test`;
  admin('create-user', leadEmail, 'org_lead', code, { stdin: 'lantern orchid hedgehog 42\n' });
  const a = person({ orgs: [code], completions: [['IHF-01', '2026-01-05'], ['IHF-03', '2024-12-01']] });
  person({ orgs: [code], completions: [['IHF-01', '2020-03-02']] });
  const run = (asOf) => new Promise((resolve, reject) => {
    execFile(path.join(ROOT, 'scripts/ihtrack-admin'), ['send-digest', '--as-of', asOf], { cwd: ROOT },
      (err, out) => (err ? reject(err) : resolve(JSON.parse(out))));
  });
  const [[d1, d2]] = sql("SELECT (current_date - 7)::text, current_date::text");
  assert.ok((await run(d1)).digests >= 1);
  const token = admin('create-token', code);
  const api = async (asOf) => (await (await fetch(`${BASE}/api/v1/coverage?as_of=${asOf}`,
    { headers: { authorization: `Bearer ${token}` } })).json()).organisations[0].modules;
  const stored = (asOf) => JSON.parse(sql(`SELECT d.figures FROM digests d JOIN organisations o ON o.id = d.org_id
    WHERE o.code = '${code}' AND d.day = DATE '${asOf}'`)[0][0]).modules;
  const pick = (ms) => ms.map(({ code: c, required, compliant, due_soon, expired, never }) =>
    ({ code: c, required, compliant, due_soon, expired, never }));
  assert.deepEqual(pick(stored(d1)), pick(await api(d1)));
  const first = await smtp.waitFor(to(leadEmail));
  assert.match(first.parsed.subject, new RegExp(`Weekly training coverage: Digest ${code}`));
  assert.doesNotMatch(first.parsed.text, /Rem Inder/, 'no names');
  // A week later, one more completion: the change shows.
  sql(`INSERT INTO completions (person_id, module_id, completed_on, source, recorded_via)
    SELECT ${a.id}, id, current_date - 1, 'other', 'admin' FROM modules WHERE code = 'IHF-02'`);
  await run(d2);
  assert.deepEqual(pick(stored(d2)), pick(await api(d2)));
  const second = await smtp.waitFor((m) => to(leadEmail)(m) && m.parsed.text.includes('in brackets'));
  assert.match(second.parsed.text, /Culturally appropriate[^\n]*\n\s+required 2, Compliant 1 \(\+1\)/);
  assert.match(second.parsed.text, new RegExp(`${BASE}/reports/coverage/${code}\\?format=csv&list=chase`));
  // Once a day: again finds it made.
  assert.equal((await run(d2)).digests, 0);
});

test('the jobs daemon runs the day\'s reminders once, at start-up if not yet', async () => {
  const runs = () => Number(sql(`SELECT count(*) FROM reminder_runs WHERE via = 'jobs' AND NOT dry_run
    AND day = (now() AT TIME ZONE 'Europe/London')::date AND finished_at IS NOT NULL`)[0][0]);
  assert.equal(runs(), 1);
  jobs.stop();
  jobs.start();
  await sleep(1500);
  assert.equal(runs(), 1);
});
