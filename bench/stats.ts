/** Small helpers for the benchmark: order statistics, timing, formatting. */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export function median(xs: readonly number[]): number {
  return percentile(xs, 50);
}

/** Linear interpolation between closest ranks (what numpy calls "linear"). NaN for no samples. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const rank = (p / 100) * (s.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return s[lo]! + (s[hi]! - s[lo]!) * (rank - lo);
}

/** Milliseconds taken by `fn`. */
export function timeMs(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/** Wall-clock and CPU milliseconds (this process, all threads: GC helpers count) taken by `fn`. */
export function timeWallCpu(fn: () => void): { wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

/**
 * This thread's time on a CPU and time spent runnable but waiting for one (ms), from Linux's
 * /proc/thread-self/schedstat; undefined elsewhere. Waiting time is what other processes added to a wall time.
 */
export function threadSched(): { runMs: number; waitMs: number } | undefined {
  try {
    const [run, wait] = readFileSync('/proc/thread-self/schedstat', 'utf8').trim().split(/\s+/).map(Number);
    return run === undefined || wait === undefined ? undefined : { runMs: run / 1e6, waitMs: wait / 1e6 };
  } catch {
    return undefined;
  }
}

/** A full collection before a measurement, when node runs with --expose-gc (the bench script passes it). */
export function collect(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export const hasGc = (): boolean => typeof (globalThis as { gc?: unknown }).gc === 'function';

export function ms(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  return x >= 100 ? `${x.toFixed(0)} ms` : x >= 10 ? `${x.toFixed(1)} ms` : `${x.toFixed(2)} ms`;
}

export function mb(bytes: number | undefined): string {
  return bytes === undefined || !Number.isFinite(bytes) ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** "MET" or "NOT MET", with the target, for a figure where lower is better. */
export function verdict(value: number, target: number, unit: string): string {
  if (!Number.isFinite(value)) return `NOT MEASURED (target ≤ ${target}${unit})`;
  return `${value <= target ? 'MET' : 'NOT MET'} (target ≤ ${target}${unit})`;
}

/** Prints rows as an aligned three-column table: figure, value, note. */
export function printTable(title: string, rows: readonly (readonly [string, string, string?])[]): void {
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  console.log(`\n${title}`);
  console.log('-'.repeat(Math.min(120, w0 + w1 + 40)));
  for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padStart(w1)}  ${c ?? ''}`.trimEnd());
}

/** "MET" or "NOT MET", with the target, for a figure where higher is better. */
export function verdictAtLeast(value: number, target: number, unit: string): string {
  if (!Number.isFinite(value)) return `NOT MEASURED (target ≥ ${target}${unit})`;
  return `${value >= target ? 'MET' : 'NOT MET'} (target ≥ ${target}${unit})`;
}
