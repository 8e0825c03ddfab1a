/**
 * What a datamover restore plan needs from a cluster, read once: the storage class the PVCs get (the one asked
 * for, else the default), its StorageProfile's minimum, and the ResourceQuotas of the namespaces the PVCs go to.
 * What cannot be read is a note (the check is then not made), never a guess.
 */
import type { QuotaFact, RestoreClusterFacts } from '../core/datamover/clusterChecks.js';
import { ANNOTATION } from '../core/kinds/index.js';
import type { ClusterConnection } from './connection.js';
import { ok, type Result } from './errors.js';
import type { KubeObject } from './paths.js';

export interface RestoreFactsQuery {
  /** `--storage-class`; the cluster's default class when undefined. */
  storageClass?: string;
  /** Where the staging and target PVCs go. */
  namespaces: readonly string[];
}

export interface RestoreFactsRead {
  facts: RestoreClusterFacts;
  /** Checks not made, and why (forbidden, not served, no default class). */
  notes: string[];
}

const defaultClassAnnotation = ANNOTATION.defaultStorageClass;
const minimumAnnotation = ANNOTATION.minimumSupportedPvcSize;

/** Fails only when the asked-for class does not exist or the cluster cannot be reached at all. */
export async function readRestoreFacts(conn: ClusterConnection, q: RestoreFactsQuery): Promise<Result<RestoreFactsRead>> {
  const notes: string[] = [];
  const facts: RestoreClusterFacts = { quotas: [] };
  const where = `context ${JSON.stringify(conn.context)}`;
  if (q.storageClass !== undefined) {
    const sc = await conn.get('storage.k8s.io/v1', 'StorageClass', undefined, q.storageClass);
    if (!sc.ok) {
      if (sc.error.kind !== 'not-found' && sc.error.kind !== 'forbidden') return sc;
      if (sc.error.kind === 'not-found') return { ok: false, error: { kind: 'not-found', message: `StorageClass ${JSON.stringify(q.storageClass)} does not exist in ${where}` } };
      notes.push(`StorageClass ${q.storageClass} could not be read (${sc.error.message})`);
    }
    facts.storageClass = q.storageClass;
  } else {
    const list = await conn.list('storage.k8s.io/v1', 'StorageClass');
    if (!list.ok) {
      if (list.error.kind === 'unreachable' || list.error.kind === 'timeout' || list.error.kind === 'unauthorized') return list;
      notes.push(`StorageClasses could not be listed (${list.error.message}): the class's StorageProfile minimum was not checked; give --storage-class`);
    } else {
      const name = defaultClass(list.value.items);
      if (name) facts.storageClass = name;
      else notes.push(`${where} has no default StorageClass: the restore's PVCs need one (give --storage-class); the StorageProfile minimum was not checked`);
    }
  }
  if (facts.storageClass !== undefined) {
    const sp = await conn.get('cdi.kubevirt.io/v1beta1', 'StorageProfile', undefined, facts.storageClass);
    if (sp.ok) {
      const min = sp.value.metadata?.annotations?.[minimumAnnotation];
      if (min !== undefined) facts.minimum = min;
    } else {
      notes.push(`no StorageProfile ${facts.storageClass} could be read (${sp.error.message}): its minimum was not checked`);
    }
  }
  for (const ns of [...new Set(q.namespaces)]) {
    const quotas = await conn.list('v1', 'ResourceQuota', ns);
    if (!quotas.ok) {
      notes.push(`ResourceQuotas in ${ns} could not be listed (${quotas.error.message}): not checked`);
      continue;
    }
    for (const item of quotas.value.items) facts.quotas.push(quotaFact(item, ns));
  }
  return ok({ facts, notes });
}

/** The default class; with several, the newest, as the API server's DefaultStorageClass admission picks it. */
function defaultClass(items: readonly KubeObject[]): string | undefined {
  const defaults = items.filter((i) => i.metadata?.annotations?.[defaultClassAnnotation] === 'true');
  defaults.sort((a, b) => String(b.metadata?.creationTimestamp ?? '').localeCompare(String(a.metadata?.creationTimestamp ?? '')) || String(a.metadata?.name).localeCompare(String(b.metadata?.name)));
  return defaults[0]?.metadata?.name;
}

function quotaFact(item: KubeObject, namespace: string): QuotaFact {
  const spec = item['spec'] as { hard?: Record<string, unknown> } | undefined;
  const status = item['status'] as { used?: Record<string, unknown> } | undefined;
  const strings = (m: Record<string, unknown> | undefined) => Object.fromEntries(Object.entries(m ?? {}).map(([k, v]) => [k, String(v)]));
  return { namespace: item.metadata?.namespace ?? namespace, name: item.metadata?.name ?? '', hard: strings(spec?.hard), used: strings(status?.used) };
}
