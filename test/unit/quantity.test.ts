// Cases marked "upstream" are copied from k8s.io/apimachinery/pkg/api/resource/quantity_test.go
// (TestQuantityParse, TestQuantityString, TestQuantityParseEmit, TestNewSet, TestParseQuantity).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  canonicalQuantity,
  formatBytes,
  groupDigits,
  humanBytes,
  parseQuantity,
  type Quantity,
  type QuantityFormat,
} from '../../core/quantity.js';

const MAX_INT64 = 2n ** 63n - 1n;

function parse(text: string): Quantity {
  const r = parseQuantity(text);
  if (!r.ok) assert.fail(`${text}: unexpected error: ${r.error}`);
  return r.quantity;
}

/** Whether q's exact value is mantissa × 10^exponent, whatever scale q keeps it at. */
function hasValue(q: Quantity, mantissa: bigint, exponent: number): boolean {
  const e = Math.min(q.exponent, exponent);
  return q.mantissa * 10n ** BigInt(q.exponent - e) === mantissa * 10n ** BigInt(exponent - e);
}

// [input, canonical String(), Value() bytes, format, exact]
const table: [string, string, bigint, QuantityFormat, boolean][] = [
  ['0', '0', 0n, 'DecimalSI', true],
  ['-0', '0', 0n, 'DecimalSI', true],
  ['0Ki', '0', 0n, 'BinarySI', true],
  ['0.000', '0', 0n, 'DecimalSI', true],
  ['1', '1', 1n, 'DecimalSI', true],
  ['1Ki', '1Ki', 1024n, 'BinarySI', true],
  ['-1Ki', '-1Ki', -1024n, 'BinarySI', true],
  ['1024Mi', '1Gi', 1073741824n, 'BinarySI', true],
  ['1.5Gi', '1536Mi', 1610612736n, 'BinarySI', true],
  ['0.5Gi', '512Mi', 536870912n, 'BinarySI', true],
  ['0.5Ki', '512', 512n, 'BinarySI', true],
  ['1000Mi', '1000Mi', 1048576000n, 'BinarySI', true],
  ['1025Mi', '1025Mi', 1074790400n, 'BinarySI', true],
  ['20Gi', '20Gi', 21474836480n, 'BinarySI', true],
  ['1.1Gi', '1181116006400m', 1181116007n, 'BinarySI', false],
  ['1000M', '1G', 1000000000n, 'DecimalSI', true],
  ['22229812', '22229812', 22229812n, 'DecimalSI', true],
  ['1073741824', '1073741824', 1073741824n, 'DecimalSI', true],
  ['1e3', '1e3', 1000n, 'DecimalExponent', true],
  ['1e5', '100e3', 100000n, 'DecimalExponent', true],
  ['1.5e3', '1500', 1500n, 'DecimalExponent', true],
  ['1e-3', '1e-3', 1n, 'DecimalExponent', false],
  ['1500m', '1500m', 2n, 'DecimalSI', false],
  ['1000m', '1', 1n, 'DecimalSI', true],
  ['500m', '500m', 1n, 'DecimalSI', false],
  ['0.1', '100m', 1n, 'DecimalSI', false],
  ['1.5', '1500m', 2n, 'DecimalSI', false],
  ['-1.5', '-1500m', -2n, 'DecimalSI', false],
  ['-500m', '-500m', -1n, 'DecimalSI', false],
  ['1.5k', '1500', 1500n, 'DecimalSI', true],
  ['2.5P', '2500T', 2500000000000000n, 'DecimalSI', true],
  ['1E', '1E', 10n ** 18n, 'DecimalSI', true],
  ['12E', '12E', 12n * 10n ** 18n, 'DecimalSI', true],
  ['1000E', '1e21', 10n ** 21n, 'DecimalSI', true],
  ['3Ei', '3Ei', 3n * 2n ** 60n, 'BinarySI', true],
  ['7Ei', '7Ei', 7n * 2n ** 60n, 'BinarySI', true],
  ['8Ei', '9223372036854775807', MAX_INT64, 'BinarySI', true],
  ['9223372036854775807Ki', '9223372036854775807', MAX_INT64, 'BinarySI', true],
  ['18446744073709551616', '18446744073709551616', 2n ** 64n, 'DecimalSI', true],
  ['1e30', '1e30', 10n ** 30n, 'DecimalExponent', true],
  ['1e-1000', '1e-9', 1n, 'DecimalExponent', false],
  ['.001Ki', '1024m', 2n, 'BinarySI', false],
  ['0.000000000001Ki', '2n', 1n, 'DecimalSI', false],
  ['100.035Ki', '102435840m', 102436n, 'BinarySI', false],
  ['0.9n', '1n', 1n, 'DecimalSI', false],
  [' 20Gi\t', '20Gi', 21474836480n, 'BinarySI', true],
  // Kept verbatim by upstream's fast path (kubernetes#138165): not canonical, but what Kubernetes prints.
  ['+1', '+1', 1n, 'DecimalSI', true],
  ['01', '01', 1n, 'DecimalSI', true],
  ['1E6', '1E6', 1000000n, 'DecimalExponent', true],
  ['1.001', '1.001', 2n, 'DecimalSI', false],
  ['12.345k', '12.345k', 12345n, 'DecimalSI', true],
  ['+1Ki', '+1Ki', 1024n, 'BinarySI', true],
  ['1.', '1.', 1n, 'DecimalSI', true],
];

