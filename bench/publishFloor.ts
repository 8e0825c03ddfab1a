/**
 * The protocol's floor of a pushed edit: the bench's LSP client (bench/lsp.ts) against a stand-in server
 * (bench/echoServer.mjs) that answers each change with the real server's publish for the file and does nothing
 * else, for the bundle and the 50-document file, beside the real server on the same files (interleaved rounds).
 * If the stand-in's bundle edit is already more than twice the real server's whole 50-document edit, the ratio
 * target (≤ 2) cannot be met while a push carries every diagnostic of the file.
 * `npm run build` first; `node --import tsx bench/publishFloor.ts [--rounds 3] [--edits 50] [--seed 20251121]`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultSettings } from '../core/types.js';
import { emptyRepoConfig } from '../core/repoConfig.js';
import { Workspace } from '../core/workspace.js';
import { encodeMessage, publishedDiagnostics } from '../server/diagnostics.js';
import { Presenter } from '../server/presentation.js';
import { generateBundle } from './generate.js';
import { measureLsp, type LspResult } from './lsp.js';
import { median, percentile } from './stats.js';

const { values: opts } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, edits: { type: 'string', default: '50' }, seed: { type: 'string', default: '20251121' } } });
const rounds = Number(opts.rounds);
const edits = Number(opts.edits);
const seed = Number(opts.seed);
const root = join(__dirname, '..');
const outDir = join(root, 'bench', 'out');
const uri = 'file:///bench/bundle.yaml'; // bench/lsp.ts's

/** The publish the server sends after opening `text` (version 1), as the stdio transport writes it. */
function publishOf(text: string): Buffer {
  const ws = new Workspace();
  const options = { settings: defaultSettings };
  ws.setFile(uri, text);
  const presenter = new Presenter({ workspace: ws, options: () => options, config: () => emptyRepoConfig, folders: () => [] });
  const report = presenter.present(uri, { version: 1, getText: () => text }, ws.report(uri, options));
  return encodeMessage({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri, version: 1, diagnostics: publishedDiagnostics(report) } });
}

void (async () => {
  mkdirSync(outDir, { recursive: true });
  const files = { bundle: generateBundle(seed).text, small: generateBundle(seed, 50).text };
  const publishes: Record<string, string> = {};
  for (const [name, text] of Object.entries(files)) {
    const file = join(outDir, `floor-${name}.json`);
    const bytes = publishOf(text);
    writeFileSync(file, bytes);
    publishes[name] = file;
    console.log(`${name}: publish of ${bytes.length} bytes`);
  }
  const runs: Record<string, LspResult[]> = {};
  for (let r = 0; r < rounds; r++) {
    for (const [name, text] of Object.entries(files)) {
      const load = loadavg()[0]!.toFixed(2);
      const echo = await measureLsp({ serverPath: '', text, edits, seed, command: { file: process.execPath, args: [join(root, 'bench', 'echoServer.mjs'), publishes[name]!] } });
      const real = await measureLsp({ serverPath: join(root, 'dist', 'server.js'), text, edits, seed });
      (runs[`stand-in ${name}`] ??= []).push(echo);
      (runs[`server ${name}`] ??= []).push(real);
      console.log(`round ${r + 1} ${name} (load ${load}): stand-in median ${median(echo.latenciesMs.slice(5)).toFixed(2)} ms, server ${median(real.latenciesMs.slice(5)).toFixed(2)} ms`);
    }
  }
  console.log(`\nmedian and p90 of edits 6–${edits} over ${rounds} rounds (all rounds' edits pooled); client CPU per edit from /proc`);
  const row = (name: string) => {
    const lat = runs[name]!.flatMap((x) => x.latenciesMs.slice(5));
    const client = runs[name]!.flatMap((x) => (x.perEdit ?? []).slice(5).map((e) => e.clientCpuMs));
    // The p95 target's figure: all edits of one round (the first five too), the median of the rounds'.
    const p95 = median(runs[name]!.map((x) => percentile(x.latenciesMs, 95)));
    return { median: median(lat), p90: percentile(lat, 90), p95, client: median(client) };
  };
  const figures = Object.fromEntries(Object.keys(runs).map((k) => [k, row(k)]));
  for (const [k, f] of Object.entries(figures)) console.log(`  ${k.padEnd(18)} median ${f.median.toFixed(2)} ms, p90 ${f.p90.toFixed(2)} ms, p95 of all edits ${f.p95.toFixed(2)} ms (median of rounds), client CPU ${f.client.toFixed(2)} ms`);
  const floor = figures['stand-in bundle']!;
  const small = figures['server small']!;
  console.log(`  stand-in bundle ÷ real 50-document edit: ${(floor.median / small.median).toFixed(2)}× at the median, ${(floor.p90 / small.p90).toFixed(2)}× at p90 (the ratio target is ≤ 2)`);
  console.log(`load average at end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
})();
