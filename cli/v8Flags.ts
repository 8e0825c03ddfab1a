/**
 * V8 settings the `kvstorage` process runs with, set by dist/cli.js (start.ts) before any command's code is read.
 *
 * `--max-inlined-bytecode-size=50` (V8's default: 460): TurboFan then inlines only small functions into the ones
 * it optimises. The analysis is a large body of rules and readers that all get hot at once; with the default,
 * each optimised rule pulls in its whole call tree, and compiling those took about a third of a lint's CPU on V8's
 * background threads (10,000 small files: 2.4 s of CPU, ~0.4 s less with this; the bundle: 1.4 → 1.0 s), the
 * second CPU of a 2-CPU machine busy compiling while the analysis and the GC wanted it. The code TurboFan makes
 * is about as fast for this work (the main thread's CPU did not grow). It changes what V8 compiles, never what
 * the program computes. A size given by the user (`node --max-inlined-bytecode-size=N`, NODE_OPTIONS) wins.
 */

import { v8FlagsToSet as toSet } from '../core/v8Flags.js';

/** V8 flags as `name=value`, each set unless the user named the same flag (V8 reads `-` and `_` alike). */
const ours = ['--max-inlined-bytecode-size=50'];

/** The flags of `ours` to set, given the node command line's options (`process.execArgv`) and NODE_OPTIONS. */
export function v8FlagsToSet(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  return toSet(ours, execArgv, nodeOptions);
}
