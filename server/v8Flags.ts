/**
 * V8 settings the language server runs with, set by main.ts before any handler's code is compiled.
 *
 * `--max-inlined-bytecode-size=50` (V8's default: 460), as the CLI (cli/v8Flags.ts): TurboFan then inlines only
 * small functions into the ones it optimises. Opening a large file makes the whole analysis hot at once, and the
 * first edits after it make the edit path hot (the re-split, the presenter's per-block work, the writer): with the
 * default each of those compiles pulls in its whole call tree, tens of ms of V8's background threads per edit
 * that, on a 2-CPU machine, take the CPU the server's main thread and the editor want. With this, on the
 * 5,000-document bundle: the open ~0.8 s instead of ~1.0–1.5 s, the first five edits' threads ~50 ms instead of
 * ~75–90 ms, the main thread's CPU per edit no higher (bench/README.md, p95edit). It changes what V8 compiles,
 * never what the server computes. A size given by the user (`node --max-inlined-bytecode-size=N`, NODE_OPTIONS)
 * wins.
 */
import { setFlagsFromString } from 'node:v8';
import { v8FlagsToSet } from '../core/v8Flags.js';

const ours = ['--max-inlined-bytecode-size=50'];

/** Sets the server's V8 flags that the node command line and NODE_OPTIONS do not name. */
export function setServerV8Flags(execArgv: readonly string[], nodeOptions: string | undefined): void {
  for (const flag of v8FlagsToSet(ours, execArgv, nodeOptions)) setFlagsFromString(flag);
}
