// One build script, one entry per bundle. `--production` minifies (used by `npm run package`).
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const entries = [
  { in: 'client/extension.ts', out: 'client', external: ['vscode'] },
  { in: 'server/main.ts', out: 'server' },
  { in: 'cli/main.ts', out: 'cli', banner: '#!/usr/bin/env node' },
].filter((e) => existsSync(e.in));

const contexts = await Promise.all(
  entries.map((e) =>
    esbuild.context({
      entryPoints: { [e.out]: e.in },
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      outdir: 'dist',
      external: e.external ?? [],
      sourcemap: production ? false : 'linked',
      minify: production,
      legalComments: production ? 'none' : 'inline',
      banner: e.banner ? { js: e.banner } : undefined,
      logLevel: 'warning',
    }),
  ),
);

if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
