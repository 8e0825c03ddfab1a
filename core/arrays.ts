/**
 * Array helpers whose results have one hidden class however they run. `Array.prototype.map` gives a packed array
 * while its caller is interpreted and a holey one once TurboFan inlined it, so code optimized on the arrays of a
 * file's open (made by cold code) deoptimized ("wrong map") on the first edit's, made by the same code optimized,
 * and V8 compiled it again in the edit (bench/README.md, 2026-12-02).
 */

/** `xs.map(fn)`, always a packed array (pushed). */
export function mapped<T, U>(xs: readonly T[], fn: (x: T, i: number) => U): U[] {
  const out: U[] = [];
  for (let i = 0; i < xs.length; i++) out.push(fn(xs[i]!, i));
  return out;
}
