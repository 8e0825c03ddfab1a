/**
 * The connection on the transport argv names, as vscode-languageserver's `createConnection()` picks it. On stdio
 * messages go out through `FramedWriter`: the same bytes as the library's writer, but a publish is written from
 * the findings' kept JSON (diagnostics.ts `writeMessage`), header and body in one write, into buffers reused once
 * their write completed. The other transports as the library does (VS Code's IPC serialises in Node itself).
 */
import { inspect } from 'node:util';
import { AbstractMessageWriter, createConnection, StreamMessageReader, type Connection, type Message, type MessageWriter } from 'vscode-languageserver/node';
import { Out, writeMessage } from './diagnostics.js';

/** Room kept before a message for its `Content-Length` header. */
const headerRoom = 40;

/** Writes JSON-RPC messages to a stream, in order, each framed with its Content-Length header. */
export class FramedWriter extends AbstractMessageWriter implements MessageWriter {
  private errors = 0;
  /** Buffers whose write completed, to write the next messages into. */
  private readonly spare: Buffer[] = [];
  private lastSize = 1024;

  constructor(private readonly out: NodeJS.WritableStream) {
    super();
    out.on('error', (error: Error) => this.fireError(error));
    out.on('close', () => this.fireClose());
  }

  write(message: Message): Promise<void> {
    let framed: Buffer;
    let buffer: Buffer;
    try {
      const out = new Out(this.lastSize + (this.lastSize >> 3), headerRoom, this.spare.pop());
      writeMessage(out, message);
      const length = out.pos - headerRoom;
      this.lastSize = length;
      const header = `Content-Length: ${length}\r\n\r\n`;
      const from = headerRoom - header.length;
      out.buf.write(header, from, 'ascii');
      buffer = out.buf;
      framed = buffer.subarray(from, out.pos);
    } catch (error) {
      this.fail(error, message);
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      this.out.write(framed, (error) => {
        // Written (or failed): the buffer is free again; large ones are let go.
        if (this.spare.length < 2 && buffer.length <= 8 << 20) this.spare.push(buffer);
        if (error) {
          this.fail(error, message);
          reject(error);
        } else resolve();
      });
    });
  }

  end(): void {
    this.out.end();
  }

  private fail(error: unknown, message: Message): void {
    this.errors++;
    this.fireError(error, message, this.errors);
  }
}

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
  const connection = createConnection(new StreamMessageReader(process.stdin), new FramedWriter(process.stdout));
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
