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

// Raw HTTP/1.1 over one connection, to see what the server does with it.
function rawRequests(path, headers, { closeAfter } = {}) {
  return new Promise((resolve, reject) => {
    const url = new URL(BASE);
    const sock = net.connect(Number(url.port), url.hostname);
    const chunks = [];
    let got = 0;
    const req = (p) => `GET ${p} HTTP/1.1\r\nHost: ${url.host}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
    sock.on('connect', () => {
      // The download, then a second request on the same connection.
      sock.write(req(path));
      if (!closeAfter) sock.write(req('/healthz'));
    });
    sock.on('data', (d) => {
      chunks.push(d);
      got += d.length;
      if (closeAfter && got >= closeAfter) { sock.destroy(); resolve(Buffer.concat(chunks)); }
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
