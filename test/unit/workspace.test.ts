import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import assert from 'node:assert/strict';
import { Workspace } from '../../core/workspace.js';
import { defaultSettings } from '../../core/types.js';
import { rules } from '../../core/rules/index.js';
import { generateBundle } from '../../bench/generate.js';
import { docs, pvc, snapshot } from './rules/helpers.js';

const options = { settings: defaultSettings };

test('Workspace: a change in one file updates findings in another', () => {
  const ws = new Workspace();
  ws.setFile('pvc.yaml', pvc({ size: '21Mi' }));
  assert.deepEqual(ws.analyzeFile('pvc.yaml', options).map((f) => f.rule), ['snapshot-not-found']);
  ws.setFile('snap.yaml', snapshot('snap', '20Mi'));
  assert.deepEqual(ws.analyzeFile('pvc.yaml', options).map((f) => f.rule), ['restore-size-exceeded']);
  ws.setFile('snap.yaml', snapshot('snap', '21Mi'));
  assert.deepEqual(ws.analyzeFile('pvc.yaml', options), []);
  ws.removeFile('snap.yaml');
  assert.deepEqual(ws.analyzeFile('pvc.yaml', options).map((f) => f.rule), ['snapshot-not-found']);
});

test('Workspace: hover on a quantity gives exact bytes; on a restore PVC, restoreSize and the CDI render', () => {
  const ws = new Workspace();
  const text = docs(snapshot('snap', '20Mi'), pvc({ size: '21Mi', labelled: true }));
  ws.setFile('a.yaml', text);
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes('storage: 21Mi'));
  const h = ws.hover('a.yaml', { line, character: lines[line]!.indexOf('21Mi') + 1 }, options);
  assert.ok(h);
  assert.match(h.contents, /22,020,096 bytes/);
  assert.match(h.contents, /restoreSize: 20Mi = 20,971,520 bytes/);
  assert.match(h.contents, /CDI render/);
  const snapLine = lines.findIndex((l) => l.includes('restoreSize: 20Mi'));
  const hs = ws.hover('a.yaml', { line: snapLine, character: lines[snapLine]!.indexOf('20Mi') }, options);
  assert.match(hs?.contents ?? '', /20,971,520 bytes \(20 MiB\)/);
  assert.equal(ws.hover('a.yaml', { line: 0, character: 1 }, options), undefined);
  assert.equal(h.checkable, true, 'adapters may add "Check with the cluster"');
  assert.equal(hs?.checkable, undefined);
  assert.match(h.contents, /webhook: feature gate WebhookPvcRendering|webhook: CDI v1\.66\.0 renders PVCs/);
});

test('Workspace: hover on a VirtualMachineRestore lists the restore PVCs KubeVirt will create, by their names', () => {
  const ws = new Workspace();
  const text = docs(
    'apiVersion: cdi.kubevirt.io/v1beta1\nkind: CDI\nmetadata: {name: cdi}\nstatus: {observedVersion: v1.63.1}\n',
    'apiVersion: snapshot.kubevirt.io/v1beta1\nkind: VirtualMachineSnapshot\nmetadata: {name: snap, namespace: default}\nspec: {source: {kind: VirtualMachine, name: vm}}\nstatus: {virtualMachineSnapshotContentName: c}\n',
    'apiVersion: snapshot.kubevirt.io/v1beta1\nkind: VirtualMachineSnapshotContent\nmetadata: {name: c, namespace: default}\nspec:\n  volumeBackups:\n    - volumeName: tpm\n      volumeSnapshotName: vs\n      persistentVolumeClaim:\n        metadata: {name: pst, labels: {cdi.kubevirt.io/applyStorageProfile: "true"}}\n        spec: {accessModes: [ReadWriteOnce], volumeMode: Filesystem, resources: {requests: {storage: 10Mi}}}\n',
    snapshot('vs', '10Mi'),
    'apiVersion: snapshot.kubevirt.io/v1beta1\nkind: VirtualMachineRestore\nmetadata: {name: r, namespace: default}\nspec:\n  target: {kind: VirtualMachine, name: vm}\n  virtualMachineSnapshotName: snap\n  volumeRestorePolicy: PrefixTargetName\n',
  );
  ws.setFile('r.yaml', text);
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes('volumeRestorePolicy'));
  const h = ws.hover('r.yaml', { line, character: 4 }, options);
  assert.ok(h);
  assert.equal(h.checkable, true);
  assert.match(h.contents, /\*\*Restore of VirtualMachineSnapshot default\/snap\*\*: 1 restore PVC/);
  assert.match(h.contents, /`vm-tpm` \(volume tpm\): asks 10,485,760 bytes, will store 11,114,906 bytes; restoreSize 10,485,760 bytes/);
});

test('Workspace: a rule that throws is reported to the handler and the other rules still report', () => {
  const errors: string[] = [];
  const throwing = { id: 'always-throws', reads: 'document' as const, run: () => { throw new Error('boom'); } };
  const ws = new Workspace((rule, file, e) => errors.push(`${rule} ${file} ${(e as Error).message}`), [throwing, ...rules]);
  ws.setFile('a.yaml', docs(snapshot('snap', '20Mi'), pvc({ size: '10Mi' })));
  assert.deepEqual(ws.analyzeFile('a.yaml', options).map((f) => f.rule), ['restore-size-too-small']);
  // Once per document it ran on (two here); adapters log each distinct failure once.
  assert.deepEqual(errors, ['always-throws a.yaml boom', 'always-throws a.yaml boom']);
});

