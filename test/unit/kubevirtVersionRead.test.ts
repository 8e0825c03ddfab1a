// cluster/kubevirtVersion.ts over a stand-in connection: the first KubeVirt CR reporting a version; a cluster that
// does not serve the kind knows none; other errors are returned (the callers then assume the newest release).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterConnection } from '../../cluster/connection.js';
import { fail, ok } from '../../cluster/errors.js';
import { readKubevirtVersion } from '../../cluster/kubevirtVersion.js';

type Conn = Pick<ClusterConnection, 'list' | 'context'>;
const conn = (answer: Awaited<ReturnType<ClusterConnection['list']>>, asked: string[] = []): Conn => ({
  context: 'prod',
  list: (async (apiVersion: string, kind: string) => {
    asked.push(`${apiVersion} ${kind}`);
    return answer;
  }) as ClusterConnection['list'],
});
const cr = (version?: string) => ({ apiVersion: 'kubevirt.io/v1', kind: 'KubeVirt', metadata: { name: 'kubevirt', namespace: 'kubevirt' }, ...(version ? { status: { observedKubeVirtVersion: version } } : {}) });

test('readKubevirtVersion: the first KubeVirt CR that reports a version, from the cluster', async () => {
  const asked: string[] = [];
  const r = await readKubevirtVersion(conn(ok({ items: [cr(), cr('v1.6.3')] } as never), asked));
  assert.deepEqual(r, { ok: true, value: { version: 'v1.6.3', source: { kind: 'cluster', context: 'prod' } } });
  assert.deepEqual(asked, ['kubevirt.io/v1 KubeVirt']);
  assert.deepEqual(await readKubevirtVersion(conn(ok({ items: [cr()] } as never))), { ok: true, value: undefined });
  assert.deepEqual(await readKubevirtVersion(conn(fail('not-found', 'no kubevirts'))), { ok: true, value: undefined });
  const forbidden = await readKubevirtVersion(conn(fail('forbidden', 'may not list kubevirts')));
  assert.equal(forbidden.ok, false);
});
