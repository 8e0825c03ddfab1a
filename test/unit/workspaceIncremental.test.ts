/**
 * The incremental workspace (segment rope, per-segment findings relative to their first line, the facts index
 * compared by value, recorded fact lookups) against two references after every one of many random edits: a
 * fresh Workspace, and an oracle that shares none of that machinery (a one-shot parse with absolute positions,
 * facts built from every resource at once, every rule run on every document). And what an edit re-runs: one
 * document for an edit inside it, nothing more for a comment in a fact document, exactly the readers for a
 * changed fact.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layerFacts, noCluster } from '../../core/facts.js';
import { resourcesOf } from '../../core/resources.js';
import { rules } from '../../core/rules/index.js';
import type { RuleContext, RuleRunner } from '../../core/rules/rule.js';
import type { Finding, Settings, SourceFile } from '../../core/types.js';
import { defaultSettings } from '../../core/types.js';
import { Workspace, analyze } from '../../core/workspace.js';
import { workspaceFacts } from '../../core/workspaceFacts.js';
import { byPosition, runRules } from '../../core/workspaceRun.js';
import { parseYamlFile } from '../../core/yaml/documents.js';
import { docs, pvc, snapshot, storageClass } from './rules/helpers.js';
import { hintOf, rng, swapDocuments, type Rand } from './yamlFuzz.js';

/** The analysis without any of the workspace's caches. */
function oracle(files: SourceFile[], settings: Settings): Finding[] {
  const parsed = files.map((f) => parseYamlFile(f.file, f.text));
  const all = parsed.flatMap((p) => p.docs.flatMap((d) => resourcesOf(p.file, d)));
  const facts = layerFacts(workspaceFacts(all, settings.defaultNamespace), noCluster);
  return parsed.flatMap((p) =>
    p.docs.flatMap((d) => runRules(rules, p.file, d, resourcesOf(p.file, d), facts, settings, true, () => undefined)).sort(byPosition),
  );
}

const defaultClass = '    storageclass.kubernetes.io/is-default-class: "true"\n';
const pieces = [
  storageClass('nas', 'csi.trident.netapp.io'),
  storageClass('fast', 'rbd.csi.ceph.com', defaultClass),
  storageClass('nas', 'rbd.csi.ceph.com'),
  snapshot('a', '20Mi'),
  snapshot('a', '1Gi'),
  snapshot('b', undefined),
  snapshot('c', '1Gi', 'other'),
  pvc({ name: 'p1', snap: 'a', size: '21Mi', storageClass: 'nas' }),
  pvc({ name: 'p2', snap: 'a', size: '10Mi' }),
  pvc({ name: 'p3', snap: 'b', labelled: true, via: 'both' }),
  pvc({ name: 'p4', snap: 'missing', size: '20MB' }),
  pvc({ name: 'p5', snap: 'c', size: '2Gi', labelled: true, via: 'dataSourceRef', refNamespace: 'other' }),
  'apiVersion: cdi.kubevirt.io/v1beta1\nkind: CDIConfig\nmetadata:\n  name: config\nstatus:\n  filesystemOverhead:\n    global: "0.1"\n',
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: "1"\n',
  'bad: [\n',
  'a: 1\na: 2\n',
  // A VM naming PVCs and a DataVolume (claim objects, looked up by name), and such a DataVolume.
  'apiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata:\n  name: vm1\nspec:\n  template:\n    spec:\n      volumes:\n' +
    '      - name: v0\n        persistentVolumeClaim:\n          claimName: p1\n      - name: v1\n        persistentVolumeClaim:\n          claimName: a\n' +
    '      - name: v2\n        dataVolume:\n          name: dv1\n',
  'apiVersion: cdi.kubevirt.io/v1beta1\nkind: DataVolume\nmetadata:\n  name: dv1\nspec:\n  storage:\n    resources:\n      requests:\n        storage: 1Gi\n',
  // One document whose rules ask the same fact methods with different arguments (two snapshots, two classes): each
  // call is a dependency of its own. The second of each (snapshot default/a, class nas) is what the edits above
  // change alone most often (a restoreSize edit changes each snapshot independently; a provisioner edit the first
  // class of a file, nas), so a dependency recorded for the first call only leaves this document's findings stale.
  listOf(
    pvc({ name: 'l1', snap: 'c', size: '2Gi', storageClass: 'fast', via: 'dataSourceRef', refNamespace: 'other' }),
    pvc({ name: 'l2', snap: 'a', size: '21Mi', storageClass: 'nas', labelled: true }),
  ),
];

