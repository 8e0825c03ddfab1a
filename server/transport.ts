/**
 * The connection on the transport argv names, as vscode-languageserver's `createConnection()` picks it. On stdio the
 * writer encodes messages with diagnostics.ts's `encodeMessage` (the same bytes as `JSON.stringify`, a large file's
 * publish written from each diagnostic's kept JSON); the other transports as the library does (VS Code's IPC
 * serialises in Node itself).
 */
import { inspect } from 'node:util';
import { createConnection, StreamMessageReader, StreamMessageWriter, type Connection } from 'vscode-languageserver/node';
import { encodeMessage } from './diagnostics.js';

/** The transport flag the library would act on: the first of them in argv. */
function transportFlag(argv: readonly string[]): string | undefined {
  return argv.find((a) => a === '--node-ipc' || a === '--stdio' || a === '--socket' || a === '--pipe' || a.startsWith('--socket=') || a.startsWith('--pipe='));
}

export interface Transport {
  connection: Connection;
  /** Call from the shutdown handler: the process then exits with 0 when the client closes stdin. */
  shutdownReceived(): void;
}

export function connect(argv: readonly string[] = process.argv.slice(2)): Transport {
  if (transportFlag(argv) !== '--stdio') return { connection: createConnection(), shutdownReceived: () => undefined };
  const writer = new StreamMessageWriter(process.stdout, {
    charset: 'utf-8',
    contentTypeEncoder: { name: 'application/json', encode: (message) => Promise.resolve(encodeMessage(message)) },
  });
  const connection = createConnection(new StreamMessageReader(process.stdin), writer);
  // What the library does for --stdio itself: exit when the client goes, and keep console output off stdout.
  let shutdown = false;
  const exit = (): never => process.exit(shutdown ? 0 : 1);
  process.stdin.on('end', exit);
  process.stdin.on('close', exit);
  const text = (args: unknown[]): string => args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' ');
  console.log = (...args: unknown[]) => connection.console.log(text(args));
  console.info = (...args: unknown[]) => connection.console.info(text(args));
  console.debug = (...args: unknown[]) => connection.console.log(text(args));
  console.warn = (...args: unknown[]) => connection.console.warn(text(args));
  console.error = (...args: unknown[]) => connection.console.error(text(args));
  console.trace = (...args: unknown[]) => connection.console.log(`${text(args)}\n${new Error().stack ?? ''}`);
  console.dir = (item: unknown) => connection.console.log(inspect(item));
  return { connection, shutdownReceived: () => (shutdown = true) };
}
