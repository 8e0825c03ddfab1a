/**
 * End to end: clones through a VolumeCloneSource with no size, read from a YAML fixture — cdi-render-rejected on
 * the one CDI cannot size, and the hover's size for the ones it takes from the source PVC.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { defaultSettings, type Settings } from '../../../core/types.js';
import { Workspace } from '../../../core/workspace.js';
import { lint, only } from './helpers.js';

const fixture = readFileSync('test/fixtures/cloneSize/golden-clones.yaml', 'utf8');
const at = (cdiVersion: string): Partial<Settings> => ({ cdiVersion });

test('cdi-render-rejected: a host-assisted Filesystem → Block clone of a VolumeCloneSource is denied from v1.64 on', () => {
  const found = only(lint(fixture, at('v1.66.0')), 'cdi-render-rejected');
  assert.deepEqual(found.map((f) => f.message), ["CDI will reject PersistentVolumeClaim db-raw (CDI's PVC webhook): cannot detect the required pvc size."]);
  assert.equal(found[0]!.severity, 'error');
  assert.equal(fixture.split('\n')[found[0]!.range.start.line]?.includes('spec:'), true, 'on the claim spec of db-raw');
  // Changed: v1.63.1 returns without a size, and the API server's validation refuses a PVC with none (this was an
  // unknown, so no finding; ValidatePersistentVolumeClaimSpec, k8s.io/kubernetes v1.34).
  const older = only(lint(fixture, at('v1.63.1')), 'cdi-render-rejected');
  assert.deepEqual(older.map((f) => f.message), [
    "The API server will refuse PersistentVolumeClaim db-raw after CDI's PVC webhook: a host-assisted (cdi.kubevirt.io/cloneType: copy) clone of Filesystem PVC images/fedora-golden, which holds kubevirt disk images, to a Block PVC needs CDI's size-detection pod: CDI v1.63.1 leaves the size missing, which the API server's validation refuses (spec.resources[storage]: Required value).",
  ]);
  assert.deepEqual(older[0]!.range, found[0]!.range);
});

function hover(name: string, cdiVersion: string): string {
  const ws = new Workspace();
  ws.setFile('clones.yaml', fixture);
  const lines = fixture.split('\n');
  const line = lines.findIndex((l, i) => l === `  name: ${name}` && lines[i - 1] === 'metadata:');
  const spec = lines.findIndex((l, i) => i > line && l.startsWith('  storageClassName:'));
  return ws.hover('clones.yaml', { line: spec, character: 4 }, { settings: { ...defaultSettings, cdiVersion } })?.contents ?? '';
}

test('hover: the size CDI takes from the VolumeCloneSource source, in bytes, and from which field', () => {
  const same = hover('web-root', 'v1.66.0');
  assert.match(same, /8,589,934,592 bytes/);
  assert.match(same, /VolumeCloneSource images\/fedora → PVC images\/fedora-golden \(spec\.resources\.requests\.storage\)/);
  const other = hover('archive-root', 'v1.66.0');
  assert.match(other, /9,663,676,416 bytes/);
  assert.match(other, /PVC images\/fedora-golden \(status\.capacity\.storage: class rbd-fast → nfs-slow\)/);
  assert.match(hover('db-raw', 'v1.66.0'), /CDI will reject it\*\*: `cannot detect the required pvc size`/);
});
