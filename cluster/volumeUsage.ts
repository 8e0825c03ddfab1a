/**
 * How full a mounted volume is, as its node's kubelet reports it: the pod that mounts the PVC names the node, and
 * the kubelet's stats summary (`GET /api/v1/nodes/<node>/proxy/stats/summary`, through the API server's node
 * proxy) lists each pod's volumes with `pvcRef` and `usedBytes`. Read on demand, one summary per node at a time,
 * kept for a while. Every reason a figure cannot be had is said plainly: the pod is not scheduled, the user may
 * not `get nodes/proxy`, the kubelet does not answer, the volume is not mounted (or is a raw block device).
 */
import type { VolumeUsageFact } from '../core/facts.js';
import type { UsageSource } from './clusterFacts.js';
import type { ClusterConnection } from './connection.js';
import { parseJson, type ClusterError, type Result } from './errors.js';

type Conn = Pick<ClusterConnection, 'get' | 'request'>;

export interface VolumeUsageOptions {
  /** How long a reading (and a node's summary) is kept before a lookup reads it again; 30 s by default. */
  ttlMs?: number;
  now?: () => number;
}

interface Summary {
  pods?: {
    podRef?: { name?: string; namespace?: string };
    volume?: { name?: string; usedBytes?: number; capacityBytes?: number; pvcRef?: { name?: string; namespace?: string } }[];
  }[];
}

type Reading = { fact: VolumeUsageFact; at: number };

const pending: VolumeUsageFact = { state: 'pending' };

function why(error: ClusterError, what: string): string {
  switch (error.kind) {
    case 'forbidden':
      return `may not ${what} (403)`;
    case 'not-found':
      return `${what}: not found`;
    case 'unauthorized':
      return `the credentials were rejected (401) reading ${what}`;
    default:
      return `${what} failed: ${error.message}`;
  }
}

export class VolumeUsageReader implements UsageSource {
  private readonly readings = new Map<string, Reading>();
  private readonly inFlight = new Map<string, Promise<VolumeUsageFact>>();
  private readonly summaries = new Map<string, { at: number; summary: Promise<Result<Summary>> }>();
  private readonly listeners = new Set<() => void>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly conn: Conn,
    opts: VolumeUsageOptions = {},
  ) {
    this.ttlMs = opts.ttlMs ?? 30_000;
    this.now = opts.now ?? Date.now;
  }

  /** The latest reading (a stale one while it is read again), or `pending` while the first is under way. */
  lookup(namespace: string, pvc: string, pod: string): VolumeUsageFact {
    const key = `${namespace}/${pvc}/${pod}`;
    const r = this.readings.get(key);
    if (!r || this.now() - r.at >= this.ttlMs) void this.read(namespace, pvc, pod);
    return r?.fact ?? pending;
  }

  /** Reads it now (or joins the reading under way). Never rejects. */
  read(namespace: string, pvc: string, pod: string): Promise<VolumeUsageFact> {
    const key = `${namespace}/${pvc}/${pod}`;
    const running = this.inFlight.get(key);
    if (running) return running;
    const p = this.fetch(namespace, pvc, pod).then((fact) => {
      this.inFlight.delete(key);
      const before = this.readings.get(key)?.fact;
      this.readings.set(key, { fact, at: this.now() });
      if (JSON.stringify(before, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)) !== JSON.stringify(fact, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))) {
        for (const l of [...this.listeners]) l();
      }
      return fact;
    });
    this.inFlight.set(key, p);
    return p;
  }

  /** Resolves when no reading is under way. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight.values()]);
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async fetch(namespace: string, pvc: string, podName: string): Promise<VolumeUsageFact> {
    const pod = await this.conn.get<{ spec?: { nodeName?: string }; status?: { phase?: string } }>('v1', 'Pod', namespace, podName);
    if (!pod.ok) {
      if (pod.error.kind === 'not-found') return { state: 'unreadable', reason: `no pod ${namespace}/${podName} mounts it, and the kubelet reports usage only of mounted volumes` };
      return { state: 'unreadable', reason: why(pod.error, `read pod ${namespace}/${podName}`) };
    }
    const node = pod.value.spec?.nodeName;
    if (!node) return { state: 'unreadable', reason: `pod ${namespace}/${podName} is not scheduled on a node (${pod.value.status?.phase ?? 'no phase'})` };
    const summary = await this.summary(node);
    if (!summary.ok) {
      const e = summary.error;
      const reason =
        e.kind === 'forbidden' ? `may not read the kubelet stats of node ${node} (403: it takes get on nodes/proxy)`
        : e.kind === 'not-found' && e.status === 404 ? `node ${node} is not known to the API server (404)`
        : e.status === 503 || e.kind === 'unreachable' || e.kind === 'timeout' ? `the kubelet of node ${node} does not answer through the API server (${e.status ?? e.kind}: ${e.message})`
        : why(e, `read the kubelet stats of node ${node}`);
      return { state: 'unreadable', reason };
    }
    const p = summary.value.pods?.find((x) => x.podRef?.name === podName && x.podRef?.namespace === namespace);
    if (!p) return { state: 'unreadable', reason: `the kubelet of node ${node} reports no pod ${namespace}/${podName} (${pod.value.status?.phase ?? 'no phase'})` };
    const v = p.volume?.find((x) => x.pvcRef?.name === pvc && (x.pvcRef.namespace ?? namespace) === namespace);
    if (!v) return { state: 'unreadable', reason: `the kubelet of node ${node} reports no usage of PVC ${pvc} in pod ${podName} (not mounted, or a raw block device, whose usage it cannot see)` };
    if (typeof v.usedBytes !== 'number' || !Number.isFinite(v.usedBytes) || v.usedBytes < 0) return { state: 'unreadable', reason: `the kubelet of node ${node} reports PVC ${pvc} without usedBytes` };
    return {
      state: 'known',
      usedBytes: BigInt(Math.round(v.usedBytes)),
      ...(typeof v.capacityBytes === 'number' && Number.isFinite(v.capacityBytes) ? { capacityBytes: BigInt(Math.round(v.capacityBytes)) } : {}),
      node,
      pod: podName,
    };
  }

  private summary(node: string): Promise<Result<Summary>> {
    const cached = this.summaries.get(node);
    if (cached && this.now() - cached.at < this.ttlMs) return cached.summary;
    const what = `read the kubelet stats of node ${node}`;
    const summary = this.conn
      .request({ method: 'GET', path: `/api/v1/nodes/${encodeURIComponent(node)}/proxy/stats/summary`, what })
      .then((r): Result<Summary> => (r.ok ? parseJson<Summary>(r.value.text, what) : r));
    this.summaries.set(node, { at: this.now(), summary });
    // A failure is not kept: the next lookup asks again (a kubelet restarting, a permission granted).
    void summary.then((r) => {
      if (!r.ok && this.summaries.get(node)?.summary === summary) this.summaries.delete(node);
    });
    return summary;
  }
}
