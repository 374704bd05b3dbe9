// Module aliases in the browser (issue 15), for an academy lead, in
// Chromium at a phone's width and a desktop's, each page checked with
// axe-core (WCAG 2.2 AA) and nothing scrolling sideways: list, add one
// (an error first, keeping what was typed), remove one.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BASE, unique } from '../lib/harness.mjs';
import { assertAccessible, launch, signInPage } from '../lib/browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function check(page, label) {
  await assertAccessible(page, label);
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth,
    document.documentElement.clientWidth]);
  assert.ok(scroll <= client, `${label}: the page is ${scroll} px wide in a ${client} px window`);
}

for (const [label, width] of [['phone', 390], ['desktop', 1280]]) {
  test(`an academy lead adds and removes a module alias (${label})`, async () => {
    const alias = `NHS|IH|Foundation Module ${unique('')}|`;
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    await signInPage(page, 'academy@demo.ihtrack.test');
    await page.click('.nhsuk-header__navigation-link:has-text("Module aliases")');
    await page.waitForURL(`${BASE}/module-aliases`);
    assert.equal(await page.textContent('h1'), 'Module aliases');
    await check(page, `aliases-01-list-${label}`);

    // No module chosen: the error, with the alias kept.
    await page.fill('#alias', alias);
    await page.click('button:has-text("Add the alias")');
    await page.waitForSelector('.nhsuk-error-summary');
    assert.match(await page.textContent('.nhsuk-error-summary'), /Choose the module the alias names/);
    assert.equal(await page.inputValue('#alias'), alias);
    await check(page, `aliases-02-error-${label}`);

    await page.selectOption('#module_code', 'IHF-01');
    await page.click('button:has-text("Add the alias")');
    await page.waitForURL(/added=/);
    assert.match(await page.textContent('[role=status]'), /now names its module/);
    const row = page.locator('tr', { hasText: alias });
    assert.match(await row.textContent(), /IHF-01: /);
    await check(page, `aliases-03-added-${label}`);

    await row.locator('button:has-text("Remove")').click();
    await page.waitForURL(/removed=/);
    assert.equal(await page.locator('tr', { hasText: alias }).count(), 0);
    await context.close();
  });
}
