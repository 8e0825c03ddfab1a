// The controllers a real cluster runs and the API emulator does not, just enough of them for a VolumeResize to
// play out end to end: dynamic provisioning and binding (WaitForFirstConsumer included), pre-bound claims, PVs
// released or deleted when their claim goes; the StatefulSet controller (claims from the templates, pods in
// ordinal order, adoption of orphaned pods, status); a scheduler and kubelets (pods Running once their claims are
// bound, containers that exit, the stats summary behind the node proxy with each volume's usedBytes). One
// reconcile pass per tick; every write goes through the emulator's store, so watches see each step.
import type { Emulator } from '../emulator/types.js';
import { SimStore, type Obj } from './store.js';

export interface KubeSimOptions {
  nodes?: string[];
}

/** What a container does once its pod runs: keep running, or exit (Succeeded or Failed) after `ticks`. */
export type ContainerBehaviour = { run: 'forever' } | { run: 'exit'; ticks: number; phase: 'Succeeded' | 'Failed' };

const GI = 1024n ** 3n;

function bytesOf(q: unknown): bigint {
  const m = /^(\d+)(Ki|Mi|Gi|Ti)?$/.exec(String(q ?? ''));
  if (!m) return 0n;
  const unit = { Ki: 1024n, Mi: 1024n ** 2n, Gi: GI, Ti: 1024n ** 4n }[m[2] as 'Ki'] ?? 1n;
  return BigInt(m[1]!) * unit;
}

export class KubeSim {
  readonly store: SimStore;
  readonly nodes: string[];
  /** usedBytes per PV name: what the kubelet reports for the volume (set by tests; copied by migrator pods). */
  readonly usage = new Map<string, bigint>();
  /** Decides what each pod's containers do once it runs (default: run forever). */
  behaviour: (pod: Obj) => ContainerBehaviour = () => ({ run: 'forever' });
  /** Called when a pod's containers exited (the migrator's copy is done there). */
  onExit: (pod: Obj, phase: 'Succeeded' | 'Failed') => void = () => undefined;
  private readonly runningTicks = new Map<string, number>();
  private nextNode = 0;
  private pvSeq = 0;

