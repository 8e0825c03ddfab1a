/**
 * Fuzzing the rules: manifests of every kind the analysis reads (from the kinds registry), with fields of the right
 * shape, the wrong shape, hostile names (Object.prototype's) and arbitrary JSON in between, several per file and
 * across files. The analysis never throws, no rule ever crashes (a crash is a bug core reports, not a finding),
 * every finding names a catalogued rule and a range inside its file, and analysing twice gives the same answer.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { allKinds, apiVersionOf, LABEL } from '../../core/kinds/index.js';
import { ruleInfo } from '../../core/rules/catalog.js';
import { defaultSettings, type Finding, type SourceFile } from '../../core/types.js';
import { analyze } from '../../core/workspace.js';
import { hostileCorpus } from '../hostile.js';
import { checkProperty, hostileNames, nameArb, quantityArb } from './harness.js';

const junk: fc.Arbitrary<unknown> = fc.oneof({ weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) }, { weight: 1, arbitrary: fc.constantFrom(...hostileNames) });
/** A value of the expected shape most of the time, anything sometimes. */
const or = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 5, arbitrary: arb }, { weight: 1, arbitrary: junk });
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined, freq: 3 });

const typeArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...allKinds.map((d) => [apiVersionOf(d), d.kind] as const)) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('v1', 'constructor/x', '__proto__/v1', 'snapshot.storage.k8s.io/v1', ''), fc.constantFrom(...hostileNames, 'List', 'PersistentVolumeClaim')) },
);

const sourceArb = fc.record({ apiGroup: or(fc.constantFrom('snapshot.storage.k8s.io', '', 'cdi.kubevirt.io')), kind: or(fc.constantFrom('VolumeSnapshot', 'PersistentVolumeClaim', 'DataSource')), name: or(nameArb), namespace: maybe(or(nameArb)) }, { requiredKeys: [] });

const objectArb = fc
  .record({
    type: typeArb,
    name: maybe(or(nameArb)),
    namespace: maybe(or(nameArb)),
    labels: maybe(or(fc.dictionary(fc.oneof(fc.constant(LABEL.applyStorageProfile), nameArb), or(fc.constantFrom('true', 'false')), { maxKeys: 3 }))),
    annotations: maybe(or(fc.dictionary(nameArb, or(quantityArb), { maxKeys: 3 }))),
    storage: maybe(quantityArb),
    storageClassName: maybe(or(nameArb)),
    dataSource: maybe(or(sourceArb)),
    dataSourceRef: maybe(or(sourceArb)),
    restoreSize: maybe(quantityArb),
    readyToUse: maybe(or(fc.boolean())),
    provisioner: maybe(or(fc.constantFrom('csi.trident.netapp.io', 'rbd.csi.ceph.com', 'constructor'))),
    overhead: maybe(or(fc.record({ global: or(fc.constantFrom('0.06', '0.055', '1', '-1', 'x')), storageClass: or(fc.dictionary(nameArb, or(fc.constantFrom('0.1', '0.06', 'x')), { maxKeys: 2 })) }, { requiredKeys: [] }))),
    observedVersion: maybe(or(fc.constantFrom('v1.63.1', 'v1.64.0', 'v1.62.0', '1.63', 'vX'))),
    source: maybe(or(fc.record({ persistentVolumeClaimName: or(nameArb), name: or(nameArb), kind: or(nameArb) }, { requiredKeys: [] }))),
    extra: maybe(fc.dictionary(fc.constantFrom('spec', 'status', 'items', 'metadata', 'volumeSnapshotName', 'virtualMachineSnapshotName', 'target'), junk, { maxKeys: 2 })),
  })
  .map((o) => {
    const spec: Record<string, unknown> = {};
    const set = (obj: Record<string, unknown>, key: string, value: unknown) => value !== undefined && (obj[key] = value);
    if (o.storage !== undefined) spec.resources = { requests: { storage: o.storage } };
    set(spec, 'storageClassName', o.storageClassName);
    set(spec, 'dataSource', o.dataSource);
    set(spec, 'dataSourceRef', o.dataSourceRef);
    set(spec, 'source', o.source);
    if (o.storage !== undefined) spec.storage = { resources: { requests: { storage: o.storage } }, storageClassName: o.storageClassName };
    const status: Record<string, unknown> = {};
    set(status, 'restoreSize', o.restoreSize);
    set(status, 'readyToUse', o.readyToUse);
    set(status, 'filesystemOverhead', o.overhead);
    set(status, 'observedVersion', o.observedVersion);
    const metadata: Record<string, unknown> = {};
    set(metadata, 'name', o.name);
    set(metadata, 'namespace', o.namespace);
    set(metadata, 'labels', o.labels);
    set(metadata, 'annotations', o.annotations);
    const out: Record<string, unknown> = { apiVersion: o.type[0], kind: o.type[1], metadata, spec, status };
    set(out, 'provisioner', o.provisioner);
    for (const [k, v] of Object.entries(o.extra ?? {})) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    if (o.type[1] === 'List') out.items = [{ ...out, kind: 'PersistentVolumeClaim', apiVersion: 'v1' }];
    return out;
  });

const fileArb = fc.array(objectArb, { minLength: 1, maxLength: 6 }).map((objects) => objects.map((o) => stringify(o)).join('---\n'));
const workspaceArb = fc.array(fileArb, { minLength: 1, maxLength: 3 });

function run(texts: string[]): { findings: Finding[]; crashes: string[] } {
  const files: SourceFile[] = texts.map((text, i) => ({ file: `f${i}.yaml`, text }));
  const crashes: string[] = [];
  const settings = { ...defaultSettings, strictProvisioners: ['csi.trident.netapp.io', 'constructor'] };
  const findings = analyze(files, settings, undefined, (rule, file, error) => crashes.push(`${rule} on ${file}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
  return { findings, crashes };
}

test('fuzz: the rules never crash on generated manifests, and report only catalogued rules within their files', () => {
  // The reproducers of issue 16 (Object.prototype names as kind and apiVersion) are regression inputs too.
  const corpus = hostileCorpus().map((f) => f.text);
  assert.ok(corpus.length > 0);
  const property = (texts: string[]): void => {
    const { findings, crashes } = run(texts);
    assert.deepEqual(crashes, [], 'no rule throws');
    for (const f of findings) {
      assert.ok(ruleInfo(f.rule), `uncatalogued rule ${f.rule}`);
      const text = texts[Number(f.file.slice(1, -5))];
      assert.ok(text !== undefined, `finding for unknown file ${f.file}`);
      const lines = text.split('\n').length;
      assert.ok(f.range.start.line >= 0 && f.range.end.line < lines + 1, `${f.rule}: range ${JSON.stringify(f.range)} outside ${lines} lines`);
      assert.ok(['error', 'warning', 'info', 'hint'].includes(f.severity));
    }
    assert.deepEqual(run(texts).findings, findings, 'analysing again gives the same findings');
  };
  property(corpus);
  for (const text of corpus) property([text]);
  checkProperty('rules', workspaceArb, property, 150);
});
