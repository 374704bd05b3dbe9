// A client that leaves mid-import stalls nobody (issue 10): whenever the
// client goes (parsing, applying, keeping the coverage, just before the
// commit) the import's transaction ends within seconds, releasing every
// lock, and another organisation's import goes through.  Also: every
// session has a lock timeout, so a page waits seconds, not for ever.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { Client, ROOT, admin, newStaff, postCsv, sql, unique } from '../lib/harness.mjs';

const N = 150000;
const rr8 = admin('create-token', 'RR8');
const ry6 = admin('create-token', 'RY6');

// 3,000 people of RR8, made once by a roster import (the per-row triggers
// of an INSERT would take a minute); each file gives them N completions
// on dates no other file uses.
let people = null;
let files = 0;
async function bigFile() {
  if (people === null) {
    people = unique('DC');
    const rows = ['staff_id,given_name,family_name,email,level,start_date'];
    for (let i = 1; i <= 3000; i++) rows.push(`${people}-${i},D,C,${people.toLowerCase()}-${i}@x.test,foundation,2020-01-01`);
    const res = await postCsv('RR8', 'staff', `${rows.join('\n')}\n`, rr8);
    assert.equal(res.status, 200);
  }
  files += 1;
  const year = 2010 + files;
  const lines = ['staff_id,module_code,completed_on'];
  const mods = ['IHF-01', 'TIC-F01', 'IHF-02', 'IHF-03', 'IHF-04'];
  for (let i = 0; i < N; i++) {
    const p = (i % 3000) + 1;
    const k = Math.floor(i / 3000);
    lines.push(`${people}-${p},${mods[k % 5]},${year}-${String(1 + Math.floor(k / 5) % 12).padStart(2, '0')}-${String(1 + (k % 28)).padStart(2, '0')}`);
  }
  return { year, csv: `${lines.join('\n')}\n` };
}

const stored = (year) => Number(sql(`SELECT count(*) FROM completions c JOIN people p ON p.id = c.person_id
  WHERE p.staff_id LIKE '${people}-%' AND extract(year FROM c.completed_on) = ${year}`)[0][0]);
const idleInTransaction = () => sql(`SELECT pid, left(query, 60) FROM pg_stat_activity
  WHERE datname = current_database() AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()`);

// Waits until some session runs a statement that starts with one of
// phase's texts; true when seen.
async function reached(phase) {
  const like = phase.map((p) => `query LIKE '${p.replaceAll("'", "''")}%'`).join(' OR ');
  for (let i = 0; i < 1200; i++) {
    if (sql(`SELECT 1 FROM pg_stat_activity WHERE state = 'active' AND (${like})`).length) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return false;
}

const PHASES = {
  parsing: ['COPY stage'],
  applying: ['INSERT INTO completions'],
  'keeping the coverage': ['COPY (SELECT a.person_id', 'CREATE TEMP TABLE cov_steps', 'COPY cov_steps',
    'SELECT ih_coverage_add'],
  committing: ['UPDATE import_batches SET status = $2', 'COMMIT'],
};

for (const [name, phase] of Object.entries(PHASES)) {
  test(`a client that leaves while ${name} stalls nobody`, async () => {
    const { year, csv } = await bigFile();
    const [[lastBatch]] = sql('SELECT coalesce(max(id), 0) FROM import_batches');
    const ac = new AbortController();
    const res = postCsv('RR8', 'completions', csv, rr8, { signal: ac.signal }).catch(() => null);
    const seen = await reached(phase);
    ac.abort();
    await res;
    // Another organisation's one-row import goes through within 10 s.
    const other = newStaff({ org: 'RY6' });
    const t0 = Date.now();
    const one = await postCsv('RY6', 'completions',
      `staff_id,module_code,completed_on\n${other.staffId},IHF-01,2025-01-02\n`, ry6,
      { signal: AbortSignal.timeout(30000) });
    const took = Date.now() - t0;
    assert.equal(one.status, 200);
    assert.ok(took < 10000, `the other import took ${took} ms`);
    // The import ended, as failed (or, if its commit won the race, applied
    // whole), and no session is left idle in a transaction.
    let batch = [];
    for (let i = 0; i < 100; i++) {
      batch = sql(`SELECT status FROM import_batches WHERE id > ${lastBatch} AND org_id =
        (SELECT id FROM organisations WHERE code = 'RR8') ORDER BY id LIMIT 1`);
      if (batch.length && batch[0][0] !== 'running') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(seen || batch[0][0] === 'applied', `phase ${name} was never seen running`);
    assert.ok(['failed', 'interrupted', 'applied'].includes(batch[0][0]), batch[0][0]);
    assert.equal(stored(year), batch[0][0] === 'applied' ? N : 0);
    assert.deepEqual(idleInTransaction(), []);
  });
}

// Holds the coverage writers' lock (migration 0110) in a transaction of
// its own for ms, as a stuck import once did.
function holdCoverageLock(ms) {
  const p = spawn(path.join(ROOT, 'scripts/db'), ['psql', '-X', '-q', '-c',
    `BEGIN; SELECT pg_advisory_xact_lock('coverage_delta'::regclass::oid::int, 0);
     SELECT pg_sleep(${ms / 1000}); COMMIT;`], { cwd: ROOT, stdio: 'ignore' });
  return new Promise((resolve) => p.on('exit', resolve));
}

test('a page that waits too long for a lock answers 503 with a message, not a hang', async () => {
  const s = newStaff();
  const c = new Client();
  await c.signIn(s.email);
  const csrf = await c.csrf('/record');
  const held = holdCoverageLock(9000);
  await new Promise((r) => setTimeout(r, 500));
  const t0 = Date.now();
  const res = await c.post('/record', { csrf_token: csrf, module_code: 'IHF-01',
    completed_on: '2025-01-03', source: 'e-learning' });
  const took = Date.now() - t0;
  assert.equal(res.status, 503);
  assert.match(res.text_, /busy; please try again/);
  assert.ok(took < 8000, `answered after ${took} ms`);
  await held;
  // Nothing half-written, and it works once the lock is gone.
  assert.equal(sql(`SELECT count(*) FROM completions WHERE person_id = ${s.personId}`)[0][0], '0');
  const again = await c.post('/record', { csrf_token: csrf, module_code: 'IHF-01',
    completed_on: '2025-01-03', source: 'e-learning' });
  assert.equal(again.status, 303);
});
