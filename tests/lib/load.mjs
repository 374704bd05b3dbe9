// load.mjs: a bounded loader for the fault tests: virtual users, each a
// signed-in staff member of their own, reading their page and recording
// completions (one new date per write, so every accepted write can be
// looked for afterwards).  Writers are pluggable: a scenario that imports
// CSV adds its own writer with the same shape.
import { Client, newStaff, sql } from './harness.mjs';

function isoDaysAgo(n) {
  return new Date(Date.now() - n * 86400000).toISOString().slice(0, 10);
}

// A writer: setup() once per user; write(user, i) resolves to
// { status, key } where key identifies what a 200/303 promises is stored;
// check(users, accepted) returns a list of problems (empty when all is well).
export const recordWriter = {
  name: 'record a completion',
  async setup() {
    const s = newStaff();
    const c = new Client();
    await c.signIn(s.email);
    return { ...s, c, csrf: await c.csrf('/record') };
  },
  async write(u, i) {
    const completed_on = isoDaysAgo(10 + i);
    const res = await u.c.post('/record', { csrf_token: u.csrf, module_code: 'IHF-01',
      completed_on, source: 'e-learning' });
    return { status: res.status, key: `${u.personId}:${completed_on}` };
  },
  check(users, accepted) {
    const ids = users.map((u) => u.personId).join(',');
    const stored = new Set(sql(`SELECT person_id || ':' || completed_on FROM completions
      WHERE person_id IN (${ids})`).map((r) => r[0]));
    const problems = accepted.filter((k) => !stored.has(k)).map((k) => `accepted but not stored: ${k}`);
    // Nothing half-written: every stored completion has its audit row.
    const orphans = sql(`SELECT c.id FROM completions c WHERE c.person_id IN (${ids})
      AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'completions'
      AND a.entity_id = c.id AND a.action = 'insert')`);
    for (const [id] of orphans) problems.push(`completion ${id} has no audit row`);
    return problems;
  },
};

// Starts `users` virtual users; stop() ends them and returns the outcomes.
export async function startLoad({ users = 4, writer = recordWriter } = {}) {
  const us = [];
  for (let i = 0; i < users; i++) us.push(await writer.setup());
  let stopped = false;
  const outcomes = [];
  const loops = us.map(async (u) => {
    for (let i = 0; !stopped; i++) {
      const at = Date.now();
      try {
        const w = await writer.write(u, i);
        outcomes.push({ kind: 'write', at, ...w });
        const r = await u.c.get('/');
        outcomes.push({ kind: 'read', at, status: r.status });
      } catch (e) {
        // The connection died under the request (a killed worker).
        outcomes.push({ kind: 'error', at, status: 0, error: String(e.cause?.code ?? e) });
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  });
  return {
    users: us,
    outcomes,
    async stop() {
      stopped = true;
      await Promise.all(loops);
      const accepted = outcomes.filter((o) => o.kind === 'write' &&
        (o.status === 200 || o.status === 303)).map((o) => o.key);
      return { outcomes, accepted, problems: writer.check(us, accepted) };
    },
  };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
