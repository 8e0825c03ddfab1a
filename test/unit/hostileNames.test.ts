// Issue 16 item 1: a manifest whose kind, apiVersion, names, namespaces, storage classes, label or annotation keys
// are Object.prototype property names is analysed like any other: no crash, no rule error, and the same findings,
// hovers and fixes as with a harmless name. Also the regression corpus (test/fixtures/hostile/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from '../../core/admission.js';
import { factFromObject, type FactKind } from '../../core/kinds/index.js';
import { recognise } from '../../core/kinds/index.js';
import type { FactSource } from '../../core/facts.js';
import { defaultSettings, type Finding, type Position, type Settings } from '../../core/types.js';
import { Workspace } from '../../core/workspace.js';
import { asBenign, benign, hostileCorpus, manifestsNaming, prototypeNames } from '../hostile.js';

const settings: Settings = { ...defaultSettings, strictProvisioners: ['csi.trident.netapp.io'], defaultNamespace: 'default' };
const file = 'hostile.yaml';

function workspace(text: string): Workspace {
  const ws = new Workspace((rule, f, error) => assert.fail(`rule ${rule} threw on ${f}: ${error instanceof Error ? error.stack : String(error)}`));
  ws.setFile(file, text);
  return ws;
}

/** What a finding says, the name made harmless (ranges differ in length; lines do not). */
function said(f: Finding, name: string): string {
  return asBenign(
    JSON.stringify({ rule: f.rule, severity: f.severity, line: f.range.start.line, message: f.message, data: f.data, fixes: f.fixes?.map((x) => [x.title, x.edits.map((e) => e.newText)]) }),
    name,
  );
}

/** JSON with bigints as decimal strings. */
const json = (v: unknown): string => JSON.stringify(v, (_, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x)) ?? 'undefined';

/** Positions of every occurrence of `needle` in `text`. */
function positions(text: string, needle: string): Position[] {
  const out: Position[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    for (let c = line.indexOf(needle); c >= 0; c = line.indexOf(needle, c + 1)) out.push({ line: i, character: c });
  });
  return out;
}

const reference = manifestsNaming(benign);
const referenceFindings = workspace(reference).analyzeFile(file, { settings });

test('the manifests with a harmless name give the findings the comparison rests on', () => {
  const rules = new Set(referenceFindings.map((f) => f.rule));
  for (const rule of ['restore-size-exceeded', 'cdi-restore-inflation', 'vm-restore-inflation', 'invalid-quantity', 'snapshot-not-ready']) {
    assert.ok(rules.has(rule), `${rule} in ${[...rules].join(', ')}`);
  }
  const inflation = referenceFindings.find((f) => f.rule === 'cdi-restore-inflation');
  assert.equal(inflation?.data?.overhead, '0.06', 'the global overhead: CDIConfig status has no entry for the class');
});

for (const name of prototypeNames) {
  test(`${JSON.stringify(name)} as kind, group, version, name, namespace, class, label and annotation key: analysed as a harmless name`, () => {
    const text = manifestsNaming(name);
    const ws = workspace(text);
    const findings = ws.analyzeFile(file, { settings });
    assert.deepEqual(findings.map((f) => said(f, name)), referenceFindings.map((f) => said(f, benign)));

    // Hovers on every occurrence of the name, and on the sizes, read as they do for the harmless name.
    const benignWs = workspace(reference);
    const hostileAt = [...positions(text, name), ...positions(text, '21Mi'), ...positions(text, '20Mi')];
    const benignAt = [...positions(reference, benign), ...positions(reference, '21Mi'), ...positions(reference, '20Mi')];
    assert.equal(hostileAt.length, benignAt.length);
    hostileAt.forEach((p, i) => {
      const h = ws.hover(file, p, { settings });
      const b = benignWs.hover(file, benignAt[i]!, { settings });
      assert.equal(h === undefined ? undefined : asBenign(h.contents, name), b?.contents, `hover at ${p.line}:${p.character}`);
    });
  });
}

