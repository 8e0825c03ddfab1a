// Headless Debian chromium through playwright-core, and VS Code's extension-test mechanism in code-server's
// web workbench.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { chromium } from 'playwright-core';
import { chromiumBin } from './codeServer.mjs';
import { withDeadline } from './wait.mjs';

/** Launches chromium with a throw-away profile under `root`. */
export async function launchBrowser(root, env) {
  const profile = join(root, 'chromium-profile');
  mkdirSync(profile, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumBin,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    viewport: { width: 1400, height: 900 },
    env,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

/**
 * Collects the page console in order. The extension host's console arrives as ('%c…', css, ...args); those
 * lines (the mocha output among them) are passed to `onExtensionHostLine`.
 */
export function collectConsole(page, onExtensionHostLine) {
  const lines = [];
  let chain = Promise.resolve();
  page.on('console', (message) => {
    chain = chain.then(async () => {
      let values;
      try {
        values = await Promise.all(message.args().map((a) => a.jsonValue()));
      } catch {
        values = [message.text()];
      }
      const fromExtensionHost = typeof values[0] === 'string' && values[0].startsWith('%c');
      if (fromExtensionHost) values = values.slice(2);
      const text = format(...values);
      lines.push(`[${message.type()}]${fromExtensionHost ? ' [ext host]' : ''} ${text}`);
      if (fromExtensionHost) onExtensionHostLine?.(text);
    });
  });
  page.on('pageerror', (error) => lines.push(`[pageerror] ${String(error)}`));
  return {
    lines,
    /** Waits until every message seen so far is formatted, then writes them to `file`. */
    async save(file) {
      await chain;
      writeFileSync(file, lines.join('\n') + '\n');
    },
  };
}

/**
 * Runs an extension test suite (a file exporting `run()`, the @vscode/test-electron shape) in the extension
 * host of code-server's web workbench. code-server's CLI rejects --extensionDevelopmentPath, but the web
 * workbench takes both paths from its `payload` URL parameter, and reports the suite's exit code through
 * `window.codeAutomationExit` (as @vscode/test-web relies on). Resolves with that exit code.
 */
export async function runExtensionTests({ page, server, workspace, extensionDevelopmentPath, extensionTestsPath, timeoutMs }) {
  let exited;
  const exitCode = new Promise((resolve) => {
    exited = resolve;
  });
  await page.exposeFunction('codeAutomationExit', (code) => exited(code));
  const remote = (path) => `vscode-remote://${server.authority}${path}`;
  const payload = [
    ['extensionDevelopmentPath', remote(extensionDevelopmentPath)],
    ['extensionTestsPath', remote(extensionTestsPath)],
  ];
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return withDeadline(exitCode, timeoutMs, 'the extension tests to finish (codeAutomationExit)');
}
