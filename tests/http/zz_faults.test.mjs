// Faults under load: PostgreSQL stopped and restarted with pg_ctl, and
// kill -9 of Kore workers mid-request.  Every accepted write (200/303)
// must be stored, nothing half-written, no worker may die of the outage,
// and the service must recover by itself.  A mid-import case is another
// writer for startLoad() (see tests/lib/load.mjs) in the kill test below.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { BASE, ROOT } from '../lib/harness.mjs';
import { recordWriter, sleep, startLoad } from '../lib/load.mjs';

const VAR = process.env.IHTRACK_VAR ?? path.join(ROOT, 'var/test');
const PGBIN = process.env.PGBIN ?? '/usr/lib/postgresql/15/bin';
const KORE_LOG = path.join(VAR, 'log/kore.log');

function pgCtl(...args) {
  const cmd = [path.join(PGBIN, 'pg_ctl'), '-D', path.join(VAR, 'pg/data'), ...args];
  if (process.getuid() === 0) execFileSync('runuser', ['-u', 'postgres', '--', ...cmd], { stdio: 'ignore' });
  else execFileSync(cmd[0], cmd.slice(1), { stdio: 'ignore' });
}

function workers() {
  const parent = readFileSync(path.join(VAR, 'run/kore.parent'), 'utf8').trim();
  const out = execFileSync('pgrep', ['-P', parent], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean).map(Number).sort();
}

async function healthy(timeoutMs) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(`${BASE}/healthz`)).status === 200) return true;
    } catch { /* restarting */ }
    await sleep(100);
  }
  return false;
}

function workerDeaths(from) {
  return readFileSync(KORE_LOG, 'utf8').slice(from).split('\n')
    .filter((l) => /exited with status|gone/.test(l));
}

test('PostgreSQL stopped and restarted under load: 503s, no lost write, no dead worker', async () => {
  const logStart = readFileSync(KORE_LOG, 'utf8').length;
  const load = await startLoad({ users: 4 });
  await sleep(1000);
  const downAt = Date.now();
  pgCtl('-m', 'fast', '-w', 'stop');
  await sleep(2500);
  pgCtl('-l', path.join(VAR, 'log/postgresql.log'), '-w', 'start');
  assert.ok(await healthy(15000), 'healthz is 200 again without a restart of the service');
  const upAt = Date.now();
  await sleep(2000);
  const { outcomes, accepted, problems } = await load.stop();

  const byStatus = {};
  for (const o of outcomes) byStatus[o.status] = (byStatus[o.status] ?? 0) + 1;
  console.log('pg restart under load:', JSON.stringify(byStatus), 'accepted writes', accepted.length);
  assert.deepEqual(problems, []);
  const unexpected = outcomes.filter((o) => ![200, 303, 503].includes(o.status));
  assert.deepEqual(unexpected, [], 'only 200, 303 and 503');
  assert.ok(outcomes.some((o) => o.status === 503 && o.at >= downAt), '503 while down');
  assert.ok(accepted.length > 10, 'writes were accepted');
  const late = outcomes.filter((o) => o.at > upAt + 500);
  assert.ok(late.length > 0, 'load continued after the restart');
  assert.deepEqual(late.filter((o) => o.status !== 200 && o.status !== 303).map((o) => o.status), [],
    `recovered: everything from 0.5 s after healthz is back succeeds`);
  assert.deepEqual(workerDeaths(logStart), [], 'no worker died');
});

// More writers (an import batch) join this list when they exist.
const KILL_CASES = [{ name: 'mid-request', writer: recordWriter }];

for (const { name, writer } of KILL_CASES) {
  test(`kill -9 of every worker ${name}: restarted by the parent, nothing lost or half-written`, async () => {
    const before = workers();
    assert.equal(before.length, 2, `two workers: ${before}`);
    const load = await startLoad({ users: 6, writer });
    await sleep(800);
    for (const pid of before) {
      // scripts/test reports worker deaths it did not cause: say these are ours.
      appendFileSync(path.join(VAR, 'run/killed-by-tests'), `${pid}\n`);
      process.kill(pid, 'SIGKILL');
      await sleep(700);
    }
    assert.ok(await healthy(10000), 'serving again');
    await sleep(1000);
    const { outcomes, accepted, problems } = await load.stop();
    const after = workers();
    console.log(`kill -9 ${name}:`, outcomes.length, 'requests,',
      outcomes.filter((o) => o.kind === 'error').length, 'cut off,', accepted.length, 'accepted writes');
    assert.equal(after.length, 2, 'the parent restarted the workers');
    for (const pid of before) assert.ok(!after.includes(pid), `${pid} was replaced`);
    assert.deepEqual(problems, []);
    assert.ok(accepted.length > 10, 'writes were accepted');
    const bad = outcomes.filter((o) => o.kind !== 'error' && ![200, 303].includes(o.status));
    assert.deepEqual(bad, [], 'requests that got an answer got a good one');
  });
}
