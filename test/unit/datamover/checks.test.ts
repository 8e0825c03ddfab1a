import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkDatamover } from '../../../core/datamover/checks.js';
import { datamoverRole } from '../../../core/datamover/layout.js';
import { DatamoverSet } from '../../../core/datamover/set.js';
import type { LocalFiles } from '../../../core/datamover/types.js';
import type { Finding } from '../../../core/types.js';
import { missingIncremental, treeFiles, wholeChain, wrongParent, type Tree } from '../../datamover/tree.js';

const root = 'bucket/velero-kubevirt-datamover/';

function load(tree: Tree, edit?: (path: string, text: string) => string): { set: DatamoverSet; local: LocalFiles; texts: Map<string, string> } {
  const set = new DatamoverSet();
  const sizes = new Map<string, bigint>();
  const texts = new Map<string, string>();
  for (const [path, f] of treeFiles(tree)) {
    if (f.kind === 'qcow2') {
      sizes.set(root + path, BigInt(f.bytes));
      continue;
    }
    const text = edit ? edit(path, f.text) : f.text;
    texts.set(root + path, text);
    const role = datamoverRole(root + path, text);
    assert.ok(role, `${path} is recognised`);
    set.set(root + path, text, role);
  }
  return { set, local: { size: (p) => sizes.get(p) ?? (p.startsWith(root) ? 'absent' : undefined) }, texts };
}

const rules = (fs: Finding[]) => fs.map((f) => f.rule).sort();
/** The text a finding's range covers (single-line ranges). */
function covered(texts: Map<string, string>, f: Finding): string {
  const line = texts.get(f.file)!.split('\n')[f.range.start.line]!;
  assert.equal(f.range.start.line, f.range.end.line);
  return line.slice(f.range.start.character, f.range.end.character);
}

