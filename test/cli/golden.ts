/**
 * Golden-file comparison. The committed golden is the truth; `UPDATE_GOLDEN=1` rewrites it from the
 * actual output (then review the diff by eye before committing).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const goldenDir = path.join(__dirname, 'golden');

export function assertGolden(name: string, actual: string): void {
  const file = path.join(goldenDir, name);
  if (process.env['UPDATE_GOLDEN'] === '1') {
    mkdirSync(goldenDir, { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  assert.ok(existsSync(file), `missing golden ${name}: run with UPDATE_GOLDEN=1 and review it`);
  assert.equal(actual, readFileSync(file, 'utf8'), `output differs from golden ${name} (UPDATE_GOLDEN=1 rewrites it)`);
}
