// Bulk CSV import over the API (issue 4): POST /api/v1/orgs/{CODE}/
// staff.csv and completions.csv with an organisation's or a system token.
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { BASE, admin, newStaff, sql, unique } from '../lib/harness.mjs';

const rr8 = admin('create-token', 'RR8');
const ry6 = admin('create-token', 'RY6');
const system = admin('create-token', '--system');

function isoDaysAgo(n) {
  const d = new Date();
  d.setDate(d.getDate() - n);
  return d.toISOString().slice(0, 10);
}

async function upload(path, body, { token = rr8, type = 'text/csv' } = {}) {
  const headers = { 'content-type': type };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(BASE + path, { method: 'POST', headers, body });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = { text }; }
  return { status: res.status, json, headers: res.headers };
}

const completions = (body, qs = '', opts) => upload(`/api/v1/orgs/RR8/completions.csv${qs}`, body, opts);
const staff = (body, qs = '', opts) => upload(`/api/v1/orgs/RR8/staff.csv${qs}`, body, opts);

function stored(personId) {
  return sql(`SELECT m.code, c.completed_on, c.source, coalesce(c.provider, ''), c.recorded_via
    FROM completions c JOIN modules m ON m.id = c.module_id
    WHERE c.person_id = ${personId} ORDER BY m.code, c.completed_on`);
}

test('no token is 401, another organisation\'s token 403, a system token may import', async () => {
  const none = await completions('staff_id,module_code,completed_on\n', '', { token: null });
  assert.equal(none.status, 401);
  const other = await completions('staff_id,module_code,completed_on\n', '', { token: ry6 });
  assert.equal(other.status, 403);
  const sys = await completions('staff_id,module_code,completed_on\n', '', { token: system });
  assert.equal(sys.status, 200);
  assert.equal(sys.json.rows, 0);
  const missing = await upload('/api/v1/orgs/NOSUCH/completions.csv', 'a\n', { token: system });
  assert.equal(missing.status, 404);
});

test('a body that is not CSV is 415; bad parameters are 400', async () => {
  const json = await completions('{"a":1}', '', { type: 'application/json' });
  assert.equal(json.status, 415);
  const none = await completions('x', '', { type: 'text/plain' });
  assert.equal(none.status, 415);
  assert.equal((await completions('staff_id\n', '?on_error=maybe')).status, 400);
  assert.equal((await staff('staff_id\n', '?mode=wipe')).status, 400);
  assert.equal((await staff('staff_id\n', '?dry_run=yes')).status, 400);
});

test('a body over the configured limit is 413 before it is read', async () => {
  // conf/ihtrack.conf: http_body_max 256 MiB.  Announce more and send none.
  const url = new URL(BASE);
  const reply = await new Promise((resolve, reject) => {
    const s = net.connect(Number(url.port), url.hostname, () => {
      s.write(`POST /api/v1/orgs/RR8/completions.csv HTTP/1.1\r\nHost: x\r\n`
        + `Authorization: Bearer ${rr8}\r\nContent-Type: text/csv\r\n`
        + `Content-Length: ${300 * 1024 * 1024}\r\n\r\nstaff_id`);
    });
    let got = '';
    s.on('data', (d) => { got += d; if (got.includes('\r\n\r\n')) { s.destroy(); resolve(got); } });
    s.on('error', reject);
    s.on('close', () => resolve(got));
  });
  assert.match(reply, /^HTTP\/1\.1 413/);
});

