/**
 * The `create-pvc` operation's reader: the storage classes, their StorageProfiles, CDI's config and version, the
 * populator source named (and, for a VolumeCloneSource, what it clones) and a PVC of the same name, read with a
 * few GETs and LISTs; then the pure planner (core/ops/createPvc/plan.ts). What cannot be read counts as absent.
 */
import type { ClaimObjectFact, ClaimObjectKind, Facts, FactSource, SnapshotFact, StorageClassFact, StorageProfileFact } from '../../../core/facts.js';
import { factFromObject } from '../../../core/kinds/index.js';
import { CREATE_PVC_OPERATION, planCreatePvc, sourceKinds, type CreatePvcOptions } from '../../../core/ops/createPvc/plan.js';
import type { PlanResult } from '../../../core/ops/types.js';
import { defaultSettings } from '../../../core/types.js';
import type { ClusterConnection } from '../../connection.js';
import type { KubeObject } from '../../paths.js';
import type { OperationContext, OperationDefinition } from '../registry.js';

type Conn = Pick<ClusterConnection, 'get' | 'list' | 'context' | 'server' | 'namespace'>;

async function listed(conn: Conn, apiVersion: string, kind: string): Promise<KubeObject[]> {
  const r = await conn.list(apiVersion, kind);
  return r.ok ? r.value.items : [];
}

async function one(conn: Conn, apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
  const r = await conn.get(apiVersion, kind, namespace, name);
  return r.ok ? r.value : undefined;
}

/** The facts a PVC's rendering needs, read off the cluster (core/facts.ts Facts over plain lists). */
export async function readCreatePvcFacts(conn: Conn, o: CreatePvcOptions): Promise<Facts> {
  const source: FactSource = { kind: 'cluster', context: conn.context };
  const read = <K extends Parameters<typeof factFromObject>[0]>(kind: K, obj: unknown) => factFromObject(kind, obj, source);
  const [classes, profiles, configs, cdis] = await Promise.all([
    listed(conn, 'storage.k8s.io/v1', 'StorageClass'),
    listed(conn, 'cdi.kubevirt.io/v1beta1', 'StorageProfile'),
    listed(conn, 'cdi.kubevirt.io/v1beta1', 'CDIConfig'),
    listed(conn, 'cdi.kubevirt.io/v1beta1', 'CDI'),
  ]);
  const scFacts = classes.map((c) => read('StorageClass', c)).filter((f): f is StorageClassFact => f !== undefined);
  const spFacts = profiles.map((p) => read('StorageProfile', p)).filter((f): f is StorageProfileFact => f !== undefined);
  const config = configs.map((c) => read('CDIConfig', c)).find((f) => f !== undefined);
  const version = cdis.map((c) => read('CDI', c)).find((f) => f !== undefined);
  const objects: ClaimObjectFact[] = [];
  const snapshots: SnapshotFact[] = [];
  const ns = o.namespace;
  const add = async (kind: ClaimObjectKind | 'VolumeSnapshot', name: string): Promise<ClaimObjectFact | undefined> => {
    const apiVersion = kind === 'PersistentVolumeClaim' ? 'v1' : kind === 'VolumeSnapshot' ? 'snapshot.storage.k8s.io/v1' : 'cdi.kubevirt.io/v1beta1';
    const obj = await one(conn, apiVersion, kind, ns, name);
    if (!obj) return undefined;
    if (kind === 'VolumeSnapshot') {
      const s = read('VolumeSnapshot', obj);
      if (s) snapshots.push(s);
      return undefined;
    }
    const f = read(kind, obj) as ClaimObjectFact | undefined;
    if (f) objects.push(f);
    return f;
  };
  const kind = sourceKinds.find((k) => k.kind === o.dataSourceRefKind);
  if (kind && o.dataSourceRefName) {
    const f = await add(kind.objects ?? 'VolumeSnapshot', o.dataSourceRefName);
    const src = f?.populatorSource;
    if (f?.kind === 'VolumeCloneSource' && src?.name) await add(src.kind === 'VolumeSnapshot' ? 'VolumeSnapshot' : 'PersistentVolumeClaim', src.name);
  }
  return {
    volumeSnapshot: (n, name) => snapshots.find((s) => s.namespace === n && s.name === name),
    volumeSnapshots: (n) => snapshots.filter((s) => s.namespace === n),
    storageClass: (name) => scFacts.find((c) => c.name === name),
    storageClasses: () => scFacts,
    storageProfile: (name) => spFacts.find((p) => p.name === name),
    cdiConfig: () => config,
    cdiVersion: () => version,
    claimObject: (k, n, name) => objects.find((x) => x.kind === k && x.namespace === n && x.name === name),
    claimObjects: (k, n) => objects.filter((x) => x.kind === k && x.namespace === n),
  };
}

function optionsOf(conn: Conn, values: Record<string, string | number | boolean | undefined>): CreatePvcOptions {
  const text = (k: string) => {
    const v = Object.hasOwn(values, k) ? values[k] : undefined;
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const o: CreatePvcOptions = { namespace: text('namespace') ?? conn.namespace };
  for (const k of ['name', 'generateName', 'size', 'storageClass', 'dataSourceRefKind', 'dataSourceRefName'] as const) {
    const v = text(k);
    if (v !== undefined) o[k] = v;
  }
  return o;
}

/** Reads the cluster and plans; also what `kvstorage create-pvc` calls. */
export async function planCreatePvcOn(conn: Conn, values: Record<string, string | number | boolean | undefined>, ctx: OperationContext): Promise<PlanResult> {
  const options = optionsOf(conn, values);
  const facts = await readCreatePvcFacts(conn, options);
  const existing = options.name === undefined ? undefined : await one(conn, 'v1', 'PersistentVolumeClaim', options.namespace, options.name);
  const phase = (existing as { status?: { phase?: string } } | undefined)?.status?.phase;
  const settings = { ...defaultSettings, defaultNamespace: options.namespace, ...(ctx.cdiVersion && !facts.cdiVersion() ? { cdiVersion: ctx.cdiVersion.version } : {}) };
  return planCreatePvc({ target: { context: conn.context, server: conn.server }, options, facts, settings, ...(existing ? { existing: phase === undefined ? {} : { phase } } : {}) });
}

export const createPvcOperation: OperationDefinition = {
  id: CREATE_PVC_OPERATION,
  title: 'Create a PVC rendered as CDI would',
  summary: "a PVC from minimal flags, its class, modes and size rendered as CDI's RenderPvc does (the design's virtctl create-pvc)",
  options: [
    { name: 'name', type: 'string', description: 'the PVC name (or --generate-name)' },
    { name: 'generateName', type: 'string', description: 'a name prefix the API server completes (or --name)' },
    { name: 'namespace', type: 'string', description: "the namespace (default: the context's)" },
    { name: 'size', type: 'string', description: 'the size, e.g. 10Gi (a clone or restore may leave it out: the source\'s size)' },
    { name: 'storageClass', type: 'string', description: 'the StorageClass (default: the virt default class, else the Kubernetes default)' },
    { name: 'dataSourceRefKind', type: 'string', choices: sourceKinds.map((k) => k.kind), description: 'the populator source\'s kind' },
    { name: 'dataSourceRefName', type: 'string', description: 'the populator source\'s name' },
  ],
  plan: (conn, values, ctx) => planCreatePvcOn(conn, values, ctx),
};
