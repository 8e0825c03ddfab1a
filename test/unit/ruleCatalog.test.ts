// The rule catalogue is built from the rules' and doctor checks' declarations: every declaration is complete,
// every id the analysis or the doctor emits over the examples and fixtures is catalogued under the rule that
// emitted it, and the README's rule table lists the analysis' rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { datamoverRuleInfo } from '../../core/datamover/rules.js';
import { helmTemplateRule } from '../../core/helm.js';
import { doctor, doctorChecks, probeCandidates, type ClusterInventory, type SnapshotClassFact } from '../../core/doctor/index.js';
import { noCluster, type ClusterFactsProvider, type PvcFact } from '../../core/facts.js';
import { liveAnswer } from '../../core/probe/probe.js';
import { factFromView, isKindName, yamlView } from '../../core/kinds/index.js';
import { resourcesOf, type Resource } from '../../core/resources.js';
import { catalogue, ruleCatalog, ruleInfo } from '../../core/rules/catalog.js';
import { fileUnreadable } from '../../core/rules/fileUnreadable.js';
import { addedRules, contentRules, firstRules, kubevirtVersionRules, rules, apiServerRules, storageRules } from '../../core/rules/index.js';
import type { RuleMeta } from '../../core/rules/rule.js';
import { defaultSettings, type Finding, type SourceFile } from '../../core/types.js';
import { analyze, Workspace } from '../../core/workspace.js';
import { workspaceFacts } from '../../core/workspaceFacts.js';
import { parseYamlFile } from '../../core/yaml/documents.js';
import { problems } from '../doctor/seed.js';

const severities = new Set(['error', 'warning', 'info', 'hint']);
const declarations: readonly RuleMeta[] = [...rules, ...doctorChecks, ...datamoverRuleInfo, fileUnreadable, helmTemplateRule];

function filesNamed(pattern: RegExp, dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) filesNamed(pattern, p, out);
    else if (pattern.test(name)) out.push(p);
  }
  return out;
}
const yamlFiles = (dir: string) => filesNamed(/\.ya?ml$/, dir);

/** The examples and every YAML fixture of the tests. */
const corpus: SourceFile[] = [...yamlFiles('examples'), ...yamlFiles('test/cli/fixtures'), ...yamlFiles('test/fixtures')].map((file) => ({
  file,
  text: readFileSync(file, 'utf8'),
}));

test('every declared rule and check is complete: a kebab-case id, a severity, a title, a description, what it reads, known kinds', () => {
  for (const d of declarations) {
    assert.match(d.id, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, d.id);
    assert.ok(severities.has(d.defaultSeverity), `${d.id}: severity ${d.defaultSeverity}`);
    assert.ok(d.title.trim().length > 0 && d.description.trim().length > 0, `${d.id}: title and description`);
    assert.ok(['document', 'facts', 'cluster'].includes(d.reads), `${d.id}: reads ${d.reads}`);
    for (const k of d.kinds) assert.ok(isKindName(k), `${d.id}: kind ${k}`);
  }
  for (const r of rules) assert.notEqual(r.reads, 'cluster', `${r.id}: a lint rule reads a document or facts`);
  for (const c of doctorChecks) assert.ok(c.kinds.length > 0, `${c.id}: a doctor check names the kinds it needs`);
  assert.equal(new Set(rules.map((r) => r.id)).size, rules.length, 'lint rule ids are unique');
  assert.equal(new Set(doctorChecks.map((c) => c.id)).size, doctorChecks.length, 'doctor check ids are unique');
});

