// Preloaded (`node -r`) into a timed `kvstorage lint` by bench/scale.ts: at exit, the CPU time of the main thread
// and of all other threads (V8's compiler and GC helpers, libuv's pool, lint's workers) from /proc/self/task
// (Linux; clock ticks of 10 ms), on one stderr line that timeLint takes out again. Elsewhere it says nothing.
// Only the main thread's exit counts: a worker thread (lint's reading thread, which ends early) preloads this too.
const fs = require('node:fs');
if (require('node:worker_threads').isMainThread) process.on('exit', () => {
  try {
    let main = 0;
    let other = 0;
    for (const task of fs.readdirSync('/proc/self/task')) {
      const stat = fs.readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = (Number(fields[11]) + Number(fields[12])) * 10;
      if (Number(task) === process.pid) main += ms;
      else other += ms;
    }
    fs.writeSync(2, `\nkvstorage-bench-threads main=${main} other=${other}\n`);
  } catch {
    // Not Linux: no figures.
  }
});
