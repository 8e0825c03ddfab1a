// Preloaded into a server (`node -r bench/gcLog.cjs dist/server.js --stdio`) by bench/editTrace.ts: every garbage
// collection of its main isolate as one stderr line `[gc] <kind> <start, epoch ms> <duration ms>`, so that the
// bench can say which edits a collection landed in (stdout is the stdio transport's: --trace-gc would break it).
const { PerformanceObserver, performance, constants } = require('node:perf_hooks');
const kinds = { [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major', [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor', [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental', [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb' };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    process.stderr.write(`[gc] ${kinds[e.detail?.kind] ?? e.detail?.kind} ${(performance.timeOrigin + e.startTime).toFixed(3)} ${e.duration.toFixed(3)}\n`);
  }
}).observe({ entryTypes: ['gc'] });
