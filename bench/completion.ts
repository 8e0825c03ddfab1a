/**
 * Completion latency on the 5,000-document bundle (`npm run bench:completion`), the way an editor sees it: the
 * built server (`node dist/server.js --stdio`) has the bundle open; each `textDocument/completion` is timed from
 * sending it to receiving (and decoding) the list. Positions are drawn (seeded) from the bundle's claim values:
 * `storageClassName`, `volumeMode`, `accessModes` items and `resources.requests.storage` (the sizes provider
 * renders every candidate). Also, in process: `Workspace.complete` alone, and "while typing": a one-character edit
 * (didChange, which publishes the document's diagnostics first) followed at once by a completion request, timed
 * from the edit. Prints figures and MET / NOT MET against the target (p95 ≤ 20 ms for the request);
 * exits 0 whatever the figures, 1 when a measurement could not be taken.
 * Options: --requests N (200) --typing N (30) --seed N (20251121)
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { loadavg, cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import {
  CompletionRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type CompletionList,
  type Position,
} from 'vscode-languageserver-protocol/node';
import { defaultSettings } from '../core/types.js';
import { Workspace } from '../core/workspace.js';
import { generateBundle } from './generate.js';
import { Prng } from './prng.js';
import { median, ms, percentile, printTable, threadSched, verdict } from './stats.js';

const { values: opts } = parseArgs({ options: { requests: { type: 'string', default: '200' }, typing: { type: 'string', default: '30' }, seed: { type: 'string', default: '20251121' } } });
const requests = Number(opts.requests);
const typing = Number(opts.typing);
const seed = Number(opts.seed);
const target = 20;
const uri = 'file:///bench/bundle.yaml';

interface Spot {
  kind: 'storageClassName' | 'volumeMode' | 'accessModes item' | 'storage';
  position: Position;
}

/** Every claim value in the bundle a provider answers at, by kind. */
function spots(text: string): Spot[] {
  const out: Spot[] = [];
  const lines = text.split('\n');
  lines.forEach((l, line) => {
    let m: RegExpExecArray | null;
    if ((m = /^(\s+)(storageClassName|volumeMode|storage): (\S+)$/.exec(l))) {
      out.push({ kind: m[2] as Spot['kind'], position: { line, character: l.length } });
    } else if (/^\s+accessModes:\s*$/.test(lines[line - 1] ?? '') && /^\s+- \w+$/.test(l)) {
      out.push({ kind: 'accessModes item', position: { line, character: l.length } });
    }
  });
  return out;
}

function draw(all: Spot[], n: number, r: Prng): Spot[] {
  const byKind = new Map<string, Spot[]>();
  for (const s of all) byKind.set(s.kind, [...(byKind.get(s.kind) ?? []), s]);
  const kinds = [...byKind.keys()];
  return Array.from({ length: n }, (_, i) => r.pick(byKind.get(kinds[i % kinds.length]!)!));
}

function summary(xs: number[]): string {
  return `${ms(median(xs))} / ${ms(percentile(xs, 95))} / ${ms(Math.max(...xs))}`;
}

