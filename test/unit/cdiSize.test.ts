import { test } from 'node:test';
import assert from 'node:assert/strict';
import { effectiveVolumeSize, requiredSpace, roundUp } from '../../core/cdi/size.js';

const Mi = 1024n * 1024n;
const Gi = 1024n * Mi;
const Ti = 1024n * Gi;
const Ei = 1024n * 1024n * Ti;

type Formula = 'divide' | 'multiply';

function bytes(n: bigint, overhead: string, formula: Formula): bigint {
  const r = requiredSpace(n, overhead, formula);
  assert.ok(r.ok, `requiredSpace(${n}, ${overhead}, ${formula}) failed: ${r.ok ? '' : r.error.message}`);
  return r.bytes;
}

// Exact rational arithmetic, independent of floats: ceil(aligned * (1 + p/q)) or ceil(aligned / (1 - p/q)).
function exact(n: bigint, p: bigint, q: bigint, formula: Formula): bigint {
  const aligned = ((n + Mi - 1n) / Mi) * Mi;
  const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;
  return formula === 'multiply' ? ceilDiv(aligned * (q + p), q) : ceilDiv(aligned * q, q - p);
}

// The upstream table, per CDI version: [name, request, v1.62 divide/0.055, v1.63 multiply/0.055, v1.64+ multiply/0.06].
// Below 2^53 float64 and exact rational arithmetic agree for all of these (checked against `exact` below).
const table: [string, bigint, bigint, bigint, bigint][] = [
  ['1 byte (aligned up to 1Mi)', 1n, 1109605n, 1106248n, 1111491n],
  ['1Mi', Mi, 1109605n, 1106248n, 1111491n],
  ['1Mi+1 (aligned up to 2Mi)', Mi + 1n, 2219209n, 2212496n, 2222982n],
  ['10Mi (KubeVirt backend-storage PVC)', 10n * Mi, 11096043n, 11062477n, 11114906n],
  ['20Mi (Trident restore case)', 20n * Mi, 22192085n, 22124954n, 22229812n],
  ['1000000000 (aligned to 954Mi)', 1000000000n, 1058562439n, 1055360287n, 1060361995n],
  ['100Gi', 100n * Gi, 113623473440n, 113279762432n, 113816633344n],
  ['1Ti', Ti, 1163504368017n, 1159984767304n, 1165482325443n],
];

for (const [name, n, v162, v163, v164] of table) {
  test(`requiredSpace ${name}: v1.62 divide/0.055, v1.63 multiply/0.055, v1.64 multiply/0.06`, () => {
    assert.equal(bytes(n, '0.055', 'divide'), v162);
    assert.equal(bytes(n, '0.055', 'multiply'), v163);
    assert.equal(bytes(n, '0.06', 'multiply'), v164);
    assert.equal(v162, exact(n, 55n, 1000n, 'divide'));
    assert.equal(v163, exact(n, 55n, 1000n, 'multiply'));
    assert.equal(v164, exact(n, 6n, 100n, 'multiply'));
  });
}

test('20Mi with 0.055 divide, by hand: 20971520 / 0.945 = 22192084.656… → 22192085', () => {
  // 0.055 and 1 - 0.055 are not exact binary fractions, but the quotient is 0.34 away from an integer,
  // far beyond float64's error (~4e-9 at this magnitude), so ceil is 22192085 either way.
  assert.equal(bytes(20n * Mi, '0.055', 'divide'), 22192085n);
  assert.equal(20971520n * 1000n / 945n, 22192084n); // floor of the exact quotient
});

test('the facts.md examples: 20Mi → 22229812 and 10Mi → 11114906 with 0.06 (not 22229813 as the pvc-shrink-ray README says)', () => {
  assert.equal(bytes(20971520n, '0.06', 'multiply'), 22229812n);
  assert.equal(bytes(10485760n, '0.06', 'multiply'), 11114906n);
});

test('above 2^53 float64 rounding decides, as in Go: results differ from exact arithmetic', () => {
  // aligned sizes are exact (≤ 43 significant bits); the product is rounded to float64 before math.Ceil.
  assert.equal(bytes(5n * Ei, '0.06', 'multiply'), 6110483974416289792n);
  assert.equal(exact(5n * Ei, 6n, 100n, 'multiply'), 6110483974416288973n);
  assert.equal(bytes(7n * Ei, '0.06', 'multiply'), 8554677564182804480n);
  assert.equal(exact(7n * Ei, 6n, 100n, 'multiply'), 8554677564182804562n); // float result is smaller here
  assert.equal(bytes(5n * Ei, '0.055', 'divide'), 6100113780988608512n);
  assert.equal(bytes(7n * Ei, '0.055', 'multiply'), 8514325311521564672n);
});

