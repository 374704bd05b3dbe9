// Dates as exports write them (issue 15), in every import: each form
// stored as the date written, and impossible ones refused by line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { admin, newStaff, postCsv, sql } from '../lib/harness.mjs';

const token = admin('create-token', 'RR8');

test('every export date form imports as the date written', async () => {
  const s = newStaff();
  const forms = [
    ['IHF-01', '01-Apr-2023', '2023-04-01'],
    ['TIC-F01', '15-JAN-2024', '2024-01-15'],
    ['IHF-02', '2025/12/02 00:00:00', '2025-12-02'],
    ['IHF-03', '2025/11/03', '2025-11-03'],
    ['IHF-04', '2025-03-05T23:30:00+01:00', '2025-03-05'],
    ['IHF-05', '2025-03-06T10:00:00Z', '2025-03-06'],
    ['MECC-IH', '7/2/2024', '2024-02-07'],
  ];
  const csv = `staff_id,module_code,completed_on\n${forms.map(([m, d]) => `${s.staffId},${m},"${d}"`).join('\n')}\n`;
  const res = await postCsv('RR8', 'completions', csv, token);
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body.errors));
  assert.equal(body.accepted, forms.length);
  const stored = Object.fromEntries(sql(`SELECT m.code, c.completed_on::text FROM completions c
    JOIN modules m ON m.id = c.module_id WHERE c.person_id = ${s.personId}`));
  for (const [m, , want] of forms) assert.equal(stored[m], want, m);
});

test('impossible dates are errors by line, in every form', async () => {
  const s = newStaff();
  const bad = ['31-Feb-2024', '29-Feb-2023', '2023/02/29', '2025-02-30T10:00:00Z', '01-Foo-2023', '2025/12/02 25:00:00'];
  const csv = `staff_id,module_code,completed_on\n${bad.map((d) => `${s.staffId},IHF-01,${d}`).join('\n')}\n`;
  const res = await postCsv('RR8', 'completions', csv, token);
  const body = await res.json();
  assert.equal(res.status, 422);
  assert.deepEqual(body.errors.map((e) => [e.line, e.code, e.column]),
    bad.map((_, i) => [i + 2, 'invalid_date', 'completed_on']));
  assert.match(body.errors[0].message, /'31-Feb-2024' is not a date that exists/);
});
