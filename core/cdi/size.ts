/**
 * CDI's size arithmetic, reproduced with Go's float64 semantics so results match byte for byte.
 *
 * Why JS Numbers are exact here: Go's float64 and JS Number are both IEEE-754 binary64, and every step below
 * is a single correctly rounded IEEE operation (`+`, `*`, `/`, `math.Ceil`). Go may fuse `x*y+z` into an FMA,
 * but no expression here has that shape. `float64(int64)` in Go rounds to nearest, ties to even (the Go spec
 * defers to IEEE-754; amd64 CVTSI2SD and arm64 SCVTF run in the default round-to-nearest mode), and so does
 * `Number(bigint)` (ECMA-262 𝔽(ℝ(x))); both matter above 2^53, where e.g. 2^53+1 becomes 2^53 and 2^53+3
 * becomes 2^53+4. `strconv.ParseFloat(s, 64)` and `Number(s)` both return the correctly rounded double of a
 * decimal string. Integer multiplication wraps in Go (two's complement), mirrored with `BigInt.asIntN(64)`.
 *
 * Where Go is not defined (converting an out-of-range float, or ±Inf, to int64 is implementation-specific:
 * amd64 yields MinInt64, arm64 saturates), and where CDI would produce a negative quantity, a typed error is
 * returned instead of a number.
 */

/** `util.DefaultAlignBlockSize`: 1MiB. */
export const alignBlockSize = 1024n * 1024n;

/** KubeVirt/CDI refuse disks below this (`units.MiB` in renderPvcSpecVolumeSize). */
export const minimumRequestBytes = 1024n * 1024n;

const int64Max = (1n << 63n) - 1n;
const int64Min = -(1n << 63n);
const two63 = 2 ** 63;

/** Why a size could not be computed the way CDI computes it. */
export interface SizeError {
  kind: 'division-by-zero' | 'overflow' | 'invalid-overhead' | 'out-of-range';
  message: string;
}

export type SizeResult = { ok: true; bytes: bigint } | { ok: false; error: SizeError };

/** Go's `int64(f)` for an integral float64, or undefined where Go leaves the result implementation-defined. */
function float64ToInt64(f: number): bigint | undefined {
  if (!Number.isFinite(f) || f >= two63 || f < -two63) return undefined;
  return BigInt(Math.trunc(f));
}

/**
 * Mirrors util.RoundUp (pkg/util/util.go, all versions): `int64(math.Ceil(float64(n)/float64(m))) * m`,
 * including the float rounding of `n` above 2^53 and the int64 wrap of the product.
 * @throws RangeError when the quotient rounds to 2^63, where Go's int64 conversion is undefined (needs m < 1024;
 * unreachable from requiredSpace, which uses m = 1MiB).
 */
export function roundUp(n: bigint, m: bigint): bigint {
  const partitions = Math.ceil(Number(n) / Number(m));
  const p = float64ToInt64(partitions);
  if (p === undefined) throw new RangeError(`roundUp(${n}, ${m}): quotient out of int64 range`);
  return BigInt.asIntN(64, p * m);
}

// What strconv.ParseFloat accepts in the plain decimal form CDI Percent values use (no hex, inf or nan).
const decimalFloat = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Mirrors GetRequiredSpace (pkg/util/util.go; pkg/controller/common/util.go up to v1.62) as called from
 * InflateSizeWithOverhead: `alignedSize = RoundUp(requested, 1MiB)`, then
 * multiply (>= v1.63): `int64(math.Ceil(float64(alignedSize) * (1 + overhead)))`,
 * divide (<= v1.62): `int64(math.Ceil(float64(alignedSize) / (1 - overhead)))`, overhead = ParseFloat(s, 64).
 *
 * Returns an error where CDI's result is not a usable size: overhead "1" with the divide formula (Go divides
 * by zero, gets +Inf and converts it to an implementation-defined int64), results of 2^63 or more
 * (implementation-defined), and requests within 1MiB of 2^63, whose aligned size wraps to MinInt64 so CDI
 * would render a negative quantity. Go ignores ParseFloat's error (and would use 0); an overhead that is not a
 * decimal number is reported instead.
 */
export function requiredSpace(bytes: bigint, overhead: string, formula: 'divide' | 'multiply'): SizeResult {
  if (bytes < 0n || bytes > int64Max) {
    return { ok: false, error: { kind: 'out-of-range', message: `request ${bytes} is negative or outside int64, which CDI's arithmetic uses` } };
  }
  if (!decimalFloat.test(overhead)) {
    return { ok: false, error: { kind: 'invalid-overhead', message: `overhead ${JSON.stringify(overhead)} is not a number (CDI would silently use 0)` } };
  }
  const o = Number(overhead);
  const aligned = roundUp(bytes, alignBlockSize);
  if (aligned < 0n) {
    return {
      ok: false,
      error: {
        kind: 'overflow',
        message: `request ${bytes} rounds up to 2^63, which wraps in int64: CDI would compute from ${int64Min} and produce a negative size`,
      },
    };
  }
  const a = Number(aligned); // exact: a multiple of 2^20 below 2^63 has at most 43 significant bits
  if (formula === 'divide' && 1 - o === 0) {
    return { ok: false, error: { kind: 'division-by-zero', message: `overhead ${overhead} with the divide formula (CDI <= v1.62) divides by zero` } };
  }
  const space = formula === 'multiply' ? Math.ceil(a * (1 + o)) : Math.ceil(a / (1 - o));
  const result = float64ToInt64(space);
  if (result === undefined || result < 0n) {
    return { ok: false, error: { kind: 'overflow', message: `request ${bytes} with overhead ${overhead} exceeds int64 (CDI's result is undefined)` } };
  }
  return { ok: true, bytes: result };
}

/** Mirrors GetEffectiveVolumeSize (pkg/controller/common/util.go, v1.64.0–v1.66.0; inline in renderPvcSpecVolumeSize in v1.63.0–v1.63.1, absent in v1.62.0): the larger of the size and the StorageProfile minimum. */
export function effectiveVolumeSize(bytes: bigint, minimumSupportedPvcSizeBytes: bigint | undefined): { bytes: bigint; minimumApplied: boolean } {
  if (minimumSupportedPvcSizeBytes !== undefined && minimumSupportedPvcSizeBytes > bytes) {
    return { bytes: minimumSupportedPvcSizeBytes, minimumApplied: true };
  }
  return { bytes, minimumApplied: false };
}
