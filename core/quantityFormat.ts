/**
 * Printing quantities: Kubernetes' canonical form and human forms for hovers and messages.
 *
 * Mirrors Quantity.CanonicalizeBytes in k8s.io/apimachinery/pkg/api/resource (quantity.go, amount.go,
 * suffix.go at 357557a, which includes kubernetes#140459: DecimalSI past "E" falls back to "e21"
 * instead of silently dropping the exponent). BigInt only: sizes past 2^53 must stay exact.
 */

export type QuantityFormat = 'BinarySI' | 'DecimalSI' | 'DecimalExponent';

const DECIMAL_SUFFIX_BY_EXPONENT = new Map<number, string>([
  [-9, 'n'], [-6, 'u'], [-3, 'm'], [0, ''], [3, 'k'], [6, 'M'], [9, 'G'], [12, 'T'], [15, 'P'], [18, 'E'],
]);
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'] as const;
const HUMAN_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'] as const;

/** 10^n for n >= 0. */
export function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

/**
 * The canonical text of `mantissa × 10^exponent` in `format`, as CanonicalizeBytes prints it.
 * Callers with a parsed quantity want `canonicalQuantity`, which also honours the parser's
 * habit of keeping some inputs verbatim.
 */
export function renderCanonical(mantissa: bigint, exponent: number, format: QuantityFormat): string {
  if (mantissa === 0n) return '0';
  const sign = mantissa < 0n ? '-' : '';
  const magnitude = mantissa < 0n ? -mantissa : mantissa;
  if (format === 'BinarySI') {
    const whole = wholeValue(magnitude, exponent);
    // Upstream prints BinarySI values inside (-1024, 1024), and fractional ones, as DecimalSI
    // so that nothing is rounded away: "0.5Ki" prints as "512", "1.5" as "1500m".
    if (whole !== undefined && whole >= 1024n) return sign + base1024(whole);
    return sign + base1000(magnitude, exponent, 'DecimalSI');
  }
  return sign + base1000(magnitude, exponent, format);
}

function wholeValue(magnitude: bigint, exponent: number): bigint | undefined {
  if (exponent >= 0) return magnitude * pow10(exponent);
  const unit = pow10(-exponent);
  return magnitude % unit === 0n ? magnitude / unit : undefined;
}

function base1024(whole: bigint): string {
  let n = whole;
  let k = 0;
  // Stop at Ei: upstream has no suffix past it (its BinarySI values are capped at 2^63-1, so it never
  // needs one); printing "1024Ei" keeps a larger value correct instead of losing the exponent.
  while (k < BINARY_SUFFIXES.length - 1 && n % 1024n === 0n) {
    n /= 1024n;
    k++;
  }
  return `${n}${BINARY_SUFFIXES[k] ?? ''}`;
}

function base1000(magnitude: bigint, exponent: number, format: 'DecimalSI' | 'DecimalExponent'): string {
  // Move trailing zeros into the exponent, then lower it to a multiple of 3 (1.5e4 -> 15e3).
  const raw = magnitude.toString();
  let digits = raw.replace(/0+$/, '');
  let e = exponent + (raw.length - digits.length);
  const pad = ((e % 3) + 3) % 3;
  digits += '0'.repeat(pad);
  e -= pad;
  if (format === 'DecimalSI') {
    const suffix = DECIMAL_SUFFIX_BY_EXPONENT.get(e);
    if (suffix !== undefined) return digits + suffix;
  }
  return e === 0 ? digits : `${digits}e${e}`;
}

/**
 * What `resource.NewQuantity(bytes, format).String()` prints: "20Mi", "1G", and "22229812" for a
 * BinarySI value that is not a multiple of 1024. Values under 1024 in BinarySI print as DecimalSI,
 * as upstream does: `formatBytes(1000n)` is "1k". Unlike NewQuantity (int64), any size is exact.
 */
export function formatBytes(bytes: bigint, format: QuantityFormat = 'BinarySI'): string {
  return renderCanonical(bytes, 0, format);
}

/**
 * A size for people: "512 B", "20 MiB", "21.2 MiB" (binary units, rounded half up to one decimal,
 * a trailing ".0" dropped). Not for round-tripping; pair it with `groupDigits` when exactness matters.
 */
export function humanBytes(bytes: bigint): string {
  const sign = bytes < 0n ? '-' : '';
  const n = bytes < 0n ? -bytes : bytes;
  if (n < 1024n) return `${sign}${n} B`;
  let unit = 1;
  while (unit < HUMAN_UNITS.length - 1 && n >= 1024n ** BigInt(unit + 1)) unit++;
  let tenths = roundedTenths(n, unit);
  // 1048575 bytes rounds to 1024.0 KiB: say "1 MiB" instead.
  if (tenths >= 10240n && unit < HUMAN_UNITS.length - 1) tenths = roundedTenths(n, ++unit);
  const fraction = tenths % 10n;
  return `${sign}${tenths / 10n}${fraction === 0n ? '' : `.${fraction}`} ${HUMAN_UNITS[unit] ?? ''}`;
}

function roundedTenths(n: bigint, unit: number): bigint {
  const divisor = 1024n ** BigInt(unit);
  return (n * 20n + divisor) / (2n * divisor);
}

/** "22,229,812": thousands separators, for messages that must show an exact byte count. */
export function groupDigits(bytes: bigint): string {
  const digits = (bytes < 0n ? -bytes : bytes).toString();
  const groups: string[] = [];
  for (let end = digits.length; end > 0; end -= 3) groups.unshift(digits.slice(Math.max(0, end - 3), end));
  return (bytes < 0n ? '-' : '') + groups.join(',');
}
