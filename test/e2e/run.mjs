#!/usr/bin/env node
// Real-editor tests: packages the .vsix, installs it into code-server (what a user installs is what is tested),
// then runs
//   1. the extension tests (test/e2e/suite, mocha inside code-server's extension host), and
//   2. the UI tests (test/e2e/ui.mjs, Playwright driving Debian's chromium),
// each against its own code-server and its own API emulator (lib/cluster.ts, the cluster the explorer shows) on 127.0.0.1:<free port> in its own process group, stopped on success,
// failure, timeout or interrupt. Ends with "N passed, N failed"; exits 1 when anything failed.
//
// Needs `bash test/e2e/setup.sh` first (npm run test:e2e does both).
// Options: --skip-package (test the existing .vsix), --only=ext|ui.
// Env: KVS_E2E_CACHE (setup.sh's cache), KVS_E2E_KEEP=1 (keep temp folders), KVS_E2E_VERBOSE=1 (echo the whole
// browser console), KVS_E2E_GREP (mocha grep), KVS_E2E_TIMEOUT_MS (whole run, default 600000).
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { launchBrowser, collectConsole, runExtensionTests } from './lib/browser.mjs';
import { startTestCluster } from './lib/cluster.mjs';
import {
  checkInstalled, installVsix, makeRunRoot, makeUserData, makeWorkspace, packageVsix, removeRunRoot, repoRoot,
  startCodeServer, vsixPath,
} from './lib/codeServer.mjs';
import { writeExpectedFindings } from './lib/expected.mjs';
import { prepareUiWorkspace, runUiTests } from './ui.mjs';

const args = process.argv.slice(2);
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const t0 = Date.now();
const log = (...a) => console.log(`[e2e ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s]`, ...a);
const resultsDir = join(repoRoot, 'test-results');
const screenshotsDir = join(resultsDir, 'screenshots');
const logsDir = join(resultsDir, 'e2e');

/** Every test's outcome: `{ name, ok, error? }`. */
const outcomes = [];
const timings = {};
const screenshots = [];

async function timed(name, fn) {
  const started = Date.now();
  try {
    return await fn();
  } finally {
    timings[name] = Date.now() - started;
  }
}

/** A seeded API emulator for `fn`, closed whatever happens. */
async function withCluster(root, name, fn, opts = {}) {
  const cluster = await startTestCluster(join(root, `cluster-${name}`), opts);
  log(`${name}: API emulator ${cluster.info.url} (context ${cluster.info.context})`);
  try {
    return await fn(cluster);
  } finally {
    await cluster.close();
  }
}

/** One code-server + one browser for `fn`; both stopped whatever happens. */
async function withEditor({ root, env, extensionsDir, name, codeServerEnv = () => ({}), userSettings = {}, prepare = () => {} }, fn) {
  const workspace = makeWorkspace(root, `ws-${name}`);
  // Files the tests need in the workspace before the editor starts (it may not see files written later).
  prepare(workspace);
  const userDataDir = makeUserData(root, `user-data-${name}`, userSettings);
  const server = await startCodeServer({
    userDataDir, extensionsDir, workspace, env: { ...env, ...codeServerEnv(workspace) }, logFile: join(logsDir, `code-server-${name}.log`),
  });
  log(`${name}: code-server ${server.url} (pid group ${server.pid}) up in ${server.startMs} ms`);
  let browser;
  try {
    browser = await launchBrowser(join(root, `browser-${name}`), env);
    const console_ = collectConsole(browser.page, (line) => {
      if (name === 'ext' || process.env.KVS_E2E_VERBOSE === '1') console.log(`  │ ${line}`);
    });
    try {
      return await fn({ page: browser.page, server, workspace });
    } finally {
      await console_.save(join(logsDir, `browser-console-${name}.log`)).catch(() => {});
    }
  } finally {
    await browser?.context.close().catch(() => {});
    await server.stop();
    log(`${name}: code-server stopped`);
  }
}

