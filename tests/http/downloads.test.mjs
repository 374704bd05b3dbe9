// The big downloads (src/download.c): an import's errors.csv and the
// audit trail as CSV are streamed a page (5,000 rows) at a time.  What
// arrives must be every row, in order, exactly once, across page
// boundaries; a client that leaves half-way must cost the server nothing
// (no worker dies: scripts/test checks the log) and the connection it
// used must serve the next request when a download ends.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import net from 'node:net';
import { BASE, Client, admin, postCsv, sql } from '../lib/harness.mjs';

// A dry run whose report has `rows` errors, two on some lines.
async function batchWithErrors(rows) {
  const token = admin('create-token', 'RR8');
  const res = await postCsv('RR8', 'completions', 'staff_id,module_code,completed_on\nNOBODY,IHF-01,2025-01-01\n', token, { query: '?dry_run=1' });
  const { batch } = await res.json();
  sql(`INSERT INTO import_errors (batch_id, line, column_name, code, message)
    SELECT ${batch}, g, 'staff_id', 'unknown_staff', 'No person "N' || g || '", line ' || g
    FROM generate_series(3, ${rows + 1}) g`);
  // Two errors on line 5000 and on 5001, either side of the first page's end.
  sql(`INSERT INTO import_errors (batch_id, line, column_name, code, message)
    VALUES (${batch}, 5000, 'completed_on', 'bad_date', 'second, "quoted"'),
           (${batch}, 5001, 'completed_on', 'bad_date', 'second of 5001')`);
  return { batch, token };
}

test('errors.csv over several pages: every row once, in line order', async () => {
  const { batch, token } = await batchWithErrors(12000);
  const res = await fetch(`${BASE}/imports/${batch}/errors.csv`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('transfer-encoding'), 'chunked');
  assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.match(res.headers.get('content-disposition'), new RegExp(`import-${batch}-errors.csv`));
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const lines = (await res.text()).split('\r\n');
  assert.equal(lines.pop(), '');
  assert.equal(lines[0], 'line,column,code,message');
  const rows = lines.slice(1);
  assert.equal(rows.length, 12002);
  assert.match(rows[0], /^2,staff_id,/);
  const nums = rows.map((r) => Number(r.split(',')[0]));
  for (let i = 1; i < nums.length; i++) assert.ok(nums[i] >= nums[i - 1], `line ${nums[i]} after ${nums[i - 1]}`);
  assert.deepEqual(rows.filter((r) => r.startsWith('5000,')), [
    '5000,staff_id,unknown_staff,"No person ""N5000"", line 5000"',
    '5000,completed_on,bad_date,"second, ""quoted"""',
  ]);
  assert.equal(rows.filter((r) => r.startsWith('5001,')).length, 2);
  assert.equal(new Set(rows).size, rows.length);
});

