/**
 * didChange → publishDiagnostics latency of the built language server, measured the way an editor sees it:
 * `node dist/server.js --stdio` spawned, spoken to over JSON-RPC, one incremental edit at a time, each timed
 * from sending the change to receiving (and decoding) the diagnostics for that document version.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  UnregistrationRequest,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { EditStream, type Edit } from './edits.js';
import { collect } from './stats.js';

export interface LspOptions {
  serverPath: string;
  text: string;
  edits: number;
  seed: number;
  /** Passed to the server as `--cpu-prof-dir` when set (the profile is written when it exits). */
  cpuProfDir?: string;
  /** Deadline for any one wait. */
  timeoutMs?: number;
  /** Pull diagnostics (LSP 3.17 `textDocument/diagnostic` with result ids) instead of waiting for pushed ones. */
  pull?: boolean;
  /** Every publishDiagnostics of the bundle received, as JSON, in order (to compare two builds' publishes). */
  publishes?: string[];
  /**
   * Called with the raw bytes of every message body the server writes whose method is publishDiagnostics, in
   * order, as they come off its stdout (to check that two builds' publishes are byte-identical: bench/editAB.ts
   * `--hash`). It costs a copy of each message outside the protocol's own reader.
   */
  onRawPublish?: (body: Buffer) => void;
  /** Wait this long after the open's diagnostics before the first edit (a user reads before typing; default none). */
  pauseAfterOpenMs?: number;
  /** Node flags for the server (e.g. `['-r', 'bench/gcLog.cjs']`); ignored with `command`. */
  serverExecArgv?: string[];
  /** The command to run instead of `node <serverPath> --stdio` (another language server). */
  command?: { file: string; args: string[] };
}

export interface LspResult {
  /** didOpen → first publishDiagnostics of the bundle. */
  openMs: number;
  /** One per edit, in order. */
  latenciesMs: number[];
  /** What each edit was (same order). */
  edits: Pick<Edit, 'kind' | 'docKind'>[];
  /** Whether the server sent `version` (then each edit's publish was matched on it). */
  versioned: boolean;
  diagnostics: number;
  /** Size of the last publishDiagnostics params as JSON. */
  publishBytes: number;
  /**
   * The server's main thread over the edits, per edit (Linux /proc/<pid>/schedstat): time on a CPU, and time it
   * was runnable but waiting for a CPU held by other processes (how much a busy machine inflated the latency).
   */
  serverPerEdit?: { runMs: number; waitMs: number };
  /**
   * For each edit, from sending it to its diagnostics arriving (Linux /proc): the server's main thread on a CPU and
   * waiting for one, all the server's threads on a CPU (V8's concurrent compiler and GC helpers too: a thread that
   * ends in between is not counted), and this process on a CPU (decoding the diagnostics).
   */
  perEdit?: { serverRunMs: number; serverWaitMs: number; serverThreadsMs: number; clientCpuMs: number; sentAtMs: number; arrivedAtMs: number }[];
  /** The server's resident set after the edits (Linux /proc), if known. */
  serverRssBytes?: number;
  /** Server stderr, for when something went wrong. */
  stderr: string;
  /** Pull mode: how many of the edits' reports were `unchanged`. */
  unchanged?: number;
  /** When the first edit was sent, in µs of the monotonic clock V8's CPU profiles use (to cut the open off a profile). */
  editsFromUs: number;
}

const uri = 'file:///bench/bundle.yaml';