async function main(): Promise<void> {
  console.log(`KubeVirt Storage Tools completion benchmark — ${new Date().toISOString()}`);
  console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}; load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const bundle = generateBundle(seed);
  const all = spots(bundle.text);
  const r = new Prng(seed);
  const chosen = draw(all, requests, r);
  console.log(`bundle: ${bundle.documents} documents, ${(bundle.bytes / 1e6).toFixed(2)} MB; ${all.length} completion places; ${requests} requests, ${typing} while typing, seed ${seed}`);

  // In process: the core share.
  const ws = new Workspace();
  ws.setFile('bundle.yaml', bundle.text);
  const options = { settings: defaultSettings };
  ws.analyzeFile('bundle.yaml', options);
  for (const s of chosen.slice(0, 10)) ws.complete('bundle.yaml', s.position, options);
  const core: Record<string, number[]> = {};
  let items = 0;
  const before = threadSched();
  for (const s of chosen) {
    const t = performance.now();
    const res = ws.complete('bundle.yaml', s.position, options);
    (core[s.kind] ??= []).push(performance.now() - t);
    items += res.items.length;
  }
  const after = threadSched();
  if (items === 0) throw new Error('no completion items at all: the positions are not completion places');

  const lsp = await overStdio(bundle.text, chosen, draw(all, typing, new Prng(seed + 1)));
  const allCore = Object.values(core).flat();
  printTable('Completion latency, median / p95 / max', [
    ['LSP textDocument/completion (settled document)', summary(lsp.request), verdict(percentile(lsp.request, 95), target, ' ms p95')],
    ...Object.entries(lsp.byKind).map(([k, xs]) => [`  ${k} (${xs.length})`, summary(xs)] as [string, string]),
    ['LSP while typing: didChange + completion, from the edit', summary(lsp.typing), 'includes publishing the edited document\'s diagnostics'],
    ['in process: Workspace.complete', summary(allCore), ''],
    ...Object.entries(core).map(([k, xs]) => [`  ${k}`, summary(xs)] as [string, string]),
    ['items per request (mean)', (items / chosen.length).toFixed(1), ''],
    ['bench thread waiting for a CPU (in process)', before && after ? ms(after.waitMs - before.waitMs) : 'n/a', 'other processes inflating the in-process figures'],
  ]);
  console.log(`\nload average at end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

/** The built server over stdio: open the bundle, then the requests; then edits each followed by a request. */
async function overStdio(text: string, chosen: Spot[], typed: Spot[]): Promise<{ request: number[]; byKind: Record<string, number[]>; typing: number[] }> {
  const child = spawn(process.execPath, [join(__dirname, '..', 'dist', 'server.js'), '--stdio'], { stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  let published: (() => void) | undefined;
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    if (p.uri === uri) published?.();
  });
  connection.onRequest(ConfigurationRequest.type, (p) => p.items.map(() => ({})));
  connection.onRequest(RegistrationRequest.type, () => undefined);
  connection.onUnhandledNotification(() => undefined);
  connection.listen();
  const within = <T>(p: Promise<T>, what: string): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within 60 s for ${what}; server stderr: ${stderr.slice(-2000)}`)), 60_000)))]).finally(() => clearTimeout(timer));
  };
  try {
    await within(connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, workspaceFolders: null, capabilities: { workspace: { configuration: true }, textDocument: { completion: { completionItem: { snippetSupport: true } }, publishDiagnostics: { versionSupport: true } } } }), 'initialize');
    await connection.sendNotification(InitializedNotification.type, {});
    const opened = new Promise<void>((resolve) => (published = resolve));
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    await within(opened, 'the first diagnostics of the bundle');
    published = undefined;
    const ask = async (position: Position): Promise<number> => {
      const t = performance.now();
      const list = (await within(connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position }), 'a completion')) as CompletionList | null;
      const took = performance.now() - t;
      if (!list || list.items.length === 0) throw new Error(`no items at ${position.line}:${position.character}`);
      return took;
    };
    for (const s of chosen.slice(0, 10)) await ask(s.position);
    const request: number[] = [];
    const byKind: Record<string, number[]> = {};
    for (const s of chosen) {
      const took = await ask(s.position);
      request.push(took);
      (byKind[s.kind] ??= []).push(took);
    }
    // While typing: the value gets one more character, then completion at the new end (the user typing the next
    // letter); the character is deleted again before the next one.
    const typingMs: number[] = [];
    let version = 1;
    for (const s of typed) {
      version++;
      const at = s.position;
      const t = performance.now();
      await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ range: { start: at, end: at }, text: 'x' }] });
      const list = (await within(connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: at.line, character: at.character + 1 } }), 'a completion after an edit')) as CompletionList | null;
      typingMs.push(performance.now() - t);
      if (!list) throw new Error(`no completion after typing at ${at.line}`);
      version++;
      await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: '' }] });
    }
    await within(connection.sendRequest(ShutdownRequest.type), 'shutdown');
    await connection.sendNotification(ExitNotification.type);
    return { request, byKind, typing: typingMs };
  } finally {
    connection.dispose();
    if (child.exitCode === null) child.kill();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