test('Workspace oneShot (the CLI): the findings of a normal one on a bundle with cross-file facts; no file after an analysis', () => {
  const text = generateBundle(99, 400).text;
  const parts = text.split(/^(?=---\n)/m);
  // Files of a few documents each: restores in one file, their snapshots and classes in others.
  const files = Array.from({ length: Math.ceil(parts.length / 7) }, (_, i) => ({ file: `f${i}.yaml`, text: parts.slice(i * 7, i * 7 + 7).join('') }));
  files.push({ file: 'late.yaml', text: docs(snapshot('snap', '20Mi'), pvc({ size: '21Mi' })) });
  // The same snapshot again in a later file: the first definition wins (the one-shot index is committed once).
  files.push({ file: 'later.yaml', text: docs(snapshot('snap', '1Gi'), pvc({ size: '21Mi' })) });
  const normal = new Workspace();
  const once = new Workspace(undefined, rules, { oneShot: true, cacheEntries: 0 });
  for (const f of files) {
    normal.setFile(f.file, f.text);
    once.setFile(f.file, f.text);
  }
  const all = (ws: Workspace) => files.flatMap((f) => ws.analyzeFile(f.file, options));
  const expected = all(normal);
  assert.ok(expected.some((f) => f.rule === 'restore-size-exceeded') && expected.length > 20, 'the sample has cross-file findings');
  assert.deepEqual(all(once), expected);
  assert.throws(() => once.setFile('more.yaml', snapshot('snap', '1Gi')), /one-shot Workspace was given more\.yaml after an analysis/);
});

test('Workspace oneShot: a file whose findings were handed out is dropped; later files still read its facts; asking about it again throws', () => {
  const once = new Workspace(undefined, rules, { oneShot: true, cacheEntries: 0 });
  // The snapshot's file is analysed (and dropped) before the file whose claim restores it.
  once.setFile('snap.yaml', snapshot('snap', '20Mi'));
  once.setFile('pvc.yaml', docs(pvc({ size: '21Mi' }), pvc({ name: 'other', size: '10Mi', snap: 'missing' })));
  assert.deepEqual(once.analyzeFile('snap.yaml', options), []);
  const found = once.analyzeFile('pvc.yaml', options);
  assert.deepEqual(
    found.map((f) => [f.rule, f.range.start.line]),
    [
      ['restore-size-exceeded', found[0]!.range.start.line],
      ['snapshot-not-found', found[1]!.range.start.line],
    ],
  );
  assert.ok(found[0]!.range.start.line < found[1]!.range.start.line, 'in file order');
  const spent = /one-shot Workspace was asked again about snap\.yaml/;
  assert.throws(() => once.analyzeFile('snap.yaml', options), spent);
  assert.throws(() => once.resources('snap.yaml'), spent);
  assert.throws(() => once.parsedFile('snap.yaml'), spent);
  assert.throws(() => once.documentAt('snap.yaml', { line: 0, character: 0 }), spent);
  assert.throws(() => once.hover('snap.yaml', { line: 0, character: 0 }, options), spent);
  assert.throws(() => once.objectNameAnchor('snap.yaml', 'VolumeSnapshot', 'default/snap'), spent);
  assert.throws(() => once.facts({ settings: { ...defaultSettings, defaultNamespace: 'elsewhere' } }), /another default namespace after an analysis/);
  // What the index keeps is still there.
  assert.equal(once.documentCount('snap.yaml'), 1);
  assert.deepEqual(once.contributedFacts().map((c) => [c.file, c.kind, c.key]).filter(([file]) => file === 'snap.yaml'), [['snap.yaml', 'VolumeSnapshot', 'default/snap']]);
  assert.equal(once.facts(options).volumeSnapshot('default', 'snap')?.name, 'snap');
});

test('Workspace oneShot: the parse of an analysed file is left to the garbage collector (a normal Workspace keeps it)', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const parseOf = (ws: Workspace) => {
    ws.setFile('a.yaml', docs(snapshot('snap', '20Mi'), pvc({ size: '21Mi' })));
    const doc = new WeakRef(ws.parsedFile('a.yaml')!.docs[0]!.doc!);
    assert.equal(ws.analyzeFile('a.yaml', options).length, 1);
    return doc;
  };
  const once = new Workspace(undefined, rules, { oneShot: true, cacheEntries: 0 });
  const normal = new Workspace(undefined, rules, { cacheEntries: 0 });
  const dropped = parseOf(once);
  const kept = parseOf(normal);
  // A WeakRef holds its target until the job that made it ends.
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  assert.equal(dropped.deref(), undefined);
  assert.ok(kept.deref(), 'the normal Workspace keeps its parse');
  assert.equal(once.documentCount('a.yaml') + normal.documentCount('a.yaml'), 4);
});
