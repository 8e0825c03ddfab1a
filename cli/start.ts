/**
 * dist/cli.js, the `kvstorage` binary: it sets the V8 flags the CLI runs with (v8Flags.ts: they must be set
 * before the code they concern is compiled) and picks the bundle to load. A command line starting with `lint`
 * gets dist/cliLint.js (lintMain.ts: the lint command alone, half the code to read at start); every other one
 * dist/cliFull.js (main.ts: every command, help and `--version`). Both are siblings of this file (esbuild.mjs
 * keeps these requires as they are). The flags are process-wide: lint's worker threads get them too.
 */
import { setFlagsFromString } from 'node:v8';
import { v8FlagsToSet } from './v8Flags.js';

for (const flag of v8FlagsToSet(process.execArgv, process.env['NODE_OPTIONS'])) setFlagsFromString(flag);
if (process.argv[2] === 'lint') require('./cliLint.js');
else require('./cliFull.js');
