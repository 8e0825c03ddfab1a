/**
 * Figures for navigation and publishing: over the benchmark bundle (5,000 documents in one file) and the same
 * documents split into 500 files, how long the navigation index takes to build, to catch up after one file
 * changed, to answer a definition, to give a file's symbols and lenses, and what the publish post-filter
 * (server/presentation.ts: suppressions, rule settings, related objects) adds to an analysis. Prints; never fails
 * on time. `node --import tsx bench/navigation.ts`
 */
import { performance } from 'node:perf_hooks';
import { keyOf, NavigationIndex } from '../core/navigation/index.js';
import { codeLenses, lensTargets, resolveLens } from '../core/navigation/lenses.js';
import { documentSymbols } from '../core/navigation/symbols.js';
import { defaultSettings } from '../core/types.js';
import { Workspace } from '../core/workspace.js';
import { present } from '../server/presentation.js';
import { generateBundle } from './generate.js';

/** The median of `runs` timed calls, after one untimed call. */
function time<T>(runs: number, fn: () => T): { ms: number; value: T } {
  let value = fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    value = fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { ms: samples[Math.floor(runs / 2)]!, value };
}

const bundle = generateBundle();
const docs = bundle.text.split(/^---\n/m);
const options = { settings: defaultSettings };
const row = (what: string, ms: number, note = '') => console.log(`${what.padEnd(58)} ${ms.toFixed(2).padStart(9)} ms${note ? `  ${note}` : ''}`);

for (const layout of ['one file of 5,000 documents', '500 files of 10 documents'] as const) {
  const ws = new Workspace();
  const files = layout.startsWith('one') ? [{ file: 'bundle.yaml', text: bundle.text }] : Array.from({ length: 500 }, (_, i) => ({ file: `f${i}.yaml`, text: docs.slice(i * 10, i * 10 + 10).join('---\n') }));
  for (const f of files) ws.setFile(f.file, f.text);
  console.log(`\n${layout} (${bundle.documents} documents, ${(bundle.bytes / 1e6).toFixed(1)} MB)`);
  let index = new NavigationIndex(ws, () => 'default');
  const first = files[0]!;
  // A snapshot's key: every restore of it is a reference.
  const snapshot = files.flatMap((f) => ws.resources(f.file)).find((r) => r.kind === 'VolumeSnapshot')!;
  const key = keyOf('VolumeSnapshot', snapshot.name!, snapshot.namespace ?? 'default');
  const build = time(5, () => {
    index = new NavigationIndex(ws, () => 'default');
    return index.definitions(key);
  });
  row('index: first question (builds it)', build.ms);
  row('index: a definition and its references, nothing changed', time(200, () => [index.definitions(key), index.references(key)]).ms);
  const edited = first.text.replace('storage: ', 'storage:  ');
  let flip = false;
  const setFile = time(20, () => {
    flip = !flip;
    ws.setFile(first.file, flip ? edited : first.text);
  }).ms;
  row('  (setFile of one edit alone)', setFile);
  row('index: a definition after one file changed', time(20, () => {
    flip = !flip;
    ws.setFile(first.file, flip ? edited : first.text);
    return index.definitions(key);
  }).ms - setFile, '(without the setFile)');
  const parsed = ws.parsedFile(first.file)!;
  row(`symbols of ${first.file}`, time(9, () => documentSymbols(parsed, ws.resources(first.file))).ms);
  row(`code lenses of ${first.file}: all, resolved`, time(9, () => index.batch(() => codeLenses(ws.resources(first.file), index, ws.facts(options), defaultSettings))).ms);
  const pending = time(9, () => lensTargets(ws.resources(first.file)));
  row(`code lenses of ${first.file}: the request (${pending.value.length}, no titles)`, pending.ms);
  row('code lenses: resolving the 30 in view', time(9, () => index.batch(() => pending.value.slice(0, 30).map((p) => resolveLens(p.target, ws.resources(first.file), index, ws.facts(options), defaultSettings)))).ms);
  const findings = ws.analyzeFile(first.file, options);
  const deps = { workspace: ws, options: () => options, config: () => ({ rules: new Map() }), folders: () => [] };
  row(`publish post-filter of ${first.file} (${findings.length} findings)`, time(9, () => present(first.file, first.text, findings, deps)).ms);
}
