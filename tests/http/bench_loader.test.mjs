// The coverage benchmark's loader (scripts/bench/coverage_load.sql) in a
// database of its own in the test cluster: after it, the database takes
// a new person (issue 10: it left the identity sequence behind).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, test } from 'node:test';
import { ROOT } from '../lib/harness.mjs';

const SOCK = path.join(process.env.IHTRACK_VAR ?? path.join(ROOT, 'var/test'), 'pg/run');
const DB = 'ihtrack_bench_loader';
const psql = (args, opts = {}) => execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', SOCK, ...args],
  { encoding: 'utf8', cwd: ROOT, ...opts });

after(() => psql(['-U', 'postgres', '-d', 'postgres', '-c', `DROP DATABASE IF EXISTS ${DB}`]));

test('the benchmark database takes a new person after the load', () => {
  psql(['-U', 'postgres', '-d', 'postgres', '-c', `DROP DATABASE IF EXISTS ${DB}`,
    '-c', `CREATE DATABASE ${DB} OWNER ihtrack`]);
  const env = { ...process.env, IHTRACK_LOCAL_DB: '0',
    IHTRACK_DATABASE_URL: `host=${SOCK} dbname=${DB} user=ihtrack`,
    IHTRACK_APP_DATABASE_URL: `host=${SOCK} dbname=${DB} user=ihtrack_app` };
  execFileSync(path.join(ROOT, 'scripts/db'), ['migrate'], { env, cwd: ROOT, stdio: 'ignore' });
  psql(['-d', DB, '-U', 'ihtrack', '-f', 'sql/seed/catalogue.sql'], { stdio: 'ignore' });
  psql(['-U', 'postgres', '-d', DB, '-v', 'n=200', '-f', 'scripts/bench/coverage_load.sql'], { stdio: 'ignore' });
  const out = psql(['-U', 'ihtrack', '-d', DB, '-tA', '-c',
    "INSERT INTO people (staff_id, given_name, family_name, email) VALUES ('AFTER-1', 'A', 'B', 'after-1@x.test') RETURNING id"]);
  assert.equal(out.trim(), '201');
});
