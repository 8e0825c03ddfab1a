/**
 * Kubernetes resource quantities, exact. Mirrors resource.ParseQuantity, Quantity.Value() and
 * Quantity.String() from k8s.io/apimachinery/pkg/api/resource (quantity.go, suffix.go, amount.go at
 * 357557a). BigInt throughout: a float cannot hold 8Ei, nor tell 1e18 from 1e18+1.
 *
 * Deliberate differences from upstream, all on input Kubernetes would take but no one means:
 * - Inputs with no digits ("Mi", ".", "-", "e5") are errors; upstream reads them as 0.
 * - Exponents beyond ±1000 are errors; upstream reads int64 and silently wraps at int32.
 * - Inputs over 100 characters are errors, so the work per value stays bounded.
 * - `bytes` is exact past 2^63-1, where upstream Value() overflows.
 */
import { pow10, renderCanonical, type QuantityFormat } from './quantityFormat.js';

export { formatBytes, groupDigits, humanBytes, type QuantityFormat } from './quantityFormat.js';

export interface Quantity {
  /**
   * Exact value: `mantissa × 10^exponent`, after the parser's own adjustments (values finer than
   * 1n round away from zero to a multiple of 10^-9; BinarySI is capped at 2^63-1).
   */
  mantissa: bigint;
  exponent: number;
  /** Bytes as Kubernetes' Quantity.Value() returns them: rounded up, away from zero ("500m" -> 1n, "-1.5" -> -2n). */
  bytes: bigint;
  /** True when the value is a whole number (no fractional part). */
  exact: boolean;
  format: QuantityFormat;
  /** True when a BinarySI value exceeded 2^63-1 and Kubernetes silently stores 2^63-1 instead ("9Ei"). */
  capped: boolean;
  /** The input text, trimmed. */
  text: string;
}

export type QuantityResult = { ok: true; quantity: Quantity } | { ok: false; error: string };

const MAX_LENGTH = 100;
const MAX_EXPONENT = 1000;
/** Parsed values keep nine decimal places, like upstream's inf.Dec rounding to Nano. */
const NANO = -9;
const MAX_INT64 = 2n ** 63n - 1n;

const DECIMAL_SUFFIXES = new Map<string, number>([
  ['n', -9], ['u', -6], ['m', -3], ['', 0], ['k', 3], ['M', 6], ['G', 9], ['T', 12], ['P', 15], ['E', 18],
]);
const BINARY_SUFFIXES = new Map<string, number>([
  ['Ki', 10], ['Mi', 20], ['Gi', 30], ['Ti', 40], ['Pi', 50], ['Ei', 60],
]);
const DECIMAL_BY_LETTER = new Map([['k', 'k'], ['m', 'M'], ['g', 'G'], ['t', 'T'], ['p', 'P'], ['e', 'E']]);
const SUFFIX_LIST = 'use Ki Mi Gi Ti Pi Ei, n u m k M G T P E, or an exponent such as e6';

type Suffix =
  | { kind: 'binary'; power: number }
  | { kind: 'decimal'; power: number; format: 'DecimalSI' | 'DecimalExponent' };

interface Scanned {
  /** Digits before and after the decimal point, as written. */
  whole: string;
  fraction: string;
  negative: boolean;
  suffix: Suffix;
}

type Scan = { ok: true; scanned: Scanned } | { ok: false; why: string };

/**
 * Parses with the grammar of resource.ParseQuantity: sign, digits, optional fraction, then a suffix
 * (Ki Mi Gi Ti Pi Ei | n u m "" k M G T P E | e/E exponent). Surrounding whitespace is ignored, as
 * the API server's JSON decoding trims it. YAML numbers work too: pass `String(value)`.
 * Never throws: problems come back as `{ ok: false, error }` with a message naming the mistake.
 */
export function parseQuantity(text: string): QuantityResult {
  if (text.length > RECENT_LENGTH) return parseFresh(text);
  const known = recent.get(text);
  if (known) return known;
  const result = parseFresh(text);
  // Shared between callers from now on: frozen, so that none can change what another reads.
  if (result.ok) Object.freeze(result.quantity);
  if (recent.size >= RECENT_MAX) recent.clear();
  recent.set(text, Object.freeze(result));
  return result;
}

/**
 * Results of recent texts: a manifest repeats its sizes ("10Gi"). A cold analysis of the bench bundle parses
 * 12,500 quantities, 22 distinct texts, each with BigInt arithmetic (7 MiB allocated). Bounded, and cleared when
 * full (no order to keep).
 */
const recent = new Map<string, QuantityResult>();
const RECENT_MAX = 1024;
/**
 * Only texts this short are kept: V8 copies a substring under 13 characters, and slices a longer one, which would
 * keep the whole text it was read from (a file) alive for as long as the table holds it.
 */
const RECENT_LENGTH = 12;

