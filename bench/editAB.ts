/**
 * Two builds of the language server, A and B, on the bundle's pushed edits, in interleaved rounds (A, B, A, B, …):
 * per round the latencies (median and p90 of edits 6–N, p95 of all) and the server's main thread on a CPU per edit,
 * for all edits and split by kind (a comment line added: lines move; a digit changed: none do). On a shared machine
 * the CPU figures are the ones to compare; the load is printed with each round.
 * `node --import tsx bench/editAB.ts <a/dist/server.js> <b/dist/server.js> [--rounds 3] [--edits 100] [--seed 20251121] [--pause ms] [--hash]`
 * (`--pause`: wait that long after the open's diagnostics before the first edit, as a user reading the file would;
 * `--hash`: after the timed rounds, one more run of each build that hashes the raw bytes of every publishDiagnostics
 * it wrote, the open's and the edits' (the install folder in the rule pages' hrefs replaced by a placeholder), and
 * says whether A's and B's are the same)
 * (build the other tree in a scratch copy: `git archive main | tar -x -C /tmp/main`, node_modules linked, `node esbuild.mjs`).
 */
import { createHash } from 'node:crypto';
import { loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { generateBundle } from './generate.js';
import { measureLsp } from './lsp.js';
import { median, percentile } from './stats.js';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: { rounds: { type: 'string', default: '3' }, edits: { type: 'string', default: '100' }, seed: { type: 'string', default: '20251121' }, pause: { type: 'string', default: '0' }, hash: { type: 'boolean', default: false } },
});
if (positionals.length !== 2) {
  console.error('usage: bench/editAB.ts <server A> <server B> [--rounds N] [--edits N] [--seed N] [--pause ms] [--hash]');
  process.exit(2);
}
const rounds = Number(opts.rounds);
const edits = Number(opts.edits);
const seed = Number(opts.seed);
const pauseAfterOpenMs = Number(opts.pause);

void (async () => {
  const text = generateBundle(seed).text;
  const cpu: Record<string, { all: number[]; comment: number[]; digit: number[] }> = {};
  const firsts: Record<string, number[]> = {};
  const p95s: Record<string, number[]> = {};
  for (let r = 0; r < rounds; r++) {
    for (const [name, serverPath] of [['A', positionals[0]!], ['B', positionals[1]!]] as const) {
      const load = loadavg()[0]!.toFixed(2);
      const res = await measureLsp({ serverPath, text, edits, seed, pauseAfterOpenMs });
      const after = res.latenciesMs.slice(5);
      const per = res.perEdit ?? [];
      const byKind = (kind: string) => per.filter((_, i) => i >= 5 && res.edits[i]!.kind === kind).map((e) => e.serverRunMs);
      const c = (cpu[name] ??= { all: [], comment: [], digit: [] });
      c.all.push(res.serverPerEdit?.runMs ?? NaN);
      (p95s[name] ??= []).push(percentile(res.latenciesMs, 95));
      c.comment.push(median(byKind('comment')));
      c.digit.push(median(byKind('digit')));
      console.log(
        `round ${r + 1} ${name} (load ${load} → ${loadavg()[0]!.toFixed(2)}): open ${res.openMs.toFixed(0)} ms, median ${median(after).toFixed(2)} / p90 ${percentile(after, 90).toFixed(2)} / p95 ${percentile(res.latenciesMs, 95).toFixed(2)} ms;` +
          ` server CPU per edit ${c.all.at(-1)!.toFixed(2)} ms (median: comment line ${c.comment.at(-1)!.toFixed(2)}, digit ${c.digit.at(-1)!.toFixed(2)}), waiting ${res.serverPerEdit?.waitMs.toFixed(2)} ms; server RSS after ${((res.serverRssBytes ?? NaN) / 2 ** 20).toFixed(0)} MiB`,
      );
      const first = per.slice(0, 5);
      console.log(
        `  first 5 edits ${res.latenciesMs.slice(0, 5).map((x) => x.toFixed(1)).join(' ')} ms; server main thread on a CPU ${first.map((e) => e.serverRunMs.toFixed(1)).join(' ')} ms;` +
          ` all threads ${first.map((e) => e.serverThreadsMs.toFixed(1)).join(' ')} ms; first 5 server CPU ${first.reduce((s, e) => s + e.serverRunMs, 0).toFixed(1)} / all threads ${first.reduce((s, e) => s + e.serverThreadsMs, 0).toFixed(1)} ms`,
      );
      (firsts[name] ??= []).push(...res.latenciesMs.slice(0, 5));
    }
  }
  for (const [name, c] of Object.entries(cpu)) {
    console.log(`${name} ${positionals[name === 'A' ? 0 : 1]}: server CPU per edit, median of rounds: ${median(c.all).toFixed(2)} ms (comment line ${median(c.comment).toFixed(2)}, digit ${median(c.digit).toFixed(2)});` +
      ` p95 of all edits, median of rounds ${median(p95s[name]!).toFixed(2)} ms; the first 5 edits of all rounds: median ${median(firsts[name]!).toFixed(1)}, max ${Math.max(...firsts[name]!).toFixed(1)} ms`);
  }
  if (opts.hash) {
    const hashes: string[] = [];
    for (const [name, serverPath] of [['A', positionals[0]!], ['B', positionals[1]!]] as const) {
      const hash = createHash('sha256');
      let count = 0;
      let bytes = 0;
      // The rule pages' hrefs name the build's install folder (server/ruleDocs.ts): the same placeholder for both.
      const installed = pathToFileURL(resolve(dirname(serverPath), '..')).href;
      const onRawPublish = (b: Buffer): void => {
        count++;
        bytes += b.length;
        hash.update(b.toString('utf8').split(installed).join('<install>'));
      };
      await measureLsp({ serverPath, text, edits, seed, pauseAfterOpenMs, onRawPublish });
      hashes.push(hash.digest('hex').slice(0, 16));
      console.log(`publishes of ${name}: ${count} (${bytes} bytes), sha256 ${hashes.at(-1)}`);
    }
    console.log(hashes[0] === hashes[1] ? 'publishes: byte-identical' : 'publishes: DIFFERENT');
  }
})();