export async function measureLsp(o: LspOptions): Promise<LspResult> {
  const timeoutMs = o.timeoutMs ?? 60_000;
  // The edits are worked out before the server starts, and their garbage collected (with --expose-gc): the stream
  // keeps the whole text and rebuilds it, its line starts and its document starts on every edit (~5 MB, mostly
  // large objects), and made during the run that garbage set off this process's own mark-compacts inside the
  // timed edits (11–45 ms each, 1–3 per run: bench/README.md, editcost6). An editor's edit is not that.
  const stream = new EditStream(o.text, o.seed);
  const planned = Array.from({ length: o.edits }, () => stream.next());
  collect();
  const args = [...(o.serverExecArgv ?? []), ...(o.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${o.cpuProfDir}`, ...(process.env.KVS_CPU_PROF_INTERVAL ? [`--cpu-prof-interval=${process.env.KVS_CPU_PROF_INTERVAL}`] : [])] : []), o.serverPath, '--stdio'];
  const child = o.command ? spawn(o.command.file, o.command.args, { stdio: 'pipe' }) : spawn(process.execPath, args, { stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const exits = exitWatch(child);
  if (o.onRawPublish) tapPublishes(child.stdout, o.onRawPublish);
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));

  // Waiters on publishDiagnostics for the bundle; each arrival is time-stamped on receipt.
  type Waiter = { accept: (p: PublishDiagnosticsParams) => boolean; resolve: (v: { p: PublishDiagnosticsParams; at: number }) => void };
  const waiters: Waiter[] = [];
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    const at = performance.now();
    if (p.uri !== uri) return;
    o.publishes?.push(JSON.stringify(p));
    const i = waiters.findIndex((w) => w.accept(p));
    if (i >= 0) waiters.splice(i, 1)[0]!.resolve({ p, at });
  });
  const publish = (accept: Waiter['accept'], what: string): Promise<{ p: PublishDiagnosticsParams; at: number }> =>
    deadline(new Promise((resolve) => waiters.push({ accept, resolve })), timeoutMs, what, exits, () => stderr);

  connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => ({})));
  connection.onRequest(RegistrationRequest.type, () => undefined);
  connection.onRequest(UnregistrationRequest.type, () => undefined);
  connection.onUnhandledNotification(() => undefined); // status and log notifications: not measured
  connection.listen();

  try {
    await deadline(
      connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri: null,
        workspaceFolders: null,
        capabilities: {
          workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
          textDocument: {
            synchronization: { dynamicRegistration: false },
            publishDiagnostics: { versionSupport: true, dataSupport: true, relatedInformation: true },
            ...(o.pull ? { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } } : {}),
          },
        },
      }),
      timeoutMs, 'the initialize response', exits, () => stderr,
    );
    await connection.sendNotification(InitializedNotification.type, {});

    const pulled = async (version: number, previousResultId: string | undefined) => {
      const report = await deadline(
        connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri }, ...(previousResultId ? { previousResultId } : {}) }),
        timeoutMs, `the pulled diagnostics of version ${version}`, exits, () => stderr,
      );
      return { report, at: performance.now() };
    };
    let resultId: string | undefined;
    let unchanged = 0;
    let count = 0;
    let bytes = 0;
    const t0 = performance.now();
    let openedAt: number;
    let versioned = true;
    let last: PublishDiagnosticsParams | undefined;
    if (o.pull) {
      await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text: o.text } });
      const { report, at } = await pulled(1, undefined);
      openedAt = at;
      if (report.kind === 'full') {
        resultId = report.resultId;
        count = report.items.length;
        bytes = Buffer.byteLength(JSON.stringify(report));
      }
    } else {
      const first = publish(() => true, 'the first diagnostics of the bundle');
      await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text: o.text } });
      const opened = await first;
      openedAt = opened.at;
      versioned = typeof opened.p.version === 'number';
      last = opened.p;
    }

    if (o.pauseAfterOpenMs) await new Promise((resolve) => setTimeout(resolve, o.pauseAfterOpenMs));
    const schedBefore = schedstatOf(child.pid);
    const editsFromUs = Number(process.hrtime.bigint() / 1000n);
    const latenciesMs: number[] = [];
    const perEdit: NonNullable<LspResult['perEdit']> = [];
    const edits: LspResult['edits'] = [];
    for (let v = 2; v < o.edits + 2; v++) {
      const edit = planned[v - 2]!;
      edits.push({ kind: edit.kind, docKind: edit.docKind });
      const arrived = o.pull ? undefined : publish((p) => !versioned || p.version === v, `the diagnostics of version ${v}`);
      const ranBefore = schedstatOf(child.pid);
      const threadsBefore = threadsRunMsOf(child.pid);
      const clientBefore = process.cpuUsage();
      const sent = performance.now();
      await connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version: v },
        contentChanges: [{ range: edit.range, text: edit.newText }],
      });
      let arrivedAt = NaN;
      if (arrived) {
        const { p, at } = await arrived;
        arrivedAt = at;
        latenciesMs.push(at - sent);
        last = p;
      } else {
        const { report, at } = await pulled(v, resultId);
        arrivedAt = at;
        latenciesMs.push(at - sent);
        if (report.kind === 'unchanged') unchanged++;
        else {
          count = report.items.length;
          bytes = Buffer.byteLength(JSON.stringify(report));
        }
        resultId = report.resultId;
      }
      const ranAfter = schedstatOf(child.pid);
      const client = process.cpuUsage(clientBefore);
      const threadsAfter = threadsRunMsOf(child.pid);
      if (ranBefore && ranAfter && threadsBefore !== undefined && threadsAfter !== undefined) {
        perEdit.push({ serverRunMs: ranAfter.runMs - ranBefore.runMs, serverWaitMs: ranAfter.waitMs - ranBefore.waitMs, serverThreadsMs: threadsAfter - threadsBefore, clientCpuMs: (client.user + client.system) / 1000, sentAtMs: performance.timeOrigin + sent, arrivedAtMs: performance.timeOrigin + arrivedAt });
      }
    }
    const schedAfter = schedstatOf(child.pid);
    const serverRssBytes = rssOf(child.pid);
    await deadline(connection.sendRequest(ShutdownRequest.type), timeoutMs, 'the shutdown response', exits, () => stderr);
    await connection.sendNotification(ExitNotification.type);
    await deadline(exited, timeoutMs, 'the server to exit', exits, () => stderr);
    return {
      openMs: openedAt - t0,
      latenciesMs,
      edits,
      versioned,
      diagnostics: last ? last.diagnostics.length : count,
      publishBytes: last ? Buffer.byteLength(JSON.stringify(last)) : bytes,
      ...(o.pull ? { unchanged } : {}),
      serverRssBytes,
      ...(perEdit.length === o.edits ? { perEdit } : {}),
      editsFromUs,
      serverPerEdit:
        schedBefore && schedAfter
          ? { runMs: (schedAfter.runMs - schedBefore.runMs) / o.edits, waitMs: (schedAfter.waitMs - schedBefore.waitMs) / o.edits }
          : undefined,
      stderr,
    };
  } finally {
    connection.dispose();
    if (child.exitCode === null && child.signalCode === null) child.kill();
  }
}

/** Cuts the stream into its Content-Length framed messages and hands on the bodies of publishDiagnostics. */
function tapPublishes(stream: NodeJS.ReadableStream, onPublish: (body: Buffer) => void): void {
  let buf: Buffer = Buffer.alloc(0);
  const method = Buffer.from('"method":"textDocument/publishDiagnostics"');
  stream.on('data', (chunk: Buffer) => {
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    for (;;) {
      const h = buf.indexOf('\r\n\r\n');
      if (h < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(buf.subarray(0, h).toString('latin1'))?.[1]);
      if (buf.length < h + 4 + length) return;
      const body = buf.subarray(h + 4, h + 4 + length);
      if (body.indexOf(method) >= 0) onPublish(Buffer.from(body));
      buf = buf.subarray(h + 4 + length);
    }
  });
}

/** The server's exit, watched by each wait only while it waits (`watch` returns what stops watching). */
interface ExitWatch {
  watch(onExit: (code: number | null) => void): () => void;
}

function exitWatch(child: ChildProcess): ExitWatch {
  const watchers = new Set<(code: number | null) => void>();
  let exit: { code: number | null } | undefined;
  child.on('exit', (code) => {
    exit = { code };
    for (const w of [...watchers]) w(code);
  });
  return {
    watch(onExit) {
      if (exit) {
        onExit(exit.code);
        return () => undefined;
      }
      watchers.add(onExit);
      return () => void watchers.delete(onExit);
    },
  };
}

/**
 * `promise`, or a rejection naming `what` when the deadline passes or the server exits first. Not a
 * `Promise.race` with a reaction on the exit's promise: each such reaction stays on that promise until the server
 * exits and, through the race's resolve function, keeps the race's result alive (every edit's decoded publish,
 * ~2 MB each: the client's scavenges then copied ~10 MB of old publishes, 7–15 ms each, in the timed edits).
 */
function deadline<T>(promise: Promise<T>, ms: number, what: string, exits: ExitWatch, stderr: () => string): Promise<T> {
  const fail = (why: string): Error => new Error(`${why} while waiting for ${what}${stderr() ? `; server stderr:\n${stderr().slice(-2000)}` : ''}`);
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let stop = (): void => undefined;
    const settle = (then: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stop();
      then();
    };
    const timer = setTimeout(() => settle(() => reject(fail(`timed out after ${ms} ms`))), ms);
    if (what !== 'the server to exit') stop = exits.watch((code) => settle(() => reject(fail(`the server exited (code ${code})`))));
    promise.then(
      (value) => settle(() => resolve(value)),
      (error: unknown) => settle(() => reject(error)),
    );
  });
}

/** Time the main thread of `pid` spent on a CPU and waiting for one, in ms (Linux only). */
function schedstatOf(pid: number | undefined): { runMs: number; waitMs: number } | undefined {
  if (pid === undefined) return undefined;
  try {
    const [run, wait] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
    return run === undefined || wait === undefined ? undefined : { runMs: run / 1e6, waitMs: wait / 1e6 };
  } catch {
    return undefined;
  }
}

/** All of a process's threads on a CPU, in ms (Linux /proc): the main thread's and V8's GC and compiler helpers'. */
function threadsRunMsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    let run = 0;
    for (const t of readdirSync(`/proc/${pid}/task`)) run += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
    return run;
  } catch {
    return undefined;
  }
}

function rssOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
