// reminders.mjs: the delivery half of scripts/bench/reminders: starts a
// local SMTP server and the jobs daemon, and times the daemon delivering
// every queued reminder.
import { readFileSync } from 'node:fs';
import { startSmtp } from '../../tests/lib/smtp.mjs';
import { sql } from '../../tests/lib/harness.mjs';
import { jobs } from '../../tests/lib/mail.mjs';

const [[queued]] = sql("SELECT count(*) FROM outbox WHERE state = 'queued'");
const total = Number(queued);
const smtp = await startSmtp();
const t0 = performance.now();
jobs.start();
let last = 0;
while (smtp.messages.length < total) {
  await new Promise((r) => setTimeout(r, 200));
  if (smtp.messages.length === last && performance.now() - t0 > 60000 && last === 0) {
    throw new Error('nothing delivered in a minute');
  }
  last = smtp.messages.length;
}
const secs = (performance.now() - t0) / 1000;
const hwm = readFileSync(`/proc/${jobs.pid()}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/)[1];
console.log(`delivery: ${total} emails in ${secs.toFixed(1)} s = ${(total / secs).toFixed(0)} emails/s over ${smtp.connections} SMTP connection(s); jobs daemon peak RSS ${(hwm / 1024).toFixed(1)} MiB`);
jobs.stop();
await smtp.stop();
