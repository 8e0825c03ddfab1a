/**
 * The `apiserver` target: a fresh kube-apiserver on an embedded etcd per start (test/apiserver/start.sh builds it
 * if needed and returns once it is ready, CRDs installed), stopped by stop.sh at close. The users are the
 * server's: admin (system:masters), `readonly` (its restricted user: get, list and watch), `forbidden` (bound to
 * nothing) and `bad` (a token it rejects).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import type { TargetOptions, TestTarget } from './target.js';
import { kubeconfigTarget } from './realTarget.js';

const run = promisify(execFile);
const scripts = resolve('test/apiserver');

function tokenOf(file: string): string {
  const cfg = parse(readFileSync(file, 'utf8')) as { users: { user: { token: string } }[] };
  return cfg.users[0]!.user.token;
}

export async function startApiserverTarget(opts: TargetOptions = {}): Promise<TestTarget> {
  const unsupported = Object.keys(opts).filter((k) => k !== 'withoutGroups');
  if (unsupported.length > 0) throw new Error(`the API server target takes only withoutGroups (got ${unsupported.join(', ')}): use emulatorOnly`);
  // Under the run's folder when npm run test:apiserver gives one, so that it can stop what a crash left running.
  const dir = mkdtempSync(join(process.env.KVS_APISERVER_RUN_ROOT ?? tmpdir(), 'target-'));
  const args = [join(scripts, 'start.sh'), dir, ...(opts.withoutGroups?.length ? [`--without-groups=${opts.withoutGroups.join(',')}`] : [])];
  const stop = async (): Promise<void> => {
    await run('bash', [join(scripts, 'stop.sh'), dir]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // A first build takes minutes (npm run test:apiserver builds before the tests start).
    await run('bash', args, { timeout: 30 * 60_000, maxBuffer: 16 * 1024 * 1024 });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    await stop();
    throw new Error(`test/apiserver/start.sh failed: ${err.stderr || err.message}`);
  }
  try {
    return await kubeconfigTarget(join(dir, 'kubeconfig'), {
      kind: 'apiserver',
      namespace: 'kvs-test',
      prefix: 'kvs-test-',
      tokens: { readonly: tokenOf(join(dir, 'kubeconfig-restricted')), forbidden: tokenOf(join(dir, 'kubeconfig-forbidden')) },
      ...(opts.withoutGroups ? { withoutGroups: opts.withoutGroups } : {}),
      onClose: stop,
    });
  } catch (e) {
    await stop();
    throw e;
  }
}