test('the catalogue holds exactly the declared ids, once each, the first lint rules first, later ones at the end, and agrees with each declaration', () => {
  const ids = ruleCatalog.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual(new Set(ids), new Set(declarations.map((d) => d.id)));
  assert.deepEqual(ids.slice(0, firstRules.length), firstRules.map((r) => r.id));
  // After file-unreadable: the rules added since and helm-template, then the storage rules (issue 12), less the
  // one a doctor check already catalogued (multiple-default-snapshot-classes keeps its place), then the
  // VolumeSnapshotContent rules, then the KubeVirt version model's, then the API server's validation (VolumeSnapshots, ObjectMeta's strings).
  const tail = [
    ...addedRules.map((r) => r.id),
    helmTemplateRule.id,
    ...storageRules.map((r) => r.id).filter((id) => !doctorChecks.some((c) => c.id === id)),
    ...contentRules.map((r) => r.id),
    ...kubevirtVersionRules.map((r) => r.id),
    ...apiServerRules.map((r) => r.id),
  ];
  assert.deepEqual(ids.slice(-tail.length), tail);
  for (const d of declarations) {
    const info = ruleInfo(d.id);
    assert.ok(info, d.id);
    assert.deepEqual([info.defaultSeverity, info.title, info.description], [d.defaultSeverity, d.title, d.description], d.id);
    assert.ok(info.reads.includes(d.reads), d.id);
  }
  assert.equal(ruleInfo('constructor'), undefined);
  // The SARIF rule index of the golden files is the catalogue's order: ids are never renamed, never reordered.
  assert.deepEqual(ids, [
    'yaml-syntax',
    'invalid-quantity',
    'restore-size-too-small',
    'restore-size-exceeded',
    'cdi-restore-inflation',
    'snapshot-not-found',
    'snapshot-not-ready',
    'vm-restore-inflation',
    'volumeclaimtemplates-unserved',
    'vm-volume-claim-missing',
    'cdi-render-rejected',
    'datavolume-pvc-bypasses-profile',
    'volumeresize-operator-missing',
    'volumeresize-statefulset-not-found',
    'volumeresize-unknown-volume',
    'volumeresize-not-smaller',
    'volumeresize-below-used',
    'volumeresize-pdb-blocks',
    'volumeresize-rwx',
    'volumeresize-storageclass-not-found',
    'storageprofile-incomplete',
    'multiple-default-snapshot-classes',
    'multiple-default-storage-classes',
    'prediction-mismatch',
    ...datamoverRuleInfo.map((r) => r.id),
    'file-unreadable',
    'datavolume-restore-too-small',
    'datavolume-restore-expansion',
    'helm-template',
    'gcp-pd-unknown-parameter',
    'gcp-pd-invalid-value',
    'gcp-pd-images-regional',
    'gcp-pd-hyperdisk-access-mode',
    'snapshotclass-spec-field',
    'snapshot-api-unserved',
    'storageprofile-snapshotclass-missing',
    'storageprofile-snapshotclass-driver',
    'gcp-images-class-default',
    'hco-field-path',
    'snapshot-content-invalid',
    'snapshot-content-unbound',
    'snapshot-content-driver-mismatch',
    'vm-restore-field-unsupported',
    'snapshot-invalid',
    'metadata-not-a-string',
  ]);
});

test('two declarations of one id that disagree are a bug the catalogue refuses', () => {
  const a: RuleMeta = { id: 'x-y', defaultSeverity: 'warning', title: 't', description: 'd', reads: 'facts', kinds: [] };
  assert.equal(catalogue([a, { ...a, reads: 'cluster', kinds: ['StorageClass'] }]).length, 1);
  assert.throws(() => catalogue([a, { ...a, defaultSeverity: 'error' }]), /declared twice/);
});

/** Rules whose findings need a connected cluster: what no file can say (the data in use, a CRD not served). */
const clusterOnly = new Set(['volumeresize-below-used', 'volumeresize-operator-missing']);

/**
 * A stand-in for a connected cluster over the corpus: it serves no VolumeResize CRD, and each StatefulSet's
 * replicas have the PVCs their claim templates make, full to the brim (as the kubelet would report).
 */
