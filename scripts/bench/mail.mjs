// mail.mjs: the measurements of scripts/bench/mail, against the server
// and jobs daemon it started.  Prints one line per measurement.
import { readFileSync } from 'node:fs';
import { startSmtp } from '../../tests/lib/smtp.mjs';
import { admin, postCsv, sql } from '../../tests/lib/harness.mjs';
import { askForLink, jobs } from '../../tests/lib/mail.mjs';

const N = Number(process.argv[2] ?? 2000);
const smtp = await startSmtp();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const max = (xs) => Math.max(...xs);

// 1. Request to delivery: 20 people of a roster ask for a link, in turn.
const token = admin('create-token', 'RR8');
const rows = ['staff_id,given_name,family_name,email,level,start_date'];
for (let i = 0; i < 20; i++) rows.push(`L${i},Lat,Ency${i},lat${i}@bench.ihtrack.test,foundation,2024-01-01`);
await postCsv('RR8', 'staff', `${rows.join('\n')}\n`, token);
const lat = [];
for (let i = 0; i < 20; i++) {
  const to = `lat${i}@bench.ihtrack.test`;
  const t0 = performance.now();
  await askForLink(to);
  await smtp.waitFor((m) => m.envelope.to.includes(to));
  lat.push(performance.now() - t0);
}
console.log(`request to delivered message: median ${median(lat).toFixed(1)} ms, max ${max(lat).toFixed(1)} ms (20 requests)`);

// 2. Throughput: N messages queued while the daemon is paused, then let go.
jobs.signal('SIGSTOP');
sql(`INSERT INTO outbox (kind, to_email, to_name, params)
  SELECT 'set_password', 'tp' || i || '@bench.ihtrack.test', 'Through Put ' || i,
    jsonb_build_object('link', 'http://127.0.0.1/set-password/' || md5(i::text) || md5(i::text), 'first_time', true)
  FROM generate_series(1, ${N}) i`);
const before = smtp.messages.length;
const conns = smtp.connections;
const t0 = performance.now();
jobs.signal('SIGCONT');
while (smtp.messages.length - before < N) {
  await new Promise((r) => setTimeout(r, 20));
  if (performance.now() - t0 > 600000) throw new Error('not delivered in 10 minutes');
}
const secs = (performance.now() - t0) / 1000;
const hwm = readFileSync(`/proc/${jobs.pid()}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/)[1];
console.log(`delivery: ${N} messages in ${secs.toFixed(2)} s = ${(N / secs).toFixed(0)} messages/s over ${smtp.connections - conns} SMTP connection(s); jobs daemon peak RSS ${(hwm / 1024).toFixed(1)} MiB`);
const [[sent]] = sql("SELECT count(*) FROM outbox WHERE state = 'sent'");
console.log(`outbox: ${sent} sent, ${smtp.messages.length} received`);
await smtp.stop();
