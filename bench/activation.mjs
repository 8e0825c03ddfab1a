#!/usr/bin/env node
// Activation time in the real editor: packages the .vsix, installs it into code-server, then N times starts a
// fresh code-server + browser (a cold extension host) and runs bench/activationSuite inside it, which times
// `ext.activate()` (bundle load + activate() + language server `initialize`), the first diagnostics after
// opening examples/restore-sizes.yaml, and the bundle's load alone. Prints medians; never passes or fails on time.
//
// Usage: npm run bench:activation [-- --runs=5 --skip-package --write]
//   --write: replace the "## Activation" section of bench/README.md (appended when missing) with the figures.
// Needs test/e2e/setup.sh (the npm script runs it).
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { collectConsole, launchBrowser, runExtensionTests } from '../test/e2e/lib/browser.mjs';
import {
  checkInstalled, installVsix, makeRunRoot, makeUserData, makeWorkspace, packageVsix, removeRunRoot, repoRoot,
  startCodeServer, vsixPath,
} from '../test/e2e/lib/codeServer.mjs';

const args = process.argv.slice(2);
const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice('--runs='.length) ?? 5);

async function coldStart(root, env, extensionsDir, extensionFolder, i) {
  const workspace = makeWorkspace(root, `ws-${i}`);
  const resultFile = join(root, `result-${i}.json`);
  const server = await startCodeServer({
    userDataDir: makeUserData(root, `user-data-${i}`), extensionsDir, workspace,
    env: { ...env, KVS_BENCH_RESULT: resultFile }, logFile: join(root, `code-server-${i}.log`),
  });
  let browser;
  try {
    browser = await launchBrowser(join(root, `browser-${i}`), env);
    const console_ = collectConsole(browser.page);
    const code = await runExtensionTests({
      page: browser.page, server, workspace, extensionDevelopmentPath: extensionFolder,
      extensionTestsPath: join(repoRoot, 'bench', 'activationSuite', 'index.js'), timeoutMs: 120_000,
    });
    if (code !== 0 || !existsSync(resultFile)) {
      await console_.save(join(root, `console-${i}.log`));
      throw new Error(`run ${i}: the activation suite failed (exit ${code}); console: ${join(root, `console-${i}.log`)}`);
    }
    return JSON.parse(readFileSync(resultFile, 'utf8'));
  } finally {
    await browser?.context.close().catch(() => {});
    await server.stop();
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (xs) => `${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;

async function main() {
  checkInstalled();
  if (!args.includes('--skip-package')) packageVsix();
  const { root, env } = makeRunRoot('kvs-bench-activation');
  try {
    const extensionsDir = join(root, 'extensions');
    const extensionFolder = installVsix(vsixPath, extensionsDir, join(root, 'user-data-install'), env);
    const results = [];
    for (let i = 1; i <= runs; i++) {
      const r = await coldStart(root, env, extensionsDir, extensionFolder, i);
      console.log(`run ${i}/${runs}: activate ${r.activateMs.toFixed(0)} ms, first diagnostics ${r.firstDiagnosticsMs.toFixed(0)} ms, bundle load ${r.loadMs.toFixed(1)} ms`);
      results.push(r);
    }
    const kib = (p) => `${(statSync(p).size / 1024).toFixed(1)} KiB`;
    const section = [
      '## Activation',
      '',
      `\`npm run bench:activation\`: ${runs} cold starts of the packaged extension in code-server ${results[0].vscode ? `(VS Code ${results[0].vscode}, extension host Node ${results[0].node})` : ''}`,
      `on ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'} (load average ${loadavg()[0].toFixed(1)} at the end); each run is a fresh code-server,`,
      'browser and extension host. Medians (min, max):',
      '',
      '| what | time |',
      '|---|---|',
      `| \`ext.activate()\` from cold: load \`dist/client.js\`, \`activate()\`, language server started and initialized | ${fmt(results.map((r) => r.activateMs))} |`,
      `| then open \`restore-sizes.yaml\` → first diagnostics | ${fmt(results.map((r) => r.firstDiagnosticsMs))} |`,
      `| loading the minified \`dist/client.js\` alone (parse + top level) | ${fmt(results.map((r) => r.loadMs))} |`,
      '',
      `Sizes: \`dist/client.js\` ${kib(join(extensionFolder, 'dist', 'client.js'))}, \`dist/server.js\` ${kib(join(extensionFolder, 'dist', 'server.js'))}, \`.vsix\` ${kib(vsixPath)}.`,
      '',
    ].join('\n');
    console.log(`\n${section}`);
    if (args.includes('--write')) writeSection(join(repoRoot, 'bench', 'README.md'), section);
  } finally {
    removeRunRoot(root);
  }
}

/** Replaces the "## Activation" section of `file` (up to the next "## " heading), or appends it. */
function writeSection(file, section) {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const start = text.search(/^## Activation\s*$/m);
  let next;
  if (start < 0) next = `${text.replace(/\n*$/, '\n\n')}${section}`;
  else {
    const rest = text.slice(start + 1);
    const end = rest.search(/^## /m);
    next = `${text.slice(0, start)}${section}${end < 0 ? '' : `\n${rest.slice(end)}`}`;
  }
  writeFileSync(file, next);
  console.log(`wrote the Activation section of ${file}`);
}

main().catch((error) => {
  console.error(error?.stack ?? error);
  process.exit(1);
});