function standInCluster(files: readonly SourceFile[]): ClusterFactsProvider {
  const resources = files.flatMap((f) => parseYamlFile(f.file, f.text).docs.flatMap((d) => resourcesOf(f.file, d)));
  const facts = workspaceFacts(resources, 'default');
  const pvcs = new Map<string, PvcFact>();
  for (const r of resources.filter((x) => x.kind === 'StatefulSet')) {
    const sts = facts.statefulSet?.(r.namespace ?? 'default', r.name ?? '');
    for (const t of sts?.volumeClaimTemplates ?? []) {
      for (let i = 0; i < sts!.replicas; i++) {
        const name = `${t.name}-${sts!.name}-${i}`;
        pvcs.set(`${sts!.namespace}/${name}`, { namespace: sts!.namespace, name, requestText: t.requestText, requestBytes: t.requestBytes, accessModes: t.accessModes, storageClassName: t.storageClassName, source: { kind: 'cluster' } });
      }
    }
  }
  return {
    ...noCluster,
    state: { kind: 'connected', context: 'stand-in' },
    persistentVolumeClaim: (ns, n) => pvcs.get(`${ns}/${n}`),
    volumeUsage: (ns, pvc, pod) => {
      const p = pvcs.get(`${ns}/${pvc}`);
      return p?.requestBytes === undefined ? undefined : { state: 'known', usedBytes: p.requestBytes, node: 'node-1', pod };
    },
    serves: () => false,
    connectedContext: () => 'stand-in',
  };
}

test('every finding the analysis emits over the examples and fixtures is catalogued, under the rule that emitted it', () => {
  assert.ok(corpus.length >= 6, `${corpus.length} files`);
  const emitted = new Set<string>();
  const cluster = standInCluster(corpus);
  for (const rule of rules) {
    const ws = new Workspace(
      (id, file, error) => assert.fail(`${id} threw on ${file}: ${String(error)}`),
      [rule],
    );
    for (const f of corpus) ws.setFile(f.file, f.text);
    const options = clusterOnly.has(rule.id) ? { settings: defaultSettings, cluster } : { settings: defaultSettings };
    const findings: Finding[] = corpus.flatMap((f) => ws.analyzeFile(f.file, options));
    assert.ok(findings.length > 0, `${rule.id} emits nothing over the corpus: add a fixture that shows it`);
    for (const f of findings) {
      assert.equal(f.rule, rule.id, `${rule.id} emitted a finding as ${f.rule}`);
      emitted.add(f.rule);
      if (rule.kinds.length === 0) continue;
      // The finding sits in a document holding an object of a kind the rule declares.
      const doc = parseYamlFile(f.file, corpus.find((c) => c.file === f.file)!.text).docs.find(
        (d) => d.range.start.line <= f.range.start.line && f.range.start.line <= d.range.end.line,
      );
      const kinds = doc ? resourcesOf(f.file, doc).map((r) => r.kind) : [];
      assert.ok(kinds.some((k) => rule.kinds.includes(k)), `${rule.id} at ${f.file}:${f.range.start.line + 1} is in a document of ${kinds.join(', ') || 'no known kind'}`);
    }
  }
  for (const id of emitted) assert.ok(ruleInfo(id), `${id} is emitted but not catalogued`);
});

test("every finding of the datamover's file checks over the example backup prefix is catalogued", () => {
  const files = filesNamed(/\.json$/, 'examples/datamover').map((file) => ({ file, text: readFileSync(file, 'utf8') }));
  assert.ok(files.length > 0);
  const findings = analyze(files, defaultSettings, undefined, (id, file, error) => assert.fail(`${id} threw on ${file}: ${String(error)}`));
  assert.ok(findings.some((f) => f.rule.startsWith('datamover-')), 'the example shows datamover findings');
  for (const f of findings) assert.ok(ruleInfo(f.rule), `${f.rule} is emitted but not catalogued`);
});

