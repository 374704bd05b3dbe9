// A wrong completion can be put right (issue 13): withdrawn or corrected
// by the person within 30 days of recording it, by their organisation's
// lead at any time, with a reason; history kept, audited, and the
// figures follow (as at past dates too: the late-entry rule).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, Client, admin, newStaff, sql } from '../lib/harness.mjs';

async function as(email) {
  const c = new Client();
  await c.signIn(email);
  return c;
}

async function record(c, module_code, on) {
  const csrf_token = await c.csrf('/record');
  const res = await c.post('/record', { csrf_token, module_code, completed_on: on, source: 'e-learning' });
  assert.equal(res.status, 303);
  return res.headers.get('location').match(/recorded=(\d+)/)[1];
}

async function act(c, id, what, fields) {
  const csrf_token = await c.csrf(`/completions/${id}`);
  return c.post(`/completions/${id}/${what}`, { csrf_token, ...fields });
}

const token = admin('create-token', '--system');
async function compliantOn(org, asOf, code) {
  const res = await fetch(`${BASE}/api/v1/coverage?org=${org}&as_of=${asOf}`, { headers: { authorization: `Bearer ${token}` } });
  return (await res.json()).organisations[0].modules.find((m) => m.code === code).compliant;
}

test('a person withdraws what they recorded by mistake; the figures follow, the history stays', async () => {
  const s = newStaff();
  const c = await as(s.email);
  const before = await compliantOn('RR8', '2025-06-30', 'IHF-01');
  const id = await record(c, 'IHF-01', '2025-05-05');
  assert.equal(await compliantOn('RR8', '2025-06-30', 'IHF-01'), before + 1);
  const mine = await c.get('/my-training');
  assert.match(mine.text_, new RegExp(`href="/completions/${id}">Withdraw or correct`));
  const none = await act(c, id, 'withdraw', { reason: '  ' });
  assert.equal(none.status, 422);
  assert.match(none.text_, /Say why/);
  // Both forms post "reason"; the summary leads to the withdraw form's.
  assert.match(none.text_, /<a href="#withdraw-reason">/);
  assert.match(none.text_, /<input class="nhsuk-input nhsuk-input--error" id="withdraw-reason" name="reason"/);
  const res = await act(c, id, 'withdraw', { reason: 'I recorded the wrong module' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/my-training?done=withdrawn');
  assert.match((await c.get('/my-training?done=withdrawn')).text_, /The completion is withdrawn: it no longer counts/);
  assert.equal(await compliantOn('RR8', '2025-06-30', 'IHF-01'), before, 'as at a past date too');
  assert.deepEqual(sql(`SELECT superseded_at IS NOT NULL, superseded_reason FROM completions WHERE id = ${id}`),
    [['t', 'I recorded the wrong module']]);
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE entity = 'completions' AND entity_id = ${id}
    AND action = 'update' AND after->>'superseded_reason' = 'I recorded the wrong module'`)[0][0], '1');
  // Done once: the page is gone, and a second try is refused.
  assert.equal((await c.get(`/completions/${id}`)).status, 404);
});

test('a correction supersedes the row with the right date', async () => {
  const s = newStaff();
  const c = await as(s.email);
  const id = await record(c, 'IHF-03', '2025-01-10');
  const early = await act(c, id, 'correct', { 'completed_on-day': '1', 'completed_on-month': '1',
    'completed_on-year': '1999', source: 'face-to-face', reason: 'Wrong year' });
  assert.equal(early.status, 422);
  assert.match(early.text_, /Check the year/);
  const res = await act(c, id, 'correct', { 'completed_on-day': '10', 'completed_on-month': '1',
    'completed_on-year': '2024', source: 'face-to-face', provider: 'BARCA-Leeds', reason: 'Wrong year' });
  assert.equal(res.status, 303);
  const [[newId, on, source, provider, supersedes]] = sql(`SELECT id, completed_on::text, source, provider, supersedes
    FROM completions WHERE person_id = ${s.personId} AND superseded_at IS NULL`);
  assert.deepEqual([on, source, provider, supersedes], ['2024-01-10', 'face-to-face', 'BARCA-Leeds', id]);
  assert.notEqual(newId, id);
  const academy = await as('academy@demo.ihtrack.test');
  const record2 = await academy.get(`/people/${s.personId}`);
  assert.match(record2.text_, /Withdrawn or corrected[\s\S]*10 Jan 2025[\s\S]*Corrected to 10 Jan 2024[\s\S]*Wrong year/);
});

test('after 30 days it is the lead\'s to put right, and only for their people', async () => {
  const s = newStaff();
  const c = await as(s.email);
  const id = await record(c, 'TIC-F01', '2024-09-09');
  // Recorded a month ago: a completion's facts are fixed, so step round
  // the rule that says so (as the owner of the table may) to age it.
  sql(`BEGIN; ALTER TABLE completions DISABLE TRIGGER completions_append_only;
    UPDATE completions SET recorded_at = now() - interval '31 days' WHERE id = ${id};
    ALTER TABLE completions ENABLE TRIGGER completions_append_only; COMMIT`);
  assert.doesNotMatch((await c.get('/my-training')).text_, new RegExp(`/completions/${id}`));
  assert.equal((await c.get(`/completions/${id}`)).status, 404);
  assert.equal((await act(c, id, 'withdraw', { reason: 'x' }).catch(() => ({ status: 404 }))).status, 404);
  const other = await as('academy@demo.ihtrack.test');
  assert.equal((await other.get(`/completions/${id}`)).status, 404, 'an academy lead does not');
  const lead = await as('lead.rr8@demo.ihtrack.test');
  const page = await lead.get(`/people/${s.personId}`);
  assert.match(page.text_, new RegExp(`href="/completions/${id}">Withdraw or correct`));
  const res = await act(lead, id, 'withdraw', { reason: 'Not attended: the register says so' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `/people/${s.personId}?done=withdrawn`);
  // Another organisation's lead cannot see it at all.
  const ry6 = newStaff({ org: 'RY6' });
  const c2 = await as(ry6.email);
  const theirs = await record(c2, 'IHF-01', '2025-02-02');
  assert.equal((await lead.get(`/completions/${theirs}`)).status, 404);
});
