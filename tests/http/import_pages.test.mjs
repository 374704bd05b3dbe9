// The import pages (issue 4): who may use them, upload and check,
// confirm once, the error report as CSV; since issue 13, one number per
// upload (the confirm applies under the check's own batch), the same
// words for the same figure, importing the rows without errors there and
// then, a success message, templates and the codes a file may use.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { BASE, Client, ROOT, admin, newStaff, postCsv, sql } from '../lib/harness.mjs';

const kept = (id) => path.join(process.env.IHTRACK_VAR ?? path.join(ROOT, 'var/test'), 'imports', `${id}.csv`);

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

// What a batch's page and the history say of it.
function figuresOf(html) {
  const out = {};
  for (const [, k, v] of html.matchAll(/<dt class="nhsuk-summary-list__key">([^<]*)<\/dt><dd class="nhsuk-summary-list__value">([^<]*)<\/dd>/g)) out[k] = v;
  return out;
}
function historyRow(html, id) {
  const row = html.split('<tr class="nhsuk-table__row">').find((r) => r.includes(`href="/imports/${id}"`));
  if (!row) return null;
  const out = {};
  for (const [, k, v] of row.matchAll(/<span class="nhsuk-table-responsive__heading">([^<]*?) <\/span><span class="ih-value">(.*?)<\/span><\/td>/g)) {
    out[k] = v.replace(/<[^>]*>/g, '').trim();
  }
  return out;
}
const csrfOf = (html) => html.match(/name="csrf_token" value="([0-9a-f]+)"/)[1];
const batches = () => Number(sql('SELECT count(*) FROM import_batches')[0][0]);

test('upload, check, confirm once under the same number; the report downloads as CSV', async () => {
  const a = newStaff();
  const c = await lead();
  const none = await upload(c, null);
  assert.equal(none.status, 400);
  assert.match(none.text, /Choose a CSV file to upload/);

  const csv = `staff_id,module_code,completed_on\n${a.staffId},IHF-01,2024-01-01\nNOBODY,IHF-01,2024-01-01\n"${a.staffId}",IHF-02,"1/2/2024"\n`;
  const res = await upload(c, csv, { on_error: 'skip' });
  assert.equal(res.status, 303);
  const id = res.location.split('/').pop();
  const check = await c.get(res.location);
  assert.match(check.text_, new RegExp(`<h1>Import ${id}</h1>`));
  assert.match(check.text_, /Checked, not imported/);
  assert.match(check.text_, /Nobody with staff_id NOBODY/);
  assert.equal(sql(`SELECT count(*) FROM completions WHERE person_id = ${a.personId}`)[0][0], '0');

  const expected = 'line,column,code,message\r\n'
    + '3,staff_id,unknown_staff,"Nobody with staff_id NOBODY works, or has worked, for this organisation."\r\n';
  const report = await c.get(`/imports/${id}/errors.csv`);
  assert.equal(report.status, 200);
  assert.match(report.headers.get('content-type'), /^text\/csv/);
  assert.equal(report.text_, expected);

  // One number per upload (issue 13): the confirm makes no batch of its
  // own; the check's moves on to running and then applied.
  const before = batches();
  const csrf_token = csrfOf(check.text_);
  const confirm = await c.post(`/imports/${id}/confirm`, { csrf_token });
  assert.equal(confirm.status, 303);
  assert.equal(confirm.headers.get('location'), `/imports/${id}`);
  const done = await until(async () => /Imported/.test((await c.get(`/imports/${id}`)).text_));
  assert.ok(done, 'the confirmed import finishes');
  assert.equal(batches(), before, 'the confirm made no batch of its own');
  assert.equal(sql(`SELECT count(*) FROM completions WHERE person_id = ${a.personId} AND recorded_via = 'import'
    AND import_batch_id = ${id}`)[0][0], '2');
  const [row] = sql(`SELECT status, dry_run, on_error, rows_read, accepted, rejected, confirmed_by IS NOT NULL,
    (SELECT count(*) FROM import_batches c WHERE c.preview_of = b.id) FROM import_batches b WHERE id = ${id}`);
  assert.deepEqual(row, ['applied', 'f', 'skip', '3', '2', '1', 't', '0']);
  // The error report is the import's, not the check's and the import's.
  assert.equal(sql(`SELECT count(*) FROM import_errors WHERE batch_id = ${id}`)[0][0], '1');
  assert.equal((await c.get(`/imports/${id}/errors.csv`)).text_, expected);
  assert.ok(!existsSync(kept(id)), 'the kept upload has served its purpose');
  const history = await c.get('/imports');
  assert.equal(history.text_.split(`href="/imports/${id}"`).length - 1, 1, 'one history row for the upload');
  assert.equal(historyRow(history.text_, id).Result, 'Imported');

  const again = await c.post(`/imports/${id}/confirm`, { csrf_token });
  assert.equal(again.status, 409);
  assert.equal(batches(), before);
  assert.equal((await c.post(`/imports/${id}/confirm`, { csrf_token: 'x' })).status, 403);

  // Another organisation cannot see it, by page or by token.
  const ry6 = admin('create-token', 'RY6');
  const other = await fetch(`${BASE}/imports/${id}/errors.csv`, { headers: { authorization: `Bearer ${ry6}` } });
  assert.equal(other.status, 404);
  const own = await fetch(`${BASE}/imports/${id}/errors.csv`, { headers: { authorization: `Bearer ${admin('create-token', 'RR8')}` } });
  assert.equal(own.status, 200);
});

