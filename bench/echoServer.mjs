/**
 * A stand-in language server for bench/publishFloor.ts: it answers initialize and shutdown, and every didOpen and
 * didChange with one prepared publishDiagnostics (the real server's bytes for the file, the version written in),
 * in one write, doing nothing else. What an edit costs against it is the protocol's share of an edit: the
 * notification's trip, the publish's write through the pipe, the client's read and decode.
 * Usage: node bench/echoServer.mjs <publish.json> (a publishDiagnostics message whose version is 1).
 */
import { readFileSync } from 'node:fs';

const body = readFileSync(process.argv[2], 'utf8');
const at = body.indexOf('"version":1,');
if (at < 0) throw new Error(`${process.argv[2]}: no "version":1, in the publish`);
const before = Buffer.from(body.slice(0, at + '"version":'.length));
const after = Buffer.from(body.slice(at + '"version":1'.length));

function send(json) {
  const b = Buffer.from(json);
  process.stdout.write(Buffer.concat([Buffer.from(`Content-Length: ${b.length}\r\n\r\n`), b]));
}

function publish(version) {
  const v = Buffer.from(String(version));
  const length = before.length + v.length + after.length;
  process.stdout.write(Buffer.concat([Buffer.from(`Content-Length: ${length}\r\n\r\n`), before, v, after]));
}

let buf = Buffer.alloc(0);
process.stdin.on('data', (chunk) => {
  buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
  for (;;) {
    const h = buf.indexOf('\r\n\r\n');
    if (h < 0) return;
    const length = Number(/Content-Length: (\d+)/i.exec(buf.subarray(0, h).toString('latin1'))[1]);
    if (buf.length < h + 4 + length) return;
    const m = JSON.parse(buf.subarray(h + 4, h + 4 + length).toString('utf8'));
    buf = buf.subarray(h + 4 + length);
    if (m.method === 'initialize') send(JSON.stringify({ jsonrpc: '2.0', id: m.id, result: { capabilities: { textDocumentSync: 2 } } }));
    else if (m.method === 'shutdown') send(JSON.stringify({ jsonrpc: '2.0', id: m.id, result: null }));
    else if (m.method === 'exit') process.exit(0);
    else if (m.method === 'textDocument/didOpen') publish(m.params.textDocument.version);
    else if (m.method === 'textDocument/didChange') publish(m.params.textDocument.version);
  }
});
