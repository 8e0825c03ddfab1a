/**
 * The edit path's warm-up (server/warmUp.ts) edits the opened file and puts it back, presents and writes its report
 * into a thrown-away buffer. What is published afterwards must be what is published without it, byte for byte: a
 * server that warmed up and one that did not are given the same seeded random edits (incremental, as an editor sends
 * them) and their publishes compared after each, and with presenting a fresh analysis of the same text.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyRepoConfig } from '../../core/repoConfig.js';
import { defaultSettings } from '../../core/types.js';
import { Workspace } from '../../core/workspace.js';
import { encodeMessage, forgetWritten, publishedDiagnostics, toDiagnostic } from '../../server/diagnostics.js';
import { present, Presenter } from '../../server/presentation.js';
import { warmLines, warmUp, type WarmUpDeps } from '../../server/warmUp.js';
import { base } from '../fuzz/editScenario.js';
import { rng } from './yamlFuzz.js';

const options = { settings: defaultSettings };
const folders = [{ uri: 'file:///w', name: 'w' }];

/** A server's state for one open document: its Workspace, presenter and the writer's last report (by URI). */
function server(uri: string, text: string) {
  const workspace = new Workspace();
  workspace.setFile(uri, text);
  const presenter = new Presenter({ workspace, options: () => options, config: () => emptyRepoConfig, folders: () => folders });
  let version = 0;
  const publish = (current: string): string => {
    version++;
    const report = presenter.present(uri, { version, getText: () => current }, workspace.report(uri, options));
    return encodeMessage({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri, version, diagnostics: publishedDiagnostics(report, uri) } }).toString('utf8');
  };
  return { workspace, presenter, publish, version: () => version };
}

/** What a fresh analysis of `text`, presented, publishes. */
function freshPublish(uri: string, version: number, text: string): string {
  const ws = new Workspace();
  ws.setFile(uri, text);
  const diagnostics = present(uri, text, ws.findingsOf(uri, options), { workspace: ws, options: () => options, config: () => emptyRepoConfig, folders: () => folders }).map(toDiagnostic);
  return JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri, version, diagnostics } });
}

/** Runs the warm-up of `s` to its end, its steps one after another; how many there were. */
function warm(s: ReturnType<typeof server>, uri: string, text: string, current: () => boolean = () => true): number {
  const queue: (() => void)[] = [];
  const deps: WarmUpDeps = {
    workspace: s.workspace,
    presented: (k) => s.presenter.present(k, { version: s.version(), getText: () => text }, s.workspace.report(k, options)),
    later: (step) => queue.push(step),
    current,
    failed: (error) => assert.fail(`the warm-up failed: ${String(error)}`),
  };
  warmUp(deps, uri, uri);
  let steps = 0;
  for (let step = queue.shift(); step; step = queue.shift(), steps++) step();
  return steps;
}

test('the warm-up edits one document of each kind, at a line inside it', () => {
  const ws = new Workspace();
  ws.setFile('file:///w/a.yaml', base);
  const lines = warmLines(ws, 'file:///w/a.yaml');
  const kinds = new Set(ws.resources('file:///w/a.yaml').map((r) => r.kind));
  assert.equal(lines.length, Math.min(kinds.size, 6));
  for (const line of lines) {
    const doc = ws.resources('file:///w/a.yaml').find((r) => r.doc.startLine < line && line < r.doc.startLine + r.doc.lineCount);
    assert.ok(doc, `line ${line} is inside a document`);
  }
});

for (const seed of [5, 23]) test(`publishes after the warm-up are byte for byte those without it and a fresh analysis's, over 60 random edits (seed ${seed})`, () => {
  const r = rng(seed);
  const A = 'file:///w/warm.yaml';
  const B = 'file:///w/cold.yaml';
  let text = base;
  const warmed = server(A, text);
  const cold = server(B, text);
  const opened = [warmed.publish(text), cold.publish(text)];
  assert.ok(warm(warmed, A, text) > 1, 'the warm-up ran its steps');
  const same = (a: string, b: string, what: string) => assert.equal(a.replaceAll(A, B), b, what);
  same(opened[0]!, opened[1]!, 'the open');
  for (let i = 0; i < 60; i++) {
    const lines = text.split('\n');
    const at = Math.floor(r() * lines.length);
    const pick = r();
    // A comment line added, a line removed, or a digit changed: each as the ranged change an editor sends.
    let change: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string };
    if (pick < 0.4) change = { range: { start: { line: at, character: 0 }, end: { line: at, character: 0 } }, text: '# note\n' };
    else if (pick < 0.6 && at + 1 < lines.length) change = { range: { start: { line: at, character: 0 }, end: { line: at + 1, character: 0 } }, text: '' };
    else {
      const d = /[0-9]/.exec(lines[at]!);
      if (!d) continue;
      change = { range: { start: { line: at, character: d.index }, end: { line: at, character: d.index + 1 } }, text: String(Math.floor(r() * 10)) };
    }
    const { start, end } = change.range;
    lines.splice(start.line, end.line - start.line + 1, lines[start.line]!.slice(0, start.character) + change.text + lines[end.line]!.slice(end.character));
    text = lines.join('\n');
    for (const s of [warmed, cold]) s.workspace.editFile(s === warmed ? A : B, [change]);
    const w = warmed.publish(text);
    same(w, cold.publish(text), `edit ${i}`);
    assert.equal(w, freshPublish(A, warmed.version(), text), `edit ${i}, against a fresh analysis`);
  }
  forgetWritten(A);
  forgetWritten(B);
});

test('the warm-up stops when the document is edited (current() false): no step runs', () => {
  const A = 'file:///w/edited.yaml';
  const s = server(A, base);
  s.publish(base);
  let lines = 0;
  const ran = warm(s, A, base, () => (lines++, false));
  assert.equal(ran, 1, 'only the first step, which found the document edited and stopped');
  assert.ok(lines > 0);
  forgetWritten(A);
});