test('messy but valid completions import, and the second upload changes nothing', async () => {
  const a = newStaff();
  const b = newStaff();
  const recent = isoDaysAgo(3);
  const [y, m, d] = recent.split('-');
  // BOM, CRLF, headers in any case and order with spaces, an unknown
  // column, quoted fields with commas, quotes and a line break, UK dates,
  // a duplicate row, trailing blank lines.
  const csv = '\ufeff Completed_On ,STAFF_ID,Module_Code,Provider,Notes,source\r\n'
    + `31/01/2024,${a.staffId},IHF-01,"Leeds Academy, ""Inclusion"" team",ok,e-learning\r\n`
    + `${d}/${m}/${y},${a.staffId},tic-f01,,"two\r\nlines",face-to-face\r\n`
    + `2023-06-15,${b.staffId},IHF-02,,,\r\n`
    + `2023-06-15,${b.staffId},IHF-02,,,\r\n`
    + '\r\n\r\n';
  const first = await completions(csv);
  assert.equal(first.status, 200, JSON.stringify(first.json));
  assert.equal(first.json.dry_run, false);
  assert.equal(first.json.rows, 4);
  assert.equal(first.json.accepted, 3);
  assert.equal(first.json.unchanged, 1);
  assert.equal(first.json.rejected, 0);
  assert.deepEqual(first.json.errors, []);
  assert.deepEqual(first.json.warnings.map((w) => [w.line, w.column, w.code]), [[1, 'notes', 'unknown_column']]);
  assert.ok(first.json.batch > 0);
  assert.deepEqual(stored(a.personId), [
    ['IHF-01', '2024-01-31', 'e-learning', 'Leeds Academy, "Inclusion" team', 'import'],
    ['TIC-F01', recent, 'face-to-face', '', 'import'],
  ]);
  assert.deepEqual(stored(b.personId), [['IHF-02', '2023-06-15', 'other', '', 'import']]);

  const again = await completions(csv);
  assert.equal(again.status, 200);
  assert.equal(again.json.accepted, 0);
  assert.equal(again.json.unchanged, 4);
  assert.notEqual(again.json.batch, first.json.batch);
  assert.equal(stored(a.personId).length, 2);
  assert.equal(stored(b.personId).length, 1);

  // The batch says who sent what; its one audit entry counts what it
  // stored, and each stored completion names the batch.
  const [batch] = sql(`SELECT kind, on_error, status, rows_read, accepted, unchanged, rejected,
      token_id IS NOT NULL, uploaded_by IS NULL, via FROM import_batches WHERE id = ${first.json.batch}`);
  assert.deepEqual(batch, ['completions', 'reject', 'applied', '4', '3', '1', '0', 't', 't', 'api']);
  const audit = sql(`SELECT count(*), min(via), bool_and(actor_token_id IS NOT NULL),
      min(after->>'rows') FROM audit_log
    WHERE entity = 'import_batches' AND entity_id = ${first.json.batch} AND after->>'table' = 'completions'`);
  assert.deepEqual(audit, [['1', 'import', 't', '3']]);
  assert.deepEqual(sql(`SELECT count(*) FROM completions WHERE import_batch_id = ${first.json.batch}`), [['3']]);
  assert.deepEqual(sql(`SELECT count(*) FROM audit_log
    WHERE entity = 'completions' AND import_batch_id = ${first.json.batch}`), [['0']]);
});

test('a completion recorded by the form and then imported is stored once', async () => {
  const a = newStaff();
  sql(`SELECT ih_record_completion(NULL, NULL, 'admin', ${a.personId}, 'IHF-03', '2024-05-01', 'other', NULL)`);
  const res = await completions(`staff_id,module_code,completed_on\n${a.staffId},IHF-03,01/05/2024\n`);
  assert.equal(res.status, 200);
  assert.equal(res.json.unchanged, 1);
  assert.equal(stored(a.personId).length, 1);
});

test('every kind of bad row is reported by physical line and column; nothing is written', async () => {
  const a = newStaff();
  const elsewhere = newStaff({ org: 'RY6' });
  const csv = 'staff_id,module_code,completed_on\n'
    + `${a.staffId},IHF-01,31/02/2024\n` // 2: impossible date
    + `"${a.staffId}","IHF-01","2024-01-0\n1"\n` // 3-4: a line break inside quotes
    + `${a.staffId},NOPE-9,2024-01-01\n` // 5: unknown module
    + 'NOBODY-AT-ALL,IHF-01,2024-01-01\n' // 6: unknown staff
    + `${elsewhere.staffId},IHF-01,2024-01-01\n` // 7: not of this organisation
    + `${a.staffId},IHF-01,${isoDaysAgo(-2)}\n` // 8: future
    + `${a.staffId},IHF-01\n` // 9: wrong field count
    + `${a.staffId},IHF-\xff01,2024-01-01\n` // 10: invalid UTF-8 (latin-1 byte below)
    + `${a.staffId},,2024-01-01\n` // 11: empty value
    + `${a.staffId},IHF-01,2024-01-01,extra\n` // 12: too many fields
    + `${a.staffId},IHF-01,"2024-01-01"x\n` // 13: text after a closing quote
    + `${a.staffId},IHF-02,2024-03-04\n`; // 14: fine
  const body = Buffer.from(csv, 'latin1');
  const res = await completions(body);
  assert.equal(res.status, 422, JSON.stringify(res.json));
  assert.equal(res.json.rows, 12);
  assert.equal(res.json.rejected, 11);
  assert.equal(res.json.accepted, 1);
  assert.deepEqual(res.json.errors.map((e) => [e.line, e.column, e.code]), [
    [2, 'completed_on', 'invalid_date'],
    [3, 'completed_on', 'invalid_date'],
    [5, 'module_code', 'unknown_module'],
    [6, 'staff_id', 'unknown_staff'],
    [7, 'staff_id', 'unknown_staff'],
    [8, 'completed_on', 'future_date'],
    [9, null, 'wrong_field_count'],
    [10, 'module_code', 'invalid_utf8'],
    [11, 'module_code', 'missing_value'],
    [12, null, 'wrong_field_count'],
    [13, null, 'bad_quote'],
  ]);
  assert.match(res.json.errors[0].message, /31\/02\/2024/);
  assert.match(res.json.errors[2].message, /NOPE-9/);
  assert.match(res.json.errors[6].message, /2 fields; the header has 3/);
  assert.equal(stored(a.personId).length, 0, 'on_error=reject writes nothing');
  const [[status, nerr]] = sql(`SELECT b.status, (SELECT count(*) FROM import_errors e WHERE e.batch_id = b.id)
    FROM import_batches b WHERE id = ${res.json.batch}`);
  assert.equal(status, 'rejected');
  assert.equal(nerr, '11');
});