test('parse table: canonical string, bytes, format, exactness', () => {
  assert.ok(table.length >= 40);
  for (const [input, canonical, bytes, format, exact] of table) {
    const q = parse(input);
    assert.equal(canonicalQuantity(q), canonical, `${input}: canonical`);
    assert.equal(q.bytes, bytes, `${input}: bytes`);
    assert.equal(q.format, format, `${input}: format`);
    assert.equal(q.exact, exact, `${input}: exact`);
    assert.equal(q.text, input.trim(), `${input}: text`);
  }
});

test('a BinarySI value past 2^63-1 is capped, and says so', () => {
  assert.equal(parse('9Ei').capped, true);
  assert.equal(parse('-9Ei').bytes, -MAX_INT64);
  assert.equal(parse('7Ei').capped, false);
  assert.equal(parse('10E').capped, false, 'DecimalSI is not capped');
  assert.equal(parse('10E').bytes, 10n ** 19n);
});

// upstream TestQuantityParse: [input, mantissa, exponent, format]
const upstreamValues: [string, bigint, number, QuantityFormat][] = [
  ['0', 0n, 0, 'DecimalSI'], ['0n', 0n, 0, 'DecimalSI'], ['0m', 0n, 0, 'DecimalSI'], ['0Mi', 0n, 0, 'BinarySI'],
  ['0T', 0n, 0, 'DecimalSI'], ['8Ki', 8192n, 0, 'BinarySI'], ['7Mi', 7n * 1024n ** 2n, 0, 'BinarySI'],
  ['6Gi', 6n * 1024n ** 3n, 0, 'BinarySI'], ['5Ti', 5n * 1024n ** 4n, 0, 'BinarySI'],
  ['4Pi', 4n * 1024n ** 5n, 0, 'BinarySI'], ['100Ti', 100n * 1024n ** 4n, 0, 'BinarySI'],
  ['5n', 5n, -9, 'DecimalSI'], ['4u', 4n, -6, 'DecimalSI'], ['3m', 3n, -3, 'DecimalSI'], ['8k', 8n, 3, 'DecimalSI'],
  ['50k', 5n, 4, 'DecimalSI'], ['7M', 7n, 6, 'DecimalSI'], ['6G', 6n, 9, 'DecimalSI'], ['5T', 5n, 12, 'DecimalSI'],
  ['40T', 4n, 13, 'DecimalSI'], ['300T', 3n, 14, 'DecimalSI'], ['2P', 2n, 15, 'DecimalSI'],
  ['1E-3', 1n, -3, 'DecimalExponent'], ['1E6', 1n, 6, 'DecimalExponent'], ['1E18', 1n, 18, 'DecimalExponent'],
  ['100.035k', 100035n, 0, 'DecimalSI'], ['0.0005k', 5n, -1, 'DecimalSI'], ['0.00050k', 5n, -1, 'DecimalSI'],
  ['0.5e-2', 5n, -3, 'DecimalExponent'], ['10.035M', 10035n, 3, 'DecimalSI'], ['1.3E+6', 13n, 5, 'DecimalExponent'],
  ['1.53E12', 153n, 10, 'DecimalExponent'], ['1.7E18', 17n, 17, 'DecimalExponent'], ['9.01', 901n, -2, 'DecimalSI'],
  ['7.123456M', 7123456n, 0, 'DecimalSI'], ['6.987654321G', 6987654321n, 0, 'DecimalSI'],
  ['1.01E', 101n, 16, 'DecimalSI'], ['3.001n', 4n, -9, 'DecimalSI'], ['1.1E-9', 2n, -9, 'DecimalExponent'],
  ['0.0000000001', 1n, -9, 'DecimalSI'], ['0.5e-9', 1n, -9, 'DecimalExponent'],
  ['0.00000012345', 124n, -9, 'DecimalSI'], ['0.00000012354', 124n, -9, 'DecimalSI'],
  ['0.05Gi', 536870912n, -1, 'BinarySI'], ['0.025Ti', 274877906944n, -1, 'BinarySI'],
  ['.0001k', 100n, -3, 'DecimalSI'], ['1.G', 1n, 9, 'DecimalSI'],
];