describe('datamover checks', () => {
  test('a whole chain has no findings', () => {
    const { set, local } = load(wholeChain());
    assert.deepEqual(checkDatamover(set, local), []);
  });

  test('a missing incremental: the chains that need it and the index entry whose parent it was', () => {
    const { set, local, texts } = load(missingIncremental());
    const fs = checkDatamover(set, local);
    assert.deepEqual(rules(fs), ['datamover-chain-missing-checkpoint', 'datamover-chain-missing-checkpoint', 'datamover-chain-missing-checkpoint']);
    const inManifests = fs.filter((f) => f.file.includes('/manifests/') && f.rule === 'datamover-chain-missing-checkpoint');
    assert.deepEqual(inManifests.map((f) => f.file.replace(root, '')).sort(), ['manifests/day2/vms-vm1.json', 'manifests/day3/vms-vm1.json']);
    for (const f of inManifests) assert.equal(covered(texts, f), '"cp-002"');
    const inIndex = fs.find((f) => f.file.endsWith('checkpoints/vms/vm1/index.json'))!;
    assert.equal(inIndex.rule, 'datamover-chain-missing-checkpoint');
    assert.equal(covered(texts, inIndex), '"cp-002"');
    assert.match(inIndex.message, /the parent of cp-003, cp-002, is not in this index/);
  });

  test('a wrong parent is reported at the chain entry', () => {
    const { set, local, texts } = load(wrongParent());
    const fs = checkDatamover(set, local);
    assert.deepEqual(rules(fs), ['datamover-chain-wrong-parent']);
    assert.equal(fs[0]!.file, `${root}manifests/day3/vms-vm1.json`);
    assert.equal(covered(texts, fs[0]!), '"cp-003"');
    assert.match(fs[0]!.message, /has parent cp-001, but the chain puts it after cp-002/);
  });

  test('pvcs and pvcSizes not parallel; a size that does not parse', () => {
    const { set, local, texts } = load(wholeChain(), (p, t) => (p.endsWith('vm1/index.json') ? t.replace('"4Gi"', '"4 GB"').replace(/"pvcSizes": \[\n\s+"10Gi",\n/, '"pvcSizes": [\n') : t));
    const fs = checkDatamover(set, local);
    const mismatch = fs.filter((f) => f.rule === 'datamover-pvc-sizes-mismatch');
    assert.equal(mismatch.length, 1);
    assert.match(mismatch[0]!.message, /cp-001 has 1 pvcSizes for 2 pvcs/);
    const invalid = fs.filter((f) => f.rule === 'datamover-size-invalid');
    assert.deepEqual(invalid.map((f) => covered(texts, f)), ['"4 GB"']);
    assert.match(invalid[0]!.message, /contains whitespace/);
  });

  test('a file missing from the local copy, and one whose size differs', () => {
    const { set, texts } = load(wholeChain());
    const local: LocalFiles = {
      size: (p) => (p.endsWith('cp-002/vmb-day2-rootdisk.qcow2') ? 'absent' : p.endsWith('cp-003/vmb-day3-datadisk.qcow2') ? 7n : undefined),
    };
    const fs = checkDatamover(set, local);
    assert.deepEqual(rules(fs), ['datamover-file-missing', 'datamover-file-size-mismatch']);
    const missing = fs.find((f) => f.rule === 'datamover-file-missing')!;
    assert.equal(missing.severity, 'error');
    assert.equal(covered(texts, missing), '"vmb-day2-rootdisk.qcow2"');
    const size = fs.find((f) => f.rule === 'datamover-file-size-mismatch')!;
    assert.equal(covered(texts, size), '52428800');
    assert.match(size.message, /has 7 bytes, the index records 52,428,800/);
  });

  test('referencedBy: a chain checkpoint not listing its backup, and a stale reference', () => {
    const t = wholeChain();
    t.vms[0]!.checkpoints[0]!.referencedBy = ['day1', 'day3']; // day2 needs cp-001 too
    t.vms[0]!.checkpoints[2]!.referencedBy = ['day3', 'day1']; // day1 does not use cp-003
    const { set, local, texts } = load(t);
    const fs = checkDatamover(set, local);
    assert.deepEqual(rules(fs), ['datamover-referenced-by-missing', 'datamover-referenced-by-stale']);
    assert.match(fs.find((f) => f.rule === 'datamover-referenced-by-missing')!.message, /backup day2 needs checkpoint cp-001/);
    assert.equal(covered(texts, fs.find((f) => f.rule === 'datamover-referenced-by-stale')!), '"day1"');
  });

  test("the design document's plain file names: the controller cannot read them", () => {
    const { set, local } = load(wholeChain(), (p, t) => {
      if (!p.endsWith('vm1/index.json')) return t;
      const v = JSON.parse(t) as { checkpoints: { files: unknown[] }[] };
      for (const c of v.checkpoints) c.files = (c.files as { filename: string }[]).map((f) => f.filename);
      return JSON.stringify(v, null, 2);
    });
    const fs = checkDatamover(set, local);
    assert.equal(fs.length, 6);
    assert.ok(fs.every((f) => f.rule === 'datamover-index-invalid'));
    assert.match(fs[0]!.message, /plain file name \(the design document's shape\)/);
  });

  test('not JSON: one finding at the error, nothing else', () => {
    const { set, local, texts } = load(wholeChain(), (p, t) => (p === 'manifests/day3/vms-vm1.json' ? t.replace('"cp-002",', '"cp-002",,') : t));
    const fs = checkDatamover(set, local, `${root}manifests/day3/vms-vm1.json`);
    assert.equal(fs.length, 1);
    assert.equal(fs[0]!.rule, 'datamover-index-invalid');
    assert.match(fs[0]!.message, /not valid JSON/);
    assert.equal(covered(texts, fs[0]!), ',');
  });

  test('a wrong type makes the file unreadable for the controller', () => {
    const { set, local, texts } = load(wholeChain(), (p, t) => (p.endsWith('vm1/index.json') ? t.replace('"size": 52428800', '"size": "52428800"').replace('"id": "cp-003"', '"id": 3') : t));
    const fs = checkDatamover(set, local, `${root}checkpoints/vms/vm1/index.json`);
    const byRule = rules(fs);
    assert.ok(byRule.includes('datamover-index-invalid'));
    assert.ok(byRule.includes('datamover-size-invalid'));
    assert.equal(covered(texts, fs.find((f) => f.rule === 'datamover-index-invalid' && /id is a number/.test(f.message))!), '3');
  });
});