function parseFresh(text: string): QuantityResult {
  const trimmed = text.trim();
  const scan = scanQuantity(trimmed);
  if (!scan.ok) return { ok: false, error: `${quote(trimmed)} is not a valid quantity: ${scan.why}` };
  const { whole, fraction, negative, suffix } = scan.scanned;

  let magnitude = BigInt(whole + fraction);
  let exponent = fraction.length === 0 ? 0 : -fraction.length;
  let format: QuantityFormat;
  if (suffix.kind === 'binary') {
    magnitude <<= BigInt(suffix.power);
    format = 'BinarySI';
  } else {
    exponent += suffix.power;
    format = suffix.format;
  }
  // Upstream rounds up rather than to nearest so that asking for a tiny amount never yields zero.
  if (exponent < NANO) {
    magnitude = divideRoundingUp(magnitude, pow10(NANO - exponent));
    exponent = NANO;
  }
  let capped = false;
  if (format === 'BinarySI') {
    // Binary suffixes add no decimal exponent, so exponent <= 0 here and `one` is the value 1.
    const one = pow10(-exponent);
    if (magnitude > MAX_INT64 * one) {
      magnitude = MAX_INT64;
      exponent = 0;
      capped = true;
    } else if (magnitude !== 0n && magnitude < one) {
      format = 'DecimalSI'; // upstream: a binary value below 1 is shown in decimal to avoid rounding
    }
  }

  const unit = exponent < 0 ? pow10(-exponent) : 1n;
  const rounded = exponent >= 0 ? magnitude * pow10(exponent) : divideRoundingUp(magnitude, unit);
  return {
    ok: true,
    quantity: {
      mantissa: negative ? -magnitude : magnitude,
      exponent,
      bytes: negative ? -rounded : rounded,
      exact: magnitude % unit === 0n,
      format,
      capped,
      text: trimmed,
    },
  };
}

/** Whether `parseQuantity(text)` succeeds, without building the quantity (a check of every size field needs no more). */
export function isQuantity(text: string): boolean {
  return scanQuantity(text.trim()).ok;
}

/**
 * The string Kubernetes stores and prints for a parsed quantity (Quantity.String()): "1024Mi" -> "1Gi",
 * "1.5Gi" -> "1536Mi", "0.5Gi" -> "512Mi", "0.1" -> "100m", "1000E" -> "1e21".
 * Upstream's fast parser keeps the input verbatim when it looks canonical, and that check is loose
 * (kubernetes#138165): "+1", "1E6" and "1.001" print as typed. This reproduces that too.
 */
export function canonicalQuantity(q: Quantity): string {
  const scan = scanQuantity(q.text);
  if (scan.ok && keptVerbatim(scan.scanned)) return q.text;
  return renderCanonical(q.mantissa, q.exponent, q.format);
}

/**
 * The conditions under which ParseQuantity's int64 fast path caches the input string. The numbers are
 * upstream's own headroom estimates (18 digits fit an int64; a binary suffix costs ~3 digits per 2^10).
 */
function keptVerbatim({ whole, fraction, suffix }: Scanned): boolean {
  const num = whole.replace(/^0+/, '') || '0';
  if (suffix.kind === 'binary') {
    if (fraction !== '') return false;
    const precision = 15 - num.length - (suffix.power * 3) / 10 - 1;
    return precision >= 0 && (BigInt(num) & 7n) !== 0n;
  }
  const shifted = num + fraction;
  const scale = suffix.power - fraction.length;
  return shifted.length <= 18 && scale >= NANO && scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
}

function scanQuantity(text: string): Scan {
  if (text === '') return { ok: false, why: 'it is empty' };
  if (text.length > MAX_LENGTH) return { ok: false, why: `it is longer than ${MAX_LENGTH} characters` };
  if (/\s/.test(text)) {
    const joined = text.replace(/\s+/g, '');
    const hint = scanQuantity(joined).ok ? ` (write ${quote(joined)})` : '';
    return { ok: false, why: `it contains whitespace${hint}` };
  }
  const negative = text[0] === '-';
  let i = negative || text[0] === '+' ? 1 : 0;
  const numberStart = i;
  while (isDigit(text, i)) i++;
  const whole = text.slice(numberStart, i);
  let fraction = '';
  if (text[i] === '.') {
    const fractionStart = ++i;
    while (isDigit(text, i)) i++;
    fraction = text.slice(fractionStart, i);
  }
  if (whole === '' && fraction === '') return { ok: false, why: missingNumber(text.slice(numberStart)) };
  const rest = text.slice(i);
  const suffix = interpretSuffix(rest);
  if (suffix) return { ok: true, scanned: { whole, fraction, negative, suffix } };
  return { ok: false, why: suffixProblem(text.slice(0, i), rest, whole === '0' && fraction === '' && !text.includes('.')) };
}

function isDigit(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c >= 48 && c <= 57;
}