test('an unterminated quote is reported on the line where the row starts', async () => {
  const a = newStaff();
  const res = await completions(`staff_id,module_code,completed_on\n${a.staffId},IHF-01,2024-01-01\n"${a.staffId},IHF-02,2024-01-01\n\n`);
  assert.equal(res.status, 422);
  assert.deepEqual(res.json.errors.map((e) => [e.line, e.code]), [[3, 'unterminated_quote']]);
});

// A message quotes at most so many bytes of a value; the cut must not
// split a UTF-8 character, or the error report itself cannot be stored.
test('long values quoted in errors are cut between characters', async () => {
  const a = newStaff();
  const date = 'a' + 'é'.repeat(30);   // byte 40 is inside an é
  const code = 'Z' + 'ü'.repeat(40);
  const staffId = 'x' + 'ß'.repeat(40);
  const res = await completions(`staff_id,module_code,completed_on\n${a.staffId},IHF-01,${date}\n`
    + `${a.staffId},${code},2024-01-01\n${staffId},IHF-01,2024-01-01\n`);
  assert.equal(res.status, 422, JSON.stringify(res.json));
  assert.deepEqual(res.json.errors.map((e) => [e.line, e.code]),
    [[2, 'invalid_date'], [3, 'unknown_module'], [4, 'unknown_staff']]);
  assert.ok(res.json.errors[0].message.includes("'a" + 'é'.repeat(19) + "' "), res.json.errors[0].message);
  assert.ok(res.json.errors[1].message.includes('Z' + 'ü'.repeat(31) + ':'), res.json.errors[1].message);
  assert.ok(res.json.errors[2].message.includes('x' + 'ß'.repeat(31) + ' '), res.json.errors[2].message);
});

test('on_error=skip applies the good rows and reports the bad', async () => {
  const a = newStaff();
  const csv = `staff_id,module_code,completed_on\n${a.staffId},IHF-01,2024-01-01\n${a.staffId},IHF-01,2024-13-01\n`;
  const res = await completions(csv, '?on_error=skip');
  assert.equal(res.status, 200);
  assert.equal(res.json.accepted, 1);
  assert.equal(res.json.rejected, 1);
  assert.deepEqual(res.json.errors.map((e) => [e.line, e.code]), [[3, 'invalid_date']]);
  assert.equal(stored(a.personId).length, 1);
});

test('dry_run=1 reports what would happen and writes nothing', async () => {
  const a = newStaff();
  const csv = `staff_id,module_code,completed_on\n${a.staffId},IHF-01,2024-01-01\n${a.staffId},IHF-02,2024-01-01\n`;
  const res = await completions(csv, '?dry_run=1');
  assert.equal(res.status, 200);
  assert.equal(res.json.dry_run, true);
  assert.equal(res.json.accepted, 2);
  assert.equal(stored(a.personId).length, 0);
  const [[status]] = sql(`SELECT status FROM import_batches WHERE id = ${res.json.batch}`);
  assert.equal(status, 'previewed');
});

test('a missing required column is 422 before any row is read', async () => {
  const a = newStaff();
  const res = await completions(`Staff_ID,completed_on\n${a.staffId},2024-01-01\n`);
  assert.equal(res.status, 422);
  assert.equal(res.json.rows, 0);
  assert.deepEqual(res.json.errors.map((e) => [e.line, e.column, e.code]), [[1, 'module_code', 'missing_column']]);
  const empty = await completions('');
  assert.equal(empty.status, 422);
  assert.equal(empty.json.errors[0].code, 'empty_file');
  const twice = await completions('staff_id,staff_id,module_code,completed_on\n');
  assert.equal(twice.status, 422);
  assert.equal(twice.json.errors[0].code, 'duplicate_column');
});

