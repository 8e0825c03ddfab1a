// Enforces the house-style import table: which folder may import what.
// Reads every .ts file's import/require specifiers; exits 1 listing each violation.
import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { sourceFiles as files } from './sourceFiles.mjs';

const root = process.cwd();
const nodeBuiltin = (s) => s.startsWith('node:');
const lsp = (s) => /^vscode-languageserver|^vscode-languageclient|^vscode-jsonrpc/.test(s);

/** For each folder: a predicate that returns a reason when a specifier is forbidden. */
const rules = {
  core: (s, rel) =>
    s === 'vscode' || lsp(s) ? 'editor/LSP package'
    : s.startsWith('@kubernetes/') ? 'Kubernetes client'
    : nodeBuiltin(s) || ['fs', 'http', 'https', 'child_process', 'net', 'os', 'process'].includes(s) ? 'Node built-in'
    : /^\.\.\/(cluster|server|client|cli|webhook|webview)\b/.test(rel) ? 'an adapter folder'
    : undefined,
  cluster: (s, rel) =>
    s === 'vscode' || lsp(s) ? 'editor/LSP package'
    : /^\.\.\/(server|client|cli|webhook|webview)\b/.test(rel) ? 'an adapter folder' : undefined,
  server: (s, rel) =>
    s === 'vscode' || s.startsWith('vscode-languageclient') ? 'VS Code client API'
    : /^\.\.\/(client|cli|webhook|webview)\b/.test(rel) ? 'another adapter' : undefined,
  client: (s, rel) =>
    s.startsWith('@kubernetes/') ? 'Kubernetes client (use cluster/ through the server)'
    : s.startsWith('vscode-languageserver') && s !== 'vscode-languageserver-protocol' ? 'server package'
    : /^\.\.\/(server|cli|webhook)\b/.test(rel) && !/^\.\.\/server\/protocol(\.ts|\.js)?$/.test(rel) ? 'server internals'
    : /^\.\.\/cluster\b/.test(rel) ? 'cluster/ (the client reaches the cluster through the language server)'
    : undefined,
  webview: (s) => (s === 'vscode' || nodeBuiltin(s) ? 'vscode or node built-ins' : undefined),
  cli: (s, rel) =>
    s === 'vscode' || lsp(s) ? 'editor/LSP package'
    : /^\.\.\/(server|client|webhook|webview)\b/.test(rel) ? 'another adapter' : undefined,
  webhook: (s, rel) =>
    s === 'vscode' || lsp(s) ? 'editor/LSP package'
    : /^\.\.\/(server|client|cli|webview)\b/.test(rel) ? 'another adapter' : undefined,
};

const importRe = /(?:^|[\s;])(?:import|export)\s[^'"`]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;
const violations = [];
for (const [folder, check] of Object.entries(rules)) {
  for (const f of files(join(root, folder))) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(importRe)) {
      const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
      // Normalise a relative specifier to be relative to the top folder (e.g. '../cluster/x').
      const rel = spec.startsWith('.') ? relative(join(root, folder), join(f, '..', spec)).split(sep).join('/') : spec;
      const relTop = spec.startsWith('.') ? (rel.startsWith('..') ? rel : './' + rel) : spec;
      const reason = check(spec, relTop);
      if (reason) violations.push(`${relative(root, f)}: imports '${spec}' (${reason}; not allowed in ${folder}/)`);
    }
  }
}
if (violations.length) {
  console.error('Import boundary violations:\n' + violations.map((v) => '  ' + v).join('\n'));
  process.exit(1);
}
console.log('import boundaries: ok');