test('float64(int64) rounds to nearest even in JS as in Go (matters to RoundUp above 2^53)', () => {
  assert.equal(Number(2n ** 53n + 1n), 2 ** 53);
  assert.equal(Number(2n ** 53n + 3n), 2 ** 53 + 4);
  // Near 2^62 a float64 step is 1024 bytes: a request just past a MiB boundary is rounded back onto it
  // before RoundUp sees it, so CDI does not add the extra MiB that exact arithmetic would.
  assert.equal(roundUp(7n * Ei + 1n, Mi), 7n * Ei);
  assert.equal(roundUp(4n * Ei + 512n, Mi), 4n * Ei); // tie → even (2^62)
  assert.equal(roundUp(4n * Ei + 513n, Mi), 4n * Ei + Mi);
  assert.equal(bytes(7n * Ei + 1n, '0.06', 'multiply'), bytes(7n * Ei, '0.06', 'multiply'));
});

test('roundUp: small values behave like integer ceil to a multiple', () => {
  assert.equal(roundUp(0n, Mi), 0n);
  assert.equal(roundUp(1n, Mi), Mi);
  assert.equal(roundUp(Mi, Mi), Mi);
  assert.equal(roundUp(Mi + 1n, Mi), 2n * Mi);
  assert.equal(roundUp(10n, 3n), 12n);
});

test('8Ei region: the largest 0.06 request that fits int64, and the first that does not', () => {
  const lastOk = 8298200964347n * Mi; // 8701294374391119872
  assert.equal(bytes(lastOk, '0.06', 'multiply'), 9223372036854587392n);
  const next = requiredSpace(lastOk + Mi, '0.06', 'multiply');
  assert.ok(!next.ok);
  assert.equal(next.error.kind, 'overflow');
  for (const n of [8n * Ei - Mi, 8n * Ei - 1n]) {
    const r = requiredSpace(n, '0.06', 'multiply');
    assert.ok(!r.ok && r.error.kind === 'overflow', `${n}`);
  }
});

test('8Ei region with overhead 0: 8Ei-1Mi fits, 8Ei-512 wraps (aligned to 2^63 = MinInt64 in Go)', () => {
  assert.equal(bytes(8n * Ei - Mi, '0', 'multiply'), 8n * Ei - Mi);
  assert.equal(bytes(8n * Ei - Mi + 1n, '0', 'multiply'), 8n * Ei - Mi); // +1 is lost in float64(n)
  const wrapped = requiredSpace(8n * Ei - 512n, '0', 'multiply');
  assert.ok(!wrapped.ok);
  assert.equal(wrapped.error.kind, 'overflow');
  assert.match(wrapped.error.message, /-9223372036854775808/);
  const max = requiredSpace(8n * Ei - 1n, '0', 'divide');
  assert.ok(!max.ok && max.error.kind === 'overflow');
});

test('overhead "0" only aligns to 1MiB; "1" doubles with multiply and divides by zero with divide', () => {
  assert.equal(bytes(1000000000n, '0', 'multiply'), 1000341504n);
  assert.equal(bytes(1000000000n, '0', 'divide'), 1000341504n);
  assert.equal(bytes(20n * Mi, '1', 'multiply'), 40n * Mi);
  const r = requiredSpace(20n * Mi, '1', 'divide');
  assert.ok(!r.ok);
  assert.equal(r.error.kind, 'division-by-zero');
});

test('requests outside int64 and overheads that are not numbers are errors, not numbers', () => {
  for (const n of [-1n, 1n << 63n]) {
    const r = requiredSpace(n, '0.06', 'multiply');
    assert.ok(!r.ok && r.error.kind === 'out-of-range', `${n}`);
  }
  const bad = requiredSpace(Mi, 'six percent', 'multiply');
  assert.ok(!bad.ok && bad.error.kind === 'invalid-overhead');
  // ParseFloat accepts ".06" even though CDI's Percent pattern does not: the arithmetic follows ParseFloat.
  assert.equal(bytes(Mi, '.06', 'multiply'), 1111491n);
});

test('effectiveVolumeSize: the larger of size and StorageProfile minimum', () => {
  assert.deepEqual(effectiveVolumeSize(11114906n, 4n * Gi), { bytes: 4n * Gi, minimumApplied: true });
  assert.deepEqual(effectiveVolumeSize(5n * Gi, 4n * Gi), { bytes: 5n * Gi, minimumApplied: false });
  assert.deepEqual(effectiveVolumeSize(4n * Gi, 4n * Gi), { bytes: 4n * Gi, minimumApplied: false });
  assert.deepEqual(effectiveVolumeSize(Gi, undefined), { bytes: Gi, minimumApplied: false });
});
