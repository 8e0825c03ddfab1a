#!/usr/bin/env node
// The extension tests (test/e2e/suite) under @vscode/test-electron: desktop VS Code, which it downloads into
// the e2e cache. Needs internet access (CI has none beyond the package registries, so CI runs the same suite in
// code-server through run.mjs instead) and, on Linux without a display, `xvfb-run -a`.
// As in run.mjs, the packaged .vsix is installed with the editor's own CLI and that installed folder is the
// extensionDevelopmentPath, so the tested code is what ships.
// Env: KVS_VSCODE_VERSION (default 1.100.3, the VS Code inside code-server 4.100.3; "stable" for the newest),
// KVS_E2E_CACHE, KVS_E2E_KEEP=1.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath, runTests } from '@vscode/test-electron';
import {
  cacheDir, installedExtensionFolder, makeRunRoot, makeUserData, makeWorkspace, packageVsix, removeRunRoot, repoRoot,
} from './lib/codeServer.mjs';
import { startTestCluster } from './lib/cluster.mjs';
import { writeExpectedFindings } from './lib/expected.mjs';

const version = process.env.KVS_VSCODE_VERSION || '1.100.3';

async function main() {
  const vsix = packageVsix();
  const { root, env } = makeRunRoot('kvs-electron');
  let results;
  let cluster;
  try {
    cluster = await startTestCluster(join(root, 'cluster'));
    const vscodeExecutablePath = await downloadAndUnzipVSCode({ version, cachePath: join(cacheDir, 'vscode-test') });
    const extensionsDir = join(root, 'extensions');
    const userDataDir = makeUserData(root, 'user-data');
    const [cli] = resolveCliArgsFromVSCodeExecutablePath(vscodeExecutablePath, { reuseMachineInstall: true });
    const profile = [`--extensions-dir=${extensionsDir}`, `--user-data-dir=${userDataDir}`];
    const install = spawnSync(cli, [...profile, '--install-extension', vsix], {
      env, encoding: 'utf8', shell: process.platform === 'win32',
    });
    if (install.status !== 0) throw new Error(`installing the .vsix failed: ${install.stdout}${install.stderr}`);
    const extensionFolder = installedExtensionFolder(extensionsDir);
    const workspace = makeWorkspace(root, 'workspace');
    const expectedFile = join(root, 'expected-findings.json');
    const resultsFile = join(root, 'results.json');
    writeExpectedFindings(workspace, expectedFile);
    const code = await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: extensionFolder,
      extensionTestsPath: join(repoRoot, 'test', 'e2e', 'suite', 'index.js'),
      launchArgs: [workspace, ...profile, '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', '--disable-gpu'],
      extensionTestsEnv: { KVS_E2E_EXPECTED: expectedFile, KVS_E2E_RESULTS: resultsFile, KVS_E2E_EXTENSION_PATH: extensionFolder, KVS_E2E_CLUSTER: cluster.infoFile },
    }).catch((error) => {
      console.error(String(error?.message ?? error));
      return 1;
    });
    results = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : { passed: 0, failed: 1 };
    if (code !== 0 && results.failed === 0) results.failed = 1;
  } finally {
    await cluster?.close();
    removeRunRoot(root);
  }
  console.log(`${results.passed} passed, ${results.failed} failed`);
  return results.failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error?.stack ?? error);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
