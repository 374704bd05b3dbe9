// Leads can find a person (issue 13): GET /people?q= by name, staff ID or
// email, among the people the viewer may see only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client, newStaff } from '../lib/harness.mjs';

async function as(email) {
  const c = new Client();
  await c.signIn(email);
  return c;
}
const found = (html) => [...html.matchAll(/<a href="\/people\/(\d+)">/g)].map((m) => m[1]);

test('a lead finds their people by name, staff ID or email, and nobody else', async () => {
  const ours = newStaff({ org: 'RR8' });
  const theirs = newStaff({ org: 'RY6' });
  const lead = await as('lead.rr8@demo.ihtrack.test');
  for (const q of [ours.staffId, ours.staffId.toLowerCase(), ours.email.toUpperCase()]) {
    const res = await lead.get(`/people?q=${encodeURIComponent(q)}`);
    assert.equal(res.status, 200);
    assert.deepEqual(found(res.text_), [String(ours.personId)], q);
  }
  assert.deepEqual(found((await lead.get(`/people?q=${theirs.staffId}`)).text_), []);
  const named = await lead.get('/people?q=Test%20Person');
  assert.ok(found(named.text_).includes(String(ours.personId)));
  assert.ok(!found(named.text_).includes(String(theirs.personId)));
  const academy = await as('academy@demo.ihtrack.test');
  assert.deepEqual(found((await academy.get(`/people?q=${theirs.staffId}`)).text_), [String(theirs.personId)]);
  assert.equal((await (await as(ours.email)).get('/people')).status, 403);
});
