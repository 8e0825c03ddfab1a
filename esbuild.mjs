// One build script, one entry per bundle. `--production` minifies (used by `npm run package`).
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

// @kubernetes/client-node is large (about 15 MB unminified) and only needed once a cluster is connected:
// it gets a bundle of its own, dist/k8s.js, that the others load on first use (cluster/clientNode.ts imports
// it dynamically). Without this each bundle would carry, and parse at start, its own copy.
const k8sShared = {
  name: 'k8s-shared',
  setup(build) {
    build.onResolve({ filter: /^@kubernetes\/client-node$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: './k8s.js', external: true } : undefined,
    );
  },
};

// dist/cli.js (cli/start.ts) loads one of the two CLI bundles beside it, as they are at run time.
const cliBundles = {
  name: 'cli-bundles',
  setup(build) {
    build.onResolve({ filter: /^\.\/cli(Full|Lint)\.js$/ }, (args) => ({ path: args.path, external: true }));
  },
};

const entries = [
  { in: 'cluster/k8sBundle.ts', out: 'k8s', shared: true },
  { in: 'client/extension.ts', out: 'client', external: ['vscode'] },
  { in: 'server/main.ts', out: 'server' },
  { in: 'cli/start.ts', out: 'cli', banner: '#!/usr/bin/env node', plugins: [cliBundles] },
  { in: 'cli/main.ts', out: 'cliFull' },
  { in: 'cli/lintMain.ts', out: 'cliLint' },
  // lint's worker threads (cli/lintParallel.ts): loaded by the CLI from its own folder.
  { in: 'cli/lintWorker.ts', out: 'lintWorker' },
  { in: 'webhook/main.ts', out: 'webhook' },
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
      plugins: [...(e.shared ? [] : [k8sShared]), ...(e.plugins ?? [])],
      // yaml's ES module build (the same code as its CommonJS one, which Node's resolution picks): bundled as a
      // CommonJS module, every call into it went through an interop getter (4 % of an analysis).
      alias: { yaml: './node_modules/yaml/browser/index.js' },
    }),
  ),
);

// Webview pages (webview/<page>/main.ts): browser bundles, loaded by the panel that hosts them.
const pages = ['runs', 'gcpImages', 'resizeProgress', 'cdiRender'].filter((p) => existsSync(`webview/${p}/main.ts`));
contexts.push(
  ...(await Promise.all(
    pages.map((p) =>
      esbuild.context({
        entryPoints: { [p]: `webview/${p}/main.ts` },
        bundle: true,
        platform: 'browser',
        target: 'es2022',
        format: 'iife',
        outdir: 'dist/webview',
        sourcemap: production ? false : 'linked',
        minify: production,
        legalComments: production ? 'none' : 'inline',
        logLevel: 'warning',
      }),
    ),
  )),
);

if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