/** The doctor's inventory over manifests: the facts the workspace reads, the lists the cluster would give. */
function inventoryOf(objects: readonly object[]): ClusterInventory {
  const file = 'cluster.yaml';
  const resources: Resource[] = parseYamlFile(file, objects.map((o) => stringify(o)).join('---\n')).docs.flatMap((d) => resourcesOf(file, d));
  const facts = workspaceFacts(resources, 'default');
  const of = (kind: string, namespace?: string) => resources.filter((r) => r.kind === kind && (namespace === undefined || r.namespace === namespace));
  const defined = <T>(list: (T | undefined)[]) => list.filter((x): x is T => x !== undefined);
  return {
    facts,
    storageClasses: () => facts.storageClasses(),
    storageProfiles: () => defined(of('StorageProfile').map((r) => facts.storageProfile(r.name ?? ''))),
    snapshotClasses: () =>
      defined(of('VolumeSnapshotClass').map((r): SnapshotClassFact | undefined => factFromView('VolumeSnapshotClass', yamlView(r.doc, r.base), { source: { kind: 'cluster' }, defaultNamespace: 'default' }))),
    volumeSnapshots: (ns) => defined(of('VolumeSnapshot', ns).map((r) => facts.volumeSnapshot(r.namespace ?? 'default', r.name ?? ''))),
    vmSnapshots: (ns) => defined(of('VirtualMachineSnapshot', ns).map((r) => facts.virtualMachineSnapshot?.(r.namespace ?? 'default', r.name ?? ''))),
    serves: () => true,
  };
}

test('every finding the doctor emits over a cluster with each problem is catalogued, under the check that emitted it', () => {
  const inv = inventoryOf(problems());
  const settings = { ...defaultSettings, strictProvisioners: ['csi.trident.netapp.io'] };
  // doctor --probe's answers: a cluster that stores another figure than predicted.
  const answer = { stored: { spec: { storageClassName: 'trident-nas', volumeMode: 'Filesystem', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '12Mi' } } } } };
  inv.probes = () => probeCandidates(inv, undefined, settings).map((candidate) => ({ candidate, answer: liveAnswer(candidate.input, candidate.describe, answer, '2026-12-01T00:00:00Z', { kind: 'cluster' }) }));
  for (const check of doctorChecks) {
    const findings = check.run(inv, {}, settings);
    assert.ok(findings.length > 0, `${check.id} finds nothing in the seeded cluster`);
    for (const f of findings) assert.equal(f.rule, check.id);
  }
  for (const f of doctor(inv, {}, settings)) assert.ok(ruleInfo(f.rule), `${f.rule} is emitted but not catalogued`);
});

/** The ids a README table names, row by row: `a-b-c` / `-d` names a-b-c and a-b-d. */
function tableIds(readme: string, header: string): { id: string; second: string }[] {
  const start = readme.indexOf(header);
  assert.ok(start >= 0, `README has the table ${header}`);
  const lines = readme.slice(start).split('\n');
  const table = lines.findIndex((l) => l.startsWith('| rule |'));
  const rows: { id: string; second: string }[] = [];
  for (const line of lines.slice(table + 2)) {
    if (!line.startsWith('|')) break;
    const [first = '', second = ''] = line.split('|').slice(1).map((c) => c.trim());
    const names = [...first.matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]!);
    const stem = names[0]!.slice(0, names[0]!.lastIndexOf('-'));
    for (const n of names) rows.push({ id: n.startsWith('-') ? `${stem}${n}` : n, second });
  }
  return rows;
}

test("the README's rule tables list the analysis' rules with their default severities and the datamover's checks; its doctor section the doctor's", () => {
  const readme = readFileSync('README.md', 'utf8');
  const lint = tableIds(readme, '| rule | severity | what it catches |');
  assert.deepEqual(new Set(lint.map((r) => r.id)), new Set([...rules.map((r) => r.id), fileUnreadable.id]));
  for (const row of lint) assert.equal(row.second.split(' ')[0], ruleInfo(row.id)?.defaultSeverity, row.id);
  const datamover = tableIds(readme, '**Chain checks**').map((r) => r.id);
  assert.deepEqual(new Set(datamover), new Set(datamoverRuleInfo.map((r) => r.id)));
  const doctorSection = readme.slice(readme.indexOf('`doctor` scans a cluster'), readme.indexOf('## Language server'));
  for (const c of doctorChecks) assert.ok(doctorSection.includes(`\`${c.id}\``), `README's doctor section names ${c.id}`);
});
