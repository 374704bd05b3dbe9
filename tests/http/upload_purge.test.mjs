// Kept uploads ($IHTRACK_VAR/imports/ID.csv) of page previews are deleted
// by the sweep (src/import_sweep.c) once they can no longer be confirmed:
// a day old, or their check failed.  A fresh clean preview keeps its file.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { Client, ROOT, sql } from '../lib/harness.mjs';

const VAR = process.env.IHTRACK_VAR ?? path.join(ROOT, 'var/test');
const kept = (id) => path.join(VAR, 'imports', `${id}.csv`);

async function upload(c, csv) {
  const fd = new FormData();
  fd.append('csrf_token', await c.csrf('/imports'));
  fd.append('kind', 'completions');
  fd.append('file', new Blob([csv], { type: 'text/csv' }), 'upload.csv');
  const res = await c.req('POST', '/imports', { body: fd });
  assert.equal(res.status, 303, res.text_.slice(0, 300));
  return Number(res.headers.get('location').split('/').pop());
}

test('a day-old preview and a rejected one lose their kept uploads; a fresh one keeps it', async () => {
  const lead = new Client();
  await lead.signIn('lead.rr8@demo.ihtrack.test');
  const [[staffId]] = sql(`SELECT p.staff_id FROM people p JOIN assignments a ON a.person_id = p.id
    JOIN organisations o ON o.id = a.org_id WHERE o.code = 'RR8' ORDER BY p.id LIMIT 1`);
  const good = `staff_id,module_code,completed_on\n${staffId},IHF-01,2024-03-01\n`;

  const old = await upload(lead, good);
  const fresh = await upload(lead, good);
  const rejected = await upload(lead, 'no,such,columns\n1,2,3\n');
  for (const id of [old, fresh, rejected]) assert.ok(existsSync(kept(id)), `${id} kept at first`);
  sql(`UPDATE import_batches SET created_at = now() - interval '25 hours' WHERE id = ${old}`);

  const history = await lead.get('/imports');
  assert.equal(history.status, 200);
  assert.ok(!existsSync(kept(old)), 'the day-old preview\'s upload is deleted');
  assert.ok(!existsSync(kept(rejected)), 'the rejected check\'s upload is deleted');
  assert.ok(existsSync(kept(fresh)), 'the fresh preview keeps its upload');

  const oldPage = await lead.get(`/imports/${old}`);
  assert.doesNotMatch(oldPage.text_, /Confirm and import/, 'a purged preview cannot be confirmed');
  const freshPage = await lead.get(`/imports/${fresh}`);
  assert.match(freshPage.text_, /Confirm and import/);
  const [[purged]] = sql(`SELECT count(*) FROM import_batches
    WHERE id IN (${old}, ${rejected}) AND upload_purged_at IS NOT NULL`);
  assert.equal(purged, '2', 'each file is handed over once, and recorded');
});
