/**
 * `kvstorage lint` over threads, for folders of many files and for large files: this one and worker threads
 * (lintWorker.ts). The files are cut into one contiguous share per thread (a large file into pieces of whole
 * documents, one per thread); each thread indexes its share and reports the facts it contributes; the first
 * definition of each object in file order wins, as in one Workspace holding everything; then every thread
 * analyses its share against those facts (lintShare.ts). Findings come back in batches and are handed on in file order, whatever the workers' pace: the output
 * is the same as one thread's, byte for byte.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Finding, Settings, SourceFile } from '../core/types.js';
import { sharedFacts, type SharedFact } from '../core/workspaceIndex.js';
import { byPosition } from '../core/workspaceRun.js';
import { splitDocuments } from '../core/yaml/split.js';
import { Share, type FindingsBatch, type Indexed, type SharedFile } from './lintShare.js';
import type { FromWorker, ToWorker } from './lintWorker.js';

/** A file of this size or more is cut into pieces, one per worker. */
export const pieceBytes = 1 << 20;
/** Below this much work, one thread is quicker than starting workers. */
export const parallelBytes = 2 << 20;
export const parallelFiles = 500;

export interface ParallelRun {
  /** `files[i]`'s findings, called in file order. */
  onFile: (index: number, findings: Finding[]) => void;
  /** A rule threw (a bug); the run goes on. */
  onCrash: (rule: string, file: string, error: string) => void;
}

/** How many threads (this one and workers) are worth it for these files (`jobs` undefined: decide by size). */
export function workersFor(files: readonly SourceFile[], jobs: number | undefined, cpus: number): number {
  return threadsFor(files.length, files.reduce((n, f) => n + f.text.length, 0), jobs, cpus);
}

/**
 * `workersFor` from a count of files and their size. By default one thread per two CPUs: V8 compiles the hot
 * code and collects garbage on background threads, about as much CPU again as the thread analysing, and each
 * worker does all of that afresh for the same code. On two CPUs a second thread made the run slower (10,000
 * files: 3.9 s of CPU instead of 2.7 s, the second CPU already busy with the first thread's compiling and GC), and
 * still does with V8's smaller inlining (v8Flags.ts): 3.6–4.0 s against 2.4–2.5 s (bench/README.md, lintscale3).
 */
export function threadsFor(files: number, bytes: number, jobs: number | undefined, cpus: number): number {
  if (jobs !== undefined) return Math.max(1, jobs);
  return bytes >= parallelBytes || files >= parallelFiles ? Math.max(1, Math.min(Math.floor(cpus / 2), 8)) : 1;
}

/** The worker's script: the bundle's sibling, or the source when running from source (tests, tsx). */
function workerScript(): string {
  const js = join(__dirname, 'lintWorker.js');
  return existsSync(js) ? js : join(__dirname, 'lintWorker.ts');
}

/** Contiguous shares of about equal size; a file past `pieceBytes` is cut into one piece of documents per worker. */
function shares(files: readonly { rank: number; file: string; text: string }[], workers: number): SharedFile[][] {
  const parts: (SharedFile & { lineAt: number })[] = [];
  for (const f of files) {
    if (f.text.length < pieceBytes || workers < 2) {
      parts.push({ ...f, lineAt: 0 });
      continue;
    }
    const spans = splitDocuments(f.text);
    let start = 0;
    let segment = 0;
    let line = 0;
    for (let w = 1; w <= workers; w++) {
      // Cut where a segment starts with `---` (the stand-in documents before a piece need one there).
      let cut = spans.length;
      if (w < workers) {
        const target = (f.text.length * w) / workers;
        cut = spans.findIndex((s, i) => i > segment && s.start >= target && f.text.startsWith('---', s.start));
        if (cut < 0) cut = spans.length;
      }
      if (cut <= segment) continue;
      const end = cut < spans.length ? spans[cut]!.start : f.text.length;
      const text = f.text.slice(start, end);
      parts.push({ rank: f.rank, file: f.file, text, firstSegment: segment, lineAt: line });
      line += countLines(text);
      start = end;
      segment = cut;
      if (cut >= spans.length) break;
    }
  }
  const total = parts.reduce((n, p) => n + p.text.length, 0);
  const out: SharedFile[][] = Array.from({ length: workers }, () => []);
  let w = 0;
  let filled = 0;
  for (const p of parts) {
    // A worker holds at most one piece of a file: pieces of one file go to successive workers.
    const last = out[w]![out[w]!.length - 1];
    const holdsFile = last?.file === p.file;
    if ((filled >= (total * (w + 1)) / workers || holdsFile) && w < workers - 1) w++;
    filled += p.text.length;
    // The last worker already holds the previous piece: one piece of the two (they are consecutive).
    if (holdsFile && out[w]!.length > 0 && out[w]![out[w]!.length - 1] === last) last!.text += p.text;
    else out[w]!.push(p);
  }
  return out;
}

/** Line breaks in `text` as the editor counts them (`\r\n`, `\r`, `\n`). */
function countLines(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      n++;
    }
  }
  return n;
}

/** Worker threads started ahead (while the files are read), for `analyzeInWorkers` to use or terminate. */
export function startWorkers(count: number): Worker[] {
  return Array.from({ length: Math.max(0, count) }, () => new Worker(workerScript()));
}

