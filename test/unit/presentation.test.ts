/**
 * The server's presentation per report block (server/presentation.ts `Presenter`, the edit path) must publish
 * what presenting a fresh full analysis of the same texts gives (`present`): checked over seeded random edits
 * that move, break and reorder documents, add and remove suppression annotations and comments, and change the
 * .kvstorage.yaml in force; plus a table of Helm template cases across document versions. What the stdio transport
 * sends (diagnostics.ts `encodeMessage`, written from kept templates) must be the JSON of the fresh presentation's
 * diagnostics, byte for byte.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ANNOTATION } from '../../core/kinds/index.js';
import { emptyRepoConfig, type RepoConfig } from '../../core/repoConfig.js';
import { ignoreComment } from '../../core/suppress.js';
import { defaultSettings, type Finding } from '../../core/types.js';
import { Workspace, type AnalyzeOptions } from '../../core/workspace.js';
import { encodeMessage, publishedDiagnostics, toDiagnostic } from '../../server/diagnostics.js';
import { present, Presenter, type PresentationDeps } from '../../server/presentation.js';
import { base, edits, hintOf, second } from '../fuzz/editScenario.js';
import { rng } from './yamlFuzz.js';

const folders = [{ uri: 'file:///w', name: 'w' }];
const A = 'file:///w/a.yaml';
const B = 'file:///w/b.yaml';

/** Edits of the suppressions: an annotation on an object, a trailing comment on a line; and their removal. */
const suppressionEdits: ((t: string, r: () => number) => string)[] = [
  (t, r) => {
    const names = [...t.matchAll(/^ {2}name: (\S+)$/gm)];
    if (names.length === 0) return t;
    const m = names[Math.floor(r() * names.length)]!;
    const rules = ['restore-size-exceeded', 'all', 'snapshot-not-found,restore-size-unknown'][Math.floor(r() * 3)]!;
    const at = m.index! + m[0].length;
    return `${t.slice(0, at)}\n  annotations:\n    ${ANNOTATION.ignoreRules}: ${rules}${t.slice(at)}`;
  },
  (t, r) => {
    const lines = t.split('\n');
    const i = Math.floor(r() * lines.length);
    const ids = ['', ' restore-size-exceeded', ' all'][Math.floor(r() * 3)]!;
    if (lines[i]!.trim() !== '' && !lines[i]!.includes('#')) lines[i] = `${lines[i]} # ${ignoreComment}${ids}`;
    return lines.join('\n');
  },
  (t) => t.replace(new RegExp(`\\n  annotations:\\n    ${ANNOTATION.ignoreRules}: \\S+`), ''),
  (t) => t.replace(new RegExp(` # ${ignoreComment}[^\\n]*`), ''),
];

const configs: RepoConfig[] = [
  emptyRepoConfig,
  { rules: new Map([['restore-size-exceeded', 'off']]) },
  { rules: new Map([['snapshot-not-found', 'info'], ['restore-size-unknown', 'error']]) },
];

function depsOf(workspace: Workspace, options: AnalyzeOptions, config: () => RepoConfig): PresentationDeps {
  return { workspace, options: () => options, config: () => config(), folders: () => folders };
}

/** A publish of `diagnostics`, as JSON. */
function publishJson(key: string, version: number, diagnostics: unknown): string {
  return JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: key, version, diagnostics } });
}

/** What the stdio transport writes for the presented report (and what JSON.stringify makes of the same message). */
function sent(key: string, version: number, report: Parameters<typeof publishedDiagnostics>[0]): string {
  const message = JSON.parse(publishJson(key, version, [])) as { params: { diagnostics: unknown } };
  message.params.diagnostics = publishedDiagnostics(report, key);
  const bytes = encodeMessage(message).toString('utf8');
  assert.equal(bytes, JSON.stringify(message), 'the encoder writes what JSON.stringify (toJSON) makes');
  return bytes;
}

/** Presenting a fresh analysis of the texts, as the server did before the per-block path. */
function fresh(texts: Record<string, string>, key: string, config: RepoConfig): Finding[] {
  const ws = new Workspace();
  for (const [k, t] of Object.entries(texts)) ws.setFile(k, t);
  const options = { settings: defaultSettings };
  // Related objects located through the file's objects (`resources`), not the Workspace's per-object lookup.
  const reference = {
    files: () => ws.files(),
    parsedFile: (file: string) => ws.parsedFile(file),
    resources: (file: string) => ws.resources(file),
    facts: (o: AnalyzeOptions) => ws.facts(o),
  } as unknown as Workspace;
  return present(key, texts[key]!, ws.findingsOf(key, options), depsOf(reference, options, () => config));
}

for (const seed of [3, 11]) test(`per-block presentation equals presenting a fresh analysis after each of 250 random edits (seed ${seed})`, () => {
  const r = rng(seed);
  const ws = new Workspace();
  const options = { settings: defaultSettings };
  let config = emptyRepoConfig;
  const presenter = new Presenter(depsOf(ws, options, () => config));
  const texts: Record<string, string> = { [A]: base, [B]: second };
  ws.setFile(A, texts[A]!);
  ws.setFile(B, texts[B]!);
  let suppressed = 0;
  for (let i = 0; i < 250; i++) {
    const pick = r();
    if (pick < 0.1) {
      // A .kvstorage.yaml edit: a new configuration object.
      const c = configs[Math.floor(r() * configs.length)]!;
      config = { ...c, rules: new Map(c.rules) };
    } else {
      const key = r() < 0.8 ? A : B;
      const list = pick < 0.55 ? suppressionEdits : edits;
      const before = texts[key]!;
      texts[key] = list[Math.floor(r() * list.length)]!(before, r);
      ws.setFile(key, texts[key]!, r() < 0.5 ? hintOf(before, texts[key]!) : undefined);
    }
    for (const key of [A, B]) {
      const text = texts[key]!;
      const report = presenter.present(key, { version: i, getText: () => text }, ws.report(key, options));
      const shown = report.all();
      const expected = fresh(texts, key, config);
      assert.deepEqual(shown, expected, `${key} after edit ${i}`);
      assert.equal(sent(key, i, report), publishJson(key, i, expected.map(toDiagnostic)), `${key}'s publish after edit ${i}`);
      suppressed += ws.findingsOf(key, options).length - shown.length;
    }
  }
  // The scenario did exercise suppressions and rules turned off (not only findings passed through).
  assert.ok(suppressed > 0);
});

