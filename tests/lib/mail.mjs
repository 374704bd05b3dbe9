// mail.mjs: what the email tests share: asking for a set-password link
// as a person would, the link in a delivered message, and the jobs
// daemon (scripts/jobs) that delivers the outbox, to pause, kill and
// start again in fault tests.
import { randomInt } from 'node:crypto';
import { Client, script, sql, unique } from './harness.mjs';

// Client addresses (RFC 5737 documentation range), one per request
// unless a test chooses: 20 requests an hour from one address are all it
// may make.
let nextAddr = randomInt(1, 250) * 256;
export const anyAddress = () => { nextAddr += 1; return `198.18.${(nextAddr >> 8) % 256}.${nextAddr % 256}`; };

// Asks /set-password for a link for email, from a fresh browser (or c),
// from client address from; resolves to the response.
export async function askForLink(email, { c = new Client(), from = anyAddress() } = {}) {
  const csrf_token = await c.csrf('/set-password');
  return c.post('/set-password', { csrf_token, email }, { headers: { 'x-forwarded-for': from } });
}

// The one /set-password/TOKEN link in a delivered message's text part.
export function linkIn(message) {
  const links = [...new Set(message.parsed.text.match(/https?:\/\/\S+/g) ?? [])];
  if (links.length !== 1) throw new Error(`expected one link, found ${links.length}: ${links.join(' ')}`);
  return links[0];
}

// A path and query for Client (which takes paths) from an absolute link.
export const pathOf = (link) => { const u = new URL(link); return u.pathname + u.search; };

// Uses a link: the form, then the password twice; resolves to the response.
export async function setPassword(link, password, { c = new Client(), confirm = password } = {}) {
  const csrf_token = await c.csrf(pathOf(link));
  return c.post(pathOf(link), { csrf_token, password, password_confirm: confirm });
}

// A new person on RR8's roster (no account), starting on start.
export function rosterPerson({ org = 'RR8', start = '2020-01-01', end = null } = {}) {
  const staffId = unique('SP');
  const email = `${staffId.toLowerCase()}@mail.ihtrack.test`;
  const [[personId]] = sql(`INSERT INTO people (staff_id, given_name, family_name, email)
    VALUES ('${staffId}', 'Zoë', 'Okafor', '${email}') RETURNING id`);
  sql(`INSERT INTO assignments (person_id, org_id, level, start_date, end_date)
    SELECT ${personId}, id, 1, DATE '${start}', ${end ? `DATE '${end}'` : 'NULL'}
    FROM organisations WHERE code = '${org}'`);
  return { staffId, email, personId };
}

// The jobs daemon of the instance under test.
export const jobs = {
  pid: () => Number(script('jobs', ['pid']).trim()),
  signal(sig) { process.kill(this.pid(), sig); },
  start: () => script('jobs', ['start']),
  stop: () => script('jobs', ['stop']),
};

// Messages the outbox holds for an address.
export function outboxFor(email) {
  return sql(`SELECT state, attempts, coalesce(last_error, '') FROM outbox
    WHERE lower(to_email) = lower('${email}') ORDER BY id`);
}