/**
 * Analyses the YAML `files` (no datamover files: those are checked in the calling thread) in `threads` threads:
 * this one (the first share) and `threads - 1` workers (`started` ones first; any left over are terminated).
 * `ranks[i]` is `files[i]`'s place in the whole input. Resolves once every finding was handed on; false (nothing
 * handed on) when the files could not be cut as planned, and one thread should do it.
 */
export async function analyzeInWorkers(
  files: readonly SourceFile[],
  ranks: readonly number[],
  settings: Settings,
  ruleIds: readonly string[],
  threads: number,
  run: ParallelRun,
  started: readonly Worker[] = [],
): Promise<boolean> {
  const all = shares(
    files.map((f, i) => ({ rank: ranks[i]!, file: f.file, text: f.text })),
    threads,
  ).filter((s) => s.length > 0);
  const remote = all.slice(1);
  const workers = [...started.slice(0, remote.length), ...startWorkers(remote.length - started.length)];
  const idle = started.slice(remote.length);
  const inbox = workers.map((t) => messages(t));
  try {
    await Promise.all(idle.map((t) => t.terminate()));
    remote.forEach((share, i) => workers[i]!.postMessage({ type: 'index', files: share, settings, rules: [...ruleIds] } satisfies ToWorker));
    // This thread's share is indexed while the workers index theirs.
    const here = new Share(all[0] ?? [], settings, ruleIds);
    const indexed: Indexed[] = [here.index()];
    for (const m of await Promise.all(inbox.map((box) => box.next('facts')))) if (m.type === 'facts') indexed.push(m);
    const contributed: SharedFact[] = [];
    for (const m of indexed) for (const f of m.facts) contributed.push(f);
    const { facts, winners } = sharedFacts(contributed);
    // What comes before each piece of a large file: its lines (known) and documents (counted by the shares).
    const docsBefore = new Map<string, number>();
    const before = all.map((share, i) =>
      share.map((f, k) => {
        const docs = indexed[i]!.docs[k]!;
        if (f.firstSegment === undefined) return undefined;
        const seen = docsBefore.get(f.file) ?? 0;
        docsBefore.set(f.file, seen + docs);
        return { lines: (f as SharedFile & { lineAt: number }).lineAt, docs: seen };
      }),
    );
    // Stand-in documents take a line each: a piece after more documents than lines (not seen in practice) cannot.
    if (before.some((share) => share.some((b) => b !== undefined && b.docs > b.lines))) return false;
    remote.forEach((_, i) => workers[i]!.postMessage({ type: 'analyse', winners, before: before[i + 1]! } satisfies ToWorker));
    // Hand findings on in file order: a file's findings wait until every earlier file's are in.
    const order = new Map<number, number>(ranks.map((r, i) => [r, i]));
    const pending = new Map<number, Finding[]>();
    let next = 0;
    const pieces = new Map<number, number>();
    for (const share of all) for (const f of share) pieces.set(f.rank, (pieces.get(f.rank) ?? 0) + 1);
    const arrived = new Map<number, number>();
    const take = (m: FindingsBatch): void => {
      for (const c of m.crashes) run.onCrash(c.rule, c.file, c.error);
      for (const f of m.files) {
        const index = order.get(f.rank)!;
        const known = pending.get(index);
        pending.set(index, known ? [...known, ...f.findings] : f.findings);
        arrived.set(f.rank, (arrived.get(f.rank) ?? 0) + 1);
      }
      // Deliver what is complete, in order.
      while (next < files.length && (arrived.get(ranks[next]!) ?? 0) === pieces.get(ranks[next]!)) {
        // Pieces of a large file may come back in any order: their findings are put in place.
        const found = pieces.get(ranks[next]!)! > 1 ? (pending.get(next) ?? []).sort(byPosition) : (pending.get(next) ?? []);
        pending.delete(next);
        run.onFile(next, found);
        next++;
      }
    };
    // This thread's files come first: handed on as they are analysed, while the workers' wait in their queues.
    for (const b of here.analyse(facts, before[0] ?? [])) take(b);
    await Promise.all(
      inbox.map(async (box) => {
        for (;;) {
          const m = await box.next('findings');
          if (m.type !== 'findings') continue;
          take(m);
          if (m.done) return;
        }
      }),
    );
    return true;
  } finally {
    await Promise.all(workers.map((t) => t.terminate()));
  }
}

/** Messages from a worker, one at a time; a worker error or exit rejects the wait. */
function messages(worker: Worker): { next(type: FromWorker['type']): Promise<FromWorker> } {
  const queue: FromWorker[] = [];
  let waiting: { resolve: (m: FromWorker) => void; reject: (e: unknown) => void } | undefined;
  let failed: unknown;
  worker.on('message', (m: FromWorker) => {
    if (waiting) {
      const w = waiting;
      waiting = undefined;
      w.resolve(m);
    } else queue.push(m);
  });
  const fail = (e: unknown) => {
    failed = e;
    waiting?.reject(e);
    waiting = undefined;
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`a lint worker stopped (exit code ${code})`)));
  return {
    next: () =>
      new Promise<FromWorker>((resolve, reject) => {
        const m = queue.shift();
        if (m) resolve(m);
        else if (failed !== undefined) reject(failed);
        else waiting = { resolve, reject };
      }),
  };
}
