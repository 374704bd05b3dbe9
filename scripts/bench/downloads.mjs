// downloads.mjs: the measurements of scripts/bench/downloads, against the
// server it started.  Prints one line per download.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Client, admin, postCsv, script, sql } from '../../tests/lib/harness.mjs';

const N = Number(process.argv[2] ?? 1000000);
const VAR = process.env.IHTRACK_VAR;

// The peak RSS (VmHWM, KiB) of each worker of the running server.
function workers() {
  const parent = readFileSync(path.join(VAR, 'run/kore.parent'), 'utf8').trim();
  const kids = readFileSync(`/proc/${parent}/task/${parent}/children`, 'utf8').trim().split(/\s+/);
  const peak = {};
  for (const pid of kids) {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+)/m);
    if (m) peak[pid] = Number(m[1]);
  }
  return peak;
}

function restart() {
  script('serve', ['--stop']);
  script('serve', ['--background']);
}

// Downloads url with curl (a client that is not the bottleneck) into a
// file, and counts its rows.
async function measure(what, url, headers) {
  const before = workers();
  const file = path.join(VAR, 'download.csv');
  const args = ['-sS', '-o', file, '-w', '%{http_code} %{size_download} %{time_total}'];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}: ${v}`);
  const [code, bytes, secs] = execFileSync('curl', [...args, process.env.IHTRACK_BASE_URL + url],
    { encoding: 'utf8' }).split(' ');
  if (code !== '200') throw new Error(`${what}: ${code}`);
  const lines = Number(execFileSync('wc', ['-l', file], { encoding: 'utf8' }).split(' ')[0]);
  rmSync(file);
  const after = workers();
  let grew = 0;
  let peak = 0;
  for (const [pid, kb] of Object.entries(after)) {
    if (kb - (before[pid] ?? kb) >= grew) { grew = kb - (before[pid] ?? kb); peak = kb; }
  }
  const mib = (kb) => (kb / 1024).toFixed(1);
  console.log(`${what}: ${lines - 1} rows, ${(bytes / 1048576).toFixed(1)} MiB in ${Number(secs).toFixed(2)} s; `
    + `serving worker peak RSS ${mib(peak - grew)} -> ${mib(peak)} MiB (+${mib(grew)} MiB)`);
  if (lines - 1 !== N) throw new Error(`${what}: ${lines - 1} rows, expected ${N}`);
}

// errors.csv: a real batch with errors, then its report grown to N rows.
admin('create-org', 'BENCH', 'Benchmark organisation');
const token = admin('create-token', 'BENCH');
const res = await postCsv('BENCH', 'completions', 'staff_id,module_code,completed_on\nNOBODY,IHF-01,2025-01-01\n', token, { query: '?dry_run=1' });
const batch = (await res.json()).batch;
if (!batch) throw new Error('no batch');
sql(`INSERT INTO import_errors (batch_id, line, column_name, code, message)
  SELECT ${batch}, g, 'staff_id', 'unknown_staff', 'No person with staff_id "N' || g || '" works for BENCH, as the roster says'
  FROM generate_series(3, ${N + 1}) g`);
restart();
await measure('errors.csv', `/imports/${batch}/errors.csv`, { authorization: `Bearer ${token}` });

// The audit trail (append-only): grown to N rows of a realistic size.
const [[had]] = sql('SELECT count(*) FROM audit_log');
sql(`INSERT INTO audit_log (at, actor_user_id, via, action, entity, entity_id, before, after)
  SELECT now() - g * interval '1 second', NULL, 'api', 'update', 'people', g,
    jsonb_build_object('given_name', 'Given' || g, 'email', 'p' || g || '@bench.test'),
    jsonb_build_object('given_name', 'Changed' || g, 'email', 'p' || g || '@bench.test')
  FROM generate_series(1, ${N - Number(had)}) g`);
restart();
const c = new Client();
await c.signIn('admin@demo.ihtrack.test');
await measure('audit CSV', '/admin/audit?format=csv',
  { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ') });