test('live objects with Object.prototype names read like any other', () => {
  const source: FactSource = { kind: 'cluster' };
  const object = (name: string) => ({
    metadata: { name, namespace: name, labels: { [name]: 'x' }, annotations: { [name]: 'true' } },
    provisioner: 'p',
    parameters: { [name]: 'x' },
    spec: { source: { persistentVolumeClaimName: name } },
    status: { restoreSize: '1Gi', readyToUse: true, filesystemOverhead: { global: '0.06', storageClass: { [name]: '0.1' } }, observedVersion: 'v1.63.1' },
  });
  const kinds: FactKind[] = ['VolumeSnapshot', 'StorageClass', 'StorageProfile', 'CDIConfig', 'CDI', 'VirtualMachineSnapshot', 'VirtualMachineSnapshotContent', 'VolumeSnapshotClass'];
  for (const name of prototypeNames) {
    // As the API sends it: JSON.parse keeps a `__proto__` key as an ordinary property.
    const parsed = JSON.parse(JSON.stringify(object(name))) as unknown;
    const reference = JSON.parse(JSON.stringify(object(benign))) as unknown;
    for (const kind of kinds) {
      const fact: unknown = factFromObject(kind, parsed, source);
      assert.equal(asBenign(json(fact), name), json(factFromObject(kind, reference, source)), `${kind} named ${name}`);
    }
    assert.equal(recognise(`${name}/v1`, 'VolumeSnapshot'), undefined);
  }
});

test('the admission decision with Object.prototype names: the same answer as for a harmless name', () => {
  const review = (name: string) => ({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: 'u',
      operation: 'CREATE',
      kind: { group: '', version: 'v1', kind: 'PersistentVolumeClaim' },
      namespace: name,
      object: {
        metadata: { name, namespace: name, labels: { 'cdi.kubevirt.io/applyStorageProfile': 'true', [name]: 'x' }, annotations: { [name]: 'y' } },
        spec: { dataSource: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name }, resources: { requests: { storage: '21Mi' } } },
      },
    },
  });
  const lookup = () => ({ ok: true as const, snapshot: { status: { restoreSize: '20Mi' } } });
  const expected = json(decide(review(benign), lookup));
  for (const name of prototypeNames) {
    const parsed = JSON.parse(JSON.stringify(review(name))) as unknown;
    assert.equal(asBenign(json(decide(parsed, lookup)), name), expected, name);
  }
});

test('the regression corpus: every reproducer is analysed without a crash, and what it holds is still checked', () => {
  const corpus = hostileCorpus();
  assert.ok(corpus.length >= 9);
  const ws = new Workspace((rule, f, error) => assert.fail(`rule ${rule} threw on ${f}: ${String(error)}`));
  for (const f of corpus) ws.setFile(f.file, f.text);
  const byFile = new Map(corpus.map((f) => [f.file.split('/').pop()!, ws.analyzeFile(f.file, { settings })]));
  for (const [name, findings] of byFile) {
    if (name.startsWith('kind-') || name === 'apiversion-constructor-name.yaml') assert.deepEqual(findings, [], name);
    const text = corpus.find((c) => c.file.endsWith(name))!.text;
    text.split('\n').forEach((line, i) => ws.hover(corpus.find((c) => c.file.endsWith(name))!.file, { line: i, character: Math.max(0, line.length - 1) }, { settings }));
  }
  assert.deepEqual(byFile.get('apiversion-proto-group.yaml'), [], 'neither __proto__/v1 nor snapshot.storage.k8s.io/__proto__ is a VolumeSnapshot');
  assert.deepEqual(byFile.get('list-items.yaml')!.map((f) => [f.rule, f.range.start.line]), [['invalid-quantity', 17]]);
  const names = byFile.get('names.yaml')!;
  assert.deepEqual(names.map((f) => f.rule).sort(), ['cdi-restore-inflation', 'restore-size-exceeded']);
  assert.equal(names.find((f) => f.rule === 'cdi-restore-inflation')?.data?.overhead, '0.08', 'CDIConfig status.filesystemOverhead.storageClass[constructor]');
  assert.ok(names.every((f) => f.severity === 'error'), 'csi.trident.netapp.io of StorageClass constructor is strict');
});
