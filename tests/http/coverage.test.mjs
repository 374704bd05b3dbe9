// GET /api/v1/coverage: every rule of the coverage figures on small
// hand-made organisations, checked through the real API (whose figures
// come from the trigger-maintained tables), plus the same figures
// computed the plain way (scripts/bench/coverage_naive.sql) for the whole
// test database.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, admin, sql } from '../lib/harness.mjs';
import { assertCoverageAgrees } from '../lib/coverage_check.mjs';
import { done, newOrg, person } from '../lib/coverage_data.mjs';

const SYSTEM = admin('create-token', '--system');

// Today as the database has it (Europe/London), not this process's UTC.
const dbToday = () => sql('SELECT current_date')[0][0];

async function api(query, token = SYSTEM) {
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  const res = await fetch(`${BASE}/api/v1/coverage?${query}`, { headers });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), text, json: /json/.test(res.headers.get('content-type')) ? JSON.parse(text) : null };
}

// The organisation's figures as at a date.
async function cov(org, asOf, extra = '') {
  const r = await api(`org=${org}&as_of=${asOf}${extra}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.organisations.length, 1);
  return r.json.organisations[0];
}

function mod(o, code) {
  const m = o.modules.find((x) => x.code === code);
  assert.ok(m, `module ${code} in ${JSON.stringify(o.modules.map((x) => x.code))}`);
  return { required: m.required, compliant: m.compliant, due_soon: m.due_soon, expired: m.expired, never: m.never };
}

const state = (s) => ({
  compliant: { required: 1, compliant: 1, due_soon: 0, expired: 0, never: 0 },
  due_soon: { required: 1, compliant: 1, due_soon: 1, expired: 0, never: 0 },
  expired: { required: 1, compliant: 0, due_soon: 0, expired: 1, never: 0 },
  never: { required: 1, compliant: 0, due_soon: 0, expired: 0, never: 1 },
  none: { required: 0, compliant: 0, due_soon: 0, expired: 0, never: 0 },
})[s];

test('expiry: valid until the day before completed_on + N calendar months', async () => {
  const org = newOrg();
  const p = person([{ org }]);
  done(p, 'IHF-03', '2024-01-31'); // 24 months: expires 2026-01-31
  assert.deepEqual(mod(await cov(org, '2024-01-30'), 'IHF-03'), state('never'));
  assert.deepEqual(mod(await cov(org, '2024-01-31'), 'IHF-03'), state('compliant'));
  assert.deepEqual(mod(await cov(org, '2026-01-30'), 'IHF-03'), state('due_soon'));
  assert.deepEqual(mod(await cov(org, '2026-01-31'), 'IHF-03'), state('expired'));
});

test('month ends: 29 Feb plus 24 months is 28 Feb, as PostgreSQL counts', async () => {
  const org = newOrg();
  const p = person([{ org }]);
  done(p, 'IHF-03', '2024-02-29');
  assert.deepEqual(mod(await cov(org, '2026-02-27'), 'IHF-03'), state('due_soon'));
  assert.deepEqual(mod(await cov(org, '2026-02-28'), 'IHF-03'), state('expired'));
  const other = newOrg();
  const q = person([{ org: other }]);
  done(q, 'IHF-01', '2023-08-31'); // 36 months: 2026-08-31
  assert.deepEqual(mod(await cov(other, '2026-08-30'), 'IHF-01'), state('due_soon'));
  assert.deepEqual(mod(await cov(other, '2026-08-31'), 'IHF-01'), state('expired'));
});

test('due soon: expiry within 60 days after as_of, inclusive', async () => {
  const org = newOrg();
  const p = person([{ org }]);
  done(p, 'IHF-03', '2023-06-30'); // expires 2025-06-30
  // 2025-06-30 minus 60 days is 2025-05-01.
  assert.deepEqual(mod(await cov(org, '2025-04-30'), 'IHF-03'), state('compliant'));
  assert.deepEqual(mod(await cov(org, '2025-05-01'), 'IHF-03'), state('due_soon'));
  assert.equal((await cov(org, '2025-05-01')).modules.find((m) => m.code === 'IHF-03').rag, 'green');
});

test('due_within_days: expiry exactly D+W is due soon, D+W+1 is not, for W other than 60', async () => {
  const org = newOrg();
  const p = person([{ org }]);
  done(p, 'IHF-03', '2023-06-30'); // expires 2025-06-30
  const w = (days) => `&due_within_days=${days}`;
  // 2025-05-31 + 30 days is 2025-06-30.
  assert.deepEqual(mod(await cov(org, '2025-05-30', w(30)), 'IHF-03'), state('compliant'));
  assert.deepEqual(mod(await cov(org, '2025-05-31', w(30)), 'IHF-03'), state('due_soon'));
  assert.deepEqual(mod(await cov(org, '2025-06-29', w(30)), 'IHF-03'), state('due_soon'));
  assert.deepEqual(mod(await cov(org, '2025-06-30', w(30)), 'IHF-03'), state('expired'));
  // 2024-06-30 + 365 days is 2025-06-30 (2024 is a leap year).
  assert.deepEqual(mod(await cov(org, '2024-06-29', w(365)), 'IHF-03'), state('compliant'));
  assert.deepEqual(mod(await cov(org, '2024-06-30', w(365)), 'IHF-03'), state('due_soon'));
  // Nothing expires within 0 days after D while valid on D.
  assert.deepEqual(mod(await cov(org, '2025-06-29', w(0)), 'IHF-03'), state('compliant'));
  // 60 asked for is the default.
  assert.deepEqual(await cov(org, '2025-05-01', w(60)), await cov(org, '2025-05-01'));
  // compare_to is counted with the same window.
  const o = await cov(org, '2025-05-31', `&compare_to=2025-05-30${w(30)}`);
  assert.equal(o.modules.find((m) => m.code === 'IHF-03').due_soon, 1);
  assert.equal(o.compare_to_figures.modules.find((m) => m.code === 'IHF-03').due_soon, 0);
  assert.equal(o.change.modules.find((m) => m.code === 'IHF-03').due_soon, 1);
  assert.equal(o.change.modules.find((m) => m.code === 'IHF-03').compliant, 0);
  const r = await api(`org=${org}&as_of=2025-05-31${w(30)}`);
  assert.equal(r.json.due_within_days, 30);
});

test('due_within_days: only the latest completion, of required people, on an active assignment', async () => {
  const org = newOrg();
  const renewed = person([{ org, level: 1 }]);
  done(renewed, 'IHF-03', '2021-05-01'); // expires 2023-05-01
  done(renewed, 'IHF-03', '2023-04-20'); // renewed: expires 2025-04-20
  const above = person([{ org, level: 1 }]);
  done(above, 'MECC-IH', '2021-05-01'); // above their level: not required
  const left = person([{ org, level: 1, end: '2023-04-01' }]);
  done(left, 'IHF-03', '2021-05-01');
  const w = '&due_within_days=30';
  const before = await cov(org, '2023-04-19', w);
  assert.equal(before.people, 2);
  assert.deepEqual(mod(before, 'IHF-03'), { required: 2, compliant: 1, due_soon: 1, expired: 0, never: 1 });
  assert.deepEqual(mod(before, 'MECC-IH'), state('none'));
  assert.deepEqual(mod(await cov(org, '2023-04-20', w), 'IHF-03'),
    { required: 2, compliant: 1, due_soon: 0, expired: 0, never: 1 });
});

test('the API agrees with the plain query for due_within_days other than 60', async () => {
  for (const days of [0, 30, 365]) {
    await assertCoverageAgrees([dbToday(), '2025-03-31', '2024-02-29'], days);
  }
});

test('only the latest completion on or before the date counts', async () => {
  const org = newOrg();
  const p = person([{ org }]);
  done(p, 'IHF-03', '2020-03-01'); // valid to 2022-03-01
  done(p, 'IHF-03', '2023-01-10');
  assert.deepEqual(mod(await cov(org, '2021-01-01'), 'IHF-03'), state('compliant'));
  assert.deepEqual(mod(await cov(org, '2022-12-31'), 'IHF-03'), state('expired'));
  assert.deepEqual(mod(await cov(org, '2023-01-10'), 'IHF-03'), state('compliant'));
  // A later completion does not change an earlier date's figure.
  assert.deepEqual(mod(await cov(org, '2020-02-29'), 'IHF-03'), state('never'));
});

test('a renewal before expiry: due soon goes by the latest completion on or before the date', async () => {
  const org = newOrg();
  const p = person([{ org }]);
  done(p, 'IHF-03', '2021-05-01'); // expires 2023-05-01
  done(p, 'IHF-03', '2023-04-20'); // renewed 11 days before
  assert.deepEqual(mod(await cov(org, '2023-04-19'), 'IHF-03'), state('due_soon'));
  assert.deepEqual(mod(await cov(org, '2023-04-20'), 'IHF-03'), state('compliant'));
});

test('levels: a higher level requires the modules below; mandatory modules only', async () => {
  const org = newOrg();
  const one = person([{ org, level: 1 }]);
  const two = person([{ org, level: 2 }]);
  done(one, 'MECC-IH', '2024-01-01'); // above their level: not required
  done(two, 'IHF-01', '2024-01-01');
  done(two, 'IHF-04', '2024-01-01'); // not mandatory
  const o = await cov(org, '2025-01-01');
  assert.equal(o.people, 2);
  assert.deepEqual(mod(o, 'IHF-01'), { required: 2, compliant: 1, due_soon: 0, expired: 0, never: 1 });
  assert.deepEqual(mod(o, 'MECC-IH'), state('never'));
  assert.deepEqual(mod(o, 'IHA-01'), state('none'));
  assert.equal(o.modules.find((m) => m.code === 'IHA-01').rag, 'none');
  assert.ok(!o.modules.some((m) => m.code === 'IHF-04' || m.code === 'IHF-05'), 'optional modules are not reported');
});

test('assignments: active from start to end inclusive; two at once count once at the higher level', async () => {
  const org = newOrg();
  person([{ org, start: '2024-03-01', end: '2024-06-30' }]);
  const both = person([{ org, level: 1, start: '2024-01-01' }, { org, level: 2, start: '2024-05-01', end: '2024-05-31' }]);
  done(both, 'MECC-IH', '2024-05-02');
  assert.equal((await cov(org, '2024-02-29')).people, 1);
  assert.equal((await cov(org, '2024-03-01')).people, 2);
  const may = await cov(org, '2024-05-15');
  assert.equal(may.people, 2);
  assert.deepEqual(mod(may, 'MECC-IH'), state('compliant'));
  assert.deepEqual(mod(may, 'IHF-01'), { required: 2, compliant: 0, due_soon: 0, expired: 0, never: 2 });
  assert.equal((await cov(org, '2024-06-30')).people, 2);
  const july = await cov(org, '2024-07-01');
  assert.equal(july.people, 1);
  assert.deepEqual(mod(july, 'MECC-IH'), state('none'));
});

test('a person in two organisations counts in both and once in the system total', async () => {
  // A year no other test data uses, so the system total is ours.
  const y = 1901 + (process.pid % 90);
  const a = newOrg();
  const b = newOrg();
  const p = person([{ org: a, level: 2, start: `${y}-01-01` }, { org: b, level: 1, start: `${y}-01-01` }]);
  for (const m of ['IHF-01', 'IHF-02', 'IHF-03', 'TIC-F01']) done(p, m, `${y}-02-01`);
  const r = await api(`as_of=${y}-06-01`);
  assert.equal(r.status, 200);
  const oa = r.json.organisations.find((o) => o.code === a);
  const ob = r.json.organisations.find((o) => o.code === b);
  assert.equal(oa.people, 1);
  assert.equal(ob.people, 1);
  assert.equal(oa.fully_compliant, 0, 'level 2 in A needs the level 2 modules too');
  assert.equal(ob.fully_compliant, 1, 'level 1 in B: all four held');
  assert.equal(r.json.system.people, 1);
  assert.equal(r.json.system.fully_compliant, 0, 'system: at the highest level');
  assert.deepEqual(mod(r.json.system, 'IHF-01'), state('compliant'));
  assert.deepEqual(mod(r.json.system, 'MECC-IH'), state('never'));
  // A completion through either organisation counts for both.
  done(p, 'MECC-IH', `${y}-03-01`);
  const after = await api(`as_of=${y}-06-01&org=${b}`);
  assert.deepEqual(mod(after.json.organisations[0], 'MECC-IH'), state('none'));
  assert.deepEqual(mod((await cov(a, `${y}-06-01`)), 'MECC-IH'), state('compliant'));
});

test('fully compliant: one missing or expired module is enough to fall out', async () => {
  const org = newOrg();
  const all = person([{ org }]);
  const most = person([{ org }]);
  const lapsed = person([{ org }]);
  for (const m of ['IHF-01', 'IHF-02', 'IHF-03', 'TIC-F01']) {
    done(all, m, '2024-06-01');
    if (m !== 'IHF-02') done(most, m, '2024-06-01');
    done(lapsed, m, m === 'IHF-03' ? '2022-01-01' : '2024-06-01');
  }
  const o = await cov(org, '2024-12-01');
  assert.equal(o.people, 3);
  assert.equal(o.fully_compliant, 1);
  assert.equal(o.rag, 'red');
  const earlier = await cov(org, '2023-12-31', '&compare_to=2023-06-01');
  assert.equal(earlier.fully_compliant, 0, 'before 2024-06-01 nobody held all four');
});

test('a late-recorded completion counts, and the report says so', async () => {
  const org = newOrg();
  const p = person([{ org }]);
  done(p, 'IHF-01', '2025-01-10', '2025-06-01');
  const before = await cov(org, '2025-03-01');
  assert.deepEqual(mod(before, 'IHF-01'), state('compliant'));
  assert.equal(before.late_entries, 1);
  assert.equal(before.modules.find((m) => m.code === 'IHF-01').late_entries, 1);
  const afterRecorded = await cov(org, '2025-06-01');
  assert.equal(afterRecorded.late_entries, 0);
});

test('writes move the figures at once: record, supersede, end an assignment', async () => {
  const org = newOrg();
  const p = person([{ org }]);
  const today = dbToday();
  assert.deepEqual(mod(await cov(org, today), 'IHF-02'), state('never'));
  const id = done(p, 'IHF-02', '2025-02-01');
  assert.deepEqual(mod(await cov(org, today), 'IHF-02'), state('compliant'));
  sql(`UPDATE completions SET superseded_at = now() WHERE id = ${id}`);
  assert.deepEqual(mod(await cov(org, today), 'IHF-02'), state('never'));
  sql(`UPDATE assignments SET end_date = DATE '2025-12-31' WHERE person_id = ${p}`);
  assert.equal((await cov(org, today)).people, 0);
  assert.equal((await cov(org, '2025-12-31')).people, 1);
});

test('compare_to gives the figures then and the change', async () => {
  const org = newOrg();
  const p = person([{ org, start: '2024-01-01' }]);
  person([{ org, start: '2024-01-01' }]);
  done(p, 'IHF-01', '2024-09-01');
  const o = await cov(org, '2024-12-31', '&compare_to=2024-06-30');
  assert.deepEqual(mod(o, 'IHF-01'), { required: 2, compliant: 1, due_soon: 0, expired: 0, never: 1 });
  assert.deepEqual(mod(o.compare_to_figures, 'IHF-01'), { required: 2, compliant: 0, due_soon: 0, expired: 0, never: 2 });
  assert.deepEqual(mod(o.change, 'IHF-01'), { required: 0, compliant: 1, due_soon: 0, expired: 0, never: -1 });
  assert.equal(o.change.people, 0);
});

test('the API agrees with the plain query for every organisation and the system', async () => {
  await assertCoverageAgrees([dbToday(), '2025-03-31', '2024-02-29', '2022-01-31']);
});

test('as_of defaults to the database\'s today, in Europe/London', async () => {
  assert.equal(sql("SELECT current_setting('TimeZone')")[0][0], 'Europe/London');
  const before = dbToday();
  const r = await api('');
  const after = dbToday();
  assert.equal(r.status, 200);
  assert.ok(r.json.as_of === before || r.json.as_of === after, `${r.json.as_of} is neither ${before} nor ${after}`);
  // The default date is checked like a given one.
  const [[tomorrow]] = sql('SELECT current_date + 1');
  const late = await api(`compare_to=${tomorrow}`);
  assert.equal(late.status, 400);
  assert.match(late.json.message, /compare_to must be on or before as_of/);
  assert.equal((await api(`compare_to=${before}`)).status, 200);
});

test('CSV: one row per organisation and module, people counted', async () => {
  const org = newOrg();
  person([{ org }]);
  const r = await api(`org=${org}&as_of=2025-01-01&format=csv`);
  assert.equal(r.status, 200);
  assert.match(r.type, /^text\/csv/);
  const rows = r.text.trim().split('\r\n');
  assert.equal(rows[0], 'as_of,org_code,org_name,module_code,counts,required,compliant,percent,rag,due_soon,expired,never');
  assert.ok(rows.includes(`2025-01-01,${org},Coverage test ${org},IHF-01,people,1,0,0.0,red,0,0,1`), rows.join('\n'));
  assert.ok(rows.includes(`2025-01-01,${org},Coverage test ${org},MECC-IH,people,0,0,-,none,0,0,0`));
});

test('bad parameters get 400 with a message', async () => {
  for (const q of ['as_of=2025-02-30', 'as_of=31/01/2025', 'as_of=yesterday', 'compare_to=2025-13-01',
    'as_of=2025-01-01&compare_to=2025-02-01', 'org=NO-SUCH-ORG', 'org=rr8%3B', 'format=xml',
    'due_within_days=366', 'due_within_days=-1', 'due_within_days=1.5', 'due_within_days=sixty',
    'due_within_days=0060']) {
    const r = await api(q);
    assert.equal(r.status, 400, q);
    assert.ok(r.json.message.length > 10, q);
    if (q.startsWith('due')) assert.equal(r.json.message, 'due_within_days must be a whole number of days from 0 to 365.');
  }
});

test('tokens: none is 401; an organisation token sees only its organisation', async () => {
  assert.equal((await api('', null)).status, 401);
  assert.equal((await api('', 'not-a-token')).status, 401);
  const org = newOrg();
  person([{ org }]);
  const token = admin('create-token', org);
  const own = await api('as_of=2025-01-01', token);
  assert.equal(own.status, 200);
  assert.deepEqual(own.json.organisations.map((o) => o.code), [org]);
  assert.equal(own.json.system.people, own.json.organisations[0].people);
  assert.equal((await api(`org=${org}`, token)).status, 200);
  const other = await api('org=RR8', token);
  assert.equal(other.status, 403);
});
