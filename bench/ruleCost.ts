/**
 * What groups of rules cost in a cold analysis of the bench bundle: the analysis with every rule, and with one
 * group left out (issue 10's claim rules, issue 17's DataVolume restore rules, issue 12's storage rules), each
 * against a yaml parse with a LineCounter. The variants run interleaved, round by round, so that all see the same
 * machine; the figures are medians of process CPU (GC helper threads included) and of the main thread's time on
 * a CPU (/proc/thread-self/schedstat). The claim facts every PVC and DataVolume contributes are in every variant.
 * `node --expose-gc --import tsx bench/ruleCost.ts [--runs N]`.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { LineCounter, parseAllDocuments } from 'yaml';
import { addedRules, rules, storageRules } from '../core/rules/index.js';
import { defaultSettings } from '../core/types.js';
import { analyze } from '../core/workspace.js';
import { generateBundle } from './generate.js';
import { collect, median, ms, threadSched } from './stats.js';

const { values: opts } = parseArgs({ options: { runs: { type: 'string', default: '7' }, seed: { type: 'string', default: '20251121' } } });
const runs = Number(opts.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error('usage: bench/ruleCost.ts [--runs N>0] [--seed N]');
  process.exit(2);
}
const { text } = generateBundle(Number(opts.seed));
const file = 'bench://bundle.yaml';

const claimRules = new Set(['volumeclaimtemplates-unserved', 'vm-volume-claim-missing', 'cdi-render-rejected', 'datavolume-pvc-bypasses-profile']);
const restoreRules = new Set(addedRules.map((r) => r.id));
const storage = new Set(storageRules.map((r) => r.id));
const without = (ids: Set<string>) => rules.filter((r) => !ids.has(r.id));
const variants: [string, () => void][] = [
  ['yaml parse with a LineCounter', () => void parseAllDocuments(text, { lineCounter: new LineCounter() })],
  [`cold analysis, all ${rules.length} rules`, () => void analyze([{ file, text }], defaultSettings)],
  [`  without issue 10's ${claimRules.size} claim rules`, () => void analyze([{ file, text }], defaultSettings, undefined, undefined, without(claimRules))],
  [`  without issue 17's ${restoreRules.size} DataVolume restore rules`, () => void analyze([{ file, text }], defaultSettings, undefined, undefined, without(restoreRules))],
  [`  without issue 12's ${storage.size} storage rules`, () => void analyze([{ file, text }], defaultSettings, undefined, undefined, without(storage))],
];

const cpu = new Map<string, number[]>(variants.map(([n]) => [n, []]));
const main = new Map<string, number[]>(variants.map(([n]) => [n, []]));
for (let i = 0; i < 2; i++) for (const [, f] of variants) f(); // warm-up
const load0 = loadavg()[0]!;
for (let i = 0; i < runs; i++) {
  for (const [name, f] of i % 2 ? [...variants].reverse() : variants) {
    collect();
    const s0 = threadSched();
    const c0 = process.cpuUsage();
    f();
    const c = process.cpuUsage(c0);
    const s1 = threadSched();
    cpu.get(name)!.push((c.user + c.system) / 1000);
    if (s0 && s1) main.get(name)!.push(s1.runMs - s0.runMs);
  }
}
const parse = median(cpu.get(variants[0]![0])!);
const parseMain = main.get(variants[0]![0])!.length ? median(main.get(variants[0]![0])!) : NaN;
const all = median(cpu.get(variants[1]![0])!);
const allMain = main.get(variants[1]![0])!.length ? median(main.get(variants[1]![0])!) : NaN;
console.log(`median of ${runs} interleaved rounds, load ${load0.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}`);
for (const [name] of variants) {
  const c = median(cpu.get(name)!);
  const m = main.get(name)!.length ? median(main.get(name)!) : NaN;
  const share = name.startsWith('  ') ? `; the group costs ${ms(all - c)} CPU, ${ms(allMain - m)} on the main thread` : '';
  console.log(`${name.padEnd(48)} CPU ${ms(c).padStart(9)} (${(c / parse).toFixed(2)}× parse), main thread ${ms(m).padStart(9)} (${(m / parseMain).toFixed(2)}×)${share}`);
}
