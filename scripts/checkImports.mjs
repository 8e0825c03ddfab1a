// Enforces the house-style import table: which folder may import what, and that custom LSP methods are
// spelled only in protocol/. Reads every .ts file's import/require specifiers under the current directory;
// exits 1 listing each violation. test/unit/checkImports.test.ts runs it over temporary trees.
import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { sourceFiles as files } from './sourceFiles.mjs';

const root = process.cwd();
const nodeBuiltin = (s) => s.startsWith('node:');
const lsp = (s) => /^vscode-languageserver|^vscode-languageclient|^vscode-jsonrpc/.test(s);
const protocolPackage = (s) => /^(vscode-languageserver-protocol|vscode-jsonrpc)(\/|$)/.test(s);
/** A relative specifier (normalised to the top folder, e.g. '../core/x.js') into another top folder. */
const into = (rel, ...folders) => folders.some((f) => rel === `../${f}` || rel.startsWith(`../${f}/`));

/**
 * For each folder: a predicate that returns a reason when a specifier is forbidden. `rel` is the specifier
 * relative to the folder's top (`./x.js` inside it, `../core/x.js` elsewhere); `typeOnly` marks
 * `import type` / `export type` (erased from the bundle).
 */
const rules = {
  core: (s, rel) =>
    s === 'vscode' || lsp(s) ? 'editor/LSP package'
    : s.startsWith('@kubernetes/') ? 'Kubernetes client'
    : nodeBuiltin(s) || ['fs', 'http', 'https', 'child_process', 'net', 'os', 'process'].includes(s) ? 'Node built-in'
    : into(rel, 'protocol') ? 'protocol/ (the wire format is the adapters\' business)'
    : into(rel, 'cluster', 'server', 'client', 'cli', 'webhook', 'webview') ? 'an adapter folder'
    : undefined,
  cluster: (s, rel) =>
    s === 'vscode' || lsp(s) ? 'editor/LSP package'
    // cluster/ops, the operations engine, above all: the CLI runs it too, so it returns its own types.
    : into(rel, 'protocol') ? 'protocol/ (cluster/ returns typed results; the server converts them)'
    : into(rel, 'server', 'client', 'cli', 'webhook', 'webview') ? 'an adapter folder' : undefined,
  protocol: (s, rel, typeOnly) =>
    protocolPackage(s) || rel.startsWith('./') ? undefined
    : into(rel, 'core') ? (typeOnly ? undefined : 'a value from core/ (protocol/ may share core types with `import type` only)')
    : 'anything but the JSON-RPC/LSP protocol package, its own files and core types',
  server: (s, rel) =>
    s === 'vscode' || s.startsWith('vscode-languageclient') ? 'VS Code client API'
    : into(rel, 'client', 'cli', 'webhook', 'webview') ? 'another adapter' : undefined,
  client: (s, rel, typeOnly) =>
    s.startsWith('@kubernetes/') ? 'Kubernetes client (use cluster/ through the server)'
    : s.startsWith('vscode-languageserver') && s !== 'vscode-languageserver-protocol' ? 'server package'
    : into(rel, 'cluster') ? 'cluster/ (the client reaches the cluster through the language server)'
    : into(rel, 'core') ? (typeOnly ? undefined : 'a value from core/ (the client may import core types only, with `import type`)')
    : into(rel, 'webview/messages') ? (typeOnly ? undefined : 'a value from webview/ (the client shares the pages\' message types only, with `import type`)')
    : rel.startsWith('../') && !into(rel, 'protocol') ? 'another folder (the client imports protocol/, core types and webview message types only)'
    : undefined,
  // Pages run in the webview's browser: their own files and web components, nothing of the extension or Node.
  webview: (s, rel) =>
    s === 'vscode' || nodeBuiltin(s) ? 'vscode or node built-ins'
    : rel.startsWith('../') ? 'another folder (a page imports its own files and the message types only)'
    : !s.startsWith('.') && !s.startsWith('@vscode-elements/') ? `the package ${s} (pages use @vscode-elements/elements)`
    : undefined,
  cli: (s, rel) =>
    s === 'vscode' || lsp(s) ? 'editor/LSP package'
    : into(rel, 'server', 'client', 'webhook', 'webview') ? 'another adapter' : undefined,
  webhook: (s, rel) =>
    s === 'vscode' || lsp(s) ? 'editor/LSP package'
    : into(rel, 'server', 'client', 'cli', 'webview') ? 'another adapter' : undefined,
};

/** Where a `kubevirtStorage/…` method name may not be spelled: everywhere it is sent or handled but protocol/. */
const methodNameFolders = ['core', 'cluster', 'server', 'client', 'cli', 'webhook', 'webview', 'test/lsp'];
// A quoted method name anywhere, or one in backticks as the first argument of a send or a handler
// (backticks alone are left to comments, which name methods in Markdown style).
const methodLiteral = /['"]kubevirtStorage\/[^'"\n]*['"]|\b(?:sendRequest|onRequest|sendNotification|onNotification|request)\s*(?:<[^>()]*>)?\s*\(\s*`kubevirtStorage\//g;

const importRe = /(?:^|[\s;])(?:import|export)\s[^'"`]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;
const violations = [];
for (const [folder, check] of Object.entries(rules)) {
  for (const f of files(join(root, folder))) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(importRe)) {
      const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
      const typeOnly = /^[\s;]*(?:import|export)\s+type\s/.test(m[0]);
      // Normalise a relative specifier to be relative to the top folder (e.g. '../cluster/x').
      const rel = spec.startsWith('.') ? relative(join(root, folder), join(f, '..', spec)).split(sep).join('/') : spec;
      const relTop = spec.startsWith('.') ? (rel.startsWith('..') ? rel : './' + rel) : spec;
      const reason = check(spec, relTop, typeOnly);
      if (reason) violations.push(`${relative(root, f)}: imports '${spec}' (${reason}; not allowed in ${folder}/)`);
    }
  }
}
for (const folder of methodNameFolders) {
  for (const f of files(join(root, folder))) {
    for (const m of readFileSync(f, 'utf8').matchAll(methodLiteral)) {
      violations.push(`${relative(root, f)}: spells the method name in ${m[0].trim()}… (use its typed RequestType/NotificationType from protocol/)`);
    }
  }
}
if (violations.length) {
  console.error('Import boundary violations:\n' + violations.map((v) => '  ' + v).join('\n'));
  process.exit(1);
}
console.log('import boundaries: ok');
