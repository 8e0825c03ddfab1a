'use strict';
// Extension-test entry point, the @vscode/test-electron shape: the extension host require()s this file and
// awaits run(). The same file runs inside code-server (test/e2e/run.mjs) and inside desktop VS Code
// (test/e2e/electron.mjs). Results also go to $KVS_E2E_RESULTS (JSON) when the runner sets it.
const fs = require('node:fs');
const path = require('node:path');
const Mocha = require('mocha');
const vscode = require('vscode');

exports.run = function run() {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
  const grep = process.env.KVS_E2E_GREP;
  if (grep) mocha.grep(grep);
  for (const name of fs.readdirSync(__dirname).sort()) {
    if (name.endsWith('.test.js')) mocha.addFile(path.join(__dirname, name));
  }
  return new Promise((resolve, reject) => {
    const tests = [];
    const runner = mocha.run(async (failures) => {
      const summary = { passed: runner.stats?.passes ?? 0, failed: runner.stats?.failures ?? failures, tests };
      if (process.env.KVS_E2E_RESULTS) fs.writeFileSync(process.env.KVS_E2E_RESULTS, JSON.stringify(summary, null, 2));
      console.log(`extension tests: ${summary.passed} passed, ${summary.failed} failed`);
      // The extension host stops when this resolves, and a tree it served would read "There is no data provider
      // registered" in the last screenshot: leave the side bar on the file explorer.
      await Promise.resolve(vscode.commands.executeCommand('workbench.view.explorer')).catch(() => undefined);
      if (failures > 0) reject(new Error(`${failures} extension tests failed`));
      else resolve();
    });
    runner.on('pass', (t) => tests.push({ title: t.fullTitle(), state: 'passed', ms: t.duration }));
    runner.on('fail', (t, error) => tests.push({ title: t.fullTitle(), state: 'failed', error: String(error && error.stack || error) }));
  });
};