test('a small errors.csv is one reply with its length', async () => {
  const token = admin('create-token', 'RR8');
  const res = await postCsv('RR8', 'completions', 'staff_id,module_code,completed_on\nNOBODY,IHF-01,2025-01-01\n', token, { query: '?dry_run=1' });
  const { batch } = await res.json();
  const csv = await fetch(`${BASE}/imports/${batch}/errors.csv`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(csv.status, 200);
  assert.equal(csv.headers.get('transfer-encoding'), null);
  assert.ok(Number(csv.headers.get('content-length')) > 0);
  assert.match(await csv.text(), /^line,column,code,message\r\n2,/);
});

// Raw HTTP/1.1 over one connection, to see what the server does with it:
// the download, then (unless the client leaves after closeAfter bytes) a
// second request once the download's last chunk is in.  Not pipelined:
// Kore 4.1 drops what arrives in the same read as a request's headers.
function rawRequests(path, headers, { closeAfter } = {}) {
  return new Promise((resolve, reject) => {
    const url = new URL(BASE);
    const sock = net.connect(Number(url.port), url.hostname);
    const chunks = [];
    let got = 0;
    let asked = false;
    const req = (p) => `GET ${p} HTTP/1.1\r\nHost: ${url.host}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
    sock.on('connect', () => sock.write(req(path)));
    sock.on('data', (d) => {
      chunks.push(d);
      got += d.length;
      if (closeAfter && got >= closeAfter) { sock.destroy(); resolve(Buffer.concat(chunks)); }
      if (!closeAfter && !asked && Buffer.concat(chunks).toString('latin1').endsWith('\r\n0\r\n\r\n')) {
        asked = true;
        sock.write(req('/healthz'));
      }
      if (!closeAfter && /\{"status":"ok"[^}]*\}\s*$/.test(d.toString('latin1'))) { sock.end(); }
    });
    sock.on('end', () => resolve(Buffer.concat(chunks)));
    sock.on('error', reject);
    setTimeout(() => { sock.destroy(); reject(new Error('timed out')); }, 60000);
  });
}

test('after a streamed download the connection serves the next request', async () => {
  const { batch, token } = await batchWithErrors(6000);
  const raw = (await rawRequests(`/imports/${batch}/errors.csv`, { authorization: `Bearer ${token}` })).toString('latin1');
  assert.match(raw, /^HTTP\/1\.1 200/);
  assert.match(raw, /\r\n0\r\n\r\nHTTP\/1\.1 200/, 'the last chunk, then the next reply');
  assert.match(raw, /"status":"ok"/);
});

test('a client that leaves mid-download costs nothing', async () => {
  const { batch, token } = await batchWithErrors(30000);
  for (let i = 0; i < 5; i++) {
    const part = await rawRequests(`/imports/${batch}/errors.csv`, { authorization: `Bearer ${token}` }, { closeAfter: 200000 });
    assert.match(part.toString('latin1'), /^HTTP\/1\.1 200/);
  }
  // The server still answers, and a whole download still arrives whole.
  assert.equal((await fetch(`${BASE}/healthz`)).status, 200);
  const res = await fetch(`${BASE}/imports/${batch}/errors.csv`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal((await res.text()).split('\r\n').length - 2, 30002);
});

test('the audit trail as CSV streams every row the filter matches', async () => {
  const c = new Client();
  await c.signIn('admin@demo.ihtrack.test');
  const [[entityId]] = sql(`SELECT coalesce(max(entity_id), 0) + 1000000 FROM audit_log WHERE entity = 'people'`);
  sql(`INSERT INTO audit_log (via, action, entity, entity_id, after)
    SELECT 'api', 'update', 'people', ${entityId}, jsonb_build_object('n', g) FROM generate_series(1, 11000) g`);
  const res = await c.get(`/admin/audit?format=csv&entity=people&entity_id=${entityId}`);
  assert.equal(res.status, 200);
  const rows = res.text_.split('\r\n').filter((l) => l !== '').slice(1);
  assert.equal(rows.length, 11000);
  const ns = rows.map((r) => Number(r.match(/""n"": (\d+)/)[1]));
  assert.equal(new Set(ns).size, 11000);
});

// The CSV's quoting (src/csv.c, csv_field): RFC 4180, and a value that a
// spreadsheet would take for a formula starts with a quote mark.
function csvField(s) {
  if (s === '') return s;
  const formula = '=+-@\t\r'.includes(s[0]);
  if (!formula && !/[,"\r\n]/.test(s)) return s;
  return `"${formula ? "'" : ''}${s.replaceAll('"', '""')}"`;
}

// n audit entries of one person nobody else's entries name, a minute
// apart going back from noon (UTC) on 10 June 2020, of every source and
// action, some with an actor or a token, values that need quoting; and
// entries of the person next to it and of an assignment with the same
// id in the same minutes, which no filter of theirs selects.
function auditEntries(n) {
  const [[entityId]] = sql(`SELECT coalesce(max(entity_id), 0) + 2000000 FROM audit_log WHERE entity = 'people'`);
  const [[adminId]] = sql(`SELECT id FROM users WHERE email = 'admin@demo.ihtrack.test'`);
  sql(`INSERT INTO audit_log (at, actor_user_id, actor_token_id, via, action, entity, entity_id, before, after)
    SELECT timestamptz '2020-06-10 12:00:00+00' - g * interval '1 minute',
      CASE WHEN g % 4 = 0 THEN ${adminId} END, CASE WHEN g % 9 = 0 THEN 7 END,
      (ARRAY['form', 'api', 'import', 'admin'])[g % 4 + 1],
      (ARRAY['update', 'insert', 'delete'])[g % 3 + 1], 'people', ${entityId},
      CASE WHEN g % 3 <> 1 THEN jsonb_build_object('given_name', 'Ann, "the first"', 'n', g) END,
      CASE WHEN g % 3 <> 2 THEN jsonb_build_object('note', E'two\nlines', 'formula', '=1+' || g) END
    FROM generate_series(0, ${n - 1}) g`);
  sql(`INSERT INTO audit_log (at, via, action, entity, entity_id, after)
    SELECT timestamptz '2020-06-10 12:00:00+00' - g * interval '7 minutes', 'api', 'update', e, ${entityId} + k, '{}'
    FROM generate_series(0, 299) g, (VALUES ('people', 1), ('assignments', 0)) x(e, k)`);
  return entityId;
}

function cookieOf(c) {
  return [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}

test('the audit CSV streamed over several pages is exactly what its filters select', async () => {
  const entityId = auditEntries(14000);
  const c = new Client();
  await c.signIn('admin@demo.ihtrack.test');
  // Days in Europe/London: 3 to 9 June 2020 (BST) are 23:00 UTC on the
  // 2nd to 23:00 UTC on the 9th.
  const res = await fetch(`${BASE}/admin/audit?format=csv&entity=people&entity_id=${entityId}&from-day=3&from-month=6&from-year=2020&to=2020-06-09`,
    { headers: { cookie: cookieOf(c) } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('transfer-encoding'), 'chunked');
  assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.equal(res.headers.get('content-disposition'), 'attachment; filename="ihtrack-audit.csv"');
  const body = await res.text();

  // What they select, read in parts that fit psql's output in memory.
  const rows = [];
  for (let part = 0; ; part++) {
    const [[json]] = sql(`SELECT coalesce(jsonb_agg(r ORDER BY id DESC), '[]') FROM (
      SELECT a.id, jsonb_build_array(a.id::text,
        to_char(a.at, 'YYYY-MM-DD"T"HH24:MI:SSOF'), coalesce(u.email, ''),
        coalesce(a.actor_token_id::text, ''), a.via, a.action, a.entity, a.entity_id::text,
        coalesce(a.before::text, ''), coalesce(a.after::text, '')) r
      FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id
      WHERE a.entity = 'people' AND a.entity_id = ${entityId}
        AND a.at >= '2020-06-02 23:00:00+00' AND a.at < '2020-06-09 23:00:00+00'
      ORDER BY a.id DESC OFFSET ${part * 2000} LIMIT 2000) x`);
    const got = JSON.parse(json);
    if (got.length === 0) break;
    rows.push(...got);
  }
  assert.equal(rows.length, 7 * 24 * 60, 'more than two pages of 5,000');
  assert.equal(rows[0][1], '2020-06-03T00:00:00+01', 'the first entry on the from day');
  assert.equal(rows.at(-1)[1], '2020-06-09T23:59:00+01', 'the last on the to day');
  const expected = 'id,at,actor,token,source,action,entity,entity_id,before,after\r\n'
    + rows.map((r) => `${r.map(csvField).join(',')}\r\n`).join('');
  assert.equal(body.length, expected.length);
  assert.ok(body === expected, 'the bytes the filters select, in id order, each once');
});

test('a client that leaves the audit CSV half-way frees what it held', async () => {
  const entityId = auditEntries(30000);
  const c = new Client();
  await c.signIn('admin@demo.ihtrack.test');
  const path = `/admin/audit?format=csv&entity=people&entity_id=${entityId}`;
  // More than the workers' database connections (2 each): a download
  // that kept one would leave the next requests waiting for ever.
  for (let i = 0; i < 6; i++) {
    const part = await rawRequests(path, { cookie: cookieOf(c) }, { closeAfter: 200000 });
    assert.match(part.toString('latin1'), /^HTTP\/1\.1 200/);
  }
  // No page query runs on for a client that has gone.
  let running;
  for (let i = 0; i < 50; i++) {
    [[running]] = sql(`SELECT count(*) FROM pg_stat_activity
      WHERE pid <> pg_backend_pid() AND state = 'active' AND query LIKE '%FROM audit_log a LEFT JOIN users u%'`);
    if (running === '0') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(running, '0');
  assert.equal((await fetch(`${BASE}/healthz`)).status, 200);
  const res = await c.get(path);
  assert.equal(res.status, 200);
  assert.equal(res.text_.split('\r\n').length - 2, 30000);
});
