// First sign-in and forgotten passwords (issue 11), against a real SMTP
// server: who gets a link, what the message says, what the link does,
// and every refusal.
import assert from 'node:assert/strict';
import { createHash, randomInt } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Client, DEMO_PASSWORD, newStaff, sql } from '../lib/harness.mjs';
import { askForLink, linkIn, outboxFor, pathOf, rosterPerson, setPassword } from '../lib/mail.mjs';
import { startSmtp } from '../lib/smtp.mjs';

const SAME_PAGE = /If that address belongs to someone on a current staff list, we have sent a link to it/;
const NEW_PASSWORD = 'harbour violet tambourine 7';
const sha256 = (s) => createHash('sha256').update(s).digest('hex');
let next = randomInt(1, 200) * 256;
const address = () => { next += 1; return `203.0.${(next >> 8) % 256}.${next % 256}`; };

let smtp;
before(async () => { smtp = await startSmtp(); });
after(async () => { await smtp.stop(); });

const to = (email) => (m) => m.envelope.to.includes(email.toLowerCase());

test('the sign-in page offers the way in', async () => {
  const page = await new Client().get('/sign-in');
  assert.match(page.text_, /href="\/set-password">Forgotten your password, or signing in for the first time\?/);
  const form = await new Client().get('/set-password');
  assert.equal(form.status, 200);
  assert.match(form.text_, /name="email"/);
});

