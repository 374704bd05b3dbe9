// The audit trail (src/audit.c) in Chromium at the narrowest phone width
// WCAG 1.4.10 asks for (320 CSS px) and on a desktop: names, not ids;
// sign-ins apart unless asked for; filters that say what is wrong; and
// nothing that scrolls sideways.  Each page is checked with axe-core.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BASE, Client, newStaff, sql } from '../lib/harness.mjs';
import { assertAccessible, launch, signInPage } from '../lib/browser.mjs';

let browser;
let staff;
let completionId;
before(async () => {
  browser = await launch();
  // A person with a name to look for, who records a completion.
  staff = newStaff();
  sql(`UPDATE people SET given_name = 'Asha', family_name = 'Begum' WHERE id = ${staff.personId}`);
  const c = new Client();
  await c.signIn(staff.email);
  const csrf_token = await c.csrf('/record');
  const res = await c.post('/record', { csrf_token, module_code: 'IHF-01',
    completed_on: '2026-11-02', source: 'e-learning', provider: 'Leeds Health and Care Academy' });
  assert.equal(res.status, 303);
  [[completionId]] = sql(`SELECT id FROM completions WHERE person_id = ${staff.personId}`);
});
after(async () => { await browser?.close(); });

async function noSidewaysScroll(page, label) {
  const { scroll, inner } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
  }));
  assert.ok(scroll <= inner, `${label}: the page is ${scroll} px wide in a ${inner} px window`);
}

for (const [label, width] of [['phone', 320], ['desktop', 1280]]) {
  test(`an administrator reads the audit trail (${label}, ${width} px)`, async () => {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    await signInPage(page, 'admin@demo.ihtrack.test');

    // The latest changes, by name; the admin's own sign-in is not among them.
    await page.goto(`${BASE}/admin/audit`);
    const main = page.locator('main');
    await assertAccessible(page, `audit-01-latest-${label}`);
    await noSidewaysScroll(page, 'the latest entries');
    // Should a row not fit, the table scrolls in its own labelled region
    // (keyboard too); at these widths it fits.
    const region = page.locator('.ih-wide.ih-audit');
    assert.equal(await region.getAttribute('role'), 'region');
    assert.equal(await region.getAttribute('tabindex'), '0');
    assert.match(await region.getAttribute('aria-label'), /scrolls sideways/);
    assert.ok(await region.evaluate((el) => el.scrollWidth <= el.clientWidth), 'the entries fit');
    const text = await main.textContent();
    assert.match(text, /Completion of IHF-01 by Asha Begum/);
    assert.match(text, new RegExp(`Asha Begum, ${staff.email}`), 'the actor by name and email');
    assert.match(text, /Completed on: 2 Nov 2026/);
    assert.match(text, /Provider: Leeds Health and Care Academy/);
    assert.doesNotMatch(text, /person_id|module_id|\{"/, 'no ids or JSON');
    assert.doesNotMatch(text, /Signed in/, 'sign-ins are apart');

    // Sign-ins and sign-outs on request.
    await page.check('#sessions');
    await page.click('button:has-text("Show entries")');
    await page.waitForURL(/sessions=1/);
    assert.match(await main.textContent(), /Signed in\s*Session of admin@demo\.ihtrack\.test/);
    await assertAccessible(page, `audit-02-sign-ins-${label}`);
    await noSidewaysScroll(page, 'with sign-ins');

    // A date that does not exist: the form again, saying where.
    await page.selectOption('#entity', 'completions');
    await page.fill('#from-day', '31');
    await page.fill('#from-month', '2');
    await page.fill('#from-year', '2026');
    const [res] = await Promise.all([
      page.waitForNavigation(),
      page.click('button:has-text("Show entries")'),
    ]);
    assert.equal(res.status(), 400);
    assert.equal(await page.textContent('.nhsuk-error-summary a[href="#from-day"]'),
      'From date must be a real date');
    assert.match(await page.textContent('#from-error'), /From date must be a real date/);
    assert.equal(await page.inputValue('#from-day'), '31');
    assert.equal(await page.inputValue('#entity'), 'completions');
    await assertAccessible(page, `audit-03-error-${label}`);
    await noSidewaysScroll(page, 'the error');

    // Corrected, then one record's history from its link.
    await page.fill('#from-day', '1');
    await page.click('button:has-text("Show entries")');
    await page.waitForURL(/entity=completions&.*from-day=1&/);
    await page.click(`a[href="/admin/audit?entity=completions&entity_id=${completionId}"]`);
    await page.waitForURL(new RegExp(`entity_id=${completionId}$`));
    assert.equal(await page.textContent('caption'), 'The one matching entry');
    await assertAccessible(page, `audit-04-record-${label}`);
    await noSidewaysScroll(page, 'one record');
    await context.close();
  });
}
