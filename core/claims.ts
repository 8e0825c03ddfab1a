/**
 * PVC specs in the analysed files ("claims") and, for those that restore a VolumeSnapshot, what the restore
 * rules share: the snapshot, the request, the CDI label. What a document says is extracted once per parsed
 * Document and kept as YAML nodes (not ranges), so an edit elsewhere in the file re-uses it even when the
 * document moved down a line.
 */
import type { Document, Node } from 'yaml';
import { isNode } from 'yaml';
import { platformDefaultStorageClass } from './cdi/storageClass.js';
import type { PvcSpecInput } from './cdi/render.js';
import type { Facts, SnapshotFact, StorageClassFact } from './facts.js';
import { kinds, LABEL } from './kinds/index.js';
import type { Quantity } from './quantity.js';
import { parseQuantity } from './quantity.js';
import type { Resource } from './resources.js';
import { at } from './resources.js';
import type { Range, Settings } from './types.js';
import type { YamlDoc, YamlPath } from './yaml/documents.js';
import { rangeOf, scalarString, sequenceNodes, stringList, stringMap } from './yaml/documents.js';
import { walk, walkNode } from './yaml/navigate.js';


/** A PVC spec in a document: a PVC itself, or a StatefulSet volumeClaimTemplate. */
export interface Claim {
  /** Path of the PVC-like object (holding metadata and spec). */
  objectPath: YamlPath;
  /** For messages: "PersistentVolumeClaim restore-tpm" or "StatefulSet db, volumeClaimTemplate data". */
  describe: string;
  /** `metadata.namespace` of the resource as written. */
  namespace?: string;
  /** dataSource first, then dataSourceRef (its namespace honoured), as pvc-shrink-ray and CDI read them. */
  ref?: { name: string; namespace?: string; via: 'dataSource' | 'dataSourceRef'; nameNode: Node };
  /** `spec.resources.requests.storage`, when a valid quantity. */
  request?: { text: string; quantity: Quantity; node: Node };
  /** The `cdi.kubevirt.io/applyStorageProfile` label, when present. */
  label?: { value: string; keyNode: Node; valueNode: Node };
  /** The spec as CDI's render model reads it (namespace filled in at use). */
  spec: PvcSpecInput;
}

const claimCache = new WeakMap<Document.Parsed, Claim[]>();

function claimAt(d: YamlDoc, r: Resource, objectPath: YamlPath, describe: string): Claim {
  const p = (...rest: (string | number)[]) => [...objectPath, ...rest];
  const claim: Claim = { objectPath, describe, namespace: r.namespace, spec: specInput(d, objectPath) };
  for (const via of ['dataSource', 'dataSourceRef'] as const) {
    const ref = claim.spec[via];
    const nameNode = walkNode(d, p('spec', via, 'name'));
    if (ref?.kind !== 'VolumeSnapshot' || ref.apiGroup !== kinds.VolumeSnapshot.group || !ref.name || !nameNode) continue;
    const namespace = 'namespace' in ref ? ref.namespace : undefined;
    claim.ref = { name: ref.name, namespace: namespace || undefined, via, nameNode };
    break;
  }
  const requestPath = p('spec', 'resources', 'requests', 'storage');
  const text = scalarString(d, requestPath);
  const q = text === undefined ? undefined : parseQuantity(text);
  const node = walkNode(d, requestPath);
  if (q?.ok && node && text !== undefined) {
    claim.request = { text, quantity: q.quantity, node };
    claim.spec.requestBytes = q.quantity.bytes;
  }
  const label = walk(d, p('metadata', 'labels', LABEL.applyStorageProfile));
  if (label && isNode(label.pair?.key)) {
    claim.label = { value: scalarString(d, p('metadata', 'labels', LABEL.applyStorageProfile)) ?? '', keyNode: label.pair.key, valueNode: label.node };
  }
  return claim;
}

