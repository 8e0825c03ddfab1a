/**
 * The property-based harness (fast-check): how many runs, which seed, and the regression corpus.
 *
 * - `npm test` runs each property a bounded number of times with a fixed seed, so CI is deterministic and quick.
 * - `KVS_FUZZ=long` (the benchmark machine: `npm run fuzz`) runs `KVS_FUZZ_RUNS` times each (default 20,000) from a
 *   random seed, printed so that a failure can be replayed with `KVS_FUZZ_SEED`.
 * - A counterexample is written to `test/fixtures/fuzz/<property>-<seed>.json` before the test fails: commit it,
 *   and every later run replays it first (`replayed`), whatever the mode.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';

export const long = process.env.KVS_FUZZ === 'long';
const runs = Number(process.env.KVS_FUZZ_RUNS ?? (long ? 20_000 : 0)) || undefined;
const seed = process.env.KVS_FUZZ_SEED !== undefined ? Number(process.env.KVS_FUZZ_SEED) : long ? Date.now() % 2 ** 31 : 20_161_616;

export const corpusDir = join(__dirname, '..', 'fixtures', 'fuzz');

/** The inputs kept for `property`: the corpus files named `<property>-*.json`, each holding `{ input }`. */
export function replayed<T>(property: string): T[] {
  let names: string[] = [];
  try {
    names = readdirSync(corpusDir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.startsWith(`${property}-`) && n.endsWith('.json'))
    .sort()
    .map((n) => (JSON.parse(readFileSync(join(corpusDir, n), 'utf8')) as { input: T }).input);
}

/**
 * Checks `predicate` (which throws on a violation) over `arbitrary`: the corpus first, then `defaultRuns` generated
 * inputs (or the long mode's). A counterexample is kept in the corpus and reported.
 */
export function checkProperty<T>(property: string, arbitrary: fc.Arbitrary<T>, predicate: (input: T) => void, defaultRuns: number): void {
  for (const input of replayed<T>(property)) predicate(input);
  const numRuns = runs ?? defaultRuns;
  if (long) process.stdout.write(`# fuzz ${property}: ${numRuns} runs, seed ${seed}\n`);
  const result = fc.check(
    fc.property(arbitrary, (input) => {
      predicate(input);
    }),
    { numRuns, seed },
  );
  if (!result.failed) return;
  const input = result.counterexample?.[0];
  mkdirSync(corpusDir, { recursive: true });
  const file = join(corpusDir, `${property}-${seed}.json`);
  writeFileSync(file, `${JSON.stringify({ property, seed, input }, null, 2)}\n`);
  throw new Error(`${fc.defaultReportMessage(result)}\nThe counterexample is kept in ${file}: commit it as a regression input.`);
}

/** Object.prototype's property names, and other names tables must not trip over. */
export const hostileNames = [...Object.getOwnPropertyNames(Object.prototype), '__proto__', 'prototype', 'length', 'then', '', '-', '*', '\u0000'];

/** A name a manifest may use: ordinary, hostile, or arbitrary text. */
export const nameArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('default', 'vms', 'snap', 'pvc', 'nas', 'trident-nas', 'a', 'b') },
  { weight: 2, arbitrary: fc.constantFrom(...hostileNames) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

/** A quantity a manifest may hold: valid, invalid, or a number, or not a scalar. */
export const quantityArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('20Mi', '21Mi', '1Gi', '0', '-1Gi', '20MB', '1 Gi', '1e3', '1.5Gi', '0.1', '9223372036854775807', '99999999999999999999Ei', 'Mi'),
  fc.integer(),
  fc.double({ noNaN: false }),
  fc.constantFrom(null, true, [], {}),
);