test('a person on a roster sets a password from the emailed link and lands on My training', async () => {
  const p = rosterPerson();
  const asked = await askForLink(p.email.toUpperCase(), { from: address() });
  assert.equal(asked.status, 200);
  assert.match(asked.text_, SAME_PAGE);
  const m = await smtp.waitFor(to(p.email));
  assert.equal(m.parsed.subject, 'Set your password for ihtrack');
  assert.match(m.parsed.to, /Zoë Okafor/);
  assert.match(m.parsed.messageId, /^<ihtrack\.\d+\.[0-9a-f]{16}@ihtrack\.test>$/);
  assert.match(m.parsed.text, /Dear Zoë Okafor/);
  assert.match(m.parsed.html, /Dear Zo(ë|&#235;|&euml;) Okafor/);
  assert.match(m.parsed.headers.get('content-type').value, /multipart\/alternative/);
  const link = linkIn(m);
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/set-password\/[0-9a-f]{64}$/);
  // Nothing about anyone else: one recipient, no other address in it.
  assert.deepEqual(m.envelope.to, [p.email]);
  assert.deepEqual(m.parsed.text.match(/[\w.+-]+@[\w.-]+/g) ?? [], []);

  const c = new Client();
  const weak = await setPassword(link, 'password123456', { c });
  assert.equal(weak.status, 422);
  assert.match(weak.text_, /simple pattern/);
  assert.match(weak.text_, /class="nhsuk-error-message" id="password-error"/);
  const mine = await setPassword(link, `x${p.staffId.toLowerCase()}@mail.ihtrack.test yes`, { c });
  assert.equal(mine.status, 422);
  assert.match(mine.text_, /must not contain your email address/);
  const twice = await setPassword(link, NEW_PASSWORD, { c, confirm: `${NEW_PASSWORD}!` });
  assert.equal(twice.status, 422);
  assert.match(twice.text_, /Type the same password twice/);
  const done = await setPassword(link, NEW_PASSWORD, { c });
  assert.equal(done.status, 303);
  assert.equal(done.headers.get('location'), '/');
  const home = await c.get('/');
  assert.equal(home.status, 200);
  assert.match(home.text_, /Zoë Okafor/);
  assert.deepEqual(sql(`SELECT role, person_id FROM users WHERE lower(email) = lower('${p.email}')`),
    [['staff', String(p.personId)]]);
  // Used once: again is 410 with a way to ask again.
  const again = await new Client().get(pathOf(link));
  assert.equal(again.status, 410);
  assert.match(again.text_, /href="\/set-password">Ask for a new link/);
  // And the new password signs in.
  await new Client().signIn(p.email, NEW_PASSWORD);
  // The outbox forgot the link once the message had gone.
  assert.deepEqual(sql(`SELECT state, params ? 'link' FROM outbox WHERE lower(to_email) = lower('${p.email}')`),
    [['sent', 'f']]);
});

test('the same page, status and no message for a leaver, a stranger, a late starter and a disabled account', async () => {
  const leaver = rosterPerson({ start: '2019-01-01', end: '2024-12-31' });
  const later = rosterPerson({ start: sql("SELECT (current_date + 45)::text")[0][0] });
  const soon = rosterPerson({ start: sql("SELECT (current_date + 20)::text")[0][0] });
  const disabled = newStaff();
  sql(`UPDATE users SET disabled_at = now() WHERE email = '${disabled.email}'`);
  const stranger = `nobody.${Date.now()}@mail.ihtrack.test`;
  const pages = new Set();
  for (const email of [leaver.email, later.email, stranger, disabled.email, soon.email]) {
    const res = await askForLink(email, { from: address() });
    assert.equal(res.status, 200, email);
    pages.add(res.text_.replace(/value="[0-9a-f]{64}"/g, 'TOKEN'));
  }
  assert.equal(pages.size, 1, 'one page whoever asked');
  // Only the starter within 30 days gets a link.
  await smtp.waitFor(to(soon.email));
  await new Promise((r) => setTimeout(r, 1500));
  for (const who of [leaver.email, later.email, stranger, disabled.email]) {
    assert.equal(smtp.count(to(who)), 0, who);
    assert.deepEqual(outboxFor(who), [], who);
  }
});

test('resetting a password ends the account\'s other sessions', async () => {
  const s = newStaff();
  const old = new Client();
  await old.signIn(s.email);
  assert.equal((await old.get('/')).status, 200);
  await askForLink(s.email, { from: address() });
  const m = await smtp.waitFor(to(s.email));
  assert.equal(m.parsed.subject, 'Reset your ihtrack password');
  const c = new Client();
  assert.equal((await setPassword(linkIn(m), NEW_PASSWORD, { c })).status, 303);
  assert.equal((await old.get('/')).status, 303, 'the old session has ended');
  assert.equal((await c.get('/')).status, 200);
  const wrong = new Client();
  const csrf_token = await wrong.csrf('/sign-in');
  assert.equal((await wrong.post('/sign-in', { csrf_token, email: s.email, password: DEMO_PASSWORD })).status, 401);
});

test('asking again voids the older link; an expired or unknown link is refused', async () => {
  const p = rosterPerson();
  await askForLink(p.email, { from: address() });
  const first = linkIn(await smtp.waitFor(to(p.email)));
  await askForLink(p.email, { from: address() });
  const second = linkIn(await smtp.waitFor((m) => to(p.email)(m) && linkIn(m) !== first));
  assert.equal((await new Client().get(pathOf(first))).status, 410);
  assert.equal((await new Client().get(pathOf(second))).status, 200);
  sql(`UPDATE password_tokens SET expires_at = now() - interval '1 second'
    WHERE token_hash = '${sha256(second.split('/').pop())}'`);
  const expired = await setPassword(second, NEW_PASSWORD).catch((e) => e);
  assert.match(String(expired.message ?? ''), /no csrf_token|status 410/);
  assert.equal((await new Client().get(pathOf(second))).status, 410);
  assert.equal((await new Client().get(`/set-password/${'ab'.repeat(32)}`)).status, 410);
});

test('at most 3 links an hour for one address, 20 requests an hour from one client address', async () => {
  const p = rosterPerson();
  for (let i = 0; i < 4; i++) assert.equal((await askForLink(p.email, { from: address() })).status, 200);
  await smtp.waitFor(to(p.email));
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(outboxFor(p.email).length, 3);

  const from = address();
  for (let i = 0; i < 20; i++) {
    assert.equal((await askForLink(`nobody${i}.${Date.now()}@mail.ihtrack.test`, { from })).status, 200);
  }
  const q = rosterPerson();
  const res = await askForLink(q.email, { from });
  assert.equal(res.status, 200);
  assert.match(res.text_, SAME_PAGE);
  await new Promise((r) => setTimeout(r, 1500));
  assert.deepEqual(outboxFor(q.email), [], 'the 21st request from one address sends nothing');
  // From another address the same person is served.
  await askForLink(q.email, { from: address() });
  await smtp.waitFor(to(q.email));
});