test('two confirms of one check at the same moment import it once (issue 13)', async () => {
  const a = newStaff();
  const c = await lead();
  const up = await upload(c, `staff_id,module_code,completed_on\n${a.staffId},IHF-01,2024-05-01\n`);
  const id = up.location.split('/').pop();
  const csrf_token = csrfOf((await c.get(up.location)).text_);
  const statuses = (await Promise.all([1, 2].map(() => c.post(`/imports/${id}/confirm`, { csrf_token }))))
    .map((r) => r.status).sort();
  assert.deepEqual(statuses, [303, 409]);
  assert.ok(await until(() => sql(`SELECT status FROM import_batches WHERE id = ${id}`)[0][0] === 'applied'));
  assert.equal(sql(`SELECT count(*) FROM completions WHERE person_id = ${a.personId}`)[0][0], '1');
});

test('a check that found errors offers to import its rows without errors there and then (issue 13)', async () => {
  const a = newStaff();
  const c = await lead();
  const csv = `staff_id,module_code,completed_on\n${a.staffId},IHF-01,2024-02-01\n${a.staffId},NOPE,2024-02-01\n`
    + `${a.staffId},IHF-02,2024-02-01\n`;
  const up = await upload(c, csv);
  const id = up.location.split('/').pop();
  const check = await c.get(up.location);
  assert.match(check.text_, /1 row of this file has errors/);
  assert.match(check.text_, /<input type="hidden" name="on_error" value="skip"><button class="nhsuk-button" type="submit">Import the 2 rows without errors<\/button>/);
  assert.doesNotMatch(check.text_, /Confirm and import/);
  const csrf_token = csrfOf(check.text_);

  // Without on_error=skip a check with errors imports nothing.
  assert.equal((await c.post(`/imports/${id}/confirm`, { csrf_token })).status, 409);
  assert.equal(sql(`SELECT status, on_error FROM import_batches WHERE id = ${id}`)[0].join(), 'previewed,reject');

  const go = await c.post(`/imports/${id}/confirm`, { csrf_token, on_error: 'skip' });
  assert.equal(go.status, 303);
  assert.equal(go.headers.get('location'), `/imports/${id}`);
  assert.ok(await until(() => sql(`SELECT status FROM import_batches WHERE id = ${id}`)[0][0] === 'applied'));
  assert.deepEqual(sql(`SELECT on_error, rows_read, accepted, rejected FROM import_batches WHERE id = ${id}`),
    [['skip', '3', '2', '1']]);
  assert.equal(sql(`SELECT count(*) FROM completions WHERE person_id = ${a.personId}`)[0][0], '2');
  assert.equal(sql(`SELECT count(*) FROM import_errors WHERE batch_id = ${id}`)[0][0], '1');

  // A file whose every row has an error offers nothing to import.
  const bad = await upload(c, `staff_id,module_code,completed_on\n${a.staffId},NOPE,2024-02-01\n`);
  const badId = bad.location.split('/').pop();
  const badPage = await c.get(bad.location);
  assert.doesNotMatch(badPage.text_, /without errors<\/button>/);
  assert.match(badPage.text_, /Correct the file and/);
  assert.equal((await c.post(`/imports/${badId}/confirm`, { csrf_token, on_error: 'skip' })).status, 409);
});

