/**
 * "The cluster's own answer": a PVC sent to the API server as a server-side dry-run create (`dryRun=All` runs
 * defaulting, the DefaultStorageClass admission and the mutating webhooks whose `sideEffects` is None, as CDI's
 * is; nothing is stored). Pure: the manifest to send, the key its answer is filed under, the answer read back,
 * and what the model predicted for the same PVC.
 */
import type { PvcSpecInput, RenderResult } from '../cdi/render.js';
import { hasCloneSourceRef, hasVolumeSnapshotSource, isRejected, renderPvc } from '../cdi/render.js';
import type { Facts, FactSource, LiveRenderFact } from '../facts.js';
import { LABEL } from '../kinds/index.js';
import { parseQuantity } from '../quantity.js';
import type { Settings } from '../types.js';

/** Probe PVCs are named by the API server from this prefix (a dry run keeps no name, but one is needed). */
export const probeNamePrefix = 'kvstorage-probe-';

/**
 * The dimensions an answer stands for: what the PVC says of its storage class and volume mode, whether it carries
 * CDI's label, and what it restores from. One dry run answers for every PVC of the same key.
 */
export function probeKey(input: PvcSpecInput): string {
  const source = hasVolumeSnapshotSource(input) ? 'VolumeSnapshot' : hasCloneSourceRef(input) ? 'VolumeCloneSource' : 'none';
  return JSON.stringify([input.storageClassName ?? null, input.labels[LABEL.applyStorageProfile] === 'true', input.volumeMode ?? null, source]);
}

/** The key in words, for messages: `storage class "trident-nas", labelled, volumeMode Filesystem, from a VolumeSnapshot`. */
export function describeProbeKey(input: PvcSpecInput): string {
  const cls = input.storageClassName === undefined ? 'no storage class named' : `storage class ${JSON.stringify(input.storageClassName)}`;
  const label = input.labels[LABEL.applyStorageProfile] === 'true' ? `${LABEL.applyStorageProfile}=true` : 'unlabelled';
  const mode = input.volumeMode === undefined ? 'no volumeMode' : `volumeMode ${input.volumeMode}`;
  const source = hasVolumeSnapshotSource(input) ? 'from a VolumeSnapshot' : hasCloneSourceRef(input) ? 'from a VolumeCloneSource' : 'no data source';
  return `${cls}, ${label}, ${mode}, ${source}`;
}

type Obj = Record<string, unknown>;

/** The PVC to send: the spec as it would be created, under a generated name in its namespace. */
export function probeManifest(input: PvcSpecInput): Obj {
  const ref = (r: PvcSpecInput['dataSourceRef'], withNamespace: boolean): Obj | undefined => {
    if (!r) return undefined;
    const out: Obj = {};
    if (r.apiGroup !== undefined) out.apiGroup = r.apiGroup;
    if (r.kind !== undefined) out.kind = r.kind;
    if (r.name !== undefined) out.name = r.name;
    if (withNamespace && r.namespace) out.namespace = r.namespace;
    return out;
  };
  const spec: Obj = {};
  if (input.storageClassName !== undefined) spec.storageClassName = input.storageClassName;
  if (input.accessModes !== undefined) spec.accessModes = input.accessModes;
  if (input.volumeMode !== undefined) spec.volumeMode = input.volumeMode;
  if (input.requestBytes !== undefined) spec.resources = { requests: { storage: String(input.requestBytes) } };
  const dataSource = ref(input.dataSource, false);
  const dataSourceRef = ref(input.dataSourceRef, true);
  if (dataSource) spec.dataSource = dataSource;
  if (dataSourceRef) spec.dataSourceRef = dataSourceRef;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { generateName: probeNamePrefix, namespace: input.namespace, labels: { ...input.labels }, annotations: { ...input.annotations } },
    spec,
  };
}

function obj(v: unknown): Obj | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

