/**
 * The foundation benchmark (`npm run bench`): parse-only vs full analysis of a 5,000-document bundle, the
 * language server's edit latency on that bundle and on a 50-document file of the same generator (pushed and
 * pulled diagnostics), `kvstorage lint` documents per second (the bundle, a folder of 10,000 small files), the
 * server's memory after indexing a 20,000-file workspace, and yaml-language-server on the same file and edits.
 * Prints figures with the load average they were taken at and states whether each target is met; exits 0
 * whatever the figures (1 only when a measurement could not be taken).
 * Options: --runs N (timed rounds, 11) --warmup N (3) --edits N (50) --seed N --skip-lsp --skip-scale
 *          --skip-yls --profile (also write CPU profiles to bench/out/profiles and print where time goes).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { LineCounter, parseAllDocuments } from 'yaml';
import { defaultSettings } from '../core/types.js';
import { analyze, Workspace } from '../core/workspace.js';
import { EditStream, type Edit } from './edits.js';
import { generateBundle } from './generate.js';
import { measureLsp, type LspResult } from './lsp.js';
import { installYls, serverMemory, smallFiles, timeLint, ylsVersion } from './scale.js';
import { recordProfile, summarize } from './profile.js';
import { collect, hasGc, mb, median, ms, percentile, printTable, threadSched, timeMs, timeWallCpu, verdict, verdictAtLeast } from './stats.js';

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '11' },
    warmup: { type: 'string', default: '3' },
    edits: { type: 'string', default: '50' },
    seed: { type: 'string', default: '20251121' },
    'skip-lsp': { type: 'boolean', default: false },
    'skip-scale': { type: 'boolean', default: false },
    'skip-yls': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
  },
});
const runs = Number(opts.runs);
const warmup = Number(opts.warmup);
const editCount = Number(opts.edits);
const seed = Number(opts.seed);
if (![runs, editCount, seed].every((n) => Number.isInteger(n) && n > 0) || !Number.isInteger(warmup) || warmup < 0) {
  console.error('usage: bench/run.ts [--runs N>0] [--warmup N>=0] [--edits N>0] [--seed N>0] [--skip-lsp] [--skip-scale] [--skip-yls] [--profile]');
  process.exit(2);
}
const root = join(__dirname, '..');
const serverPath = join(root, 'dist', 'server.js');
const cliPath = join(root, 'dist', 'cli.js');
const outDir = join(root, 'bench', 'out');
const profileDir = join(root, 'bench', 'out', 'profiles');
const file = 'bench://bundle.yaml';
/** Kinds whose documents supply facts (snapshots, classes, profiles, CDI config and version) to other documents. */
const factKinds = new Set(['VolumeSnapshot', 'StorageClass', 'StorageProfile', 'CDIConfig', 'CDI']);

