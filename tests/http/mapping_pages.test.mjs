// The pages of issue 15's mappings and aliases, as a browser sends them:
// /imports/mappings (an organisation lead's and the shared mappings; an
// academy lead's shared ones and, to share, the organisations'), a
// mapping made from an uploaded export's header line, its errors again
// at their fields (400, keeping what was chosen), deleting, sharing; and
// /module-aliases for academy leads.  Each change audited as made in the
// browser by the person signed in.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { Client, sql, unique } from '../lib/harness.mjs';

let lead;
let academy;
const userId = {};
const orgId = {};

before(async () => {
  lead = new Client();
  await lead.signIn('lead.rr8@demo.ihtrack.test');
  academy = new Client();
  await academy.signIn('academy@demo.ihtrack.test');
  for (const [email, id] of sql("SELECT email, id FROM users WHERE email IN ('lead.rr8@demo.ihtrack.test', 'academy@demo.ihtrack.test')")) userId[email] = id;
  for (const [code, id] of sql("SELECT code, id FROM organisations WHERE code IN ('RR8', 'RY6')")) orgId[code] = id;
});

function mapping(org, name, kind, pairs) {
  const cols = JSON.stringify(pairs).replace(/'/g, "''");
  const [[id]] = sql(`INSERT INTO column_mappings (org_id, name, kind, columns)
    VALUES (${org ?? 'NULL'}, '${name}', '${kind}', '${cols}') RETURNING id`);
  return id;
}

async function upload(c, csv, kind = 'staff', filename = 'export.csv') {
  const form = new FormData();
  form.append('csrf_token', await c.csrf('/imports/mappings'));
  form.append('kind', kind);
  form.append('file', new Blob([csv], { type: 'text/csv' }), filename);
  return c.post('/imports/mappings', form);
}

// The column form's fields as sent back: headers and chosen columns.
function fields(html) {
  const headers = [...html.matchAll(/name="header" value="([^"]*)"/g)].map((m) => m[1]);
  const selects = [...html.matchAll(/<select[^>]* id="(column-\d+)" name="column"[^>]*>(.*?)<\/select>/gs)]
    .map((m) => [m[1], (m[2].match(/<option value="([^"]*)" selected>/) ?? [])[1]]);
  return { headers, selects };
}

async function save(c, { kind = 'staff', name, headers, columns, csrf }) {
  const form = new FormData();
  form.append('csrf_token', csrf ?? await c.csrf('/imports/mappings'));
  form.append('kind', kind);
  form.append('filename', 'export.csv');
  if (name !== undefined) form.append('name', name);
  headers.forEach((h, i) => { form.append('header', h); form.append('column', columns[i]); });
  return c.post('/imports/mappings/save', form);
}

test('a lead\'s page lists their organisation\'s and the shared mappings, not another\'s', async () => {
  const ours = unique('ours-');
  const theirs = unique('theirs-');
  const shared = unique('shared-');
  mapping(orgId.RR8, ours, 'staff', [['Employee Number', 'staff_id']]);
  mapping(orgId.RY6, theirs, 'staff', [['Person', 'staff_id']]);
  mapping(null, shared, 'completions', [['<b>Course</b>', 'module_code']]);
  let res = await lead.get('/imports/mappings');
  assert.equal(res.status, 200);
  assert.match(res.text_, new RegExp(`Mappings of RR8.*${ours}.*Employee Number.*staff_id.*Shared mappings.*${shared}`, 's'));
  assert.doesNotMatch(res.text_, new RegExp(theirs));
  assert.match(res.text_, /&lt;b&gt;Course&lt;\/b&gt;/);
  assert.doesNotMatch(res.text_, /<b>Course/);
  // An academy lead: the shared ones to delete, the organisations' to share.
  res = await academy.get('/imports/mappings');
  assert.equal(res.status, 200);
  assert.match(res.text_, new RegExp(`Shared mappings.*${shared}.*Delete.*Organisations' mappings.*${theirs}.*Share`, 's'));
  sql(`DELETE FROM column_mappings WHERE name IN ('${ours}', '${theirs}', '${shared}')`);
});

test('an export\'s header line becomes one select a header, ours chosen where the header is ours', async () => {
  // Only the first line is read: the rest is not even CSV.
  const csv = '\ufeffEmployee Number, EMAIL ,,email,"Grade, Band",<script>x</script>\r\n"unterminated\r\n\x00\xff';
  const res = await upload(lead, csv, 'staff', 'ESR export.csv');
  assert.equal(res.status, 200, res.text_);
  assert.match(res.text_, /<title>Match the columns of ESR export\.csv - ihtrack<\/title>/);
  const f = fields(res.text_);
  // No name: nothing to map; a header twice (without case): once.
  assert.deepEqual(f.headers, ['Employee Number', 'EMAIL', 'Grade, Band', '&lt;script&gt;x&lt;/script&gt;']);
  assert.deepEqual(f.selects, [['column-0', '-'], ['column-1', 'email'], ['column-2', '-'], ['column-3', '-']]);
  assert.match(res.text_, /<option value="staff_id">staff_id<\/option>/);
  assert.doesNotMatch(res.text_, /module_code/, 'a roster\'s columns only');
  assert.match(res.text_, /A mapping&#39;s name is 1 to 40 characters/, 'the rule, as the hint');
  const done = await upload(lead, 'Learner,Course Title,module_code\n', 'completions');
  assert.deepEqual(fields(done.text_).selects.map((s) => s[1]), ['-', '-', 'module_code']);
});

test('an upload without a file, a kind or a readable header line is 400 with the form', async () => {
  const form = new FormData();
  form.append('csrf_token', await lead.csrf('/imports/mappings'));
  let res = await lead.post('/imports/mappings', form);
  assert.equal(res.status, 400);
  assert.match(res.text_, /<title>Error: Column mappings - ihtrack<\/title>/);
  assert.match(res.text_, /href="#file">Choose a CSV file.*href="#kind-0">Choose what the file holds/s);
  res = await upload(lead, '"Employee Number"x,Name\n');
  assert.equal(res.status, 400);
  assert.match(res.text_, /The first line of the file cannot be read as CSV/);
  res = await upload(lead, ' , ,\nA1,Sam\n');
  assert.equal(res.status, 400);
  assert.match(res.text_, /The first line of the file has no headers/);
  // The kind chosen stays chosen.
  assert.match(res.text_, /value="staff" checked/);
});

test('a lead saves a mapping of their organisation; problems come back at their fields', async () => {
  const name = unique('esr-');
  const headers = ['Employee Number', 'First Name', 'Last Name', 'Grade'];
  // No name, two headers to one column: both said, at their fields.
  let res = await save(lead, { headers, columns: ['staff_id', 'given_name', 'given_name', '-'] });
  assert.equal(res.status, 400);
  assert.match(res.text_, /href="#name">Enter a name for the mapping/);
  assert.match(res.text_, /href="#column-2">&#39;First Name&#39; and &#39;Last Name&#39; both map to given_name/);
  assert.match(res.text_, /id="column-2-error"/);
  // What was chosen is kept.
  assert.deepEqual(fields(res.text_).selects.map((s) => s[1]), ['staff_id', 'given_name', 'given_name', '-']);
  res = await save(lead, { name: 'Not A Name', headers, columns: ['staff_id', 'given_name', 'family_name', '-'] });
  assert.equal(res.status, 400);
  assert.match(res.text_, /href="#name">A mapping&#39;s name is 1 to 40/);
  assert.match(res.text_, /value="Not A Name"/);
  res = await save(lead, { name, headers, columns: ['-', '-', '-', '-'] });
  assert.equal(res.status, 400);
  assert.match(res.text_, /href="#column-0">Choose the column of ours that at least one of your columns holds/);

  res = await save(lead, { name, headers, columns: ['staff_id', 'given_name', 'family_name', '-'] });
  assert.equal(res.status, 303, res.text_);
  assert.equal(res.headers.get('location'), `/imports/mappings?saved=${name}`);
  assert.deepEqual(sql(`SELECT org_id, kind, columns::text FROM column_mappings WHERE name = '${name}'`),
    [[orgId.RR8, 'staff', '[["Employee Number", "staff_id"], ["First Name", "given_name"], ["Last Name", "family_name"]]']]);
  assert.deepEqual(sql(`SELECT action, actor_user_id, via FROM audit_log WHERE entity = 'column_mappings'
    AND after ->> 'name' = '${name}'`), [['insert', userId['lead.rr8@demo.ihtrack.test'], 'form']]);
  res = await lead.get(`/imports/mappings?saved=${name}`);
  assert.match(res.text_, new RegExp(`role="status"><p>Mapping <strong>${name}</strong> is saved\\.`));

  // A name saved already is not replaced from the page.
  res = await save(lead, { name, headers, columns: ['staff_id', '-', '-', '-'] });
  assert.equal(res.status, 400);
  assert.match(res.text_, new RegExp(`A mapping named ${name} is saved already: choose another name, or delete that one first`));
  assert.equal(sql(`SELECT jsonb_array_length(columns) FROM column_mappings WHERE name = '${name}'`)[0][0], '3');

  // A form that came back without its pairs.
  res = await save(lead, { name, headers: [], columns: [] });
  assert.equal(res.status, 400);
  sql(`DELETE FROM column_mappings WHERE name = '${name}'`);
});

const lastAudit = () => sql('SELECT coalesce(max(id), 0) FROM audit_log')[0][0];

test('an academy lead\'s mapping is shared; each deletes only their own', async () => {
  const name = unique('shared-');
  const since = lastAudit();
  let res = await save(academy, { kind: 'completions', name, headers: ['Learner', 'Course'], columns: ['staff_id', 'module_code'] });
  assert.equal(res.status, 303, res.text_);
  const [[id, org]] = sql(`SELECT id, coalesce(org_id::text, 'shared') FROM column_mappings WHERE name = '${name}'`);
  assert.equal(org, 'shared');
  const ours = mapping(orgId.RR8, unique('ours-'), 'staff', [['A', 'email']]);

  // Not one's own: as if there were none.
  let csrf = await lead.csrf('/imports/mappings');
  res = await lead.post(`/imports/mappings/${id}/delete`, { csrf_token: csrf });
  assert.equal(res.status, 404);
  csrf = await academy.csrf('/imports/mappings');
  res = await academy.post(`/imports/mappings/${ours}/delete`, { csrf_token: csrf });
  assert.equal(res.status, 404);
  res = await academy.post('/imports/mappings/999999999/delete', { csrf_token: csrf });
  assert.equal(res.status, 404);

  res = await academy.post(`/imports/mappings/${id}/delete`, { csrf_token: csrf });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `/imports/mappings?deleted=${name}`);
  csrf = await lead.csrf('/imports/mappings');
  res = await lead.post(`/imports/mappings/${ours}/delete`, { csrf_token: csrf });
  assert.equal(res.status, 303);
  assert.deepEqual(sql(`SELECT count(*) FROM column_mappings WHERE id IN (${id}, ${ours})`), [['0']]);
  assert.deepEqual(sql(`SELECT action, actor_user_id, via FROM audit_log WHERE entity = 'column_mappings'
    AND entity_id = ${id} AND id > ${since} ORDER BY id`), [
    ['insert', userId['academy@demo.ihtrack.test'], 'form'],
    ['delete', userId['academy@demo.ihtrack.test'], 'form'],
  ]);
});

test('an academy lead shares an organisation\'s mapping; a different one of that name is said', async () => {
  const name = unique('lms-');
  const pairs = [['Learner ID', 'staff_id'], ['Course', 'module_code']];
  const id = mapping(orgId.RY6, name, 'completions', pairs);
  let csrf = await lead.csrf('/imports/mappings');
  assert.equal((await lead.post(`/imports/mappings/${id}/share`, { csrf_token: csrf })).status, 403);

  csrf = await academy.csrf('/imports/mappings');
  let res = await academy.post(`/imports/mappings/${id}/share`, { csrf_token: csrf });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `/imports/mappings?shared=${name}`);
  assert.deepEqual(sql(`SELECT kind, columns::text FROM column_mappings WHERE org_id IS NULL AND name = '${name}'`),
    [['completions', JSON.stringify(pairs).replace(/","/g, '", "').replace(/\],\[/g, '], [')]]);
  // Again: nothing changes.
  res = await academy.post(`/imports/mappings/${id}/share`, { csrf_token: csrf });
  assert.equal(res.status, 303);
  // Another organisation's, different, of the same name: said, at its button.
  const other = mapping(orgId.RR8, name, 'completions', [['Person', 'staff_id']]);
  res = await academy.post(`/imports/mappings/${other}/share`, { csrf_token: csrf });
  assert.equal(res.status, 409);
  assert.match(res.text_, new RegExp(`href="#share-${other}">A different shared mapping is named ${name} already: delete it first, then share this one`));
  assert.match(res.text_, new RegExp(`id="share-${other}"`));
  // A shared one cannot be shared; nor one that does not exist.
  const [[sharedId]] = sql(`SELECT id FROM column_mappings WHERE org_id IS NULL AND name = '${name}'`);
  assert.equal((await academy.post(`/imports/mappings/${sharedId}/share`, { csrf_token: csrf })).status, 404);
  assert.equal((await academy.post('/imports/mappings/999999999/share', { csrf_token: csrf })).status, 404);
  sql(`DELETE FROM column_mappings WHERE name = '${name}'`);
});

test('an academy lead adds, re-points and removes module aliases on their page', async () => {
  const alias = unique('E-learning: Inclusion health ');
  const since = lastAudit();
  let csrf = await academy.csrf('/module-aliases');
  let res = await academy.post('/module-aliases', { csrf_token: csrf, alias: `  ${alias} `, module_code: 'IHF-01' });
  assert.equal(res.status, 303, res.text_);
  assert.match(res.headers.get('location'), /^\/module-aliases\?added=/);
  res = await academy.get(`/module-aliases?added=${encodeURIComponent(alias)}`);
  assert.match(res.text_, new RegExp(`The alias <strong>${alias}</strong> now names its module`));
  assert.match(res.text_, new RegExp(`<td class="nhsuk-table__cell">${alias}</td><td class="nhsuk-table__cell">IHF-01: `));

  res = await academy.post('/module-aliases', { csrf_token: csrf, alias: alias.toUpperCase(), module_code: 'IHF-02' });
  assert.equal(res.status, 303);
  assert.match(res.headers.get('location'), /^\/module-aliases\?replaced=/);
  const [[id, code]] = sql(`SELECT a.id, m.code FROM module_aliases a JOIN modules m ON m.id = a.module_id
    WHERE a.alias_key = upper('${alias}')`);
  assert.equal(code, 'IHF-02');

  // Errors at their fields, what was typed kept.
  for (const [form, field, re] of [
    [{ alias: '', module_code: 'IHF-01' }, 'alias', /Enter the alias: the name another system gives the module/],
    [{ alias: 'Something', module_code: '' }, 'module_code', /Choose the module the alias names/],
    [{ alias: 'tic-f01', module_code: 'IHF-01' }, 'alias', /TIC-F01 is the code of a module already: a code needs no alias/],
    [{ alias: 'x'.repeat(201), module_code: 'IHF-01' }, 'alias', /longer than 200 characters/],
  ]) {
    res = await academy.post('/module-aliases', { csrf_token: csrf, ...form });
    assert.equal(res.status, 400, JSON.stringify(form));
    assert.match(res.text_, new RegExp(`href="#${field}">`));
    assert.match(res.text_, re);
    if (form.alias) assert.match(res.text_, new RegExp(`id="alias" name="alias" type="text"[^>]* value="${form.alias}"`));
    if (form.module_code) assert.match(res.text_, new RegExp(`<option value="${form.module_code}" selected>`));
  }

  // Not for an organisation lead.
  assert.equal((await lead.get('/module-aliases')).status, 403);

  csrf = await academy.csrf('/module-aliases');
  res = await academy.post(`/module-aliases/${id}/remove`, { csrf_token: csrf });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `/module-aliases?removed=${encodeURIComponent(alias.toUpperCase())}`);
  res = await academy.post(`/module-aliases/${id}/remove`, { csrf_token: csrf });
  assert.equal(res.status, 404);
  const academyId = userId['academy@demo.ihtrack.test'];
  assert.deepEqual(sql(`SELECT action, actor_user_id, via FROM audit_log WHERE entity = 'module_aliases'
    AND entity_id = ${id} AND id > ${since} ORDER BY id`), [
    ['insert', academyId, 'form'], ['update', academyId, 'form'], ['delete', academyId, 'form'],
  ]);
});

test('the audit trail names mappings and aliases, and offers them as kinds of record', async () => {
  const name = unique('trail-');
  const id = mapping(orgId.RR8, name, 'staff', [['Person Number', 'staff_id']]);
  const alias = unique('Trail course ');
  sql(`INSERT INTO module_aliases (alias, module_id) SELECT '${alias}', id FROM modules WHERE code = 'IHF-01'`);
  const [[aliasId]] = sql(`SELECT id FROM module_aliases WHERE alias = '${alias}'`);
  const admin = new Client();
  await admin.signIn('admin@demo.ihtrack.test');
  let res = await admin.get('/admin/audit');
  assert.match(res.text_, /<option value="column_mappings">Column mappings<\/option>/);
  assert.match(res.text_, /<option value="module_aliases">Module aliases<\/option>/);
  res = await admin.get(`/admin/audit?entity=column_mappings&entity_id=${id}`);
  assert.equal(res.status, 200);
  assert.match(res.text_, new RegExp(`Column mapping ${name} of RR8`));
  assert.match(res.text_, /Person Number/);
  res = await admin.get(`/admin/audit?entity=module_aliases&entity_id=${aliasId}`);
  assert.match(res.text_, new RegExp(`Module alias ${alias}`));
  sql(`DELETE FROM column_mappings WHERE id = ${id}`);
  sql(`DELETE FROM module_aliases WHERE id = ${aliasId}`);
});