async function extensionTests(ctx, extensionFolder) {
  const resultsFile = join(ctx.root, 'ext-results.json');
  const expectedFile = join(ctx.root, 'expected-findings.json');
  // No kubeconfig setting: the suite connects the cluster itself (explorer.test.js), after the workspace tests.
  await withCluster(ctx.root, 'ext', (cluster) => withEditor({
    ...ctx,
    name: 'ext',
    codeServerEnv: (workspace) => {
      const expected = writeExpectedFindings(workspace, expectedFile);
      log(`ext: the CLI reports ${expected.length} findings on the workspace; the editor must show the same`);
      // The extension host inherits code-server's environment.
      return { KVS_E2E_EXPECTED: expectedFile, KVS_E2E_RESULTS: resultsFile, KVS_E2E_EXTENSION_PATH: extensionFolder, KVS_E2E_CLUSTER: cluster.infoFile };
    },
  }, async ({ page, server, workspace }) => {
    // extensionDevelopmentPath is the folder code-server's --install-extension unpacked the .vsix into: the
    // development copy and the installed copy are then one and the same, so the code under test is exactly
    // what ships (minified bundles, .vscodeignore applied), not the repo's dist/. The suite asserts this path.
    const code = await runExtensionTests({
      page, server, workspace, extensionDevelopmentPath: extensionFolder,
      extensionTestsPath: join(repoRoot, 'test', 'e2e', 'suite', 'index.js'), timeoutMs: 240_000,
    });
    const path = join(screenshotsDir, 'ext-tests.png');
    await page.screenshot({ path }).then(() => screenshots.push(path), () => {});
    log(`ext: the extension host exited with code ${code}`);
    const results = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : undefined;
    if (!results) {
      outcomes.push({ name: 'extension tests', ok: false, error: new Error(`the suite wrote no results (exit code ${code})`) });
      return;
    }
    for (const t of results.tests) outcomes.push({ name: `ext: ${t.title}`, ok: t.state === 'passed', error: t.error });
    if (code !== 0 && results.failed === 0) outcomes.push({ name: 'extension tests exit code', ok: false, error: new Error(`exit code ${code}`) });
  }));
}

async function uiTests(ctx, manifest) {
  // Connected from the start (the explorer UI test reads the emulator's objects); the names it holds are not
  // in examples/, so the other UI tests see the workspace findings unchanged.
  await withCluster(ctx.root, 'ui', (cluster) => withEditor({
    ...ctx,
    name: 'ui',
    userSettings: { 'kubevirtStorage.cluster.kubeconfig': cluster.info.kubeconfig },
    prepare: prepareUiWorkspace,
  }, async ({ page, server, workspace }) => {
    const results = await runUiTests({
      page, url: server.url, workspace, manifest, screenshotsDir, cluster: cluster.info, resize: cluster.resize,
      log: (line) => {
        const m = /^screenshot: (.*)$/.exec(line);
        if (m) screenshots.push(m[1]);
        else log(`ui:${line}`);
      },
    });
    for (const r of results) outcomes.push({ name: `ui: ${r.name}`, ok: r.ok, error: r.error });
  }), { gcp: true });
}

function summary() {
  const passed = outcomes.filter((o) => o.ok).length;
  const failed = outcomes.length - passed;
  console.log('');
  for (const o of outcomes.filter((x) => !x.ok)) console.log(`FAILED ${o.name}: ${String(o.error?.message ?? o.error).split('\n')[0]}`);
  if (screenshots.length) console.log(`screenshots:\n${screenshots.map((s) => `  ${relative(process.cwd(), s) || s}`).join('\n')}`);
  console.log(`timings: ${Object.entries(timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}s`).join(', ')}, total ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed;
}

async function main() {
  checkInstalled();
  rmSync(screenshotsDir, { recursive: true, force: true });
  for (const d of [screenshotsDir, logsDir]) mkdirSync(d, { recursive: true });

  if (args.includes('--skip-package')) {
    if (!existsSync(vsixPath)) throw new Error(`${vsixPath} not found: run npm run package`);
  } else {
    await timed('package', () => packageVsix());
  }
  log(`package: ${relative(repoRoot, vsixPath)} (${(readFileSync(vsixPath).length / 1024).toFixed(1)} KiB)`);

  const { root, env } = makeRunRoot('kvs-e2e');
  try {
    const extensionsDir = join(root, 'extensions');
    const extensionFolder = await timed('install', () => installVsix(vsixPath, extensionsDir, join(root, 'user-data-install'), env));
    log(`install: code-server installed the .vsix into ${extensionFolder}`);
    const manifest = JSON.parse(readFileSync(join(extensionFolder, 'package.json'), 'utf8'));
    const ctx = { root, env, extensionsDir };
    for (const [name, fn] of [['ext', () => extensionTests(ctx, extensionFolder)], ['ui', () => uiTests(ctx, manifest)]]) {
      if (only && only !== name) continue;
      try {
        await timed(name === 'ext' ? 'extension tests' : 'UI tests', fn);
      } catch (error) {
        log(`${name}: ${error?.stack ?? error}`);
        outcomes.push({ name: `${name} tests`, ok: false, error });
      }
    }
  } finally {
    removeRunRoot(root);
  }
}

const timeoutMs = Number(process.env.KVS_E2E_TIMEOUT_MS || 600_000);
const watchdog = setTimeout(() => {
  outcomes.push({ name: 'the whole run', ok: false, error: new Error(`did not finish within ${timeoutMs} ms`) });
  summary();
  process.exit(1); // the exit handler of lib/codeServer.mjs kills the code-server process groups
}, timeoutMs);

main().then(
  () => {
    clearTimeout(watchdog);
    if (outcomes.length === 0) outcomes.push({ name: 'e2e', ok: false, error: new Error('no test ran') });
    process.exit(summary() > 0 ? 1 : 0);
  },
  (error) => {
    clearTimeout(watchdog);
    console.error(error?.stack ?? error);
    outcomes.push({ name: 'e2e setup', ok: false, error });
    summary();
    process.exit(1);
  },
);