test('upstream TestQuantityParse values, also negated and with an explicit +', () => {
  for (const [input, mantissa, exponent, format] of upstreamValues) {
    for (const [prefix, sign] of [['', 1n], ['-', -1n], ['+', 1n]] as const) {
      const q = parse(prefix + input);
      assert.ok(hasValue(q, sign * mantissa, exponent), `${prefix}${input}: got ${q.mantissa}e${q.exponent}`);
      assert.equal(q.format, format, `${prefix}${input}: format`);
    }
  }
});

test('upstream TestQuantityString alternates and TestQuantityParseEmit', () => {
  const cases: [string, string][] = [
    ['1024Mi', '1Gi'], ['307200Ki', '300Mi'], ['1025024Mi', '1001Gi'], ['1024Gi', '1Ti'], ['5000m', '5'],
    ['0.5', '500m'], ['0.001T', '1G'], ['1000u', '1m'], ['1.08', '1080m'], ['1080000000n', '1080m'],
    ['5000E', '5e21'], ['1000000E', '1e24'], ['.001e12', '1e9'], ['0.001e0', '1e-3'], ['1000e-12', '1e-9'],
    ['00', '0'], ['1Mi', '1Mi'], ['.000001Ki', '1024u'], ['.000000001Ki', '1024n'], ['.000000000001Ki', '2n'],
    ['80e-3', '80e-3'], ['300e6', '300e6'], ['1234567M', '1234567M'], ['1025', '1025'],
  ];
  for (const [input, expected] of cases) {
    assert.equal(canonicalQuantity(parse(input)), expected, input);
    if (expected !== '0') assert.equal(canonicalQuantity(parse(`-${input}`)), `-${expected}`, `-${input}`);
  }
});

test('upstream TestParseQuantity: around 10^18 and 2^63', () => {
  const cases: [string, string][] = [
    ['999999999999999999.1', '999999999999999999100m'], ['1000000000000000000', '1E'], ['1.0E', '1E'],
    ['9999999999999999999000m', '9999999999999999999'], ['10.0000000000000000001E', '10000000000000000000100m'],
    ['10.000000000000000001E', '10000000000000000001'], ['10000000000000000000', '10E'],
    ['9223372036854775807', '9223372036854775807'], ['9223372036854775808.0', '9223372036854775808'],
    ['9223372036854775807.1', '9223372036854775807100m'], ['-9223372036854775808000m', '-9223372036854775808'],
    ['-999999999999999999', '-999999999999999999'],
  ];
  for (const [input, expected] of cases) {
    for (const [i, e] of [[input, expected], [`-${input}`.replace('--', ''), `-${expected}`.replace('--', '')]]) {
      assert.equal(canonicalQuantity(parse(i ?? '')), e, i);
    }
  }
  assert.equal(parse('9223372036854775807.1').bytes, 2n ** 63n, 'Value() rounds up past int64, exactly');
  assert.equal(parse('1.000000000000000001E').bytes, 10n ** 18n + 1n);
});

