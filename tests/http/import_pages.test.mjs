// The import pages (issue 4): who may use them, upload and check,
// confirm once, the error report as CSV.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, Client, admin, newStaff, sql } from '../lib/harness.mjs';

async function lead() {
  const c = new Client();
  await c.signIn('lead.rr8@demo.ihtrack.test');
  return c;
}

// A multipart upload with the client's cookies (the harness posts forms
// urlencoded).
async function upload(c, csv, fields = {}) {
  const page = await c.get('/imports');
  const csrf = page.text_.match(/name="csrf_token" value="([0-9a-f]+)"/)[1];
  const fd = new FormData();
  fd.append('csrf_token', csrf);
  fd.append('kind', 'completions');
  for (const [k, v] of Object.entries(fields)) fd.set(k, v);
  if (csv !== null) fd.append('file', new Blob([csv], { type: 'text/csv' }), 'upload.csv');
  const cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(`${BASE}/imports`, { method: 'POST', body: fd, headers: { cookie }, redirect: 'manual' });
  return { status: res.status, location: res.headers.get('location'), text: await res.text() };
}

async function until(fn, ms = 10000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('only an organisation\'s lead may upload; staff may not see imports', async () => {
  const me = newStaff();
  const staff = new Client();
  await staff.signIn(me.email);
  assert.equal((await staff.get('/imports')).status, 403);
  const academy = new Client();
  await academy.signIn('academy@demo.ihtrack.test');
  const page = await academy.get('/imports');
  assert.equal(page.status, 200);
  assert.doesNotMatch(page.text_, /Upload a file/);
  assert.equal((await new Client().get('/imports')).status, 303);
});

test('upload, check, confirm once; the report downloads as CSV', async () => {
  const a = newStaff();
  const c = await lead();
  const none = await upload(c, null);
  assert.equal(none.status, 400);
  assert.match(none.text, /Choose a CSV file to upload/);

  const csv = `staff_id,module_code,completed_on\n${a.staffId},IHF-01,2024-01-01\nNOBODY,IHF-01,2024-01-01\n"${a.staffId}",IHF-02,"1/2/2024"\n`;
  const res = await upload(c, csv, { on_error: 'skip' });
  assert.equal(res.status, 303);
  const check = await c.get(res.location);
  assert.match(check.text_, /Checked, not imported/);
  assert.match(check.text_, /Nobody with staff_id NOBODY/);
  assert.equal(sql(`SELECT count(*) FROM completions WHERE person_id = ${a.personId}`)[0][0], '0');

  const id = res.location.split('/').pop();
  const report = await c.get(`/imports/${id}/errors.csv`);
  assert.equal(report.status, 200);
  assert.match(report.headers.get('content-type'), /^text\/csv/);
  assert.equal(report.text_, 'line,column,code,message\r\n'
    + '3,staff_id,unknown_staff,"Nobody with staff_id NOBODY works, or has worked, for this organisation."\r\n');

  const csrf_token = check.text_.match(/name="csrf_token" value="([0-9a-f]+)"/)[1];
  const confirm = await c.post(`/imports/${id}/confirm`, { csrf_token });
  assert.equal(confirm.status, 303);
  const done = await until(async () => /Imported/.test((await c.get(confirm.headers.get('location'))).text_));
  assert.ok(done, 'the confirmed import finishes');
  assert.equal(sql(`SELECT count(*) FROM completions WHERE person_id = ${a.personId} AND recorded_via = 'import'`)[0][0], '2');
  const [[status, applied]] = sql(`SELECT status, (SELECT count(*) FROM import_batches c WHERE c.preview_of = b.id)
    FROM import_batches b WHERE id = ${id}`);
  assert.deepEqual([status, applied], ['confirmed', '1']);

  const again = await c.post(`/imports/${id}/confirm`, { csrf_token });
  assert.equal(again.status, 409);
  assert.equal((await c.post(`/imports/${id}/confirm`, { csrf_token: 'x' })).status, 403);

  // Another organisation cannot see it, by page or by token.
  const ry6 = admin('create-token', 'RY6');
  const other = await fetch(`${BASE}/imports/${id}/errors.csv`, { headers: { authorization: `Bearer ${ry6}` } });
  assert.equal(other.status, 404);
  const own = await fetch(`${BASE}/imports/${id}/errors.csv`, { headers: { authorization: `Bearer ${admin('create-token', 'RR8')}` } });
  assert.equal(own.status, 200);
});

test('a roster checked with "import the rows without errors" can be confirmed (issue 10)', async () => {
  const c = await lead();
  const id = `SK${Date.now()}`;
  const csv = 'staff_id,given_name,family_name,email,level,start_date\n'
    + `${id},Sam,Skip,${id.toLowerCase()}@x.test,foundation,2024-01-01\n`
    + `${id}b,Bad,Row,not-an-email,foundation,2024-01-01\n`;
  const up = await upload(c, csv, { kind: 'staff', mode: 'merge', on_error: 'skip' });
  assert.equal(up.status, 303);
  const page = await until(async () => {
    const p = await c.get(up.location);
    return /Confirm and import/.test(p.text_) ? p : null;
  });
  assert.ok(page, 'the check offers its confirm');
  const csrf = page.text_.match(/name="csrf_token" value="([0-9a-f]+)"/)[1];
  const confirm = await c.post(`${up.location}/confirm`, { csrf_token: csrf });
  assert.equal(confirm.status, 303);
  const done = await until(async () => sql(`SELECT status FROM import_batches WHERE id = ${confirm.headers.get('location').split('/').pop()}`)[0][0] !== 'running');
  assert.ok(done);
  assert.equal(sql(`SELECT count(*) FROM people WHERE staff_id = '${id}'`)[0][0], '1');
  assert.deepEqual(sql(`SELECT mode, on_error FROM import_batches WHERE id = ${up.location.split('/').pop()}`), [['merge', 'skip']]);
});

// A multipart upload whose file name is raw bytes.
async function uploadNamed(c, csv, name) {
  const page = await c.get('/imports');
  const csrf = page.text_.match(/name="csrf_token" value="([0-9a-f]+)"/)[1];
  const b = '----ihtrack' + Date.now();
  const part = (h, v) => Buffer.concat([Buffer.from(`--${b}\r\n`), Buffer.isBuffer(h) ? h : Buffer.from(h),
    Buffer.from('\r\n\r\n'), Buffer.from(v), Buffer.from('\r\n')]);
  const body = Buffer.concat([
    part('Content-Disposition: form-data; name="csrf_token"', csrf),
    part('Content-Disposition: form-data; name="kind"', 'completions'),
    part(Buffer.concat([Buffer.from('Content-Disposition: form-data; name="file"; filename="'), name,
      Buffer.from('"\r\nContent-Type: text/csv')]), csv),
    Buffer.from(`--${b}--\r\n`),
  ]);
  const cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(`${BASE}/imports`, { method: 'POST', body, redirect: 'manual',
    headers: { cookie, 'content-type': `multipart/form-data; boundary=${b}` } });
  return { status: res.status, location: res.headers.get('location') };
}

test('a file name that is not UTF-8, or is cut inside a character, is cleaned, not refused (issue 10)', async () => {
  const c = await lead();
  const me = newStaff();
  const csv = `staff_id,module_code,completed_on\n${me.staffId},IHF-01,2025-01-02\n`;
  const bad = Buffer.from([0x72, 0x6f, 0x74, 0xff, 0xfe, 0x2e, 0x63, 0x73, 0x76]);
  const long = Buffer.concat([Buffer.from('a'), Buffer.from('é'.repeat(200))]);
  for (const name of [bad, long]) {
    const up = await uploadNamed(c, csv, name);
    assert.equal(up.status, 303, `upload named ${name.toString('hex').slice(0, 20)}`);
    const id = up.location.split('/').pop();
    const [[fn, status]] = sql(`SELECT filename, status FROM import_batches WHERE id = ${id}`);
    assert.equal(status, 'previewed');
    assert.ok(fn.length > 0);
  }
});
