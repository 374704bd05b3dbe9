// The outbox (issue 11): email is queued with the change that causes it
// and delivered by the jobs daemon, off every request's path.  Against
// real SMTP servers: the relay down for a while, the daemon killed
// between queueing and sending, 24 hours of failures, TLS required, no
// mail server at all (.eml files), PostgreSQL restarted.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, script, sql } from '../lib/harness.mjs';
import { askForLink, jobs, linkIn, outboxFor, rosterPerson } from '../lib/mail.mjs';
import { startSmtp } from '../lib/smtp.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const to = (email) => (m) => m.envelope.to.includes(email.toLowerCase());

let smtp;
before(async () => { smtp = await startSmtp(); });
after(async () => {
  try { jobs.signal('SIGCONT'); } catch { /* not running */ }
  await smtp.stop();
});

async function until(fn, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v || Date.now() > end) return v;
    await sleep(100);
  }
}

// The daemon's own --once run, with settings of the test's choosing.
// Not execFileSync: the SMTP servers it talks to live in this process.
function deliverOnce(env) {
  return new Promise((resolve, reject) => {
    execFile(path.join(ROOT, 'scripts/ihtrack-jobs'), ['--once'],
      { env: { ...process.env, ...env }, encoding: 'utf8' },
      (err, stdout, stderr) => (err ? reject(err) : resolve(stderr)));
  });
}

test('the mail server down for a while: the message arrives once it is back, once', async () => {
  await smtp.stop();
  const p = rosterPerson();
  assert.equal((await askForLink(p.email)).status, 200);
  // The daemon tries, fails, and tries again with a growing delay.
  assert.ok(await until(() => Number(outboxFor(p.email)[0]?.[1] ?? 0) >= 2));
  const [[state, , error]] = outboxFor(p.email);
  assert.equal(state, 'queued');
  assert.match(error, /connect|refused|Couldn't/i);
  await smtp.restart();
  await smtp.waitFor(to(p.email), { timeout: 30000 });
  await sleep(3000);
  assert.equal(smtp.count(to(p.email)), 1);
  assert.equal(outboxFor(p.email)[0][0], 'sent');
});

test('the daemon killed between queueing and sending: the message still goes, once', async () => {
  jobs.signal('SIGSTOP');
  const p = rosterPerson();
  await askForLink(p.email);
  await sleep(500);
  assert.deepEqual(outboxFor(p.email).map((r) => r[0]), ['queued']);
  jobs.signal('SIGKILL');
  await sleep(200);
  assert.equal(smtp.count(to(p.email)), 0);
  jobs.start();
  await smtp.waitFor(to(p.email));
  await sleep(2000);
  assert.equal(smtp.count(to(p.email)), 1);
});

test('after 24 hours of failures a message is failed, and its link forgotten', async () => {
  const p = rosterPerson();
  jobs.signal('SIGSTOP');
  await askForLink(p.email);
  sql(`UPDATE outbox SET created_at = now() - interval '25 hours' WHERE lower(to_email) = lower('${p.email}')`);
  const refusing = await startSmtp({ port: 0, reject: () => '550 5.1.1 no such mailbox' });
  try {
    await deliverOnce({ IHTRACK_SMTP_URL: `smtp://127.0.0.1:${refusing.port}` });
  } finally {
    await refusing.stop();
    jobs.signal('SIGCONT');
  }
  assert.deepEqual(sql(`SELECT state, attempts, last_error <> '', params ? 'link' FROM outbox
    WHERE lower(to_email) = lower('${p.email}')`), [['failed', '1', 't', 'f']]);
});

test('with ?starttls=required a message goes only over TLS', async () => {
  const ca = process.env.IHTRACK_TLS_CA;
  assert.ok(ca, 'make test makes a certificate authority (scripts/tls)');
  const dir = path.dirname(ca);
  const tls = { key: readFileSync(path.join(dir, 'server.key')), cert: readFileSync(path.join(dir, 'server.pem')) };
  const secure = await startSmtp({ port: 0, tls });
  const plain = await startSmtp({ port: 0 });
  const a = rosterPerson();
  const b = rosterPerson();
  jobs.signal('SIGSTOP');
  try {
    await askForLink(a.email);
    await deliverOnce({ IHTRACK_SMTP_URL: `smtp://127.0.0.1:${secure.port}?starttls=required`, IHTRACK_SMTP_CA_FILE: ca });
    const m = await secure.waitFor(to(a.email));
    assert.equal(m.secure, true);
    await askForLink(b.email);
    // A server that offers no STARTTLS gets nothing.
    await deliverOnce({ IHTRACK_SMTP_URL: `smtp://127.0.0.1:${plain.port}?starttls=required` });
    assert.equal(plain.count(to(b.email)), 0);
    assert.deepEqual(outboxFor(b.email).map((r) => r[0]), ['queued']);
    assert.match(outboxFor(b.email)[0][2], /SSL|TLS|STARTTLS/i);
  } finally {
    await secure.stop();
    await plain.stop();
    jobs.signal('SIGCONT');
  }
  // Back with the instance's own relay, it goes on the next retry.
  await smtp.waitFor(to(b.email), { timeout: 30000 });
});

test('with no mail server, each message is an .eml file to open', async () => {
  const p = rosterPerson();
  const varDir = mkdtempSync(path.join(os.tmpdir(), 'ihtrack-mail-'));
  jobs.signal('SIGSTOP');
  try {
    await askForLink(p.email);
    await deliverOnce({ IHTRACK_SMTP_URL: '', IHTRACK_VAR: varDir });
  } finally {
    jobs.signal('SIGCONT');
  }
  const files = readdirSync(path.join(varDir, 'mail')).filter((f) => f.endsWith('.eml'));
  assert.equal(files.length, 1);
  const eml = readFileSync(path.join(varDir, 'mail', files[0]), 'utf8');
  assert.match(eml, new RegExp(`^To: .*<${p.email}>`, 'm'));
  assert.match(eml, /^Subject: Set your password for ihtrack/m);
  // The link reads whole in the file, for a newcomer to copy.
  const link = linkIn({ parsed: { text: eml.split('text/plain')[1].split('text/html')[0] } });
  assert.match(link, /\/set-password\/[0-9a-f]{64}$/);
  assert.deepEqual(outboxFor(p.email).map((r) => r[0]), ['sent']);
});

test('PostgreSQL restarted: the daemon reconnects and delivers', async () => {
  script('db', ['stop']);
  await sleep(1000);
  script('db', ['start']);
  const p = rosterPerson();
  let res;
  // The server's pool reconnects by itself (zz_faults); give it a moment.
  for (let i = 0; i < 50; i++) {
    res = await askForLink(p.email).catch(() => null);
    if (res?.status === 200) break;
    await sleep(200);
  }
  assert.equal(res.status, 200);
  await smtp.waitFor(to(p.email), { timeout: 60000 });
});