  constructor(private readonly emu: Emulator, opts: KubeSimOptions = {}) {
    this.store = new SimStore(emu.store);
    this.nodes = opts.nodes ?? ['node-1', 'node-2', 'node-3'];
    for (const n of this.nodes) {
      if (!this.store.get('v1', 'Node', undefined, n)) this.store.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: n }, status: { conditions: [{ type: 'Ready', status: 'True' }] } });
      emu.kubelets.set(n, (path) => (path === '/stats/summary' ? { status: 200, body: this.summary(n) } : { status: 404, body: '404 page not found' }));
    }
  }

  /** The data in use on the volume a PVC is bound to. */
  setUsage(namespace: string, pvc: string, usedBytes: bigint): void {
    const pv = this.store.get('v1', 'PersistentVolumeClaim', namespace, pvc)?.spec?.['volumeName'] as string | undefined;
    if (!pv) throw new Error(`setUsage: PVC ${namespace}/${pvc} is not bound`);
    this.usage.set(pv, usedBytes);
  }

  /** The kubelet's `/stats/summary` for a node: its running pods and their PVC-backed volumes. */
  summary(node: string): object {
    const pods = this.store.list('v1', 'Pod').filter((p) => p.spec?.['nodeName'] === node && p.status?.['phase'] === 'Running');
    return {
      node: { nodeName: node },
      pods: pods.map((p) => ({
        podRef: { name: p.metadata.name, namespace: p.metadata.namespace, uid: p.metadata.uid },
        volume: ((p.spec?.['volumes'] as { name: string; persistentVolumeClaim?: { claimName: string } }[] | undefined) ?? []).flatMap((v) => {
          const claim = v.persistentVolumeClaim?.claimName;
          const pvc = claim ? this.store.get('v1', 'PersistentVolumeClaim', p.metadata.namespace, claim) : undefined;
          const pvName = pvc?.spec?.['volumeName'] as string | undefined;
          if (!claim || !pvName) return [];
          const pv = this.store.get('v1', 'PersistentVolume', undefined, pvName);
          const capacity = bytesOf(pv?.spec?.['capacity']?.storage);
          const used = this.usage.get(pvName) ?? 0n;
          return [{ name: v.name, usedBytes: Number(used), capacityBytes: Number(capacity), availableBytes: Number(capacity - used), pvcRef: { name: claim, namespace: p.metadata.namespace } }];
        }),
      })),
    };
  }

  /** One pass of every controller. */
  reconcile(): void {
    this.statefulSets();
    this.schedule();
    this.provision();
    this.bindPrebound();
    this.releaseVolumes();
    this.runPods();
  }

  private claim(ns: string | undefined, name: string): Obj | undefined {
    return this.store.get('v1', 'PersistentVolumeClaim', ns, name);
  }

  private claimsOf(pod: Obj): string[] {
    return ((pod.spec?.['volumes'] as { persistentVolumeClaim?: { claimName?: string } }[] | undefined) ?? []).flatMap((v) => (v.persistentVolumeClaim?.claimName ? [v.persistentVolumeClaim.claimName] : []));
  }

  /** StatefulSet controller: claims from the templates, then pods in ordinal order (OrderedReady); orphans adopted. */
  private statefulSets(): void {
    for (const sts of this.store.list('apps/v1', 'StatefulSet')) {
      if (sts.metadata.deletionTimestamp) continue;
      const ns = sts.metadata.namespace!;
      const name = sts.metadata.name;
      const replicas = (sts.spec?.['replicas'] as number | undefined) ?? 1;
      const selector = (sts.spec?.['selector']?.matchLabels as Record<string, string> | undefined) ?? {};
      const templates = (sts.spec?.['volumeClaimTemplates'] as Obj[] | undefined) ?? [];
      let ready = 0;
      for (let i = 0; i < replicas; i++) {
        const podName = `${name}-${i}`;
        for (const t of templates) {
          const claimName = `${t.metadata.name}-${name}-${i}`;
          if (this.claim(ns, claimName)) continue;
          this.store.create({
            apiVersion: 'v1',
            kind: 'PersistentVolumeClaim',
            metadata: { name: claimName, namespace: ns, labels: { ...(t.metadata.labels ?? {}), ...selector } },
            spec: structuredClone(t.spec ?? {}),
            status: { phase: 'Pending' },
          });
        }
        const pod = this.store.get('v1', 'Pod', ns, podName);
        if (!pod) {
          this.store.create({
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: {
              name: podName,
              namespace: ns,
              labels: { ...((sts.spec?.['template']?.metadata?.labels as Record<string, string>) ?? {}), 'statefulset.kubernetes.io/pod-name': podName },
              ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name, uid: sts.metadata.uid, controller: true }],
            },
            spec: {
              ...structuredClone((sts.spec?.['template']?.spec as object) ?? {}),
              volumes: [
                ...(((sts.spec?.['template']?.spec?.volumes as object[]) ?? []).map((v) => structuredClone(v))),
                ...templates.map((t) => ({ name: t.metadata.name, persistentVolumeClaim: { claimName: `${t.metadata.name}-${name}-${i}` } })),
              ],
            },
            status: { phase: 'Pending' },
          });
          break;
        }
        if (pod.metadata.ownerReferences === undefined || (pod.metadata.ownerReferences as { uid?: string }[]).every((r) => r.uid !== sts.metadata.uid)) {
          // An orphan (the StatefulSet was deleted with propagationPolicy Orphan and created again): adopted.
          this.store.edit('v1', 'Pod', ns, podName, (p) => {
            p.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name, uid: sts.metadata.uid, controller: true }];
          });
        }
        if (pod.status?.['phase'] !== 'Running') break;
        ready++;
      }
      this.store.edit('apps/v1', 'StatefulSet', ns, name, (s) => {
        s.status = { ...(s.status ?? {}), observedGeneration: s.metadata['generation'], replicas: Math.min(replicas, ready + 1), readyReplicas: ready, currentReplicas: ready, updatedReplicas: ready, availableReplicas: ready };
      });
    }
  }

  /** Scheduler: a node for each pod (round robin). */
  private schedule(): void {
    for (const pod of this.store.list('v1', 'Pod')) {
      if (pod.spec?.['nodeName'] || pod.metadata.deletionTimestamp) continue;
      const node = this.nodes[this.nextNode++ % this.nodes.length]!;
      this.store.edit('v1', 'Pod', pod.metadata.namespace, pod.metadata.name, (p) => {
        p.spec = { ...(p.spec ?? {}), nodeName: node };
      });
    }
  }

  /** Dynamic provisioning: a PV for each unbound claim of a class that exists (WaitForFirstConsumer: once a scheduled pod uses it). */
  private provision(): void {
    const scheduled = new Set(this.store.list('v1', 'Pod').filter((p) => p.spec?.['nodeName']).flatMap((p) => this.claimsOf(p).map((c) => `${p.metadata.namespace}/${c}`)));
    for (const pvc of this.store.list('v1', 'PersistentVolumeClaim')) {
      if (pvc.spec?.['volumeName'] || pvc.metadata.deletionTimestamp) continue;
      const className = pvc.spec?.['storageClassName'] as string | undefined;
      const sc = className ? this.store.get('storage.k8s.io/v1', 'StorageClass', undefined, className) : undefined;
      if (!sc) continue;
      if (sc['volumeBindingMode'] === 'WaitForFirstConsumer' && !scheduled.has(`${pvc.metadata.namespace}/${pvc.metadata.name}`)) continue;
      const pvName = `pvc-${pvc.metadata.uid?.slice(0, 8) ?? ++this.pvSeq}-${++this.pvSeq}`;
      const size = pvc.spec?.['resources']?.requests?.storage as string;
      this.store.create({
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name: pvName, annotations: { 'pv.kubernetes.io/provisioned-by': String(sc['provisioner'] ?? 'sim') } },
        spec: {
          capacity: { storage: size },
          accessModes: pvc.spec?.['accessModes'] ?? ['ReadWriteOnce'],
          persistentVolumeReclaimPolicy: (sc['reclaimPolicy'] as string | undefined) ?? 'Delete',
          storageClassName: className,
          claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: pvc.metadata.namespace, name: pvc.metadata.name, uid: pvc.metadata.uid },
          csi: { driver: String(sc['provisioner'] ?? 'sim'), volumeHandle: pvName },
        },
        status: { phase: 'Bound' },
      });
      this.store.edit('v1', 'PersistentVolumeClaim', pvc.metadata.namespace, pvc.metadata.name, (c) => {
        c.spec = { ...(c.spec ?? {}), volumeName: pvName };
        c.status = { phase: 'Bound', accessModes: c.spec['accessModes'], capacity: { storage: size } };
      });
    }
  }

  /**
   * A claim naming its volume binds when the PV is free for it: no claimRef, or one naming this claim without a
   * uid or with this claim's uid (kube's pv controller refuses a claimRef holding another claim's uid).
   */
  private bindPrebound(): void {
    for (const pvc of this.store.list('v1', 'PersistentVolumeClaim')) {
      const pvName = pvc.spec?.['volumeName'] as string | undefined;
      if (!pvName || pvc.status?.['phase'] === 'Bound') continue;
      const pv = this.store.get('v1', 'PersistentVolume', undefined, pvName);
      if (!pv) continue;
      const ref = pv.spec?.['claimRef'] as { name?: string; namespace?: string; uid?: string } | undefined;
      const free = !ref || (ref.name === pvc.metadata.name && ref.namespace === pvc.metadata.namespace && (!ref.uid || ref.uid === pvc.metadata.uid));
      if (!free) continue;
      this.store.edit('v1', 'PersistentVolume', undefined, pvName, (v) => {
        v.spec = { ...(v.spec ?? {}), claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: pvc.metadata.namespace, name: pvc.metadata.name, uid: pvc.metadata.uid } };
        v.status = { phase: 'Bound' };
      });
      this.store.edit('v1', 'PersistentVolumeClaim', pvc.metadata.namespace, pvc.metadata.name, (c) => {
        c.status = { phase: 'Bound', accessModes: pv.spec?.['accessModes'], capacity: { storage: pv.spec?.['capacity']?.storage } };
      });
    }
  }

  /** A PV whose claim is gone: deleted (reclaimPolicy Delete) or Released, keeping its claimRef (Retain). */
  private releaseVolumes(): void {
    for (const pv of this.store.list('v1', 'PersistentVolume')) {
      const ref = pv.spec?.['claimRef'] as { name?: string; namespace?: string; uid?: string } | undefined;
      if (!ref?.name) {
        if (pv.status?.['phase'] !== 'Available') this.store.edit('v1', 'PersistentVolume', undefined, pv.metadata.name, (v) => void (v.status = { phase: 'Available' }));
        continue;
      }
      const claim = this.claim(ref.namespace, ref.name);
      if (claim && (!ref.uid || claim.metadata.uid === ref.uid)) continue;
      if (claim && claim.spec?.['volumeName'] === pv.metadata.name && !ref.uid) continue;
      if (pv.spec?.['persistentVolumeReclaimPolicy'] === 'Delete') {
        this.store.delete('v1', 'PersistentVolume', undefined, pv.metadata.name);
        this.usage.delete(pv.metadata.name);
      } else if (pv.status?.['phase'] !== 'Released') {
        this.store.edit('v1', 'PersistentVolume', undefined, pv.metadata.name, (v) => void (v.status = { phase: 'Released' }));
      }
    }
  }

  /** Kubelet: a scheduled pod whose claims are all bound runs; its containers then behave as told. */
  private runPods(): void {
    for (const pod of this.store.list('v1', 'Pod')) {
      const key = `${pod.metadata.namespace}/${pod.metadata.name}/${pod.metadata.uid}`;
      const phase = pod.status?.['phase'];
      if (!pod.spec?.['nodeName'] || phase === 'Succeeded' || phase === 'Failed') continue;
      if (phase !== 'Running') {
        const bound = this.claimsOf(pod).every((c) => this.claim(pod.metadata.namespace, c)?.status?.['phase'] === 'Bound');
        if (!bound) continue;
        this.store.edit('v1', 'Pod', pod.metadata.namespace, pod.metadata.name, (p) => {
          p.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], podIP: '10.128.0.1' };
        });
        this.runningTicks.set(key, 0);
        continue;
      }
      const b = this.behaviour(pod);
      if (b.run === 'forever') continue;
      const ticks = (this.runningTicks.get(key) ?? 0) + 1;
      this.runningTicks.set(key, ticks);
      if (ticks < b.ticks) continue;
      this.runningTicks.delete(key);
      const stored = this.store.edit('v1', 'Pod', pod.metadata.namespace, pod.metadata.name, (p) => {
        p.status = { phase: b.phase, conditions: [{ type: 'Ready', status: 'False', reason: 'PodCompleted' }] };
      });
      if (stored) this.onExit(stored, b.phase);
    }
  }
}
