/**
 * What each rule costs in a cold analysis of the bench bundle: CPU of a cold analysis with all rules, and with
 * each rule left out (the difference is what that rule costs, its share of the claim facts included), plus the
 * time inside each rule's run. `node --expose-gc --import tsx bench/ruleCost.ts [--runs N] [--only id,id]`.
 */
import { parseArgs } from 'node:util';
import { LineCounter, parseAllDocuments } from 'yaml';
import { rules } from '../core/rules/index.js';
import type { RuleRunner } from '../core/rules/rule.js';
import { defaultSettings } from '../core/types.js';
import { analyze } from '../core/workspace.js';
import { generateBundle } from './generate.js';
import { collect, median, ms, timeWallCpu } from './stats.js';

const { values: opts } = parseArgs({ options: { runs: { type: 'string', default: '5' }, only: { type: 'string' } } });
const runs = Number(opts.runs);
const { text } = generateBundle(20251121);
const file = 'bench://bundle.yaml';

/** Each rule wrapped so that the time inside its run() is summed. */
const inside = new Map<string, number>();
const timed: RuleRunner[] = rules.map((r) => ({
  id: r.id,
  reads: r.reads,
  run(ctx) {
    const t = performance.now();
    try {
      return r.run(ctx);
    } finally {
      inside.set(r.id, (inside.get(r.id) ?? 0) + performance.now() - t);
    }
  },
}));

function cpuOf(fn: () => void): number {
  const xs: number[] = [];
  fn();
  for (let i = 0; i < runs; i++) {
    collect();
    xs.push(timeWallCpu(fn).cpu);
  }
  return median(xs);
}

const parse = cpuOf(() => void parseAllDocuments(text, { lineCounter: new LineCounter() }));
const all = cpuOf(() => void analyze([{ file, text }], defaultSettings, undefined, undefined, rules));
console.log(`parse with LineCounter: CPU ${ms(parse)}; cold analysis, all ${rules.length} rules: CPU ${ms(all)} (${(all / parse).toFixed(2)}×)`);
inside.clear();
analyze([{ file, text }], defaultSettings, undefined, undefined, timed);
const ids = opts.only ? opts.only.split(',') : rules.map((r) => r.id);
for (const id of ids) {
  const without = cpuOf(() => void analyze([{ file, text }], defaultSettings, undefined, undefined, rules.filter((r) => r.id !== id)));
  console.log(`${id.padEnd(40)} inside run ${ms(inside.get(id) ?? 0).padStart(9)}; all minus it ${ms(all - without).padStart(9)}`);
}