test('formatBytes matches NewQuantity(bytes, format).String() (upstream TestNewSet)', () => {
  assert.equal(formatBytes(20971520n, 'BinarySI'), '20Mi');
  assert.equal(formatBytes(20971520n), '20Mi', 'BinarySI by default');
  assert.equal(formatBytes(22229812n, 'BinarySI'), '22229812');
  assert.equal(formatBytes(1000000000n, 'DecimalSI'), '1G');
  assert.equal(formatBytes(1n, 'DecimalSI'), '1');
  assert.equal(formatBytes(1000n, 'DecimalSI'), '1k');
  assert.equal(formatBytes(1234000n, 'DecimalSI'), '1234k');
  assert.equal(formatBytes(1024n, 'BinarySI'), '1Ki');
  assert.equal(formatBytes(1024n * 1024n, 'BinarySI'), '1Mi');
  assert.equal(formatBytes(1000000n, 'DecimalExponent'), '1e6');
  assert.equal(formatBytes(1000n, 'BinarySI'), '1k', 'under 1024, BinarySI prints as DecimalSI');
  assert.equal(formatBytes(2000n, 'BinarySI'), '2000');
  assert.equal(formatBytes(0n), '0');
  assert.equal(formatBytes(-2048n), '-2Ki');
  assert.equal(formatBytes(2n ** 70n), '1024Ei', 'no suffix past Ei: keep the value right');
  assert.equal(formatBytes(10n ** 21n, 'DecimalSI'), '1e21');
});

test('invalid inputs name the mistake', () => {
  const cases: [string, string][] = [
    ['', 'it is empty'],
    ['   ', 'it is empty'],
    ['Mi', 'no number before the suffix "Mi"'],
    ['.', 'no digits'],
    ['-', 'no digits'],
    ['1.2.3', 'more than one decimal point'],
    ['1.1.M', 'more than one decimal point'],
    ['20MB', 'unknown suffix "MB" (use Mi or M)'],
    ['1GiB', 'unknown suffix "GiB" (use Gi or G)'],
    ['10K', 'unknown suffix "K" (use Ki or k)'],
    ['0.1mi', 'unknown suffix "mi" (use Mi or M)'],
    ['5gi', 'unknown suffix "gi" (use Gi or G)'],
    ['512B', 'plain numbers are bytes'],
    ['0.1am', 'unknown suffix "am" (use Ki Mi Gi'],
    ['1i', 'unknown suffix "i"'],
    ['-3.01i', 'unknown suffix "i"'],
    ['1 Gi', 'whitespace (write "1Gi")'],
    ['--1', 'more than one sign'],
    ['+-1', 'more than one sign'],
    ['1e', 'the exponent "e" has no digits'],
    ['-3.01e-', 'the exponent "e-" has no digits'],
    ['1e1001', 'out of range'],
    ['1e99999999999', 'out of range'],
    ['1Ki1', 'unexpected "1" after "1Ki"'],
    ['1+1.0M', 'unexpected "+" after "1"'],
    ['0x10', 'hexadecimal'],
    ['1,000', 'without separators'],
    ['aoeu', 'does not start with a number'],
  ];
  for (const [input, fragment] of cases) {
    const r = parseQuantity(input);
    assert.equal(r.ok, false, `${input} parsed`);
    if (!r.ok) {
      assert.ok(r.error.includes(fragment), `${input}: ${r.error}`);
      assert.ok(r.error.startsWith(`${JSON.stringify(input.trim())} is not a valid quantity: `), r.error);
    }
  }
  const r = parseQuantity('20MB');
  assert.deepEqual(r, { ok: false, error: '"20MB" is not a valid quantity: unknown suffix "MB" (use Mi or M)' });
});

