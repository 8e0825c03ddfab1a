/**
 * scripts/checkImports.mjs, run over small temporary trees: a clean tree passes, and each boundary (protocol/
 * imports only the protocol package and core types; the client only protocol/ and core types; cluster/ops and
 * core never the protocol) and the no-method-names rule fails with exit 1, naming the file. Without this a
 * rule could silently stop matching and `npm run check:imports` would pass for ever.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';

const script = resolve('scripts/checkImports.mjs');

/** A tree every rule accepts: what the real layout does. */
const clean: Record<string, string> = {
  'core/x.ts': "export interface Shared { a: number }\nexport const value = 1;\n",
  'protocol/family.ts': [
    "import { RequestType } from 'vscode-languageserver-protocol';",
    "import type { Shared } from '../core/x.js';",
    "export const thingRequest = new RequestType<Shared, Shared, void>('kubevirtStorage/thing');",
  ].join('\n'),
  'protocol/index.ts': "export * from './family.js';\n",
  'client/feature.ts': [
    "import { window } from 'vscode';",
    "import type { LanguageClient } from 'vscode-languageclient/node';",
    "import { thingRequest } from '../protocol/family.js';",
    "import type { Shared } from '../core/x.js';",
    '// Sends `kubevirtStorage/thing` (a comment may name the method).',
    'export const send = (c: LanguageClient, p: Shared) => c.sendRequest(thingRequest, p).then(() => window);',
  ].join('\n'),
  'server/handler.ts': [
    "import type { Connection } from 'vscode-languageserver/node';",
    "import { value } from '../core/x.js';",
    "import { thingRequest } from '../protocol/index.js';",
    'export const register = (c: Connection) => c.onRequest(thingRequest, (p) => ({ a: p.a + value }));',
  ].join('\n'),
  'cluster/ops/engine.ts': "import { value } from '../../core/x.js';\nexport const run = () => value;\n",
  'test/lsp/drive.ts': "import { thingRequest } from '../../protocol/family.js';\nexport const method = thingRequest.method;\n",
  'webview/messages/page.ts': "export type ToPage = { type: 'show' };\n",
  'webview/page/main.ts': "import '@vscode-elements/elements/dist/vscode-button/index.js';\nimport type { ToPage } from '../messages/page.js';\nexport const m: ToPage = { type: 'show' };\n",
  'client/page.ts': "import type { ToPage } from '../webview/messages/page.js';\nexport const m: ToPage = { type: 'show' };\n",
};

function check(extra: Record<string, string>): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kvs-imports-'));
  try {
    for (const [path, text] of Object.entries({ ...clean, ...extra })) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const r = spawnSync(process.execPath, [script], { cwd: dir, encoding: 'utf8' });
    return { status: r.status, output: r.stdout + r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a tree that keeps to the table passes', () => {
  const r = check({});
  assert.equal(r.status, 0, r.output);
  assert.match(r.output, /import boundaries: ok/);
});

const violations: [string, string, string, RegExp][] = [
  ['protocol/ imports a value from core/', 'protocol/bad.ts', "import { value } from '../core/x.js';", /import type/],
  ['protocol/ imports the server', 'protocol/bad.ts', "import type { register } from '../server/handler.js';", /protocol package/],
  ['protocol/ imports vscode', 'protocol/bad.ts', "import { window } from 'vscode';", /protocol package/],
  ['protocol/ imports the language client', 'protocol/bad.ts', "import { RequestType } from 'vscode-languageclient';", /protocol package/],
  ['the client imports a value from core/', 'client/bad.ts', "import { value } from '../core/x.js';", /core types only/],
  ['the client imports server/', 'client/bad.ts', "import type { register } from '../server/handler.js';", /the client imports protocol\/, core types and webview message types only/],
  ['the client imports cluster/', 'client/bad.ts', "import { run } from '../cluster/ops/engine.js';", /through the language server/],
  ['the client imports cli/', 'client/bad.ts', "import { main } from '../cli/main.js';", /the client imports protocol\/, core types and webview message types only/],
  ['the client imports webhook/', 'client/bad.ts', "import { serve } from '../webhook/main.js';", /the client imports protocol\/, core types and webview message types only/],
  ['the client imports a value from webview/', 'client/bad.ts', "import { m } from '../webview/page/main.js';", /message types only/],
  ['a page imports the extension', 'webview/page/bad.ts', "import { send } from '../../client/feature.js';", /own files and the message types only/],
  ['a page imports node', 'webview/page/bad.ts', "import { readFileSync } from 'node:fs';", /node built-ins/],
  ['a page imports another web framework', 'webview/page/bad.ts', "import { html } from 'lit-html';", /pages use @vscode-elements/],
  ['cluster/ops imports protocol/ (even a type)', 'cluster/ops/bad.ts', "import type { thingRequest } from '../../protocol/family.js';", /cluster\/ returns typed results/],
  ['core imports protocol/ (even a type)', 'core/bad.ts', "import type { thingRequest } from '../protocol/index.js';", /wire format/],
  ['the client sends a method by name', 'client/bad.ts', "export const f = (c: { sendRequest(m: string): void }) => c.sendRequest('kubevirtStorage/webhook/plan');", /method name/],
  ['the server handles a method by name', 'server/bad.ts', 'export const f = (c: { onNotification(m: string, h: () => void): void }) => c.onNotification(`kubevirtStorage/status`, () => {});', /method name/],
  ['a method name kept in a constant outside protocol/', 'server/bad.ts', 'export const method = "kubevirtStorage/listContexts";', /method name/],
  ['an LSP test sends a method by name', 'test/lsp/bad.ts', "export const f = (c: { sendRequest<R>(m: string, p: object): R }) => c.sendRequest<number>('kubevirtStorage/explorer/children', {});", /method name/],
];

for (const [what, path, text, reason] of violations) {
  test(`fails when ${what}`, () => {
    const r = check({ [path]: text });
    assert.equal(r.status, 1, r.output);
    assert.ok(r.output.includes(`${path}:`), `names ${path}:\n${r.output}`);
    assert.match(r.output, reason);
    // Only the one file is reported: the clean tree stays clean.
    assert.equal(r.output.split('\n').filter((l) => l.startsWith('  ')).length, 1, r.output);
  });
}