/** A `kind: List` of the given objects (each indented as an item). */
function listOf(...objects: string[]): string {
  const items = objects.map((o) => `- ${o.trimEnd().split('\n').join('\n  ')}\n`);
  return `apiVersion: v1\nkind: List\nitems:\n${items.join('')}`;
}

const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

type Edit = (t: string, r: Rand) => string;
const lineEdit = (f: (lines: string[], at: number, r: Rand) => void): Edit => (t, r) => {
  const lines = t.split('\n');
  f(lines, Math.floor(r() * (lines.length + 1)), r);
  return lines.join('\n');
};
const edits: Edit[] = [
  lineEdit((l, at) => l.splice(at, 0, '# note')),
  lineEdit((l, at) => l.splice(at, 0, '')),
  lineEdit((l, at) => l.splice(at, 1)),
  lineEdit((l, at) => l.splice(at, 0, '---')),
  lineEdit((l, at) => l.splice(at, 0, '  # indented note')),
  (t, r) => t.replace(/storage: \S+/g, (m) => (r() < 0.3 ? `storage: ${pick(r, ['20Mi', '21Mi', '1Gi', '5Gi', '19Mi', 'x'])}` : m)),
  (t, r) => t.replace(/restoreSize: \S+/g, (m) => (r() < 0.5 ? `restoreSize: ${pick(r, ['20Mi', '21Mi', '1Gi', '0'])}` : m)),
  (t, r) => t.replace(/provisioner: \S+/, r() < 0.5 ? 'provisioner: csi.trident.netapp.io' : 'provisioner: rbd.csi.ceph.com'),
  (t, r) => t.replace(/name: [a-z0-9]+\n/, (m) => (r() < 0.5 ? 'name: a\n' : m)),
  swapDocuments,
  (t, r) => {
    const parts = t.split('---\n');
    parts.splice(Math.floor(r() * (parts.length + 1)), 0, pick(r, pieces));
    return parts.join('---\n');
  },
  (t, r) => {
    const parts = t.split('---\n');
    if (parts.length > 1) parts.splice(Math.floor(r() * parts.length), 1);
    return parts.join('---\n');
  },
];