test('a completion may be imported for someone whose assignment has ended', async () => {
  const a = newStaff();
  sql(`UPDATE assignments SET end_date = '2021-01-01' WHERE person_id = ${a.personId}`);
  const res = await completions(`staff_id,module_code,completed_on\n${a.staffId},IHF-01,2020-06-01\n`);
  assert.equal(res.status, 200);
  assert.equal(res.json.accepted, 1);
});

function roster(rows) {
  return 'staff_id,given_name,family_name,email,staff_group,job_role,level,start_date,end_date\n'
    + rows.map((r) => r.join(',')).join('\n') + '\n';
}

function assignments(staffId) {
  return sql(`SELECT o.code, a.staff_group, a.job_role, fl.code, a.start_date, coalesce(a.end_date::text, '')
    FROM assignments a JOIN people p ON p.id = a.person_id JOIN organisations o ON o.id = a.org_id
    JOIN framework_levels fl ON fl.level = a.level WHERE p.staff_id = '${staffId}' ORDER BY a.id`);
}

test('staff merge creates and updates people and assignments, idempotently', async () => {
  const s1 = unique('R');
  const s2 = unique('R');
  const rows = [
    [s1, 'Asha', 'Begum', `${s1}@x.test`, 'Nursing and Midwifery', '"Nurse, band 5"', 'Foundation', '01/04/2023', ''],
    [s2, 'Ben', 'Cole', `${s2}@x.test`, 'Medical and Dental', 'Registrar', 'advanced', '2022-09-01', '2031-08-31'],
  ];
  const first = await staff(roster(rows));
  assert.equal(first.status, 200, JSON.stringify(first.json));
  assert.equal(first.json.accepted, 2);
  assert.deepEqual(assignments(s1), [['RR8', 'Nursing and Midwifery', 'Nurse, band 5', 'foundation', '2023-04-01', '']]);
  assert.deepEqual(assignments(s2), [['RR8', 'Medical and Dental', 'Registrar', 'advanced', '2022-09-01', '2031-08-31']]);

  const again = await staff(roster(rows));
  assert.equal(again.json.accepted, 0);
  assert.equal(again.json.unchanged, 2);

  rows[0][2] = 'Begum-Khan';
  rows[1][6] = 'intermediate';
  const changed = await staff(roster(rows));
  assert.equal(changed.json.accepted, 2);
  assert.equal(changed.json.unchanged, 0);
  assert.deepEqual(sql(`SELECT family_name FROM people WHERE staff_id = '${s1}'`), [['Begum-Khan']]);
  // A new level takes effect today: the earlier one stays history (issue 10).
  const [[today, yesterday]] = sql("SELECT current_date::text, (current_date - 1)::text");
  assert.deepEqual(assignments(s2).map((a) => [a[3], a[4], a[5]]), [
    ['advanced', '2022-09-01', yesterday], ['intermediate', today, '2031-08-31']]);

  // Another organisation's roster adds an assignment; the person is shared.
  const other = await upload('/api/v1/orgs/RY6/staff.csv', roster([rows[0]]), { token: ry6 });
  assert.equal(other.status, 200);
  assert.equal(other.json.accepted, 1);
  assert.deepEqual(assignments(s1).map((a) => a[0]), ['RR8', 'RY6']);
});

test('staff replace ends, never deletes, the assignments of people absent from the file', async () => {
  // On its own organisation, so other tests' staff are not ended.
  const org = unique('Z').toUpperCase().slice(0, 16);
  admin('create-org', org, 'Replace test');
  const tok = admin('create-token', org);
  const [a, b] = [unique('P'), unique('P')];
  const row = (id) => [id, 'G', 'F', `${id}@x.test`, '', '', 'foundation', '2020-01-01', ''];
  const path = `/api/v1/orgs/${org}/staff.csv`;
  const first = await upload(path, roster([row(a), row(b)]), { token: tok });
  assert.equal(first.json.accepted, 2);

  const dry = await upload(`${path}?mode=replace&dry_run=1`, roster([row(a)]), { token: tok });
  assert.equal(dry.json.ended, 1);
  assert.equal(assignments(b)[0][5], '', 'a dry run ends nobody');

  const res = await upload(`${path}?mode=replace`, roster([row(a)]), { token: tok });
  assert.equal(res.status, 200);
  assert.equal(res.json.unchanged, 1);
  assert.equal(res.json.ended, 1);
  assert.deepEqual(assignments(b).map((x) => x[5]), [isoDaysAgo(1)]);
  assert.deepEqual(assignments(a).map((x) => x[5]), ['']);
  assert.equal(sql(`SELECT count(*) FROM people WHERE staff_id = '${b}'`)[0][0], '1');

  const again = await upload(`${path}?mode=replace`, roster([row(a)]), { token: tok });
  assert.equal(again.json.ended, 0, 'replacing twice ends nothing more');

  // Every reply to a replace says how many it ended, even one refused at
  // its header; a merge's never does.
  const refused = await upload(`${path}?mode=replace`, 'staff_id,email\nX1,x1@x.test\n', { token: tok });
  assert.equal(refused.status, 422);
  assert.equal(refused.json.ended, 0);
  assert.equal('ended' in first.json, false);
});

