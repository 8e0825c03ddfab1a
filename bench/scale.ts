/**
 * The CI-scale figures of the benchmark: `kvstorage lint` documents per second (on the bundle, and on a folder of
 * 10,000 one-document files from the same generator), the language server's memory after indexing a workspace of
 * 20,000 files, and yaml-language-server (installed from the npm registry into bench/out, when it can be) on the
 * same file and edits.
 *
 * Run alone it compares lint's thread counts, interleaved round by round (the machine's other work then weighs on
 * each the same): `node --import tsx bench/scale.ts [--runs 5] [--jobs default,1,2] [--cli dist/cli.js[,OTHER/cli.js]] [TARGET...]`
 * (default targets: bench/out/files-10000 and bench/out/bundle.yaml, written by bench/run.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import {
  ConfigurationRequest,
  createProtocolConnection,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { statusNotification } from '../protocol/status.js';
import { generateBundle } from './generate.js';
import { median, ms, printTable } from './stats.js';

/** yaml-language-server as the bench installs it (pinned, like every dependency). */
export const ylsVersion = '2.0.0';

/** A folder of `count` one-document files cut from a bundle of the same generator (written once, reused). */
export function smallFiles(dir: string, count: number, seed: number): string {
  const marker = join(dir, `.complete-${count}-${seed}`);
  if (existsSync(marker)) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const docs = generateBundle(seed, count).text.split(/^---\n/m);
  docs.forEach((d, i) => writeFileSync(join(dir, `m${String(i).padStart(5, '0')}.yaml`), d));
  writeFileSync(marker, '');
  return dir;
}

export interface LintRun {
  wallMs: number;
  cpuMs: number;
  /** CPU of the process's main thread, and of its other threads (V8's compiler and GC helpers, workers); NaN off Linux. */
  mainCpuMs: number;
  otherCpuMs: number;
  exitCode: number | null;
  outputBytes: number;
}

/** Preloaded into the timed CLI: per-thread CPU at exit (threadCpu.cjs). */
const threadCpu = join(__dirname, 'threadCpu.cjs');

/** `node dist/cli.js lint --format json <target>`, timed from spawn to exit (startup included). */
export function timeLint(cliPath: string, target: string, extra: string[] = []): Promise<LintRun> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['-r', threadCpu, cliPath, 'lint', '--format', 'json', ...extra, target], { stdio: ['ignore', 'pipe', 'pipe'] });
    let outputBytes = 0;
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (outputBytes += c.length));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    const cpu0 = childrenCpuMs();
    child.on('exit', (exitCode) => {
      const wallMs = performance.now() - t0;
      if (exitCode === 2) reject(new Error(`lint failed: ${stderr.slice(-2000)}`));
      const threads = /\nkvstorage-bench-threads main=(\d+) other=(\d+)\n/.exec(stderr);
      resolve({ wallMs, cpuMs: childrenCpuMs() - cpu0, mainCpuMs: threads ? Number(threads[1]) : NaN, otherCpuMs: threads ? Number(threads[2]) : NaN, exitCode, outputBytes });
    });
  });
}

/**
 * The language server's resident memory once it has indexed the workspace folder `dir` (the status notification
 * reports the count), and how long the scan took.
 */
