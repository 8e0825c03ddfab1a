/**
 * Which of the server's optimized functions V8 throws away during the first edits of the bundle, and why: the
 * server run with `--trace-deopt` and spoken to over `--node-ipc` (its stdout, where V8 prints the trace, is then
 * free), the bundle opened, a pause, then N of the bench's edits, each waited for. Prints per edit the functions
 * deoptimized with the reason ("wrong map": an object of another hidden class than the code was made for).
 * `--where`: the server runs with `--trace-deopt-verbose`, and each deopt also says where (the source file and line
 * of the check that failed, through the bundle's source map, and of the functions it was inlined into); `--open`
 * lists the open's deopts too; `--opt` (with `--trace-opt`) also the TurboFan compiles that completed in each edit, with
 * their time (most of it on a background thread: what the edit's "all threads" CPU holds beyond its main thread).
 * `node --import tsx bench/deopts.ts [dist/server.js] [--edits 10] [--pause 800] [--seed 20251121] [--where] [--open] [--opt]`
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { parseArgs } from 'node:util';
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  InitializedNotification,
  InitializeRequest,
  IPCMessageReader,
  IPCMessageWriter,
  PublishDiagnosticsNotification,
  RegistrationRequest,
} from 'vscode-languageserver-protocol/node';
import { EditStream } from './edits.js';
import { generateBundle } from './generate.js';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    edits: { type: 'string', default: '10' },
    pause: { type: 'string', default: '800' },
    seed: { type: 'string', default: '20251121' },
    where: { type: 'boolean', default: false },
    open: { type: 'boolean', default: false },
    opt: { type: 'boolean', default: false },
  },
});
const server = positionals[0] ?? 'dist/server.js';
const seed = Number(opts.seed);
const child = fork(server, ['--node-ipc'], { execArgv: [opts.where ? '--trace-deopt-verbose' : '--trace-deopt', ...(opts.opt ? ['--trace-opt'] : [])], stdio: ['pipe', 'pipe', 'pipe', 'ipc'] });
let trace = '';
child.stdout!.on('data', (c: Buffer) => (trace += c.toString()));
const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
let arrived: ((version: number) => void) | undefined;
connection.onNotification(PublishDiagnosticsNotification.type, (p) => arrived?.(p.version ?? 0));
connection.onRequest(ConfigurationRequest.type, (p) => p.items.map(() => ({})));
connection.onRequest(RegistrationRequest.type, () => undefined);
connection.onUnhandledNotification(() => undefined);
connection.listen();

/** The bundle's source map, read when first needed (`--where`). */
let map: SourceMap | undefined;

/** `file:line:col` of the bundle as `source.ts:line` (the source map's nearest entry). */
function source(at: string): string {
  const m = /:(\d+):(\d+)$/.exec(at);
  if (!m) return at;
  map ??= new SourceMap(JSON.parse(readFileSync(`${server}.map`, 'utf8')));
  const e = map.findEntry(Number(m[1]) - 1, Number(m[2]) - 1) as { originalSource?: string; originalLine?: number };
  return e.originalSource ? `${e.originalSource.replace(/^.*?\/(?=(core|server|protocol|node_modules)\/)/, '')}:${e.originalLine! + 1}` : at;
}

/** The trace's bailouts as `function [reason]` (with `--where`: `@ where, inlined in …`), one a line. */
function bailouts(text: string): string[] {
  const out: string[] = [];
  const re = /bailout \(kind: ([a-z-]+), reason: ([^)]*)\): begin\. deoptimizing \S+ <JSFunction ?([^ >]*)[^\n]*\n(?:\s*;;; deoptimize at ([^\n]*))?/g;
  for (const m of text.matchAll(re)) {
    if (m[1] === 'deopt-lazy') continue;
    let line = `${m[3] || '(anonymous)'} [${m[2]}]`;
    const at = m[4] ? [...m[4].matchAll(/<([^>]*)>/g)].map((p) => p[1]!) : [];
    if (at.length > 0) line += ` @ ${at.map(source).join(' < ')} (bundle ${/\d+:\d+$/.exec(at[0]!)?.[0]})`;
    out.push(line);
  }
  return out;
}

/** The TurboFan compiles completed in `text`: how many, their summed time, the dearest. */
function compiles(text: string): string {
  const byName = new Map<string, number>();
  let total = 0;
  let n = 0;
  for (const m of text.matchAll(/\[completed compiling \S+ <JSFunction ?([^ >]*)[^\]]*- took ([\d.]+), ([\d.]+), ([\d.]+) ms\]/g)) {
    const ms = Number(m[2]) + Number(m[3]) + Number(m[4]);
    total += ms;
    n++;
    const name = m[1] || '(anonymous)';
    byName.set(name, (byName.get(name) ?? 0) + ms);
  }
  const top = [...byName].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, v]) => `${k} ${v.toFixed(1)}`);
  return `${n} compiles, ${total.toFixed(1)} ms${top.length > 0 ? ` (${top.join(', ')})` : ''}`;
}

void (async () => {
  const uri = 'file:///bench/bundle.yaml';
  const text = generateBundle(seed).text;
  const until = (version: number) => new Promise<void>((resolve) => (arrived = (v) => v >= version && resolve()));
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: null,
    workspaceFolders: null,
    capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true, relatedInformation: true } } },
  });
  await connection.sendNotification(InitializedNotification.type, {});
  const opened = until(1);
  await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  await opened;
  await new Promise((resolve) => setTimeout(resolve, Number(opts.pause)));
  const atOpen = bailouts(trace);
  console.log(`open and pause: ${atOpen.length} eager deopts`);
  if (opts.open) for (const b of atOpen) console.log(`  ${b}`);
  if (opts.opt) console.log(`  open: ${compiles(trace)}`);
  const stream = new EditStream(text, seed);
  for (let v = 2; v < Number(opts.edits) + 2; v++) {
    const edit = stream.next();
    const from = trace.length;
    const published = until(v);
    await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: v }, contentChanges: [{ range: edit.range, text: edit.newText }] });
    await published;
    await new Promise((resolve) => setImmediate(resolve));
    const found = bailouts(trace.slice(from));
    if (opts.where) console.log(`edit ${v - 1} (${edit.kind}, ${edit.docKind}): ${found.length}${found.map((b) => `\n  ${b}`).join('')}`);
    else console.log(`edit ${v - 1} (${edit.kind}, ${edit.docKind}): ${found.join(', ') || '-'}`);
    if (opts.opt) console.log(`  ${compiles(trace.slice(from))}`);
  }
  child.kill();
  process.exit(0);
})();
