// `npm run test:apiserver`: the two-target tests (cluster contract, webhook chain and deploy, operations engine,
// doctor, explorer) against the real kube-apiserver of test/apiserver. Builds the server first, or reuses the cached build (setup.sh); each
// test target then starts a fresh server and stops it at close. Whatever a crashed test left running is stopped
// here at the end, on failure too. The emulator target runs in `npm test`; KVS_TEST_TARGETS overrides.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The test files that run on every target (test/cluster/target.ts describeTargets). */
const files = ['test/cluster/', 'test/webhook/chain.test.ts', 'test/webhook/deploy.test.ts', 'test/ops/engine.test.ts', 'test/ops/gcpImages.test.ts', 'test/ops/createPvc.test.ts', 'test/doctor/', 'test/lsp/explorer.test.ts'];

const t0 = Date.now();
const setup = spawnSync('bash', ['test/apiserver/setup.sh'], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
if (setup.status !== 0) {
  console.error('test:apiserver: test/apiserver/setup.sh failed: the real API server could not be built (see above)');
  process.exit(1);
}
console.log(`test:apiserver: server ${setup.stdout.trim()} ready to start (${((Date.now() - t0) / 1000).toFixed(1)} s to build or find it)`);

const runs = mkdtempSync(join(tmpdir(), 'kvs-apiserver-runs-'));
const sweep = () => {
  // Each target's folder is a start.sh DIR; one with a pid file left is a server nobody stopped.
  for (const d of existsSync(runs) ? readdirSync(runs) : []) {
    if (existsSync(join(runs, d, 'pid'))) {
      console.error(`test:apiserver: stopping a server left running in ${join(runs, d)}`);
      spawnSync('bash', ['test/apiserver/stop.sh', join(runs, d)], { stdio: 'inherit' });
    }
  }
  rmSync(runs, { recursive: true, force: true });
};
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => (sweep(), process.exit(130)));

const t1 = Date.now();
const env = { ...process.env, KVS_TEST_APISERVER: '1', KVS_TEST_TARGETS: process.env.KVS_TEST_TARGETS ?? 'apiserver', KVS_APISERVER_RUN_ROOT: runs };
const r = spawnSync(process.execPath, ['scripts/test.mjs', ...files], { stdio: 'inherit', env });
sweep();
console.log(`test:apiserver: the tests took ${((Date.now() - t1) / 1000).toFixed(1)} s`);
process.exit(r.status ?? 1);
