/**
 * dist/cli.js, the `kvstorage` binary: it only picks the bundle to load. A command line starting with `lint` gets
 * dist/cliLint.js (lintMain.ts: the lint command alone, half the code to read at start); every other one
 * dist/cliFull.js (main.ts: every command, help and `--version`). Both are siblings of this file (esbuild.mjs
 * keeps these requires as they are).
 */
if (process.argv[2] === 'lint') require('./cliLint.js');
else require('./cliFull.js');
