// The header's menu lists what the signed-in person may open, decided by
// acl.c: every link it shows opens (200), and nobody sees a link to a
// page they may not open.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client } from '../lib/harness.mjs';

const links = (html) => [...html.matchAll(/class="nhsuk-header__navigation-link" href="([^"]+)"/g)].map((m) => m[1]);

for (const [email, expected] of [
  ['staff@demo.ihtrack.test', ['/my-training']],
  ['lead.rr8@demo.ihtrack.test', ['/reports/coverage/RR8', '/people', '/imports', '/imports/mappings', '/level-rules']],
  ['academy@demo.ihtrack.test', ['/reports/coverage', '/people', '/imports', '/imports/mappings',
    '/level-rules', '/module-aliases', '/admin/users']],
  ['admin@demo.ihtrack.test', ['/reports/coverage', '/people', '/admin/users', '/admin/tokens', '/admin/mail', '/admin/reminders', '/admin/audit']],
]) {
  test(`the menu of ${email}`, async () => {
    const c = new Client();
    await c.signIn(email);
    const home = await c.get('/');
    assert.equal(home.status, 200);
    const got = links(home.text_);
    // Accounts linked to a staff record also see their own training.
    const own = (h) => h !== '/my-training';
    assert.deepEqual(got.filter(own), expected.filter(own));
    if (expected.includes('/my-training')) assert.ok(got.includes('/my-training'));
    for (const href of got) {
      const res = await c.get(href);
      assert.equal(res.status, 200, href);
    }
  });
}

test('signed out, there is no menu', async () => {
  const res = await new Client().get('/sign-in');
  assert.deepEqual(links(res.text_), []);
});
