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
