// Levels decided by rules (issue 15) in Chromium, at 390 and 1280 px,
// each page checked with axe-core: an organisation's lead opens the
// level rules from their home, types rules (adding rows, removing one),
// sees a mistake at its field, previews what saving would do (people
// moved, by level, from the date), saves, and sees what the change did;
// an academy lead opens the system-wide rules from the board report and
// reads an organisation's rules.  Nothing scrolls sideways.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BASE, admin, newPerson, sql, unique } from '../lib/harness.mjs';
import { assertAccessible, launch, signInPage } from '../lib/browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PASSWORD = 'lantern orchid hedgehog 42';

const noSidewaysScroll = async (page, what) => {
  const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(scroll <= inner, `${what}: ${scroll} px wide at ${inner}`);
};

// An organisation of its own with a lead, and people whose levels came
// from rules: five Foundation Nurses, two Intermediate Porters.
function newOrg() {
  const code = unique('LR').slice(0, 14).toUpperCase();
  admin('create-org', code, `Rules ${code}`);
  const email = `lead.${code.toLowerCase()}@rules.ihtrack.test`;
  admin('create-user', email, 'org_lead', code, { stdin: `${PASSWORD}\n` });
  for (const [role, level, n] of [['Staff Nurse', 1, 5], ['Porter', 2, 2]]) {
    for (let i = 0; i < n; i++) newPerson(code, { group: 'Nursing', role, level, levelSource: 'rule' });
  }
  return { code, email };
}

for (const width of [390, 1280]) {
  test(`a lead previews a change of level rules, then saves it (${width} px)`, async () => {
    const org = newOrg();
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    await signInPage(page, org.email, PASSWORD);
    await page.click('a.nhsuk-card__link:has-text("Level rules")');
    await page.waitForURL(/\/level-rules$/);
    assert.match(await page.textContent('h1'), new RegExp(`Level rules of Rules ${org.code}`));
    assert.match(await page.textContent('main'), /There are no rules yet/);
    await noSidewaysScroll(page, 'level rules');
    await assertAccessible(page, `level-rules-01-empty-${width}`);

    // Three empty rows to begin with; more on asking.
    assert.equal(await page.locator('input[name=staff_group]').count(), 3);
    await page.click('button:has-text("Add more rows")');
    await page.waitForLoadState();
    assert.equal(await page.locator('input[name=staff_group]').count(), 5);
    await page.fill('#job_role-1', 'Staff Nurse');
    await page.selectOption('#level-1', 'intermediate');
    await page.fill('#staff_group-2', 'Nursing');
    await page.fill('#job_role-2', 'Porter');
    await page.fill('#job_role-3', 'Staff nurse ');
    await page.selectOption('#level-3', 'advanced');
    await page.fill('#staff_group-4', 'Estates');
    await page.click('button:has-text("Preview the change")');
    await page.waitForSelector('.nhsuk-error-summary');
    // Each mistake at its field, what was typed kept.
    assert.match(await page.textContent('#level-2-error'), /Choose a level for rule 2/);
    assert.match(await page.textContent('#job_role-3-error'), /Rule 3 has the same staff group and job role as rule 1/);
    assert.equal(await page.inputValue('#job_role-2'), 'Porter');
    await noSidewaysScroll(page, 'level rules errors');
    await assertAccessible(page, `level-rules-02-errors-${width}`);

    // Fix them: a level for rule 2, rule 3 and rule 4 removed.
    await page.selectOption('#level-2', 'advanced');
    await page.check('#remove-3');
    await page.check('#remove-4');
    await page.click('button:has-text("Preview the change")');
    await page.waitForSelector('#preview');
    const preview = await page.textContent('#preview');
    assert.match(preview, /The new set has 2 rules/);
    assert.match(preview, /makes 5 people Intermediate \(5 were Foundation\)/);
    assert.match(preview, /makes 2 people Advanced \(2 were Intermediate\)/);
    assert.match(preview, /first rules of this organisation/);
    assert.equal(await page.inputValue('#job_role-2'), 'Porter');
    assert.equal(await page.locator('input[name=staff_group]').count(), 5);
    // Nothing is saved by a preview.
    assert.deepEqual(sql(`SELECT count(*) FROM level_rule_sets s JOIN organisations o ON o.id = s.org_id
      WHERE o.code = '${org.code}'`), [['0']]);
    await noSidewaysScroll(page, 'level rules preview');
    await assertAccessible(page, `level-rules-03-preview-${width}`);

    await page.click('button:has-text("Save these rules")');
    await page.waitForURL(/\/level-rules\?saved=\d+#saved$/);
    const saved = await page.textContent('[role=status]');
    assert.match(saved, /The rules are saved/);
    assert.match(saved, /made 5 people Intermediate/);
    assert.match(await page.textContent('main'), /In force today, and on every date before/);
    assert.equal(await page.inputValue('#job_role-1'), 'Staff Nurse');
    await noSidewaysScroll(page, 'level rules saved');
    await assertAccessible(page, `level-rules-04-saved-${width}`);
    await context.close();
  });

  test(`an academy lead keeps the system-wide rules and reads an organisation's (${width} px)`, async () => {
    const org = newOrg();
    sql(`SELECT ih_level_rules_replace(o.id, NULL, '[{"line": 1, "staff_group": "Nursing",
      "job_role": "", "level": "intermediate"}]', NULL, NULL, 'sql', false)
      FROM organisations o WHERE o.code = '${org.code}'`);
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    await signInPage(page, 'academy@demo.ihtrack.test');
    await page.click('a:has-text("System-wide level rules")');
    await page.waitForURL(/\/level-rules$/);
    assert.equal(await page.textContent('h1'), 'System-wide level rules');
    await noSidewaysScroll(page, 'system rules');
    await assertAccessible(page, `level-rules-05-system-${width}`);
    await page.click(`a:has-text("Rules ${org.code}")`);
    await page.waitForURL(/\/level-rules\?org=/);
    assert.match(await page.textContent('main'), /Nursing[\s\S]*Any[\s\S]*Intermediate/);
    assert.match(await page.textContent('main'), /Only the organisation's own leads change its rules/);
    assert.equal(await page.locator('form[action^="/level-rules"]').count(), 0);
    await noSidewaysScroll(page, 'an organisation\'s rules');
    await assertAccessible(page, `level-rules-06-organisation-${width}`);
    await context.close();
  });
}
