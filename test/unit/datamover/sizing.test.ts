// The controller's cases are those of migtools/kubevirt-datamover-controller
// internal/controller/kubevirt_datadownload_controller_test.go (TestCalculateScratchPVCSize,
// TestCalculateWorkPVCSize, TestCalculateOutputPVCSize; the stored version whose code matches 3fd10b9a), same
// index, same inputs; the expected bytes are written out (upstream computes them with addOverhead(…, 20)).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  addOverhead,
  defaultScratchBytes,
  designPvcSize,
  maxDiskSizeFromIndex,
  outputPvcSize,
  scratchPvcSize,
  workPvcSize,
  type SizingIndex,
} from '../../../core/datamover/sizing.js';

const Gi = 1024n ** 3n;
const Mi = 1024n ** 2n;

// The upstream test's VMIndex: cp-1 (disk-1 10Gi, disk-2 5Gi), cp-2 (disk-1 15Gi), cp-3 (disk-1, no pvcSizes).
const index: SizingIndex = {
  checkpoints: [
    { id: 'cp-1', files: [{ diskName: 'disk-1' }, { diskName: 'disk-2' }], pvcSizes: [10n * Gi, 5n * Gi] },
    { id: 'cp-2', files: [{ diskName: 'disk-1' }], pvcSizes: [15n * Gi] },
    { id: 'cp-3', files: [{ diskName: 'disk-1' }], pvcSizes: [] },
  ],
};
const files = (...sizes: bigint[]) => sizes.map((size) => ({ size }));

describe('controller: calculateScratchPVCSize', () => {
  const cases: { name: string; chain: string[]; files: bigint[]; target: bigint; want: bigint; basis: string }[] = [
    { name: 'sized from max PVCSizes across chain plus file sizes', chain: ['cp-1', 'cp-2'], files: [Gi, Gi], target: 0n, want: 21904333209n, basis: 'metadata' },
    { name: 'no matching checkpoints or files falls back to default', chain: ['cp-99'], files: [], target: 0n, want: defaultScratchBytes, basis: 'default' },
    { name: 'missing PVCSizes floored by target disk capacity before overhead', chain: ['cp-99'], files: [Gi], target: 20n * Gi, want: 27058293964n, basis: 'metadata' },
    { name: 'maxDiskSize zero with small file chain returns plain default', chain: ['cp-99'], files: [Gi], target: 0n, want: defaultScratchBytes, basis: 'default' },
    { name: 'maxDiskSize zero with large file chain doubles chain size instead of default', chain: ['cp-99'], files: [15n * Gi], target: 0n, want: 38654705664n, basis: 'doubled-chain' },
    { name: 'matched checkpoint with missing PVCSizes entry is skipped, still floored by target capacity', chain: ['cp-3'], files: [Gi], target: 20n * Gi, want: 27058293964n, basis: 'metadata' },
    { name: 'small target disk capacity is floored to the 1Gi minimum', chain: ['cp-99'], files: [], target: 100n * Mi, want: Gi, basis: 'floor' },
    { name: 'negative file size is ignored, not summed, falling back to default', chain: ['cp-99'], files: [-1024n], target: 0n, want: defaultScratchBytes, basis: 'default' },
    { name: 'negative file size does not offset a legitimate positive file size in the same list', chain: ['cp-99'], files: [20n * Gi, -5n * Gi], target: 0n, want: 51539607552n, basis: 'doubled-chain' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const got = scratchPvcSize(index, c.chain, 'disk-1', files(...c.files), c.target);
      assert.deepEqual(got, { bytes: c.want, basis: c.basis });
    });
  }
  test('the first case is (15Gi + 2Gi) + 20 % truncated, as addOverhead computes it', () => {
    assert.equal(addOverhead(17n * Gi, 20), 17n * Gi + (17n * Gi * 20n) / 100n);
    assert.equal(21904333209n, 17n * Gi + 3650722201n);
  });
  test('the overhead is a setting: 0 % gives the bare sum', () => {
    assert.equal(scratchPvcSize(index, ['cp-1', 'cp-2'], 'disk-1', files(Gi, Gi), 0n, 0).bytes, 17n * Gi);
  });
});

describe('controller: calculateWorkPVCSize', () => {
  const cases: { name: string; files: bigint[]; want: bigint }[] = [
    { name: 'sized from file sizes plus overhead', files: [4n * Gi, 2n * Gi], want: 7730941132n },
    { name: 'no file size metadata at all falls back to default', files: [], want: defaultScratchBytes },
    { name: 'genuinely tiny non-zero chain floors at 1Gi', files: [1024n], want: Gi },
    { name: 'negative file size is ignored, not summed, falling back to default', files: [-1024n], want: defaultScratchBytes },
    { name: 'negative file size does not offset a legitimate positive file size in the same list', files: [4n * Gi, -2n * Gi], want: 5153960755n },
  ];
  for (const c of cases) test(c.name, () => assert.equal(workPvcSize(files(...c.files)).bytes, c.want));
});

describe('controller: calculateOutputPVCSize', () => {
  const one: SizingIndex = { checkpoints: [{ id: 'cp-1', files: [{ diskName: 'disk-1' }], pvcSizes: [10n * Gi] }] };
  test('sized from max PVCSizes across chain, ignoring file sizes', () => assert.equal(outputPvcSize(one, ['cp-1'], 'disk-1', 0n).bytes, 12884901888n));
  test('floored by target disk capacity when no chain match', () => assert.equal(outputPvcSize(one, ['cp-99'], 'disk-1', 20n * Gi).bytes, 25769803776n));
  test('no metadata at all falls back to default', () => assert.equal(outputPvcSize(one, ['cp-99'], 'disk-1', 0n).bytes, defaultScratchBytes));
});

describe('controller: maxDiskSizeFromIndex', () => {
  test('only the chain, only the disk, the target as floor', () => {
    assert.equal(maxDiskSizeFromIndex(index, ['cp-1'], 'disk-2', 0n), 5n * Gi);
    assert.equal(maxDiskSizeFromIndex(index, ['cp-1', 'cp-2'], 'disk-1', 0n), 15n * Gi);
    assert.equal(maxDiskSizeFromIndex(index, ['cp-1'], 'disk-1', 12n * Gi), 12n * Gi);
  });
});

describe("design document: (pvc + Σqcow2) × 1.10", () => {
  test('10Gi disk with 2Gi + 1Gi of qcow2: 13Gi × 1.1, rounded up', () => assert.equal(designPvcSize(10n * Gi, [2n * Gi, Gi]), 15354508084n)); // 15354508083.2 rounded up
  test('rounds a fractional byte up', () => assert.equal(designPvcSize(1n, []), 2n));
  test('negative sizes are not subtracted', () => assert.equal(designPvcSize(100n, [-50n]), 110n));
  test('differs from the controller: 20 % over (max disk + chain) against 10 %', () => {
    const controller = scratchPvcSize(index, ['cp-1', 'cp-2'], 'disk-1', files(Gi, Gi), 15n * Gi).bytes;
    const design = designPvcSize(15n * Gi, [Gi, Gi]);
    assert.equal(design, 20078972109n);
    assert.equal(controller - design, 1825361100n);
  });
});