test('findings naming objects keep their related places in step when those objects move', () => {
  const ws = new Workspace();
  const options = { settings: defaultSettings };
  const presenter = new Presenter(depsOf(ws, options, () => emptyRepoConfig));
  let text = base;
  ws.setFile(A, text);
  const relatedLines = () =>
    presenter.present(A, { version: 0, getText: () => text }, ws.report(A, options)).all().flatMap((f) => (f.related ?? []).map((x) => x.range.start.line));
  const before = relatedLines();
  assert.ok(before.length > 0);
  text = `# a line above everything\n${text}`;
  ws.setFile(A, text);
  assert.deepEqual(relatedLines(), before.map((l) => l + 1));
});

test('a related object in another file follows lines added and removed above and below it, in the publish too', () => {
  const ws = new Workspace();
  const options = { settings: defaultSettings };
  const presenter = new Presenter(depsOf(ws, options, () => emptyRepoConfig));
  const texts: Record<string, string> = { [A]: base, [B]: second };
  ws.setFile(A, texts[A]!);
  ws.setFile(B, texts[B]!);
  // q in B restores snapshot a of A: its finding links a's name in A.
  const linesInA = (version: number) => {
    const report = presenter.present(B, { version, getText: () => texts[B]! }, ws.report(B, options));
    assert.equal(sent(B, version, report), publishJson(B, version, fresh(texts, B, emptyRepoConfig).map(toDiagnostic)), `version ${version}`);
    return report.all().flatMap((f) => (f.related ?? []).filter((x) => x.file === A).map((x) => x.range.start.line));
  };
  const before = linesInA(0);
  assert.ok(before.length > 0);
  const nameOfA = () => texts[A]!.split('\n').findIndex((l) => l === '  name: a');
  const edit = (at: number, remove: number, insert: string[]) => {
    const lines = texts[A]!.split('\n');
    lines.splice(at, remove, ...insert);
    texts[A] = lines.join('\n');
    ws.editFile(A, [{ range: { start: { line: at, character: 0 }, end: { line: at + remove, character: 0 } }, text: insert.map((l) => `${l}\n`).join('') }]);
  };
  edit(0, 0, ['# one', '# two']);
  assert.deepEqual(linesInA(1), before.map((l) => l + 2), 'two lines added at the top of A');
  edit(nameOfA() + 10, 0, ['# below']);
  assert.deepEqual(linesInA(2), before.map((l) => l + 2), 'a line added below the object');
  edit(1, 1, []);
  assert.deepEqual(linesInA(3), before.map((l) => l + 1), 'a line removed above it');
  edit(nameOfA() + 1, 0, ['# in its document']);
  assert.deepEqual(linesInA(4), before.map((l) => l + 1), 'a comment in its own document, below its name');
  edit(nameOfA(), 0, ['# in its document, above its name']);
  assert.deepEqual(linesInA(5), before.map((l) => l + 2), 'a comment in its own document, above its name');
});

test('an object defined twice in the file: related places name the one a fresh presentation names', () => {
  const snapshotA = base.split('\n---\n').find((d) => d.includes('kind: VolumeSnapshot') && d.includes('name: a'))!;
  const ws = new Workspace();
  const options = { settings: defaultSettings };
  const presenter = new Presenter(depsOf(ws, options, () => emptyRepoConfig));
  let text = `${base}\n---\n${snapshotA}\n`;
  for (const [version, next] of [text, `${snapshotA}\n---\n${text}`, text.replace(snapshotA, '# gone')].entries()) {
    text = next;
    ws.setFile(A, text);
    const shown = presenter.present(A, { version, getText: () => text }, ws.report(A, options)).all();
    assert.deepEqual(shown, fresh({ [A]: text }, A, emptyRepoConfig), `version ${version}`);
    assert.ok(shown.some((f) => f.related?.length), `version ${version}`);
  }
});

test('Helm templates: decided per document version, by path and text', () => {
  const ws = new Workspace();
  const options = { settings: defaultSettings };
  let config = emptyRepoConfig;
  const presenter = new Presenter(depsOf(ws, options, () => config));
  const key = 'file:///w/chart/templates/pvc.yaml';
  const cases: Array<{ text: string; config?: RepoConfig; helm: boolean }> = [
    { text: base, helm: false },
    { text: `${base}\n# {{ .Values.size }}\n`, helm: true },
    { text: `${base}\n# {{ .Values.size }}\n`, config: { rules: new Map([['helm-template', 'off']]) }, helm: false },
    { text: base, helm: false },
  ];
  cases.forEach((c, version) => {
    config = c.config ?? emptyRepoConfig;
    ws.setFile(key, c.text);
    const shown = presenter.present(key, { version, getText: () => c.text }, ws.report(key, options)).all();
    assert.deepEqual(shown, fresh({ [key]: c.text }, key, config), `case ${version}`);
    assert.equal(shown.some((f) => f.rule === 'helm-template'), c.helm, `case ${version}`);
  });
});