async function main(): Promise<void> {
  const cpu = cpus();
  console.log(`KubeVirt Storage Tools benchmark — ${new Date().toISOString()}`);
  console.log(`node ${process.version}, ${process.platform}/${process.arch}, ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${mb(totalmem())} RAM`);
  console.log(`sources: core+server ${fingerprint(['core', 'server'])}, dist/server.js ${existsSync(serverPath) ? fingerprint(['dist/server.js']) : 'missing'}`);
  console.log(`load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (figures are inflated when other work shares the CPUs)`);
  console.log(`runs ${runs} after ${warmup} warm-up, ${editCount} edits, seed ${seed}, gc between runs: ${hasGc() ? 'yes' : 'no (run with --expose-gc)'}`);

  const bundle = generateBundle(seed);
  const { text } = bundle;
  console.log(`bundle: ${bundle.documents} documents, ${(bundle.bytes / 1e6).toFixed(2)} MB, ${Math.round(bundle.bytes / bundle.documents)} bytes/document`);

  const loadBefore = loadavg()[0]!;
  const { t, findings, fullAnalysis, waited } = measureParseAndAnalysis(text);
  const [parseMs, linesMs, analysisMs] = [median(t.parse), median(t.lines), median(t.analysis)];
  const inc = measureEdits(text);
  const mem = measureMemory(text);
  collect(); // leave the server run a small client heap, so client GC pauses do not add to its latencies

  const loadAt = { analysis: loadNote(loadBefore), lsp: 'not measured', scale: 'not measured' };

  // The language server, spawned over stdio: the bundle and a 50-document file, pushed and pulled.
  let lsp: { push: { big: LspResult; small: LspResult }; pull: { big?: LspResult; small?: LspResult }; yls?: { big: LspResult; small: LspResult } | { why: string } } | undefined;
  let lspError: string | undefined;
  if (!opts['skip-lsp']) {
    if (!existsSync(serverPath)) lspError = `${serverPath} not found: run \`npm run build\` (npm run bench does)`;
    else {
      try {
        const load0 = loadavg()[0]!;
        const small = generateBundle(seed, 50).text;
        const one = (t: string, pull = false) => measureLsp({ serverPath, text: t, edits: editCount, seed, pull });
        const push = { big: await one(text), small: await one(small) };
        const pull = { big: await one(text, true), small: await one(small, true) };
        lsp = { push, pull };
        if (!opts['skip-yls']) {
          const yls = installYls(join(outDir, 'yls'));
          if (!yls.ok) lsp.yls = { why: yls.why };
          else {
            const command = { file: process.execPath, args: [yls.main, '--stdio'] };
            const ylsRun = (t: string) => measureLsp({ serverPath, text: t, edits: Math.min(editCount, 20), seed, command, timeoutMs: 120_000 });
            lsp.yls = { big: await ylsRun(text), small: await ylsRun(small) };
          }
        }
        loadAt.lsp = loadNote(load0);
      } catch (e) {
        lspError = e instanceof Error ? e.message : String(e);
      }
    }
  }

  let scale: { bundle: Awaited<ReturnType<typeof timeLint>>; folder: Awaited<ReturnType<typeof timeLint>>; folderFiles: number; workspaceFiles: number; memory?: Awaited<ReturnType<typeof serverMemory>>; memoryError?: string } | undefined;
  if (!opts['skip-scale'] && existsSync(cliPath)) {
    const load0 = loadavg()[0]!;
    const bundleFile = join(outDir, 'bundle.yaml');
    mkdirSync(outDir, { recursive: true });
    writeFileSync(bundleFile, text);
    const folderFiles = 10_000;
    const workspaceFiles = 20_000;
    const folder = smallFiles(join(outDir, 'files-10000'), folderFiles, seed);
    await timeLint(cliPath, folder); // warm the file system cache
    scale = { bundle: await timeLint(cliPath, bundleFile), folder: await timeLint(cliPath, folder), folderFiles, workspaceFiles };
    try {
      scale.memory = await serverMemory(serverPath, smallFiles(join(outDir, 'files-20000'), workspaceFiles, seed), workspaceFiles);
    } catch (e) {
      scale.memoryError = e instanceof Error ? e.message : String(e);
    }
    loadAt.scale = loadNote(load0);
  }

  const ratio = analysisMs / linesMs;
  const signed = (bytes: number): string => `${bytes < 0 ? '−' : '+'}${mb(Math.abs(bytes))}`;
  printTable(`Parse and analysis (median of ${runs} runs unless stated; ${loadAt.analysis})`, [
    ['YAML parse only: parseAllDocuments(text)', ms(parseMs), `min ${ms(Math.min(...t.parse))}, CPU median ${ms(median(t.parseCpu))}`],
    ['YAML parse only, with a LineCounter', ms(linesMs), `min ${ms(Math.min(...t.lines))}, CPU median ${ms(median(t.linesCpu))}`],
    ['Full analysis: analyze() on a cold Workspace', ms(analysisMs), `min ${ms(Math.min(...t.analysis))}, CPU median ${ms(median(t.analysisCpu))}, ${findings} findings`],
    ['Cold analysis / parse with LineCounter', `${ratio.toFixed(2)}×`, `${verdict(ratio, 0.75, '×')}; in CPU time ${(median(t.analysisCpu) / median(t.linesCpu)).toFixed(2)}×`],
    ['Cold analysis / parse without LineCounter', `${(analysisMs / parseMs).toFixed(2)}×`, `for information; in CPU time ${(median(t.analysisCpu) / median(t.parseCpu)).toFixed(2)}×`],
    ['  bench main thread waiting for a CPU during those runs', waited, 'from /proc/thread-self/schedstat; inflation by other processes'],
    ['In process: Workspace.setFile after the edit (median / p95)', `${ms(median(inc.setFile))} / ${ms(percentile(inc.setFile, 95))}`, 'with the edit range, as the server passes it (through tsx: slower than the bundle)'],
    ['In process: Workspace.analyzeFile (median / p95)', `${ms(median(inc.analyzeFile))} / ${ms(percentile(inc.analyzeFile, 95))}`, 'the documents the edit touched, then the placed findings of the file'],
    ['Bench process after analysis: RSS', mb(mem.after.rss), 'with one analysed Workspace of the bundle alive'],
    ['Bench process after analysis: heap used', mb(mem.after.heapUsed), `${signed(mem.after.heapUsed - mem.before.heapUsed)} while a Workspace holds the bundle (${mem.findings} findings)`],
  ]);
  if (lsp) {
    const row = (label: string, r: LspResult | undefined, note = ''): [string, string, string] => {
      if (!r) return [label, 'n/a', ''];
      const steady = r.latenciesMs.slice(5);
      return [label, `${ms(median(steady))} / ${ms(percentile(steady, 90))} / ${ms(percentile(r.latenciesMs, 95))}`, `open ${ms(r.openMs)}, ${r.diagnostics} diagnostics (${(r.publishBytes / 1e3).toFixed(0)} kB)${r.serverPerEdit ? `, server per edit: CPU ${ms(r.serverPerEdit.runMs)}, waiting ${ms(r.serverPerEdit.waitMs)}` : ''}${note}`];
    };
    // What makes the first edits slow (bench/README.md): the server's main thread on a CPU, and all its threads
    // (V8 compiling the edit path's functions concurrently once they are hot, and GC helpers).
    const firstEdits = (label: string, r: LspResult): [string, string, string] => {
      const first = r.perEdit?.slice(0, 5);
      const list = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(' ');
      return [label, `${list(r.latenciesMs.slice(0, 5))} ms`, first ? `server main thread on a CPU ${list(first.map((e) => e.serverRunMs))} ms, all its threads ${list(first.map((e) => e.serverThreadsMs))} ms` : ''];
    };
    const big = lsp.push.big;
    const small = lsp.push.small;
    const steadyOf = (r: LspResult) => r.latenciesMs.slice(5);
    const medianRatio = median(steadyOf(big)) / median(steadyOf(small));
    const p90Ratio = percentile(steadyOf(big), 90) / percentile(steadyOf(small), 90);
    const p95 = percentile(big.latenciesMs, 95);
    const pullRow = (label: string, r: LspResult | undefined) => row(label, r, r?.unchanged !== undefined ? `; ${r.unchanged} of ${editCount} reports unchanged` : '');
    printTable(`Edit latency, didChange → diagnostics: median / p90 of edits 6–${editCount}, p95 of all ${editCount} (${loadAt.lsp})`, [
      row('Pushed, 5,000-document bundle', big),
      row('Pushed, 50-document file (same generator)', small),
      firstEdits('Pushed, bundle: the first 5 edits after the open', big),
      ['Ratio 5,000 ÷ 50 documents at the median', `${medianRatio.toFixed(2)}×`, verdict(medianRatio, 2, '×')],
      ['Ratio 5,000 ÷ 50 documents at p90', `${p90Ratio.toFixed(2)}×`, verdict(p90Ratio, 2, '×')],
      ['p95 on the bundle', ms(p95), verdict(p95, 10, ' ms')],
      // The verdict above counts the first edits after the open (V8 still compiling the edit path); this says how much of it they are.
      ['p95 on the bundle, edits 6–50 only', ms(percentile(steadyOf(big), 95)), 'for information: the target is judged on all edits'],
      pullRow('Pulled (textDocument/diagnostic), bundle', lsp.pull.big),
      pullRow('Pulled, 50-document file', lsp.pull.small),
      ['Language server after the edits: RSS', mb(big.serverRssBytes), 'from /proc'],
      ...(lsp.yls
        ? 'why' in lsp.yls
          ? [[`yaml-language-server ${ylsVersion}`, 'n/a', lsp.yls.why] as [string, string, string]]
          : [row(`yaml-language-server ${ylsVersion}, bundle (same edits)`, lsp.yls.big), row(`yaml-language-server ${ylsVersion}, 50-document file`, lsp.yls.small)]
        : []),
    ]);
    breakdown(inc.edits, inc.total, big);
  }
  if (scale) {
    const [bundleRun, folderRun] = [scale.bundle, scale.folder];
    const rate = (docs: number, r: { wallMs: number }) => (docs * 1000) / r.wallMs;
    printTable(`CI scale (${loadAt.scale})`, [
      ['kvstorage lint --format json, the bundle: documents/s', `${Math.round(rate(bundle.documents, bundleRun))}`, `${bundle.documents} documents in ${ms(bundleRun.wallMs)} (CPU ${ms(bundleRun.cpuMs)}, main thread ${ms(bundleRun.mainCpuMs)}), process start included`],
      [`kvstorage lint --format json, ${scale.folderFiles} small files: documents/s`, `${Math.round(rate(scale.folderFiles, folderRun))}`, `${verdictAtLeast(rate(scale.folderFiles, folderRun), 10_000, '/s')}; ${ms(folderRun.wallMs)} (CPU ${ms(folderRun.cpuMs)}, all threads; main thread ${ms(folderRun.mainCpuMs)}), process start included`],
      [`Language server RSS after indexing ${scale.workspaceFiles} files`, scale.memory ? mb(scale.memory.rssBytes) : 'n/a', scale.memory ? `${verdict(scale.memory.rssBytes / 1048576, 400, ' MiB')}; ${scale.memory.indexed} indexed in ${ms(scale.memory.scanMs)}` : (scale.memoryError ?? '')],
    ]);
  }
  console.log(`\nload average at end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  if (lspError) console.log(`\nLSP measurement failed: ${lspError}`);

  if (opts.profile) await profiles(text, fullAnalysis);
  process.exitCode = lspError ? 1 : 0;
}

/** "load 1.2 → 1.5": the 1-minute load average before and after a group of measurements. */
function loadNote(before: number): string {
  return `load ${before.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}`;
}

type Times = Record<'parse' | 'lines' | 'analysis' | 'parseCpu' | 'linesCpu' | 'analysisCpu', number[]>;

/** Parse-only and full analysis, interleaved round by round so that both see the same machine state. */
function measureParseAndAnalysis(text: string): { t: Times; findings: number; fullAnalysis: () => void; waited: string } {
  const parseOnly = (): void => void parseAllDocuments(text);
  const parseLines = (): void => void parseAllDocuments(text, { lineCounter: new LineCounter() });
  let findings = 0;
  const fullAnalysis = (): void => void (findings = analyze([{ file, text }], defaultSettings).length);
  for (let i = 0; i < warmup; i++) [parseOnly, parseLines, fullAnalysis].forEach((f) => f());
  const t: Times = { parse: [], lines: [], analysis: [], parseCpu: [], linesCpu: [], analysisCpu: [] };
  const record = (key: 'parse' | 'lines' | 'analysis', fn: () => void): void => {
    collect();
    const { wall, cpu } = timeWallCpu(fn);
    t[key].push(wall);
    t[`${key}Cpu`].push(cpu);
  };
  const s0 = threadSched();
  const w0 = performance.now();
  for (let i = 0; i < runs; i++) {
    record('parse', parseOnly);
    record('lines', parseLines);
    record('analysis', fullAnalysis);
  }
  const s1 = threadSched();
  const waited = s0 && s1 ? `${ms(s1.waitMs - s0.waitMs)} of ${ms(performance.now() - w0)}` : 'n/a';
  return { t, findings, fullAnalysis, waited };
}

/** The edits the LSP run makes, applied in process: how much of the latency is core's. */
function measureEdits(text: string): { setFile: number[]; analyzeFile: number[]; total: number[]; edits: Edit[] } {
  const ws = new Workspace();
  ws.setFile(file, text);
  ws.analyzeFile(file, { settings: defaultSettings });
  const inc = { setFile: [] as number[], analyzeFile: [] as number[], total: [] as number[], edits: [] as Edit[] };
  const stream = new EditStream(text, seed);
  for (let i = 0; i < editCount; i++) {
    const before = stream.text;
    const edit = stream.next();
    inc.edits.push(edit);
    // The range as the language server passes it on (TextDocuments' update hook), in offsets of the old text.
    const start = offsetOf(before, edit.range.start);
    const hint = { start, oldEnd: offsetOf(before, edit.range.end), newEnd: start + edit.newText.length };
    const a = timeMs(() => ws.setFile(file, stream.text, hint));
    const b = timeMs(() => ws.analyzeFile(file, { settings: defaultSettings }));
    inc.setFile.push(a);
    inc.analyzeFile.push(b);
    inc.total.push(a + b);
  }
  return inc;
}

function offsetOf(text: string, p: { line: number; character: number }): number {
  let offset = 0;
  for (let line = 0; line < p.line; line++) offset = text.indexOf('\n', offset) + 1;
  return offset + p.character;
}

/** Process memory before and after building one analysed Workspace of the bundle (kept alive meanwhile). */
function measureMemory(text: string): { before: NodeJS.MemoryUsage; after: NodeJS.MemoryUsage; findings: number } {
  collect();
  const before = process.memoryUsage();
  const held = new Workspace();
  held.setFile(file, text);
  const findings = held.analyzeFile(file, { settings: defaultSettings }).length;
  collect();
  const after = process.memoryUsage();
  // Read after the measurement so that the Workspace is provably alive when memory is sampled.
  if (!held.has(file)) throw new Error('the Workspace lost the bundle');
  return { before, after, findings };
}

/** Latency by what was edited: a digit or a comment line, in a document that supplies facts or not. */
function breakdown(edits: readonly Edit[], inProcess: readonly number[], lsp: LspResult | undefined): void {
  const groups = new Map<string, { core: number[]; lsp: number[] }>();
  edits.forEach((e, i) => {
    const key = `${e.kind === 'digit' ? 'storage digit' : 'comment line'} in ${factKinds.has(e.docKind) ? 'a fact document (snapshot, class, ...)' : 'another document'}`;
    const g = groups.get(key) ?? { core: [], lsp: [] };
    g.core.push(inProcess[i]!);
    const l = lsp?.latenciesMs[i];
    if (l !== undefined) g.lsp.push(l);
    groups.set(key, g);
  });
  const rows: [string, string, string][] = [['edit', 'n', 'in process median / max; LSP median / max']];
  for (const [key, g] of [...groups].sort()) {
    const lspPart = g.lsp.length > 0 ? `${ms(median(g.lsp))} / ${ms(Math.max(...g.lsp))}` : 'n/a';
    rows.push([key, String(g.core.length), `${ms(median(g.core))} / ${ms(Math.max(...g.core))}; ${lspPart}`]);
  }
  printTable('Edit latency by kind of edit', rows);
}

/** Short content hash of the source files under `paths`, to tie figures to a state of the code. */
function fingerprint(paths: readonly string[]): string {
  const hash = createHash('sha256');
  const walk = (p: string): void => {
    if (statSync(p).isDirectory()) for (const n of readdirSync(p).sort()) walk(join(p, n));
    else if (/\.(ts|js)$/.test(p)) hash.update(relative(root, p)).update(readFileSync(p));
  };
  for (const p of paths) if (existsSync(join(root, p))) walk(join(root, p));
  return hash.digest('hex').slice(0, 12);
}

/** CPU profiles of cold analysis, in-process edits and the server during an LSP run, summarised. */
async function profiles(text: string, fullAnalysis: () => void): Promise<void> {
  rmSync(profileDir, { recursive: true, force: true });
  mkdirSync(profileDir, { recursive: true });
  const cold = await recordProfile(join(profileDir, 'analysis.cpuprofile'), () => {
    for (let i = 0; i < 3; i++) fullAnalysis();
  });
  console.log(`\nCPU profile: 3 cold analyses (${join(profileDir, 'analysis.cpuprofile')})`);
  console.log(summarize(cold, undefined, 15).join('\n'));
  const w = new Workspace();
  w.setFile(file, text);
  w.analyzeFile(file, { settings: defaultSettings });
  const s = new EditStream(text, seed);
  const texts = Array.from({ length: editCount }, () => (s.next(), s.text)); // edits prepared outside the profile
  const edits = await recordProfile(join(profileDir, 'edits.cpuprofile'), () => {
    for (const next of texts) {
      w.setFile(file, next);
      w.analyzeFile(file, { settings: defaultSettings });
    }
  });
  console.log(`\nCPU profile: ${editCount} in-process edits (${join(profileDir, 'edits.cpuprofile')})`);
  console.log(summarize(edits, undefined, 15).join('\n'));
  if (opts['skip-lsp'] || !existsSync(serverPath)) return;
  await measureLsp({ serverPath, text, edits: editCount, seed, cpuProfDir: profileDir });
  for (const f of readdirSync(profileDir).filter((n) => n.startsWith('CPU.'))) {
    console.log(`\nCPU profile: language server, open + ${editCount} edits (${join(profileDir, f)})`);
    console.log(summarize(JSON.parse(readFileSync(join(profileDir, f), 'utf8')), serverPath, 15).join('\n'));
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