function specInput(d: YamlDoc, objectPath: YamlPath): PvcSpecInput {
  const p = (...rest: (string | number)[]) => [...objectPath, ...rest];
  const ref = (via: 'dataSource' | 'dataSourceRef') =>
    walk(d, p('spec', via))
      ? {
          apiGroup: scalarString(d, p('spec', via, 'apiGroup')),
          kind: scalarString(d, p('spec', via, 'kind')),
          name: scalarString(d, p('spec', via, 'name')),
          namespace: via === 'dataSourceRef' ? scalarString(d, p('spec', via, 'namespace')) : undefined,
        }
      : undefined;
  return {
    namespace: '',
    labels: stringMap(d, p('metadata', 'labels')),
    annotations: stringMap(d, p('metadata', 'annotations')),
    storageClassName: scalarString(d, p('spec', 'storageClassName')),
    accessModes: stringList(d, p('spec', 'accessModes')),
    volumeMode: scalarString(d, p('spec', 'volumeMode')),
    dataSource: ref('dataSource'),
    dataSourceRef: ref('dataSourceRef'),
  };
}

function claimsOfResource(d: YamlDoc, r: Resource): Claim[] {
  if (r.kind === 'PersistentVolumeClaim') return [claimAt(d, r, r.base, `PersistentVolumeClaim ${r.name ?? '(unnamed)'}`)];
  if (r.kind !== 'StatefulSet') return [];
  return sequenceNodes(d, at(r, 'spec', 'volumeClaimTemplates')).map((_, i) => {
    const objectPath = at(r, 'spec', 'volumeClaimTemplates', i);
    const name = scalarString(d, [...objectPath, 'metadata', 'name']) ?? `#${i}`;
    return claimAt(d, r, objectPath, `StatefulSet ${r.name ?? '(unnamed)'}, volumeClaimTemplate ${name}`);
  });
}

/** The claims of one document (its resources given), extracted once per parsed Document. */
export function claimsOf(d: YamlDoc, resources: Resource[]): Claim[] {
  if (!d.doc) return [];
  let claims = claimCache.get(d.doc);
  if (!claims) {
    claims = resources.filter((r) => r.doc === d).flatMap((r) => claimsOfResource(d, r));
    claimCache.set(d.doc, claims);
  }
  return claims;
}

/** A claim that restores a VolumeSnapshot, with the snapshot looked up. */
export interface Restore {
  doc: YamlDoc;
  claim: Claim & { ref: NonNullable<Claim['ref']> };
  /** The claim's namespace (the default applied). */
  namespace: string;
  snapshotNamespace: string;
  snapshot?: SnapshotFact;
}

export function restoreOf(doc: YamlDoc, claim: Claim, facts: Facts, defaultNamespace: string): Restore | undefined {
  const ref = claim.ref;
  if (!ref) return undefined;
  const namespace = claim.namespace ?? defaultNamespace;
  const snapshotNamespace = ref.namespace ?? namespace;
  return { doc, claim: { ...claim, ref }, namespace, snapshotNamespace, snapshot: facts.volumeSnapshot(snapshotNamespace, ref.name) };
}

/** Range of a node of the restore's document, in file coordinates. */
export function rangeIn(r: Restore, node: Node): Range {
  return rangeOf(r.doc, node);
}

/** The spec for CDI's render model, the namespace filled in. */
export function renderInput(r: Restore): PvcSpecInput {
  return { ...r.claim.spec, namespace: r.namespace };
}

/** What the PVC's class will be for Kubernetes itself: named, else the cluster default (not the virt default). */
export function plainStorageClass(claim: Claim, facts: Facts): StorageClassFact | undefined {
  const name = claim.spec.storageClassName;
  if (name === '') return undefined;
  return name === undefined ? platformDefaultStorageClass(facts.storageClasses(), 'isDefault') : facts.storageClass(name);
}

export function isStrict(provisioner: string | undefined, settings: Settings): boolean {
  return provisioner !== undefined && settings.strictProvisioners.includes(provisioner);
}
