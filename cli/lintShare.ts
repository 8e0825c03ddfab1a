/**
 * One share of a parallel `kvstorage lint` (lintParallel.ts): it indexes its files, tells the facts they
 * contribute, then analyses them against the facts of every share, in batches. A worker thread (lintWorker.ts)
 * holds one; the calling thread holds another for the first share, so that on two CPUs one worker and this
 * thread do the work (a second worker would load, compile and collect garbage for the same code again).
 */
import { rules } from '../core/rules/index.js';
import type { Facts } from '../core/facts.js';
import type { Finding, Settings } from '../core/types.js';
import { Workspace, type WorkspaceOptions } from '../core/workspace.js';
import { sharedFacts, type SharedFact } from '../core/workspaceIndex.js';

/** One file of a share, or a piece of a large one (whole documents from `firstSegment` on). */
export interface SharedFile {
  rank: number;
  file: string;
  text: string;
  /** For a piece: the index of its first segment in the whole file. */
  firstSegment?: number;
}

/** What comes before a piece of a large file: its lines and documents. */
export interface Before {
  lines: number;
  docs: number;
}

export interface Indexed {
  facts: SharedFact[];
  /** Documents in each file of the share. */
  docs: number[];
}

export interface Crash {
  rule: string;
  file: string;
  error: string;
}

export interface FindingsBatch {
  done: boolean;
  files: { rank: number; findings: Finding[] }[];
  crashes: Crash[];
}

/**
 * The CLI sets each file once and analyses it once: no fact reads recorded for later edits, and no cache of
 * parsed segments by text (the files of a repository seldom repeat one another).
 */
export const oneShotWorkspace: WorkspaceOptions = { oneShot: true, cacheEntries: 0 };

/** Files per batch of findings: the calling thread writes them out in order as they come. */
const batch = 200;

export class Share {
  private readonly crashes: Crash[] = [];
  private readonly workspace: Workspace;

  constructor(
    private readonly files: SharedFile[],
    private readonly settings: Settings,
    ruleIds: readonly string[],
  ) {
    const enabled = new Set(ruleIds);
    this.workspace = new Workspace(
      (rule, file, error) => this.crashes.push({ rule, file, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
      rules.filter((r) => enabled.has(r.id)),
      oneShotWorkspace,
    );
  }

  index(): Indexed {
    const ws = this.workspace;
    for (const f of this.files) ws.setFile(f.file, f.text);
    ws.facts({ settings: this.settings });
    const first = new Map(this.files.map((f) => [f.file, f]));
    const facts: SharedFact[] = ws.contributedFacts().map((c) => {
      const f = first.get(c.file)!;
      return { kind: c.kind, key: c.key, fact: c.fact, rank: f.rank, position: c.position + (f.firstSegment ?? 0), sub: c.sub };
    });
    return { facts, docs: this.files.map((f) => ws.documentCount(f.file)) };
  }

  /** `facts`: every share's (`sharedFacts` of the winners); `before[i]`: what precedes `files[i]` when it is a piece. */
  *analyse(facts: Facts, before: readonly (Before | undefined)[]): Generator<FindingsBatch> {
    const ws = this.workspace;
    // A piece of a large file: what comes before it in the file is stood in for by empty documents and lines, so
    // that its positions and document numbers are the whole file's (the segments themselves are kept).
    before.forEach((b, i) => {
      const f = this.files[i]!;
      if (b && (b.docs > 0 || b.lines > 0)) ws.setFile(f.file, '---\n'.repeat(b.docs) + '\n'.repeat(b.lines - b.docs) + f.text);
    });
    for (let i = 0; i < this.files.length; i += batch) {
      const out = this.files.slice(i, i + batch).map((f) => ({ rank: f.rank, findings: ws.analyzeFile(f.file, { settings: this.settings, facts }) }));
      const done = i + batch >= this.files.length;
      yield { done, files: out, crashes: done ? this.crashes : [] };
    }
    if (this.files.length === 0) yield { done: true, files: [], crashes: this.crashes };
  }
}

/** The facts to analyse against, from the winners `sharedFacts` chose over every share's contributions. */
export function factsOfWinners(winners: readonly SharedFact[]): Facts {
  return sharedFacts(winners).facts;
}
