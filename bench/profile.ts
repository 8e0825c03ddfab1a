/**
 * CPU profiles for finding where time goes: record one in-process (node:inspector), or summarise a
 * `.cpuprofile` written by `node --cpu-prof` (the server's). The summary lists self and inclusive time per
 * function and self time per module; for esbuild bundles (dist/*.js) lines are mapped back to the source
 * module through the `// path/to/module.ts` comments esbuild writes before each module.
 * Summarise a file: `node --import tsx bench/profile.ts bench/out/profiles/<file>.cpuprofile [dist/server.js]`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { pathToFileURL } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** Runs `fn` under the V8 sampling profiler and writes the profile to `file`. */
export async function recordProfile(file: string, fn: () => void): Promise<CpuProfile> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    fn();
    const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
    writeFileSync(file, JSON.stringify(profile));
    return profile;
  } finally {
    session.disconnect();
  }
}

/** Maps a bundle's line numbers to the module esbuild inlined there. */
function bundleModules(bundlePath: string): (line: number) => string | undefined {
  const marks: { line: number; module: string }[] = [];
  readFileSync(bundlePath, 'utf8')
    .split('\n')
    .forEach((l, i) => {
      const m = /^\/\/ ((?:[\w@.-]+\/)*[\w@.-]+\.(?:ts|js|mjs|cjs))$/.exec(l);
      if (m) marks.push({ line: i, module: m[1]! });
    });
  return (line) => {
    let found: string | undefined;
    for (const mark of marks) if (mark.line <= line) found = mark.module;
    else break;
    return found;
  };
}

/** Self and inclusive milliseconds per function, and self milliseconds per module, largest first. */
export function summarize(profile: CpuProfile, bundlePath?: string, top = 20): string[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  // Self time per node from the samples (each sample's delta is charged to the node it hit).
  const self = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) self.set(samples[i]!, (self.get(samples[i]!) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0) / 1000);
  const moduleAt = bundlePath ? bundleModules(bundlePath) : undefined;
  const bundleName = bundlePath?.replace(/^.*\//, '');
  const cwd = pathToFileURL(process.cwd()).href + '/';
  const bundled = (f: CallFrame): boolean => moduleAt !== undefined && bundleName !== undefined && f.url.endsWith(bundleName);
  const moduleOf = (f: CallFrame): string => {
    if (!f.url) return f.functionName.startsWith('(') ? f.functionName : '(native)';
    if (bundled(f)) return moduleAt!(f.lineNumber) ?? f.url;
    return f.url.replace(cwd, '').replace(/^file:\/\//, '');
  };
  // Line numbers only where they point into the named file (tsx output and bundles are not line-preserving).
  const keyOf = (f: CallFrame): string =>
    `${f.functionName || '(anonymous)'}  ${moduleOf(f)}${/\.c?js$/.test(f.url) && !bundled(f) ? `:${f.lineNumber + 1}` : ''}`;

  const selfByFn = new Map<string, number>();
  const selfByModule = new Map<string, number>();
  const inclusiveByFn = new Map<string, number>();
  const total = (id: number, active: Set<string>): number => {
    const n = byId.get(id)!;
    const key = keyOf(n.callFrame);
    const s = self.get(id) ?? 0;
    selfByFn.set(key, (selfByFn.get(key) ?? 0) + s);
    const mod = moduleOf(n.callFrame);
    selfByModule.set(mod, (selfByModule.get(mod) ?? 0) + s);
    const outer = !active.has(key); // recursion: count a function's subtree once, at its outermost frame
    if (outer) active.add(key);
    let sum = s;
    for (const c of n.children ?? []) sum += total(c, active);
    if (outer) {
      active.delete(key);
      inclusiveByFn.set(key, (inclusiveByFn.get(key) ?? 0) + sum);
    }
    return sum;
  };
  const root = profile.nodes[0]!;
  const all = total(root.id, new Set());
  const idle = [...selfByFn].filter(([k]) => k.startsWith('(idle)')).reduce((s, [, v]) => s + v, 0);
  const fmt = (m: Map<string, number>, skip = (k: string): boolean => k.startsWith('(root)') || k.startsWith('(idle)')): string[] =>
    [...m]
      .filter(([k]) => !skip(k))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => `  ${v.toFixed(1).padStart(8)} ms  ${((100 * v) / Math.max(1e-9, all - idle)).toFixed(1).padStart(5)}%  ${k}`);
  return [
    `profiled ${all.toFixed(0)} ms, of which idle ${idle.toFixed(0)} ms (percentages are of the busy time)`,
    'self time by module:',
    ...fmt(selfByModule),
    'self time by function:',
    ...fmt(selfByFn),
    'inclusive time by function:',
    ...fmt(inclusiveByFn, (k) => k.startsWith('(root)') || k.startsWith('(idle)') || k.startsWith('(program)')),
  ];
}

if (require.main === module) {
  const [file, bundle] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node --import tsx bench/profile.ts <file.cpuprofile> [bundle.js]');
    process.exit(2);
  }
  console.log(summarize(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, bundle, 25).join('\n'));
}
