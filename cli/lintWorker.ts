/**
 * A worker thread of `kvstorage lint` (lintParallel.ts drives it): it indexes its share of the files, reports the
 * facts they contribute, then analyses them against the facts of every share. Each message is answered in turn.
 */
import { parentPort } from 'node:worker_threads';
import { rules } from '../core/rules/index.js';
import type { Finding, Settings } from '../core/types.js';
import { Workspace } from '../core/workspace.js';
import { sharedFacts, type SharedFact } from '../core/workspaceIndex.js';

/** One file of a share, or a piece of a large one (whole documents from `firstSegment` on). */
export interface SharedFile {
  rank: number;
  file: string;
  text: string;
  /** For a piece: the index of its first segment in the whole file, and (in the second message) what comes before. */
  firstSegment?: number;
  before?: { lines: number; docs: number };
}

export type ToWorker =
  | { type: 'index'; files: SharedFile[]; settings: Settings; rules: string[] }
  | { type: 'analyse'; winners: SharedFact[]; before: ({ lines: number; docs: number } | undefined)[] };

export type FromWorker =
  | { type: 'facts'; facts: SharedFact[]; docs: number[] }
  | { type: 'findings'; done: boolean; files: { rank: number; findings: Finding[] }[]; crashes: { rule: string; file: string; error: string }[] };

/** Files per findings message: the main thread writes them out in order as they come. */
const batch = 200;

function serve(port: NonNullable<typeof parentPort>): void {
  let workspace: Workspace | undefined;
  let files: SharedFile[] = [];
  let settings: Settings | undefined;
  const crashes: { rule: string; file: string; error: string }[] = [];
  port.on('message', (m: ToWorker) => {
    if (m.type === 'index') {
      files = m.files;
      settings = m.settings;
      const enabled = new Set(m.rules);
      workspace = new Workspace(
        (rule, file, error) => crashes.push({ rule, file, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
        rules.filter((r) => enabled.has(r.id)),
      );
      for (const f of files) workspace.setFile(f.file, f.text);
      workspace.facts({ settings });
      const first = new Map(files.map((f) => [f.file, f]));
      const facts: SharedFact[] = workspace.contributedFacts().map((c) => {
        const f = first.get(c.file)!;
        return { kind: c.kind, key: c.key, fact: c.fact, rank: f.rank, position: c.position + (f.firstSegment ?? 0), sub: c.sub };
      });
      port.postMessage({ type: 'facts', facts, docs: files.map((f) => workspace!.documentCount(f.file)) } satisfies FromWorker);
      return;
    }
    const ws = workspace!;
    const facts = sharedFacts(m.winners).facts;
    // A piece of a large file: what comes before it in the file is stood in for by empty documents and lines, so
    // that its positions and document numbers are the whole file's (the segments themselves are kept).
    m.before.forEach((before, i) => {
      const f = files[i]!;
      if (before && (before.docs > 0 || before.lines > 0)) ws.setFile(f.file, '---\n'.repeat(before.docs) + '\n'.repeat(before.lines - before.docs) + f.text);
    });
    for (let i = 0; i < files.length; i += batch) {
      const out = files.slice(i, i + batch).map((f) => ({ rank: f.rank, findings: ws.analyzeFile(f.file, { settings: settings!, facts }) }));
      const done = i + batch >= files.length;
      port.postMessage({ type: 'findings', done, files: out, crashes: done ? crashes : [] } satisfies FromWorker);
    }
    if (files.length === 0) port.postMessage({ type: 'findings', done: true, files: [], crashes } satisfies FromWorker);
  });
}

if (parentPort) serve(parentPort);
