/**
 * The stdio writer's publishes (server/diagnostics.ts `encodeMessage` of `publishedDiagnostics(report, document)`)
 * copy each block the document's last report had at the same line and write the others from templates: the bytes
 * must be what `JSON.stringify` makes of the message, whatever happened to the blocks in between. Checked over
 * seeded random sequences of reports that keep, move, replace, remove (more than the writer's look-ahead at once)
 * and insert blocks, for documents written in turns (more of them than the writer keeps), pushed and pulled.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../../core/types.js';
import type { FileFindings, FindingBlock } from '../../core/workspace.js';
import { encodeMessage, publishedDiagnostics } from '../../server/diagnostics.js';
import { rng } from './yamlFuzz.js';

/** A report of `blocks` in order, as the Workspace hands it out (sorted: the blocks placed in order). */
function reportOf(blocks: FindingBlock[]): FileFindings {
  return {
    blocks,
    sorted: true,
    all: () => blocks.flatMap((b) => b.findings.map((f) => ({ ...f, range: { start: { ...f.range.start, line: f.range.start.line + b.line }, end: { ...f.range.end, line: f.range.end.line + b.line } } }))),
  };
}

let made = 0;
/** A block's findings (relative to its line): new objects each time, some naming other places, one non-ASCII. */
function findingsOf(r: () => number, file: string): Finding[] {
  const n = Math.floor(r() * 3); // 0 to 2: blocks without findings are skipped by the writer
  return Array.from({ length: n }, (_, i) => {
    const line = Math.floor(r() * 5);
    const f: Finding = {
      rule: ['restore-size-exceeded', 'snapshot-not-found', 'invalid-quantity'][Math.floor(r() * 3)]!,
      severity: r() < 0.5 ? 'warning' : 'error',
      message: `finding ${made++} ${r() < 0.2 ? 'asks ≥ 10Gi — “quoted”' : 'plain'}`,
      file,
      range: { start: { line, character: i }, end: { line: line + Math.floor(r() * 2), character: 4 + i } },
    };
    if (r() < 0.4) f.related = [{ file, range: { start: { line: Math.floor(r() * 900), character: 2 }, end: { line: Math.floor(r() * 900), character: 9 } }, message: 'VolumeSnapshot ns/snap: the snapshot restored' }];
    return f;
  });
}

/** One edit's worth of change to a document's blocks: the lines are placed afterwards. */
function edited(blocks: { findings: readonly Finding[]; lines: number }[], r: () => number, file: string): void {
  const at = Math.floor(r() * (blocks.length + 1));
  const what = r();
  if (what < 0.3 && blocks.length > 0) blocks[Math.min(at, blocks.length - 1)]!.lines += Math.floor(r() * 3) - 1; // a line added or removed in it
  else if (what < 0.5 && blocks.length > 0) blocks[Math.min(at, blocks.length - 1)]!.findings = findingsOf(r, file); // its findings changed
  else if (what < 0.65) blocks.splice(at, Math.floor(r() * 25)); // documents removed, often more than the look-ahead
  else if (what < 0.85) blocks.splice(at, 0, ...Array.from({ length: 1 + Math.floor(r() * 4) }, () => ({ findings: findingsOf(r, file), lines: 1 + Math.floor(r() * 6) })));
  // else: nothing changed (a comment in a document without findings)
}

for (const seed of [1, 2, 3]) test(`publishes written from the last report's blocks equal JSON.stringify (seed ${seed})`, () => {
  const r = rng(seed);
  const docs = Array.from({ length: 10 }, (_, d) => {
    const file = `file:///w/doc${d}.yaml`;
    return { file, blocks: Array.from({ length: 40 }, () => ({ findings: findingsOf(r, file), lines: 1 + Math.floor(r() * 6) })), kept: new Map<readonly Finding[], FindingBlock>() };
  });
  let copiedAtLeastOnce = false;
  for (let step = 0; step < 400; step++) {
    // Mostly the first two documents in turns, sometimes any of the ten (the writer keeps the last eight).
    const doc = docs[r() < 0.8 ? step % 2 : Math.floor(r() * docs.length)]!;
    edited(doc.blocks, r, doc.file);
    let line = 0;
    const blocks: FindingBlock[] = [];
    for (const b of doc.blocks) {
      // The Workspace's block object while a block's findings and line are the same; a new one otherwise.
      const known = doc.kept.get(b.findings);
      const block = known?.line === line ? known : { line, findings: b.findings, source: undefined };
      doc.kept.set(b.findings, block);
      if (known === block) copiedAtLeastOnce = true;
      blocks.push(block);
      line += b.lines;
    }
    const report = reportOf(blocks);
    const pulled = r() < 0.2;
    const message = pulled
      ? { jsonrpc: '2.0', id: step, result: { kind: 'full', resultId: String(step), items: publishedDiagnostics(report, doc.file) } }
      : { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: doc.file, version: step, diagnostics: publishedDiagnostics(report, doc.file) } };
    assert.equal(encodeMessage(message).toString('utf8'), JSON.stringify(message), `step ${step}, ${doc.file}`);
  }
  assert.ok(copiedAtLeastOnce, 'some blocks were at the same line as in the last report');
});