export async function serverMemory(serverPath: string, dir: string, files: number, timeoutMs = 300_000): Promise<{ rssBytes: number; indexed: number; scanMs: number }> {
  const child = spawn(process.execPath, [serverPath, '--stdio'], { stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.onRequest(ConfigurationRequest.type, (p) => p.items.map(() => ({})));
  connection.onRequest(RegistrationRequest.type, () => undefined);
  let done: (n: number) => void = () => undefined;
  const indexed = new Promise<number>((resolve) => (done = resolve));
  connection.onNotification(statusNotification, (s) => {
    if (s.indexedFiles !== undefined && s.indexedFiles >= files) done(s.indexedFiles);
  });
  connection.onUnhandledNotification(() => undefined);
  connection.listen();
  try {
    const folder = pathToFileURL(dir).href;
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: folder,
      workspaceFolders: [{ uri: folder, name: 'bench' }],
      capabilities: { workspace: { configuration: true, workspaceFolders: true } },
    });
    const t0 = performance.now();
    await connection.sendNotification(InitializedNotification.type, {});
    let timer: NodeJS.Timeout | undefined;
    const n = await Promise.race([indexed, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no index of ${files} files after ${timeoutMs} ms; stderr: ${stderr.slice(-1000)}`)), timeoutMs)))]).finally(() => clearTimeout(timer));
    const scanMs = performance.now() - t0;
    // Let the scan's garbage go the way it would in a long-running server before reading the resident set.
    const rssBytes = rssOf(child.pid);
    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
    return { rssBytes, indexed: n, scanMs };
  } finally {
    connection.dispose();
    if (child.exitCode === null) child.kill();
  }
}

/**
 * CPU time of this process's finished children (all their threads), from /proc/self/stat's cutime and cstime
 * (Linux; clock ticks of 10 ms); NaN elsewhere.
 */
function childrenCpuMs(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return NaN;
  }
}

function rssOf(pid: number | undefined): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** yaml-language-server's entry point, installed with npm into `dir` if it is not there yet; or why not. */
export function installYls(dir: string): { ok: true; main: string } | { ok: false; why: string } {
  const main = join(dir, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');
  if (existsSync(main)) return { ok: true, main };
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefix', dir, `yaml-language-server@${ylsVersion}`], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (r.status !== 0 || !existsSync(main)) return { ok: false, why: `npm install failed: ${(r.stderr || r.error?.message || '').trim().split('\n').slice(-3).join(' ')}` };
  return { ok: true, main };
}

/** Number of `.yaml` files in a folder. */
export function yamlFiles(dir: string): number {
  return readdirSync(dir).filter((n) => n.endsWith('.yaml')).length;
}

/**
 * Medians of `runs` interleaved rounds of `lint --format json [--jobs N]` per target, CLI and thread count (several
 * CLIs: an A/B of two builds, e.g. main's built in a scratch copy, on the same machine at the same time).
 */
async function compareThreads(clis: readonly string[], targets: readonly string[], jobs: readonly string[], runs: number): Promise<void> {
  const variants = clis.flatMap((cli) => jobs.map((j) => ({ cli, j, label: `${clis.length > 1 ? `${cli} ` : ''}--jobs ${j}` })));
  for (const target of targets) {
    const load0 = loadavg()[0]!;
    for (const cli of clis) await timeLint(cli, target); // warm the file system cache (and each build's files)
    const runsOf = new Map<string, LintRun[]>(variants.map((v) => [v.label, []]));
    for (let r = 0; r < runs; r++) for (const v of variants) runsOf.get(v.label)!.push(await timeLint(v.cli, target, v.j === 'default' ? [] : ['--jobs', v.j]));
    const load1 = loadavg()[0]!;
    printTable(
      `lint ${target}: medians of ${runs} interleaved rounds (load average ${load0.toFixed(1)} → ${load1.toFixed(1)})`,
      variants.map((v) => {
        const list = runsOf.get(v.label)!;
        const cpu = `CPU ${ms(median(list.map((x) => x.cpuMs)))} (all threads; main thread ${ms(median(list.map((x) => x.mainCpuMs)))}, others ${ms(median(list.map((x) => x.otherCpuMs)))})`;
        return [v.label, `${ms(median(list.map((x) => x.wallMs)))} wall`, `${cpu}; walls ${list.map((x) => Math.round(x.wallMs)).join(', ')} ms`] as const;
      }),
    );
  }
}

// Run alone (not imported by run.ts).
if (require.main === module) {
  const args = process.argv.slice(2);
  const option = (name: string, fallback: string): string => {
    const i = args.indexOf(name);
    if (i < 0) return fallback;
    const [value] = args.splice(i, 2).slice(1);
    return value ?? fallback;
  };
  const runs = Number(option('--runs', '5'));
  const jobs = option('--jobs', 'default,1,2').split(',');
  const clis = option('--cli', 'dist/cli.js').split(',');
  const targets = args.length > 0 ? args : [join('bench', 'out', 'files-10000'), join('bench', 'out', 'bundle.yaml')];
  compareThreads(clis, targets, jobs, runs).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
