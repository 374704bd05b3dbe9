// Recording a completion from the form: validation, idempotence, audit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client, newStaff, sql } from '../lib/harness.mjs';

function isoDaysAgo(n) {
  const d = new Date();
  d.setDate(d.getDate() - n);
  return d.toISOString().slice(0, 10);
}

test('a recorded completion shows on my training with its expiry', async () => {
  const me = newStaff({ level: 2 });
  const c = new Client();
  await c.signIn(me.email);
  const before = await c.get('/');
  assert.match(before.text_, /You hold <strong>0 of 7<\/strong> required modules/);

  const csrf_token = await c.csrf('/record');
  const res = await c.post('/record', {
    csrf_token, module_code: 'MECC-IH', completed_on: '2025-01-31', source: 'face-to-face', provider: 'Leeds Health & Care Academy',
  });
  assert.equal(res.status, 303);
  // The banner says what the database holds (issue 13), not the address.
  assert.match(res.headers.get('location'), /^\/my-training\?recorded=\d+$/);
  const after = await c.get(res.headers.get('location'));
  assert.match(after.text_, /Recorded your completion of Making Every Contact Count, adapted for inclusion health groups on 31 Jan 2025/);
  assert.match(after.text_, /You hold <strong>1 of 7<\/strong> required modules/);
  // 31 Jan 2025 + 36 months, as PostgreSQL counts months.
  assert.match(after.text_, /\(MECC-IH\)[\s\S]*?Complete[\s\S]*?31 Jan 2025[\s\S]*?31 Jan 2028/);

  const rows = sql(`SELECT c.source, c.provider, c.recorded_via, u.email FROM completions c
    JOIN users u ON u.id = c.recorded_by WHERE c.person_id = ${me.personId}`);
  assert.deepEqual(rows, [['face-to-face', 'Leeds Health & Care Academy', 'form', me.email]]);
  const audit = sql(`SELECT a.via, a.action, u.email FROM audit_log a JOIN users u ON u.id = a.actor_user_id
    WHERE a.entity = 'completions' AND (a.after->>'person_id')::bigint = ${me.personId}`);
  assert.deepEqual(audit, [['form', 'insert', me.email]]);
});

test('the same completion recorded twice is stored once', async () => {
  const me = newStaff();
  const c = new Client();
  await c.signIn(me.email);
  for (let i = 0; i < 2; i++) {
    const csrf_token = await c.csrf('/record');
    const res = await c.post('/record', { csrf_token, module_code: 'IHF-01', completed_on: isoDaysAgo(3), source: 'e-learning' });
    assert.equal(res.status, 303);
  }
  assert.equal(sql(`SELECT count(*) FROM completions WHERE person_id = ${me.personId}`)[0][0], '1');
});

test('an expired completion shows as expired, one near expiry as due soon', async () => {
  const me = newStaff();
  const c = new Client();
  await c.signIn(me.email);
  // IHF-03 is valid 24 months; IHF-01 36 months.
  for (const [module_code, completed_on] of [['IHF-03', isoDaysAgo(800)], ['IHF-01', isoDaysAgo(365 * 3 - 20)]]) {
    const csrf_token = await c.csrf('/record');
    assert.equal((await c.post('/record', { csrf_token, module_code, completed_on, source: 'other' })).status, 303);
  }
  const page = (await c.get('/')).text_;
  assert.match(page, /\(IHF-03\)[\s\S]*?Expired/);
  assert.match(page, /\(IHF-01\)[\s\S]*?Due soon/);
});

test('bad input re-renders the form with an error summary and keeps what was typed', async () => {
  const me = newStaff();
  const c = new Client();
  await c.signIn(me.email);
  // The date as the form sends it: day, month and year fields.
  const on = (day, month, year) => ({ 'completed_on-day': day, 'completed_on-month': month, 'completed_on-year': year });
  const cases = [
    [{ module_code: 'IHF-01', ...on('1', '1', '2999'), source: 'e-learning' }, 'completed_on-day', /today or in the past/],
    [{ module_code: 'IHF-01', ...on('31', '2', '2024'), source: 'e-learning' }, 'completed_on-day', /must be a real date/],
    [{ module_code: 'IHF-01', ...on('', '3', '2024'), source: 'e-learning' }, 'completed_on-day', /must include a day/],
    [{ module_code: 'IHF-01', ...on('3', '3', 'last'), source: 'e-learning' }, 'completed_on-year', /must be a real date/],
    [{ module_code: 'IHF-01', source: 'e-learning' }, 'completed_on-day', /Enter the date you completed the module/],
    [{ module_code: 'NOPE-99', completed_on: '2024-01-01', source: 'e-learning' }, 'module_code', /no module with code NOPE-99/],
    [{ module_code: '', completed_on: '2024-01-01', source: 'e-learning' }, 'module_code', /Choose the module/],
    [{ module_code: 'IHF-01', completed_on: '2024-01-01', source: 'carrier-pigeon' }, 'source', /Select how you completed/],
  ];
  for (const [fields, field, message] of cases) {
    const csrf_token = await c.csrf('/record');
    const res = await c.post('/record', { csrf_token, provider: 'Typed <provider>', ...fields });
    assert.equal(res.status, 422, JSON.stringify(fields));
    assert.match(res.text_, /<title>Error: Record a completed module/);
    assert.match(res.text_, new RegExp(`<a href="#${field}">`));
    assert.match(res.text_, message);
    assert.match(res.text_, /value="Typed &lt;provider&gt;"/, 'keeps and escapes what was typed');
    // The date comes back in the day, month and year fields as typed.
    const year = fields['completed_on-year'] ?? fields.completed_on?.slice(0, 4);
    if (year) assert.ok(res.text_.includes(`value="${year}"`), 'keeps the date');
  }
  assert.equal(sql(`SELECT count(*) FROM completions WHERE person_id = ${me.personId}`)[0][0], '0');
});

test('completed_on alone, as YYYY-MM-DD or dd/mm/yyyy, still records', async () => {
  const me = newStaff();
  const c = new Client();
  await c.signIn(me.email);
  for (const [typed, stored, code] of [['2025-03-14', '2025-03-14', 'IHF-01'], ['15/03/2025', '2025-03-15', 'IHF-02']]) {
    const csrf_token = await c.csrf('/record');
    const res = await c.post('/record', { csrf_token, module_code: code, completed_on: typed, source: 'e-learning' });
    assert.equal(res.status, 303, typed);
    const id = res.headers.get('location').match(/recorded=(\d+)/)[1];
    assert.deepEqual(sql(`SELECT completed_on::text FROM completions WHERE id = ${id}`), [[stored]]);
  }
});

test('recording needs the session form token', async () => {
  const me = newStaff();
  const c = new Client();
  await c.signIn(me.email);
  const res = await c.post('/record', { module_code: 'IHF-01', completed_on: '2024-01-01', source: 'e-learning' });
  assert.equal(res.status, 403);
  assert.equal(sql(`SELECT count(*) FROM completions WHERE person_id = ${me.personId}`)[0][0], '0');
});
