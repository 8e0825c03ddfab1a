// code-server for the real-editor tests and the activation benchmark: packaging, installing the .vsix into an
// isolated extensions folder, starting code-server on 127.0.0.1:0 in its own process group, and stopping that
// group (also when the runner fails, times out or is interrupted).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait.mjs';

/** The repository root. */
export const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/** The cache setup.sh installs into (outside the repo). */
export const cacheDir = process.env.KVS_E2E_CACHE || join(homedir(), '.cache', 'kvstorage-e2e');

/** The code-server launcher setup.sh installed. */
export const codeServerBin = process.env.KVS_CODE_SERVER || join(cacheDir, 'code-server', 'node_modules', '.bin', 'code-server');

/** Debian's chromium. */
export const chromiumBin = process.env.KVS_CHROMIUM || '/usr/bin/chromium';

/** The .vsix `npm run package` writes. */
export const vsixPath = join(repoRoot, 'kubevirt-storage-tools.vsix');

/** Fails early, with the command to run, when setup.sh has not run. */
export function checkInstalled() {
  for (const [what, path] of [['code-server', codeServerBin], ['chromium', chromiumBin]]) {
    if (!existsSync(path)) throw new Error(`${what} not found at ${path}: run \`bash test/e2e/setup.sh\` first`);
  }
}

/** Builds the production bundles and the .vsix (`npm run package`); returns the .vsix path. */
export function packageVsix() {
  const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: repoRoot, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run package failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  if (!existsSync(vsixPath)) throw new Error(`npm run package did not write ${vsixPath}`);
  return vsixPath;
}

/**
 * A fresh temp folder for one run, with the environment that keeps code-server and chromium inside it
 * (VS Code puts its IPC sockets in os.tmpdir(), chromium its crash reports in XDG folders).
 */
export function makeRunRoot(prefix) {
  const root = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const xdg = join(root, 'xdg');
  const tmp = join(root, 'tmp');
  for (const d of [xdg, tmp]) mkdirSync(d, { recursive: true });
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: join(xdg, 'config'),
    XDG_DATA_HOME: join(xdg, 'data'),
    XDG_CACHE_HOME: join(xdg, 'cache'),
    TMPDIR: tmp,
  };
  return { root, env };
}

/** A workspace folder holding a copy of examples/. */
export function makeWorkspace(root, name) {
  const ws = join(root, name);
  cpSync(join(repoRoot, 'examples'), ws, { recursive: true });
  return ws;
}

/** A user-data folder whose settings keep the workbench quiet (no welcome page, no telemetry notice). */
export function makeUserData(root, name, extraSettings = {}) {
  const dir = join(root, name);
  mkdirSync(join(dir, 'User'), { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    'update.mode': 'none',
    'security.workspace.trust.enabled': false,
    'chat.commandCenter.enabled': false,
    ...extraSettings,
  };
  writeFileSync(join(dir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  return dir;
}

/**
 * Installs the .vsix into `extensionsDir` with code-server's own installer (what a user does) and returns
 * the folder it unpacked the extension into.
 */
export function installVsix(vsix, extensionsDir, userDataDir, env) {
  mkdirSync(extensionsDir, { recursive: true });
  execFileSync(codeServerBin, ['--config', '/dev/null', '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix], {
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return installedExtensionFolder(extensionsDir);
}

/** The folder an editor's installer unpacked this extension's .vsix into (`publisher.name-version`). */
export function installedExtensionFolder(extensionsDir) {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  const folderName = `${manifest.publisher}.${manifest.name}-${manifest.version}`.toLowerCase();
  const folder = readdirSync(extensionsDir).find((n) => n.toLowerCase() === folderName);
  if (!folder) throw new Error(`the .vsix did not install into ${extensionsDir} (found: ${readdirSync(extensionsDir).join(', ')})`);
  return join(extensionsDir, folder);
}

/** Every started code-server group, so that an exit or a signal still stops them. */
const running = new Set();

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // the group is gone
  }
}

function groupAlive(pid) {
  return killGroup(pid, 0);
}

process.on('exit', () => {
  for (const pid of running) killGroup(pid, 'SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    for (const pid of running) killGroup(pid, 'SIGKILL');
    process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
  });
}

function httpOk(url) {
  return new Promise((resolveOk) => {
    const req = get(url, (res) => {
      res.resume();
      resolveOk(res.statusCode === 200);
    });
    req.on('error', () => resolveOk(false));
    req.setTimeout(2000, () => {
      req.destroy();
      resolveOk(false);
    });
  });
}

/**
 * Starts code-server detached (its own process group) on 127.0.0.1 with a port the OS picks, opening
 * `workspace`; resolves once /healthz answers. `stop()` ends the whole group: the server, its extension hosts,
 * the language server they spawn and the file watcher.
 */
export async function startCodeServer({ userDataDir, extensionsDir, workspace, env, logFile, timeoutMs = 60_000 }) {
  const log = openSync(logFile, 'w');
  const started = Date.now();
  const child = spawn(
    codeServerBin,
    ['--config', '/dev/null', '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
      '--bind-addr', '127.0.0.1:0', '--auth', 'none', '--disable-telemetry', '--disable-update-check',
      '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened', workspace],
    { env, detached: true, stdio: ['ignore', log, log] },
  );
  closeSync(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error('code-server did not start');
  running.add(pid);
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });

  const stop = async () => {
    if (!running.has(pid)) return;
    killGroup(pid, 'SIGTERM');
    try {
      await waitFor(() => !groupAlive(pid), { timeoutMs: 5000, intervalMs: 50, what: 'code-server to stop' });
    } catch {
      killGroup(pid, 'SIGKILL');
      await waitFor(() => !groupAlive(pid), { timeoutMs: 5000, intervalMs: 50, what: 'code-server to be killed' }).catch(() => {});
    }
    running.delete(pid);
  };

  try {
    const port = await waitFor(
      () => {
        if (exited) throw new Error(`code-server exited early:\n${readFileSync(logFile, 'utf8')}`);
        const m = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(readFileSync(logFile, 'utf8'));
        return m ? Number(m[1]) : undefined;
      },
      { timeoutMs, intervalMs: 50, what: `code-server to listen (log: ${logFile})` },
    );
    const url = `http://127.0.0.1:${port}`;
    await waitFor(async () => (exited ? Promise.reject(new Error('code-server exited')) : httpOk(`${url}/healthz`)), {
      timeoutMs: Math.max(1000, timeoutMs - (Date.now() - started)),
      intervalMs: 100,
      what: 'code-server /healthz',
    });
    return { pid, port, url, authority: `127.0.0.1:${port}`, startMs: Date.now() - started, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Removes a run's temp folder unless KVS_E2E_KEEP=1 (then says where it is). */
export function removeRunRoot(root) {
  if (process.env.KVS_E2E_KEEP === '1') {
    console.log(`kept ${root}`);
    return;
  }
  rmSync(root, { recursive: true, force: true });
}
