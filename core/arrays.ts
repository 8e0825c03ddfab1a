/**
 * Array helpers whose results have one hidden class however they run. `Array.prototype.map` gives a packed array
 * while its caller is interpreted and a holey one once TurboFan inlined it, so code optimized on the arrays of a
 * file's open (made by cold code) deoptimized ("wrong map") on the first edit's, made by the same code optimized,
 * and V8 compiled it again during the edit (bench/README.md, 2026-12-02).
 */

/**
 * `xs.map(fn)` as a holey array of exactly `xs.length` (what an optimized `map` gives) whether or not the caller is
 * optimized. Not pushed: an array grown by push keeps room for 17 or more, and many of these are kept.
 */
export function mapped<T, U>(xs: readonly T[], fn: (x: T, i: number) => U): U[] {
  const out = new Array<U>(xs.length);
  for (let i = 0; i < xs.length; i++) out[i] = fn(xs[i]!, i);
  return out;
}