test('the history and a batch\'s page say each figure in the same words (issue 13)', async () => {
  const a = newStaff();
  const c = await lead();
  const csv = `staff_id,module_code,completed_on\n${a.staffId},IHF-01,2024-03-01\n${a.staffId},IHF-01,2024-03-01\n`
    + `${a.staffId},NOPE,2024-03-01\n${a.staffId},IHF-02,2024-03-01\n`;
  sql(`INSERT INTO completions (person_id, module_id, completed_on, source, recorded_via)
    SELECT ${a.personId}, id, DATE '2024-03-01', 'other', 'admin' FROM modules WHERE code = 'IHF-02'`);
  const up = await upload(c, csv);
  const id = up.location.split('/').pop();
  const words = ['Rows', 'New or changed', 'Already up to date', 'Rows with errors'];
  const check = async (result, numbers) => {
    const page = figuresOf((await c.get(`/imports/${id}`)).text_);
    const hist = historyRow((await c.get('/imports')).text_, id);
    assert.equal(page.Result, result);
    assert.equal(hist.Result, result);
    for (const [i, w] of words.entries()) {
      assert.equal(page[w], numbers[i], `${w} on the batch's page`);
      assert.ok(hist[w].startsWith(numbers[i]), `${w} in the history: ${hist[w]}`);
    }
  };
  await check('Checked, not imported', ['4', '1', '2', '1']);
  const csrf_token = csrfOf((await c.get(`/imports/${id}`)).text_);
  await c.post(`/imports/${id}/confirm`, { csrf_token, on_error: 'skip' });
  assert.ok(await until(() => sql(`SELECT status FROM import_batches WHERE id = ${id}`)[0][0] === 'applied'));
  await check('Imported', ['4', '1', '2', '1']);
  const history = (await c.get('/imports')).text_;
  assert.doesNotMatch(history, /Accepted|Upload \d/);
  assert.match(history, /<th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col">New or changed<\/th>/);
});

test('after an import, a success message links to the coverage report (issue 13)', async () => {
  const a = newStaff();
  const c = await lead();
  const up = await upload(c, `staff_id,module_code,completed_on\n${a.staffId},IHF-01,2024-06-01\n`);
  const id = up.location.split('/').pop();
  const check = await c.get(up.location);
  assert.doesNotMatch(check.text_, /nhsuk-notification-banner/, 'a check is no success yet');
  await c.post(`/imports/${id}/confirm`, { csrf_token: csrfOf(check.text_) });
  const page = await until(async () => {
    const p = await c.get(`/imports/${id}`);
    return /Imported/.test(p.text_) ? p : null;
  });
  assert.ok(page);
  const banner = page.text_.match(/<div class="nhsuk-notification-banner nhsuk-notification-banner--success"[\s\S]*?<\/div><\/div>/)[0];
  assert.match(banner, new RegExp(`Import ${id} is complete`));
  const links = [...banner.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
  assert.deepEqual(links, ['/reports/coverage/RR8', '/reports/coverage/RR8?format=csv&list=chase']);
  for (const link of links) assert.equal((await c.get(link)).status, 200, link);
  // An academy lead, who may read the report too, sees the same links.
  const academy = new Client();
  await academy.signIn('academy@demo.ihtrack.test');
  assert.match((await academy.get(`/imports/${id}`)).text_, /href="\/reports\/coverage\/RR8"/);
});

test('the imports page offers templates and lists the module codes and levels a file may use (issue 13)', async () => {
  const c = await lead();
  const page = (await c.get('/imports')).text_;
  assert.match(page, /href="\/imports\/template-staff.csv"/);
  assert.match(page, /href="\/imports\/template-completions.csv"/);
  const modules = sql('SELECT m.code, m.title, l.title FROM modules m JOIN framework_levels l ON l.level = m.level ORDER BY m.level, m.code');
  const listed = [...page.split('aria-label="Module codes (scrolls sideways)"')[1].split('</table>')[0]
    .matchAll(/<tr class="nhsuk-table__row"><td class="nhsuk-table__cell"><code>([^<]*)<\/code><\/td><td class="nhsuk-table__cell">([^<]*)<\/td><td class="nhsuk-table__cell">([^<]*)<\/td>/g)]
    .map((m) => [m[1], m[2].replace(/&#39;/g, "'").replace(/&amp;/g, '&'), m[3]]);
  assert.deepEqual(listed, modules);
  const levels = [...page.split('id="levels"')[1].split('</ul>')[0].matchAll(/<code>([^<]*)<\/code>/g)].map((m) => m[1]);
  assert.deepEqual(levels, ['foundation', 'intermediate', 'advanced']);

  const token = admin('create-token', 'RR8');
  for (const [kind, header] of [
    ['staff', 'staff_id,given_name,family_name,email,staff_group,job_role,level,start_date,end_date,effective_from'],
    ['completions', 'staff_id,module_code,completed_on,source,provider'],
  ]) {
    const res = await c.get(`/imports/template-${kind}.csv`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/csv/);
    assert.match(res.headers.get('content-disposition'), /^attachment; filename="[a-z-]+\.csv"$/);
    const lines = res.text_.split('\r\n');
    assert.equal(lines.length, 3, 'a header, one example row, and the last line end');
    assert.equal(lines[0], header);
    // The API reads a template as a whole file: every column known, the
    // example's values valid (its staff_id is nobody's).
    const dry = await (await postCsv('RR8', kind, res.text_, token, { query: '?dry_run=1' })).json();
    assert.deepEqual(dry.warnings, []);
    assert.deepEqual(dry.errors.map((e) => e.code), kind === 'staff' ? [] : ['unknown_staff']);
  }
  const staff = new Client();
  await staff.signIn(newStaff().email);
  assert.equal((await staff.get('/imports/template-staff.csv')).status, 403);
  assert.equal((await new Client().get('/imports/template-staff.csv')).status, 303);
});

test('import pages show dates and times in London, not UTC ISO strings (issue 13)', async () => {
  const a = newStaff();
  const c = await lead();
  const up = await upload(c, `staff_id,module_code,completed_on\n${a.staffId},IHF-01,2024-07-01\n`);
  const id = up.location.split('/').pop();
  // A summer upload: London is an hour ahead of UTC.
  sql(`UPDATE import_batches SET created_at = TIMESTAMPTZ '2026-07-30 23:30:00+00' WHERE id = ${id}`);
  const page = await c.get(`/imports/${id}`);
  assert.equal(figuresOf(page.text_).Uploaded, '31 Jul 2026 00:30');
  assert.equal(historyRow((await c.get('/imports')).text_, id).When, '31 Jul 2026 00:30');
  assert.doesNotMatch(page.text_, /\d{4}-\d{2}-\d{2}T\d{2}:/);
});

test('while its import runs, a check\'s page says so and refreshes itself (issue 13)', async () => {
  const a = newStaff();
  const c = await lead();
  const up = await upload(c, `staff_id,module_code,completed_on\n${a.staffId},IHF-01,2024-08-02\n`);
  const id = up.location.split('/').pop();
  // As a confirm leaves it, under a session that lives on (so the sweep
  // leaves it alone): the oldest idle one, a worker's or the jobs daemon's.
  sql(`UPDATE import_batches b SET status = 'running', dry_run = false, confirmed_at = now(),
    backend_pid = a.pid, backend_start = a.backend_start
    FROM (SELECT pid, backend_start FROM pg_stat_activity WHERE backend_type = 'client backend'
    AND state = 'idle' AND pid <> pg_backend_pid() ORDER BY backend_start LIMIT 1) a WHERE b.id = ${id}`);
  try {
    const page = await c.get(`/imports/${id}`);
    assert.equal(page.headers.get('refresh'), '2');
    assert.match(page.text_, /Importing the file\. This page refreshes every 2 seconds/);
    assert.equal(figuresOf(page.text_).Result, 'Importing');
    assert.equal(historyRow((await c.get('/imports')).text_, id).Result, 'Importing');
  } finally {
    sql(`UPDATE import_batches SET status = 'failed' WHERE id = ${id}`);
  }
});

test('a confirm interrupted by a dead worker ends as interrupted, keeps its check\'s report, loses its file and cannot be confirmed again (issue 13)', async () => {
  const a = newStaff();
  const c = await lead();
  const up = await upload(c, `staff_id,module_code,completed_on\n${a.staffId},IHF-01,2024-08-01\n${a.staffId},NOPE,2024-08-01\n`);
  const id = up.location.split('/').pop();
  const csrf_token = csrfOf((await c.get(up.location)).text_);
  assert.ok(existsSync(kept(id)));
  // What a confirm leaves when the worker that ran it is killed: the
  // batch running under a session that no longer exists.
  sql(`UPDATE import_batches SET status = 'running', dry_run = false, on_error = 'skip', confirmed_at = now(),
    backend_pid = 1, backend_start = now() WHERE id = ${id}`);
  const page = await c.get(`/imports/${id}`);
  assert.match(page.text_, /Interrupted: nothing imported/);
  assert.deepEqual(sql(`SELECT status, upload_purged_at IS NOT NULL FROM import_batches WHERE id = ${id}`),
    [['interrupted', 't']]);
  assert.ok(!existsSync(kept(id)), 'the sweep deleted the kept upload');
  assert.equal((await c.post(`/imports/${id}/confirm`, { csrf_token, on_error: 'skip' })).status, 409);
  assert.equal(sql(`SELECT count(*) FROM completions WHERE person_id = ${a.personId}`)[0][0], '0');
  // The check's error report stays: only the import that replaces it,
  // in its own transaction while its batch runs, may clear it.
  sql(`SELECT ih_import_errors_clear(${id})`);
  assert.match((await c.get(`/imports/${id}/errors.csv`)).text_, /unknown_module/);
});

test('an import\'s error report is the one its own run found, not its check\'s as well (issue 13)', async () => {
  const a = newStaff();
  const later = newStaff({ org: 'RY6' });
  const c = await lead();
  const csv = `staff_id,module_code,completed_on\n${a.staffId},IHF-01,2024-09-01\n${later.staffId},IHF-01,2024-09-01\n`
    + `${a.staffId},NOPE,2024-09-01\n`;
  const up = await upload(c, csv, { on_error: 'skip' });
  const id = up.location.split('/').pop();
  const check = await c.get(up.location);
  assert.equal(figuresOf(check.text_)['Rows with errors'], '2');
  // Between the check and its confirm the second person joins RR8.
  sql(`INSERT INTO assignments (person_id, org_id, level, start_date)
    SELECT ${later.personId}, id, 1, DATE '2020-01-01' FROM organisations WHERE code = 'RR8'`);
  await c.post(`/imports/${id}/confirm`, { csrf_token: csrfOf(check.text_) });
  assert.ok(await until(() => sql(`SELECT status FROM import_batches WHERE id = ${id}`)[0][0] === 'applied'));
  assert.deepEqual(sql(`SELECT accepted, rejected FROM import_batches WHERE id = ${id}`), [['2', '1']]);
  assert.deepEqual(sql(`SELECT line, code FROM import_errors WHERE batch_id = ${id}`), [['4', 'unknown_module']]);
});

test('a confirm that fails changes nothing, keeps its check\'s report and cannot be tried again (issue 13)', async () => {
  const a = newStaff();
  const c = await lead();
  const up = await upload(c, `staff_id,module_code,completed_on\n${a.staffId},IHF-01,2024-10-01\n${a.staffId},NOPE,2024-10-01\n`
    + `${a.staffId},IHF-02,2024-10-01\n`);
  const id = up.location.split('/').pop();
  const check = await c.get(up.location);
  // The second completion of this person fails the import's transaction.
  sql(`CREATE FUNCTION ih_test_refuse() RETURNS trigger LANGUAGE plpgsql AS
    $$BEGIN RAISE EXCEPTION 'refused by the test'; END$$;
    CREATE TRIGGER ih_test_refuse BEFORE INSERT ON completions FOR EACH ROW
    WHEN (NEW.person_id = ${a.personId} AND NEW.completed_on = DATE '2024-10-01')
    EXECUTE FUNCTION ih_test_refuse()`);
  try {
    await c.post(`/imports/${id}/confirm`, { csrf_token: csrfOf(check.text_), on_error: 'skip' });
    assert.ok(await until(() => sql(`SELECT status FROM import_batches WHERE id = ${id}`)[0][0] !== 'running'));
  } finally {
    sql('DROP TRIGGER ih_test_refuse ON completions; DROP FUNCTION ih_test_refuse()');
  }
  assert.equal(sql(`SELECT status FROM import_batches WHERE id = ${id}`)[0][0], 'failed');
  assert.equal(sql(`SELECT count(*) FROM completions WHERE person_id = ${a.personId}`)[0][0], '0');
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE import_batch_id = ${id} AND entity = 'completions'`)[0][0], '0');
  assert.deepEqual(sql(`SELECT line, code FROM import_errors WHERE batch_id = ${id}`), [['3', 'unknown_module']]);
  const page = await c.get(`/imports/${id}`);
  assert.match(page.text_, /Failed: nothing imported/);
  assert.doesNotMatch(page.text_, /without errors<\/button>|nhsuk-notification-banner/);
  assert.equal((await c.post(`/imports/${id}/confirm`, { csrf_token: csrfOf(check.text_), on_error: 'skip' })).status, 409);
  assert.ok(!existsSync(kept(id)), 'the failed import\'s upload is deleted');
});

test('a check confirmed before one number per upload is listed once, as its import (issue 13)', async () => {
  const c = await lead();
  const [[org]] = sql("SELECT id FROM organisations WHERE code = 'RR8'");
  const [[check]] = sql(`INSERT INTO import_batches (org_id, kind, mode, dry_run, filename, via, status)
    VALUES (${org}, 'completions', 'merge', true, 'legacy.csv', 'page', 'confirmed') RETURNING id`);
  const [[imp]] = sql(`INSERT INTO import_batches (org_id, kind, mode, dry_run, filename, via, status, preview_of)
    VALUES (${org}, 'completions', 'merge', false, 'legacy.csv', 'page', 'applied', ${check}) RETURNING id`);
  const history = (await c.get('/imports')).text_;
  assert.equal(historyRow(history, check), null);
  assert.equal(historyRow(history, imp).Result, 'Imported');
  const old = await c.get(`/imports/${check}`);
  assert.match(old.text_, new RegExp(`This check was confirmed: see <a href="/imports/${imp}">import ${imp}</a>`));
  assert.doesNotMatch(old.text_, /Confirm and import|without errors<\/button>/);
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
    // Since issue 13 a check with errors offers its rows without errors
    // in those words (it said "Confirm and import 1 rows").
    return /Import the row without errors/.test(p.text_) ? p : null;
  });
  assert.ok(page, 'the check offers its confirm');
  const csrf = page.text_.match(/name="csrf_token" value="([0-9a-f]+)"/)[1];
  const confirm = await c.post(`${up.location}/confirm`, { csrf_token: csrf });
  assert.equal(confirm.status, 303);
  assert.equal(confirm.headers.get('location'), up.location);
  const done = await until(async () => sql(`SELECT status FROM import_batches WHERE id = ${up.location.split('/').pop()}`)[0][0] !== 'running');
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