test('bad roster rows are reported precisely', async () => {
  const taken = newStaff();
  const [a, b, c] = [unique('Q'), unique('Q'), unique('Q')];
  const res = await staff(roster([
    [a, 'A', 'B', `${a}@x.test`, '', '', 'expert', '2020-01-01', ''], // 2 level
    [b, 'A', 'B', 'not-an-email', '', '', 'foundation', '2020-01-01', ''], // 3 email
    [b, 'A', 'B', `${b}@x.test`, '', '', 'foundation', '2020-01-01', '2019-01-01'], // 4 end before start
    [c, 'A', 'B', taken.email.toUpperCase(), '', '', 'foundation', '2020-01-01', ''], // 5 email of someone else
    [b, '', 'B', `${b}@x.test`, '', '', 'foundation', '2020-01-01', ''], // 6 empty given_name
    [b, 'A', 'B', `${b}@x.test`, '', '', 'foundation', '2020-02-30', ''], // 7 impossible date
    [b, 'A', 'B', `${b}@x.test`, '', '', 'foundation', '2020-02-01', ''], // 8 fine
    [b, 'A', 'B', `${b}@x.test`, '', '', 'foundation', '2020-02-01', ''], // 9 staff_id twice
  ]));
  assert.equal(res.status, 422);
  assert.deepEqual(res.json.errors.map((e) => [e.line, e.column, e.code]), [
    [2, 'level', 'invalid_level'],
    [3, 'email', 'invalid_email'],
    [4, 'end_date', 'end_before_start'],
    [5, 'email', 'email_in_use'],
    [6, 'given_name', 'missing_value'],
    [7, 'start_date', 'invalid_date'],
    [9, 'staff_id', 'duplicate_staff_id'],
  ]);
  assert.equal(sql(`SELECT count(*) FROM people WHERE staff_id IN ('${a}', '${b}', '${c}')`)[0][0], '0');
});

test('an upload dropped before its body is complete changes nothing', async () => {
  const a = newStaff();
  const before = sql('SELECT count(*) FROM import_batches')[0][0];
  const url = new URL(BASE);
  await new Promise((resolve) => {
    const s = net.connect(Number(url.port), url.hostname, () => {
      s.write(`POST /api/v1/orgs/RR8/completions.csv HTTP/1.1\r\nHost: x\r\n`
        + `Authorization: Bearer ${rr8}\r\nContent-Type: text/csv\r\nContent-Length: 100000\r\n\r\n`
        + `staff_id,module_code,completed_on\n${a.staffId},IHF-01,2024-01-01\n`);
      setTimeout(() => { s.destroy(); resolve(); }, 200);
    });
  });
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(sql('SELECT count(*) FROM import_batches')[0][0], before);
  assert.equal(stored(a.personId).length, 0);
});

test("another organisation's batch is 404, as if it did not exist", async () => {
  const a = newStaff();
  const res = await completions(`staff_id,module_code,completed_on\n${a.staffId},IHF-01,2024-02-02\n${a.staffId},NOPE-1,2024-02-02\n`, '?on_error=skip');
  assert.equal(res.status, 200);
  const id = res.json.batch;
  const get = (token) => fetch(`${BASE}/imports/${id}/errors.csv`, { headers: { authorization: `Bearer ${token}` } });
  const own = await get(rr8);
  assert.equal(own.status, 200);
  assert.match(await own.text(), /NOPE-1/);
  const other = await get(ry6);
  assert.equal(other.status, 404);
  assert.doesNotMatch(await other.text(), /NOPE-1|unknown_module/);
  const missing = await fetch(`${BASE}/imports/${id}/errors.csv`, { redirect: 'manual' });
  assert.equal(missing.status, 303, 'no credentials: sent to sign in');
});