test('long junk is rejected quickly, with the message cut short', () => {
  const junk = `${'9'.repeat(1_000_000)}Gi`;
  const started = performance.now();
  const r = parseQuantity(junk);
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.match(r.error, /longer than 100 characters/);
    assert.ok(r.error.length < 120, r.error);
  }
  // Not a benchmark: a generous bound that only a non-linear scan would miss.
  assert.ok(performance.now() - started < 1000);
  assert.equal(parseQuantity(`${'9'.repeat(94)}e-1000`).ok, true, 'the longest inputs stay cheap');
  assert.equal(parseQuantity('9'.repeat(101)).ok, false);
});

test('YAML numbers passed through String() parse', () => {
  assert.equal(parse(String(1073741824)).bytes, 1073741824n);
  assert.equal(canonicalQuantity(parse(String(1073741824))), '1073741824');
  assert.equal(parse(String(1e21)).bytes, 10n ** 21n); // "1e+21"
  assert.equal(parse(String(0.5)).bytes, 1n);
});

test('humanBytes', () => {
  assert.equal(humanBytes(512n), '512 B');
  assert.equal(humanBytes(0n), '0 B');
  assert.equal(humanBytes(1023n), '1023 B');
  assert.equal(humanBytes(1024n), '1 KiB');
  assert.equal(humanBytes(1536n), '1.5 KiB');
  assert.equal(humanBytes(20971520n), '20 MiB');
  assert.equal(humanBytes(22229812n), '21.2 MiB');
  assert.equal(humanBytes(1048575n), '1 MiB', 'rounding up to 1024 KiB moves to the next unit');
  assert.equal(humanBytes(21474836480n), '20 GiB');
  assert.equal(humanBytes(MAX_INT64), '8 EiB');
  assert.equal(humanBytes(2n ** 70n), '1024 EiB');
  assert.equal(humanBytes(-1536n), '-1.5 KiB');
});

test('groupDigits', () => {
  assert.equal(groupDigits(22229812n), '22,229,812');
  assert.equal(groupDigits(0n), '0');
  assert.equal(groupDigits(999n), '999');
  assert.equal(groupDigits(1000n), '1,000');
  assert.equal(groupDigits(-1234567n), '-1,234,567');
  assert.equal(groupDigits(2n ** 64n), '18,446,744,073,709,551,616');
});

test('recent quantities: a text parsed again gives the same frozen answer, and the table never mixes texts up', () => {
  // Random whole numbers with a suffix, asked in random order many times over (more distinct texts than the table
  // holds), checked against bytes worked out here.
  const suffixes: [string, bigint][] = [['', 1n], ['k', 1000n], ['M', 10n ** 6n], ['Ki', 1024n], ['Mi', 1024n ** 2n], ['Gi', 1024n ** 3n]];
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const texts: [string, bigint][] = [];
  for (let i = 0; i < 3000; i++) {
    const [s, m] = suffixes[Math.floor(rand() * suffixes.length)]!;
    const n = BigInt(Math.floor(rand() * 5000));
    texts.push([`${rand() < 0.1 ? ' ' : ''}${n}${s}`, n * m]);
  }
  for (let round = 0; round < 20000; round++) {
    const [text, bytes] = texts[Math.floor(rand() * texts.length)]!;
    const q = parseQuantity(text);
    assert.ok(q.ok, text);
    assert.equal(q.quantity.bytes, bytes, text);
    assert.equal(q.quantity.text, text.trim());
  }
  const once = parseQuantity('10Gi');
  assert.equal(parseQuantity('10Gi'), once, 'the same answer object');
  assert.ok(Object.isFrozen(once) && once.ok && Object.isFrozen(once.quantity));
  assert.throws(() => {
    (once as { ok: true; quantity: Quantity }).quantity.bytes = 0n;
  }, TypeError);
  // Long texts are not kept (a slice would keep its whole file alive) and still parse.
  const long = parseQuantity('  1234567890123Mi ');
  assert.ok(long.ok && long.quantity.bytes === 1234567890123n * 1024n ** 2n);
  assert.notEqual(parseQuantity('  1234567890123Mi '), long);
});
