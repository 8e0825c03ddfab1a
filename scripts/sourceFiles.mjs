// The TypeScript files below a folder, for the source checks (checkImports.mjs, checkSources.mjs).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every file below `dir` whose name matches `pattern`; [] when `dir` does not exist. */
export function sourceFiles(dir, pattern = /\.(ts|tsx|mts|cts)$/, out = []) {
  let names;
  try { names = readdirSync(dir); } catch { return out; }
  for (const n of names) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) sourceFiles(p, pattern, out);
    else if (pattern.test(n)) out.push(p);
  }
  return out;
}