/** What the API server answered (the created object of a dry run, or its refusal), filed under the input's key. */
export function liveAnswer(
  input: PvcSpecInput,
  sentDescribe: string,
  answer: { stored: unknown } | { refused: string },
  at: string,
  source: FactSource,
): LiveRenderFact {
  const base = {
    key: probeKey(input),
    sentDescribe,
    namespace: input.namespace,
    sent: {
      ...(input.storageClassName === undefined ? {} : { storageClassName: input.storageClassName }),
      ...(input.volumeMode === undefined ? {} : { volumeMode: input.volumeMode }),
      ...(input.requestBytes === undefined ? {} : { requestBytes: input.requestBytes }),
    },
    at,
    source,
  };
  if ('refused' in answer) return { ...base, refused: answer.refused };
  const spec = obj(obj(answer.stored)?.spec);
  const requestText = str(obj(obj(spec?.resources)?.requests)?.storage);
  const q = requestText === undefined ? undefined : parseQuantity(requestText);
  const accessModes = Array.isArray(spec?.accessModes) ? spec.accessModes.filter((m): m is string => typeof m === 'string') : [];
  const storageClassName = str(spec?.storageClassName);
  const volumeMode = str(spec?.volumeMode);
  return {
    ...base,
    stored: {
      ...(storageClassName === undefined ? {} : { storageClassName }),
      ...(volumeMode === undefined ? {} : { volumeMode }),
      accessModes,
      ...(q?.ok ? { requestBytes: q.quantity.bytes } : {}),
      ...(requestText === undefined ? {} : { requestText }),
    },
  };
}

/** What the model says the API server will store for a PVC: its render, and what Kubernetes fills in itself. */
export interface PredictedStore {
  storageClassName?: string;
  volumeMode: string;
  accessModes: string[];
  requestBytes?: bigint;
  render: RenderResult;
}

export function predictStore(input: PvcSpecInput, facts: Facts, settings: Settings): PredictedStore {
  const render = renderPvc(input, facts, settings);
  const bytes = render.webhookApplies && render.renderedBytes !== undefined ? render.renderedBytes : input.requestBytes;
  return {
    ...(render.storageClassName === undefined ? {} : { storageClassName: render.storageClassName }),
    volumeMode: render.volumeMode,
    accessModes: render.accessModes,
    ...(bytes === undefined ? {} : { requestBytes: bytes }),
    render,
  };
}

/** One way prediction and answer differ. */
export interface StoreDifference {
  field: 'storageClassName' | 'volumeMode' | 'accessModes' | 'request' | 'admission';
  predicted: string;
  cluster: string;
}

/** Where the model's prediction and the API server's answer differ; [] when they agree. */
export function compareWithCluster(predicted: PredictedStore, answer: LiveRenderFact): StoreDifference[] {
  if (answer.refused !== undefined) {
    const denied = isRejected(predicted.render);
    return denied ? [] : [{ field: 'admission', predicted: 'admitted', cluster: `refused: ${answer.refused}` }];
  }
  const stored = answer.stored!;
  const out: StoreDifference[] = [];
  if (isRejected(predicted.render)) out.push({ field: 'admission', predicted: `refused: ${[...predicted.render.denials, ...predicted.render.refusals].join('; ')}`, cluster: 'admitted' });
  const show = (v: string | undefined) => (v === undefined ? '(none)' : v);
  if ((predicted.storageClassName ?? '') !== (stored.storageClassName ?? '')) out.push({ field: 'storageClassName', predicted: show(predicted.storageClassName), cluster: show(stored.storageClassName) });
  if (stored.volumeMode !== undefined && predicted.volumeMode !== stored.volumeMode) out.push({ field: 'volumeMode', predicted: predicted.volumeMode, cluster: stored.volumeMode });
  const modes = (m: string[]) => [...m].sort().join(',');
  if (predicted.accessModes.length > 0 && modes(predicted.accessModes) !== modes(stored.accessModes)) {
    out.push({ field: 'accessModes', predicted: predicted.accessModes.join(', '), cluster: stored.accessModes.join(', ') || '(none)' });
  }
  if (predicted.requestBytes !== stored.requestBytes) {
    out.push({ field: 'request', predicted: predicted.requestBytes === undefined ? '(none)' : `${predicted.requestBytes} bytes`, cluster: stored.requestBytes === undefined ? '(none)' : `${stored.requestBytes} bytes` });
  }
  return out;
}
