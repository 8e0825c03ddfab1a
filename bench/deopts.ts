/**
 * Which of the server's optimized functions V8 throws away during the first edits of the bundle, and why: the
 * server run with `--trace-deopt` and spoken to over `--node-ipc` (its stdout, where V8 prints the trace, is then
 * free), the bundle opened, a pause, then N of the bench's edits, each waited for. Prints per edit the functions
 * deoptimized with the reason ("wrong map": an object of another hidden class than the code was made for).
 * `node --import tsx bench/deopts.ts [dist/server.js] [--edits 10] [--pause 800] [--seed 20251121]`
 */
import { fork } from 'node:child_process';
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
  options: { edits: { type: 'string', default: '10' }, pause: { type: 'string', default: '800' }, seed: { type: 'string', default: '20251121' } },
});
const server = positionals[0] ?? 'dist/server.js';
const seed = Number(opts.seed);
const child = fork(server, ['--node-ipc'], { execArgv: ['--trace-deopt'], stdio: ['pipe', 'pipe', 'pipe', 'ipc'] });
let trace = '';
child.stdout!.on('data', (c: Buffer) => (trace += c.toString()));
const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
let arrived: ((version: number) => void) | undefined;
connection.onNotification(PublishDiagnosticsNotification.type, (p) => arrived?.(p.version ?? 0));
connection.onRequest(ConfigurationRequest.type, (p) => p.items.map(() => ({})));
connection.onRequest(RegistrationRequest.type, () => undefined);
connection.onUnhandledNotification(() => undefined);
connection.listen();

/** The trace's bailouts as `function [reason]`, one a line. */
function bailouts(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/bailout \(kind: ([a-z-]+), reason: ([^)]*)\): begin\. deoptimizing \S+ <JSFunction ?([^ >]*)/g)) {
    if (m[1] !== 'deopt-lazy') out.push(`${m[3] || '(anonymous)'} [${m[2]}]`);
  }
  return out;
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
  console.log(`open and pause: ${bailouts(trace).length} eager deopts`);
  const stream = new EditStream(text, seed);
  for (let v = 2; v < Number(opts.edits) + 2; v++) {
    const edit = stream.next();
    const from = trace.length;
    const published = until(v);
    await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: v }, contentChanges: [{ range: edit.range, text: edit.newText }] });
    await published;
    await new Promise((resolve) => setImmediate(resolve));
    console.log(`edit ${v - 1} (${edit.kind}, ${edit.docKind}): ${bailouts(trace.slice(from)).join(', ') || '-'}`);
  }
  child.kill();
  process.exit(0);
})();