/** The editor position of `offset` (lines end at `\n`; the test texts have no CR). */
function positionOf(text: string, offset: number) {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

test('incremental findings equal a fresh analysis and the oracle after each of 600 random edits to three files', () => {
  const r = rng(20251201);
  const ws = new Workspace();
  const names = ['a.yaml', 'b.yaml', 'c.yaml'];
  const texts = new Map<string, string>([
    ['a.yaml', docs(...pieces.slice(0, 8))],
    ['b.yaml', docs(...pieces.slice(8, 13))],
    ['c.yaml', docs(...pieces.slice(13))],
  ]);
  for (const [f, t] of texts) ws.setFile(f, t);
  let settings: Settings = defaultSettings;
  for (let i = 0; i < 600; i++) {
    const file = pick(r, names);
    const x = r();
    if (x < 0.03) {
      settings = r() < 0.5 ? defaultSettings : { ...defaultSettings, defaultNamespace: pick(r, ['default', 'other']), strictProvisioners: r() < 0.5 ? [] : ['rbd.csi.ceph.com'] };
    } else if (x < 0.05 && texts.has(file)) {
      // A file leaves and comes back (last in file order now).
      ws.removeFile(file);
      const t = texts.get(file)!;
      texts.delete(file);
      if (r() < 0.5) {
        texts.set(file, t);
        ws.setFile(file, t);
      }
    } else {
      const before = texts.get(file) ?? '';
      let after = pick(r, edits)(before, r);
      if (after.length > 6000) after = pick(r, pieces);
      const had = texts.has(file);
      texts.set(file, after);
      const how = had ? r() : 1;
      if (how < 0.4) ws.setFile(file, after, hintOf(before, after));
      else if (how < 0.8) {
        // As an editor sends it: a range in positions of the text before, and the new text.
        const h = hintOf(before, after);
        const range = { start: positionOf(before, h.start), end: positionOf(before, h.oldEnd) };
        assert.ok(ws.editFile(file, [{ range, text: after.slice(h.start, h.newEnd) }], after.length), `editFile at edit ${i}`);
      } else ws.setFile(file, after);
    }
    const files = [...texts].map(([file, text]) => ({ file, text }));
    const incremental = files.flatMap((f) => ws.analyzeFile(f.file, { settings }));
    const fresh = analyze(files, settings);
    assert.deepEqual(incremental, fresh, `after edit ${i} (fresh)`);
    assert.deepEqual(incremental, oracle(files, settings), `after edit ${i} (oracle)`);
  }
});

test('a document that reads one fact method with two arguments is re-run when only the second one changes', () => {
  // The List's two PVCs read volumeSnapshot and storageClass twice each, with other arguments: every call is a
  // dependency. Each edit changes one of the four facts alone, from the same start.
  const factsText = docs(storageClass('fast', 'rbd.csi.ceph.com', defaultClass), storageClass('nas', 'csi.trident.netapp.io'), snapshot('c', '1Gi', 'other'), snapshot('a', '20Mi'));
  const list = listOf(
    pvc({ name: 'l1', snap: 'c', size: '2Gi', storageClass: 'fast', via: 'dataSourceRef', refNamespace: 'other' }),
    pvc({ name: 'l2', snap: 'a', size: '21Mi', storageClass: 'nas', labelled: true }),
  );
  const changes: [string, string][] = [
    ['the first snapshot', factsText.replace('restoreSize: 1Gi', 'restoreSize: 3Gi')],
    ['the second snapshot', factsText.replace('restoreSize: 20Mi', 'restoreSize: 30Mi')],
    ['the first class', factsText.replace('provisioner: rbd.csi.ceph.com', 'provisioner: csi.trident.netapp.io')],
    ['the second class', factsText.replace('provisioner: csi.trident.netapp.io', 'provisioner: rbd.csi.ceph.com')],
  ];
  for (const [what, changed] of changes) {
    const ws = new Workspace();
    ws.setFile('facts.yaml', factsText);
    ws.setFile('list.yaml', list);
    const before = ws.analyzeFile('list.yaml', { settings: defaultSettings });
    ws.setFile('facts.yaml', changed, hintOf(factsText, changed));
    const after = ws.analyzeFile('list.yaml', { settings: defaultSettings });
    const fresh = analyze([{ file: 'facts.yaml', text: changed }, { file: 'list.yaml', text: list }], defaultSettings).filter((f) => f.file === 'list.yaml');
    assert.notDeepEqual(fresh, before, `${what}: the edit changes the List's findings (else this checks nothing)`);
    assert.deepEqual(after, fresh, what);
  }
});

/** A rule that counts the documents it runs on (by their first key's value), for the tests below. */
function counting(reads: 'document' | 'facts'): RuleRunner & { runs: string[] } {
  const runs: string[] = [];
  return {
    id: `count-${reads}`,
    reads,
    runs,
    run(ctx) {
      if (reads === 'facts') for (const r of ctx.restores) void r.snapshot;
      runs.push(ctx.resources[0]?.name ?? '?');
      return [];
    },
  };
}

function bigFile(n: number): string {
  const parts: string[] = [storageClass('nas', 'csi.trident.netapp.io'), snapshot('a', '20Mi')];
  for (let i = 0; i < n; i++) parts.push(i % 2 ? pvc({ name: `p${i}`, snap: i % 4 === 1 ? 'a' : `s${i}`, storageClass: 'nas' }) : snapshot(`s${i + 1}`, '1Gi'));
  return docs(...parts);
}

test('an edit runs the rules on the documents it touches and on the readers of a fact it changed, nothing else', () => {
  const local = counting('document');
  const factual = counting('facts');
  const ws = new Workspace(undefined, [...rules, local, factual]);
  let text = bigFile(2000);
  ws.setFile('f.yaml', text);
  const options = { settings: defaultSettings };
  const cold = ws.analyzeFile('f.yaml', options);
  assert.equal(local.runs.length, 2002);
  const edit = (next: string) => {
    const hint = hintOf(text, next);
    text = next;
    local.runs.length = 0;
    factual.runs.length = 0;
    ws.setFile('f.yaml', text, hint);
    return ws.analyzeFile('f.yaml', options);
  };

  // A line inserted at the top: the first document runs again, every other keeps its findings (moved down).
  const moved = edit(`# a comment\n${text}`);
  assert.deepEqual([local.runs, factual.runs], [['nas'], ['nas']]);
  assert.deepEqual(moved.map((f) => f.range.start.line), cold.map((f) => f.range.start.line + 1));

  // A comment in the snapshot 500 PVCs restore: that document only (its fact is the same by value).
  const comment = edit(text.replace('  name: a\n', '  name: a\n  # restored by many\n'));
  assert.deepEqual([local.runs, factual.runs], [['a'], ['a']]);
  assert.equal(comment.length, moved.length);

  // Its restoreSize changed: the snapshot and the 500 PVCs that read it.
  edit(text.replace('restoreSize: 20Mi', 'restoreSize: 10Mi'));
  assert.deepEqual(local.runs, ['a']);
  assert.equal(factual.runs.length, 501);

  // A request in one PVC: that PVC.
  edit(text.replace(/(name: p1001\n[^]*?storage: )20Mi/, '$120Gi'));
  assert.deepEqual([local.runs, factual.runs], [['p1001'], ['p1001']]);
});

test("a finding at a segment's very end, where the next segment's first finding sits, is placed in order", () => {
  // Two rules: one finding where the document's segment ends (the next one's first line), one at each start.
  const at = (rule: string, line: (ctx: RuleContext) => number): RuleRunner => ({
    id: rule,
    reads: 'document',
    run: (ctx) => {
      const l = line(ctx);
      return [{ file: ctx.file, rule, severity: 'info', message: rule, range: { start: { line: l, character: 0 }, end: { line: l, character: 0 } } }];
    },
  });
  const ruleSet = [at('zz-end', (ctx) => ctx.doc.startLine + ctx.doc.lineCount), at('aa-start', (ctx) => ctx.doc.startLine)];
  const ws = new Workspace(undefined, ruleSet);
  const options = { settings: defaultSettings };
  let text = 'a: 1\n---\nb: 2\n---\nc: 3\n';
  const check = (what: string) => {
    const report = ws.report('f.yaml', options);
    const all = report.all().map((f) => `${f.range.start.line}:${f.rule}`);
    assert.deepEqual(all, [...report.all()].sort(byPosition).map((f) => `${f.range.start.line}:${f.rule}`), what);
    const once = analyze([{ file: 'f.yaml', text }], defaultSettings, noCluster, undefined, ruleSet);
    assert.deepEqual(all, once.map((f) => `${f.range.start.line}:${f.rule}`), what);
    return report.sorted;
  };
  ws.setFile('f.yaml', text);
  check('cold');
  for (const [i, next] of [`# top\n${text}`, text.replace('b: 2', 'b: 22'), text.replace('c: 3\n', 'c: 3\n# end\n'), 'a: 1\n'].entries()) {
    const hint = hintOf(text, next);
    text = next;
    ws.setFile('f.yaml', text, hint);
    check(`after edit ${i}`);
  }
  // The scenario did place blocks out of order (not only sorted ones).
  ws.setFile('g.yaml', 'a: 1\n---\nb: 2\n');
  assert.equal(ws.report('g.yaml', options).sorted, false);
});
