// A roster upload never rewrites the past (issue 10): a change of level,
// staff group or job role takes effect from the upload's day or the
// row's effective_from, and reports as at earlier dates do not move.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, Client, admin, postCsv, sql, unique } from '../lib/harness.mjs';

const system = admin('create-token', '--system');

function newOrg() {
  const code = unique('H').slice(0, 16).toUpperCase();
  admin('create-org', code, `History ${code}`);
  return { code, token: admin('create-token', code) };
}

const HEAD = 'staff_id,given_name,family_name,email,staff_group,level,start_date';
async function roster(org, rows, { head = HEAD, query = '' } = {}) {
  const res = await postCsv(org.code, 'staff', `${head}\n${rows.join('\n')}\n`, org.token, { query });
  return { status: res.status, json: await res.json() };
}

async function coverage(org, asOf) {
  const res = await fetch(`${BASE}/api/v1/coverage?org=${org.code}&as_of=${asOf}`,
    { headers: { authorization: `Bearer ${system}` } });
  assert.equal(res.status, 200);
  const j = await res.json();
  return j.organisations[0].modules.map((m) => `${m.code}:${m.required}`).join(' ');
}

const [[today]] = sql('SELECT current_date::text');
const [[past]] = sql("SELECT (current_date - interval '6 months')::date::text");
const [[lastWeek]] = sql("SELECT (current_date - 7)::text");

function segments(staffId, code) {
  return sql(`SELECT a.level, a.staff_group, a.start_date, coalesce(a.end_date::text, ''),
      a.continues IS NOT NULL
    FROM assignments a JOIN people p ON p.id = a.person_id
    JOIN organisations o ON o.id = a.org_id
    WHERE p.staff_id = '${staffId}' AND o.code = '${code}' ORDER BY a.start_date, a.id`);
}

test("a promotion in today's roster leaves the figures as at six months ago alone", async () => {
  const org = newOrg();
  const id = unique('P');
  const email = `${id.toLowerCase()}@history.ihtrack.test`;
  assert.equal((await roster(org, [`${id},Pat,Promoted,${email},Nursing,foundation,2024-01-01`])).status, 200);
  const before = await coverage(org, past);
  const promoted = await roster(org, [`${id},Pat,Promoted,${email},Nursing,intermediate,2024-01-01`]);
  assert.equal(promoted.status, 200);
  assert.equal(promoted.json.accepted, 1);
  assert.equal(await coverage(org, past), before, 'as at six months ago');
  // From today they are required to hold the Intermediate modules.
  assert.match(before, /TIC-I01:0/);
  assert.match(await coverage(org, today), /TIC-I01:1/);
  assert.deepEqual(segments(id, org.code), [
    ['1', 'Nursing', '2024-01-01', sqlDay(-1), 'f'],
    ['2', 'Nursing', today, '', 't'],
  ]);
  // The same file again changes nothing.
  const again = await roster(org, [`${id},Pat,Promoted,${email},Nursing,intermediate,2024-01-01`]);
  assert.equal(again.json.accepted, 0);
  assert.equal(again.json.unchanged, 1);
  // The person's record shows the history.
  const [[personId]] = sql(`SELECT id FROM people WHERE staff_id = '${id}'`);
  const c = new Client();
  await c.signIn('academy@demo.ihtrack.test');
  const page = await c.get(`/people/${personId}`);
  assert.equal(page.status, 200);
  assert.match(page.text_, /Foundation[\s\S]*1 Jan 2024/);
  assert.match(page.text_, /Intermediate/);
});

function sqlDay(n) {
  return sql(`SELECT (current_date + ${n})::text`)[0][0];
}

test('effective_from dates a change; a future one is refused', async () => {
  const org = newOrg();
  const id = unique('E');
  const email = `${id.toLowerCase()}@history.ihtrack.test`;
  const head = `${HEAD},effective_from`;
  assert.equal((await roster(org, [`${id},Eve,Moved,${email},Nursing,foundation,2024-01-01,`], { head })).status, 200);
  const moved = await roster(org, [`${id},Eve,Moved,${email},Midwifery,foundation,2024-01-01,${lastWeek}`], { head });
  assert.equal(moved.status, 200);
  assert.deepEqual(segments(id, org.code).map((s) => [s[1], s[2], s[3]]), [
    ['Nursing', '2024-01-01', sqlDay(-8)],
    ['Midwifery', lastWeek, ''],
  ]);
  const future = await roster(org, [`${id},Eve,Moved,${email},Nursing,foundation,2024-01-01,${sqlDay(1)}`], { head });
  assert.equal(future.status, 422);
  assert.equal(future.json.errors[0].code, 'future_date');
  assert.equal(future.json.errors[0].column, 'effective_from');
});

test('a new start_date or end_date is a correction of the dates; a file without staff_group keeps it', async () => {
  const org = newOrg();
  const id = unique('C');
  const email = `${id.toLowerCase()}@history.ihtrack.test`;
  await roster(org, [`${id},Cat,Corrected,${email},Nursing,foundation,2024-01-01`]);
  await roster(org, [`${id},Cat,Corrected,${email},Nursing,advanced,2024-01-01`]);
  // The start was wrong: the employment's first assignment moves.
  const corrected = await roster(org, [`${id},Cat,Corrected,${email},Nursing,advanced,2023-06-01`]);
  assert.equal(corrected.status, 200);
  assert.equal(corrected.json.accepted, 1);
  assert.deepEqual(segments(id, org.code).map((s) => [s[0], s[2]]), [['1', '2023-06-01'], ['3', today]]);
  // No staff_group column: what is stored stays, and nothing splits.
  const noGroup = await roster(org, [`${id},Cat,Corrected,${email},advanced,2023-06-01`],
    { head: 'staff_id,given_name,family_name,email,level,start_date' });
  assert.equal(noGroup.json.unchanged, 1);
  assert.equal(segments(id, org.code).length, 2);
  // A leaver: the latest assignment ends; one before the change is refused.
  const early = await roster(org, [`${id},Cat,Corrected,${email},Nursing,advanced,2023-06-01,${sqlDay(-30)}`],
    { head: `${HEAD},end_date` });
  assert.equal(early.status, 422);
  assert.equal(early.json.errors[0].code, 'end_before_change');
  const leaver = await roster(org, [`${id},Cat,Corrected,${email},Nursing,advanced,2023-06-01,${today}`],
    { head: `${HEAD},end_date` });
  assert.equal(leaver.status, 200);
  assert.equal(segments(id, org.code)[1][3], today);
});
