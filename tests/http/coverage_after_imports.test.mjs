// After every import test has run (roster merges and replaces, completions
// with and without errors), the coverage kept by the bulk path of
// migration 0101 still equals the plain query.
import { test } from 'node:test';
import { assertCoverageAgrees } from '../lib/coverage_check.mjs';

test('coverage equals the plain query after the imports', async () => {
  await assertCoverageAgrees([new Date().toISOString().slice(0, 10), '2025-06-30', '2023-12-31']);
});
