// harness.mjs: what the HTTP and browser tests share: the server under
// test (started by scripts/test), a cookie-keeping client, and the
// project's own commands for set-up and for checking the database.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BASE = process.env.IHTRACK_BASE_URL ?? 'http://127.0.0.1:18888';
export const DEMO_PASSWORD = process.env.IHTRACK_DEMO_PASSWORD ?? 'inclusion-health-demo';

// Runs a project script (same environment as the server: database URL, var).
export function script(name, args = [], input) {
  return execFileSync(path.join(ROOT, 'scripts', name), args, {
    cwd: ROOT, input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'],
  });
}

// One SQL query through psql, rows as arrays of strings.
export function sql(query) {
  const out = script('db', ['psql', '-tA', '-F', '\t', '-c', query]);
  return out.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
}

// Sends a CSV to an organisation's import endpoint (kind: staff or
// completions; query: "?dry_run=1" and the like) with a bearer token.
export function postCsv(org, kind, body, token, { query = '', signal } = {}) {
  return fetch(`${BASE}/api/v1/orgs/${org}/${kind}.csv${query}`, {
    method: 'POST', body, signal,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
  });
}

export function admin(...args) {
  const input = args.length && typeof args[args.length - 1] === 'object'
    ? args.pop().stdin : undefined;
  return script('ihtrack-admin', args, input).trim();
}

let seq = 0;
// A name nobody else in this run uses.
export function unique(prefix) {
  seq += 1;
  return `${prefix}${process.pid}${seq}`;
}

// A browser-like client: keeps cookies, never follows redirects.
export class Client {
  constructor() { this.cookies = new Map(); }

  async req(method, url, { body, headers = {} } = {}) {
    const h = { ...headers };
    if (this.cookies.size) {
      h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    let payload = body;
    // FormData goes as multipart (fetch sets the boundary).
    if (body && typeof body === 'object' && !(body instanceof Buffer) && !(body instanceof FormData)) {
      payload = new URLSearchParams(body).toString();
      h['content-type'] = 'application/x-www-form-urlencoded';
    }
    const res = await fetch(BASE + url, { method, headers: h, body: payload, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      const k = pair.slice(0, i);
      const v = pair.slice(i + 1);
      if (v === '' || /Max-Age=0/i.test(c)) this.cookies.delete(k); else this.cookies.set(k, v);
    }
    res.text_ = await res.text();
    return res;
  }

  get(url, opts) { return this.req('GET', url, opts); }
  post(url, body, opts = {}) { return this.req('POST', url, { ...opts, body }); }

  // The form token on the last page fetched from url.
  async csrf(url) {
    const res = await this.get(url);
    const m = res.text_.match(/name="csrf_token" value="([0-9a-f]+)"/);
    if (!m) throw new Error(`no csrf_token on ${url} (status ${res.status})`);
    return m[1];
  }

  async signIn(email, password = DEMO_PASSWORD) {
    const csrf_token = await this.csrf('/sign-in');
    const res = await this.post('/sign-in', { csrf_token, email, password });
    if (res.status !== 303) throw new Error(`sign-in as ${email}: ${res.status}`);
    return res;
  }
}

// A fresh staff member with an account: returns { email, personId, staffId }.
export function newStaff({ org = 'RR8', level = 1 } = {}) {
  const staffId = unique('T');
  const email = `${staffId.toLowerCase()}@test.ihtrack.test`;
  const [[personId]] = sql(`INSERT INTO people (staff_id, given_name, family_name, email)
    VALUES ('${staffId}', 'Test', 'Person', '${email}') RETURNING id`);
  sql(`INSERT INTO assignments (person_id, org_id, level, start_date)
    SELECT ${personId}, id, ${level}, DATE '2020-01-01' FROM organisations WHERE code = '${org}'`);
  admin('create-user', email, 'staff', { stdin: `${DEMO_PASSWORD}\n` });
  return { email, personId, staffId };
}

// A person with one assignment to org (a code), no account: returns their
// staff ID.  levelSource 'rule': their level came from the level rules
// (issue 15), so a change of rules moves them.
export function newPerson(org, { group = '', role = '', level = 1, start = '2023-01-01', levelSource = 'file' } = {}) {
  const id = unique('P');
  sql(`WITH p AS (INSERT INTO people (staff_id, given_name, family_name, email)
      VALUES ('${id}', 'Test', 'Person', '${id.toLowerCase()}@test.ihtrack.test') RETURNING id)
    INSERT INTO assignments (person_id, org_id, staff_group, job_role, level, start_date, level_source)
    SELECT p.id, o.id, '${group}', '${role}', ${level}, DATE '${start}', '${levelSource}'
    FROM p, organisations o WHERE o.code = '${org}'`);
  return id;
}

// A new organisation (its code starting prefix) with its own lead, signed
// in: { code, org, user, lead } (org and user are ids, lead a Client).
export async function newOrgLead(prefix) {
  const code = unique(prefix).slice(0, 16).toUpperCase();
  admin('create-org', code, `Organisation ${code}`);
  const email = `${unique('lead').toLowerCase()}@${code.toLowerCase()}.ihtrack.test`;
  admin('create-user', email, 'org_lead', code, { stdin: `${DEMO_PASSWORD}\n` });
  const lead = new Client();
  await lead.signIn(email);
  const [[org]] = sql(`SELECT id FROM organisations WHERE code = '${code}'`);
  const [[user]] = sql(`SELECT id FROM users WHERE email = '${email}'`);
  return { code, org, user, lead };
}
