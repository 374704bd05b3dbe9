// scripts/backup and scripts/restore: a backup restored into a fresh
// cluster holds exactly what the live database held, table by table.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT, script } from '../lib/harness.mjs';

function run(name, args, env = {}) {
  return execFileSync(path.join(ROOT, 'scripts', name), args, {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'],
  });
}

function psql(query, env) {
  return run('db', ['psql', '-tA', '-F', '\t', '-c', query], env).trim();
}

// Rows and a checksum of every table's full contents, sorted.
function fingerprint(env) {
  const tables = psql(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'
    ORDER BY tablename`, env).split('\n');
  const out = {};
  for (const t of tables) {
    out[t] = psql(`SELECT count(*) || ' ' || md5(coalesce(string_agg(x::text, E'\\n'
      ORDER BY x::text), '')) FROM public.${t} x`, env);
  }
  return out;
}

test('a backup restored into a fresh cluster is identical, table by table', () => {
  const scratch = mkdtempSync(path.join(process.env.IHTRACK_VAR ?? path.join(ROOT, 'var/test'), 'restore-'));
  // initdb runs as the postgres user, who must reach the new cluster.
  chmodSync(scratch, 0o755);
  const file = path.join(scratch, 'ihtrack.dump');
  const freshVar = path.join(scratch, 'var');
  const fresh = { IHTRACK_VAR: freshVar };
  try {
    const before = fingerprint();
    assert.equal(run('backup', [file]).trim(), file);
    assert.ok(statSync(file).size > 1000);
    assert.deepEqual(fingerprint(), before, 'nothing changed during the backup');
    assert.ok(Number(before.audit_log.split(' ')[0]) > 0);
    assert.ok(Number(before.completions.split(' ')[0]) > 0);

    run('restore', [file], fresh);
    const after = fingerprint(fresh);
    assert.deepEqual(after, before);
    // The restored trail is still append-only, and identities continue.
    assert.throws(() => psql('DELETE FROM audit_log', fresh), /not allowed/);
    assert.throws(() => run('restore', [file], fresh), /not empty/);
  } finally {
    try { run('db', ['stop'], fresh); } catch { /* never started */ }
    rmSync(scratch, { recursive: true, force: true });
  }
  assert.equal(script('db', ['psql', '-tAc', 'SELECT 1']).trim(), '1', 'the live database is untouched');
});
