// An import is atomic (issue 4): a lost database connection, or a client
// that goes away while its import runs, leaves the database as before.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { admin, postCsv, sql, unique } from '../lib/harness.mjs';

const N = 150000;
const token = admin('create-token', 'RR8');

// N completions for 3,000 fresh people of RR8 (made in SQL: quick).
function bigFile() {
  const prefix = unique('AT');
  sql(`SELECT ih_act_as(NULL, NULL, 'admin');
    INSERT INTO people (staff_id, given_name, family_name, email)
      SELECT '${prefix}-' || i, 'A', 'T', '${prefix.toLowerCase()}-' || i || '@x.test' FROM generate_series(1, 3000) i;
    INSERT INTO assignments (person_id, org_id, level, start_date)
      SELECT p.id, o.id, 1, '2020-01-01' FROM people p, organisations o
      WHERE p.staff_id LIKE '${prefix}-%' AND o.code = 'RR8'`);
  const lines = ['staff_id,module_code,completed_on'];
  const mods = ['IHF-01', 'TIC-F01', 'IHF-02', 'IHF-03', 'IHF-04'];
  for (let i = 0; i < N; i++) {
    const day = String(1 + (Math.floor(i / 15000) % 28)).padStart(2, '0');
    lines.push(`${prefix}-${(i % 3000) + 1},${mods[Math.floor(i / 3000) % 5]},2023-${String(1 + (Math.floor(i / 3000 / 5) % 10) % 12).padStart(2, '0')}-${day}`);
  }
  return { prefix, csv: `${lines.join('\n')}\n` };
}

function storedFor(prefix) {
  return Number(sql(`SELECT count(*) FROM completions c JOIN people p ON p.id = c.person_id
    WHERE p.staff_id LIKE '${prefix}-%'`)[0][0]);
}

// Waits until the import's own transaction is running a statement.
async function importBackend() {
  for (let i = 0; i < 400; i++) {
    const rows = sql(`SELECT pid FROM pg_stat_activity WHERE state = 'active'
      AND (query LIKE 'COPY stage%' OR query LIKE 'WITH ins AS%' OR query LIKE 'WITH ok AS%' OR query LIKE 'CREATE TEMP TABLE checked%')`);
    if (rows.length) return Number(rows[0][0]);
    await new Promise((r) => setTimeout(r, 25));
  }
  return 0;
}

function post(csv, signal) {
  return postCsv('RR8', 'completions', csv, token, { signal });
}

test('a database connection lost mid-import writes nothing', async () => {
  const { prefix, csv } = bigFile();
  const res = post(csv);
  const pid = await importBackend();
  assert.ok(pid > 0, 'the import was seen running');
  sql(`SELECT pg_terminate_backend(${pid})`);
  const reply = await res;
  assert.equal(reply.status, 500);
  const body = await reply.json();
  assert.match(body.message, /nothing was changed/);
  assert.equal(storedFor(prefix), 0);
  assert.deepEqual(sql(`SELECT status FROM import_batches WHERE id = ${body.batch}`), [['failed']]);
});

test('a client that goes away mid-import leaves nothing written', async () => {
  const { prefix, csv } = bigFile();
  const ac = new AbortController();
  const res = post(csv, ac.signal).catch(() => null);
  const pid = await importBackend();
  assert.ok(pid > 0, 'the import was seen running');
  ac.abort();
  await res;
  let status = [];
  for (let i = 0; i < 300 && !(status.length && status[0][0] !== 'running'); i++) {
    await new Promise((r) => setTimeout(r, 100));
    status = sql(`SELECT b.status, b.message FROM import_batches b WHERE b.id = (SELECT max(id) FROM import_batches)`);
  }
  assert.equal(status[0][0], 'failed');
  assert.match(status[0][1], /client went away/);
  assert.equal(storedFor(prefix), 0);
});