function interpretSuffix(rest: string): Suffix | undefined {
  const decimal = DECIMAL_SUFFIXES.get(rest);
  if (decimal !== undefined) return { kind: 'decimal', power: decimal, format: 'DecimalSI' };
  const binary = BINARY_SUFFIXES.get(rest);
  if (binary !== undefined) return { kind: 'binary', power: binary };
  const power = exponentOf(rest);
  return power === undefined ? undefined : { kind: 'decimal', power, format: 'DecimalExponent' };
}

/** The value of an "e6"/"E-3"/"e+06" suffix when it is in range. */
function exponentOf(rest: string): number | undefined {
  const match = /^[eE]([+-]?)(\d+)$/.exec(rest);
  if (!match) return undefined;
  const digits = (match[2] ?? '').replace(/^0+/, '');
  if (digits.length > 4) return undefined;
  const value = Number(digits || '0');
  if (value > MAX_EXPONENT) return undefined;
  return match[1] === '-' && value !== 0 ? -value : value;
}

function missingNumber(afterSign: string): string {
  if (/^[+-]/.test(afterSign)) return 'it has more than one sign';
  if (afterSign === '' || afterSign === '.') return 'it has no digits';
  const bare = afterSign.startsWith('.') ? afterSign.slice(1) : afterSign;
  if (interpretSuffix(bare)) return `there is no number before the suffix ${quote(bare)}`;
  return 'it does not start with a number (write e.g. "20Gi")';
}

/** Why `rest` is not a suffix, given the number `head` before it. */
function suffixProblem(head: string, rest: string, bareZero: boolean): string {
  if (rest.startsWith('.')) return 'it has more than one decimal point';
  if (/^[eE][+-]?$/.test(rest)) return `the exponent ${quote(rest)} has no digits`;
  if (/^[eE][+-]?\d+$/.test(rest)) return `the exponent ${quote(rest)} is out of range (at most ±${MAX_EXPONENT})`;
  if (/^[A-Za-z]+$/.test(rest)) return `unknown suffix ${quote(rest)} (${suggestSuffix(rest) ?? SUFFIX_LIST})`;
  const known = knownPrefixLength(rest);
  const bad = String.fromCodePoint(rest.codePointAt(known) ?? 0);
  if (bareZero && known === 0 && (bad === 'x' || bad === 'X')) return 'hexadecimal numbers are not allowed';
  const note = bad === ',' || bad === '_' ? ' (write digits without separators)' : '';
  return `unexpected ${quote(bad)} after ${quote(head + rest.slice(0, known))}${note}`;
}

/** Length of the longest valid suffix at the start of `rest` ("Ki1" -> 2), so errors point past it. */
function knownPrefixLength(rest: string): number {
  const exponent = /^[eE][+-]?\d+/.exec(rest);
  if (exponent) return exponent[0].length;
  for (const length of [2, 1]) {
    const head = rest.slice(0, length);
    if (head.length === length && (BINARY_SUFFIXES.has(head) || DECIMAL_SUFFIXES.has(head))) return length;
  }
  return 0;
}

/** The suffixes meant by the usual slips: SI byte units ("MB", "GiB"), wrong case ("gi", "K"), a bare "B" (none). */
function suffixSuggestions(suffix: string): string[] | undefined {
  const lower = suffix.toLowerCase();
  if (lower === 'b' || lower === 'byte' || lower === 'bytes') return [''];
  const stem = lower.replace(/i?b$/, '').replace(/i$/, '');
  const decimal = DECIMAL_BY_LETTER.get(stem);
  return decimal === undefined ? undefined : [`${decimal.toUpperCase()}i`, decimal];
}

/** A hint for the usual slips, worded from the same suggestions the quick fixes offer. */
function suggestSuffix(suffix: string): string | undefined {
  const s = suffixSuggestions(suffix);
  if (!s) return undefined;
  return s.length === 1 && s[0] === '' ? 'plain numbers are bytes: drop the suffix' : `use ${s.join(' or ')}`;
}

/**
 * The quantities an invalid one was probably meant to be, as its error message proposes them: "20MB" → ["20Mi",
 * "20M"], "1 Gi" → ["1Gi"], "20B" → ["20"]. Empty for valid input and for mistakes with no obvious reading.
 */
export function quantitySuggestions(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.length > MAX_LENGTH || parseQuantity(trimmed).ok) return [];
  if (/\s/.test(trimmed)) {
    const joined = trimmed.replace(/\s+/g, '');
    return parseQuantity(joined).ok ? [joined] : quantitySuggestions(joined);
  }
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))([A-Za-z]+)$/.exec(trimmed);
  const suffixes = m ? suffixSuggestions(m[2]!) : undefined;
  return (suffixes ?? []).map((x) => `${m![1]}${x}`).filter((t) => parseQuantity(t).ok);
}

/** Divides non-negative `n` by `d`, rounding any remainder up. */
function divideRoundingUp(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d === 0n ? q : q + 1n;
}

/** The input as shown in messages: JSON-quoted, long inputs cut short. */
function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
