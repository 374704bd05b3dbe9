// The server connects as ihtrack_app, which owns nothing (migration
// 0303): it cannot rewrite the audit trail even with the triggers out of
// the way, because only an owner may disable them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { BASE, sql } from '../lib/harness.mjs';

const APP_URL = process.env.IHTRACK_APP_DATABASE_URL;

// One statement as the application role: its output, or the error it got.
function asApp(statement) {
  try {
    return { out: execFileSync('psql', ['-X', '-q', '-tA', '-v', 'ON_ERROR_STOP=1', APP_URL, '-c', statement],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim() };
  } catch (e) {
    return { err: String(e.stderr) };
  }
}

test('the application role is a plain login that owns no table', () => {
  assert.ok(APP_URL, 'IHTRACK_APP_DATABASE_URL is set (scripts/lib.sh)');
  assert.equal(asApp('SELECT current_user').out, 'ihtrack_app');
  const [[superuser, createrole, bypassrls]] = sql(`SELECT rolsuper, rolcreaterole, rolbypassrls
    FROM pg_roles WHERE rolname = 'ihtrack_app'`);
  assert.deepEqual([superuser, createrole, bypassrls], ['f', 'f', 'f']);
  assert.deepEqual(sql(`SELECT tablename FROM pg_tables WHERE tableowner = 'ihtrack_app'`), []);
});

test('the server\'s own connections are the application role\'s', async () => {
  assert.equal((await fetch(`${BASE}/healthz`)).status, 200);
  // Other roles' backends show little more than their user: enough.
  const users = sql(`SELECT DISTINCT usename FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid()`).map(([u]) => u);
  assert.deepEqual(users, ['ihtrack_app']);
});

test('the application role cannot edit the audit trail, nor take its triggers away', () => {
  const [[id]] = sql('SELECT max(id) FROM audit_log');
  for (const statement of [
    'ALTER TABLE audit_log DISABLE TRIGGER ALL',
    'ALTER TABLE audit_log DISABLE TRIGGER audit_log_immutable',
    'DROP TRIGGER audit_log_immutable ON audit_log',
    "SET session_replication_role = 'replica'",
    `UPDATE audit_log SET action = 'forged' WHERE id = ${id}`,
    `DELETE FROM audit_log WHERE id = ${id}`,
    'TRUNCATE audit_log',
    'DELETE FROM completions WHERE false',
    'CREATE TABLE public.mine (x int)',
  ]) {
    const r = asApp(statement);
    assert.ok(r.err, `${statement}: refused`);
    assert.match(r.err, /must be owner|permission denied/, statement);
  }
  assert.notEqual(sql(`SELECT action FROM audit_log WHERE id = ${id}`)[0][0], 'forged');
  // What the service needs it still has.
  assert.equal(asApp('SELECT count(*) > 0 FROM audit_log').out, 't');
  assert.equal(asApp('CREATE TEMP TABLE t (x int); INSERT INTO t VALUES (1); SELECT count(*) FROM t').out, '1');
});
