/** A claim's spec as CDI's render model reads it (core/cdi/render.ts PvcSpecInput), with what surrounds it. */
import type { Node } from 'yaml';
import type { PvcSpecInput } from '../cdi/render.js';
import { parseQuantity } from '../quantity.js';
import { scalarString, stringList, stringMap, type YamlDoc } from '../yaml/documents.js';
import { walk, walkNode } from '../yaml/navigate.js';
import type { ClaimIn } from './places.js';

export interface ClaimSpec {
  claim: ClaimIn;
  /** The claim's namespace: the object's, else the default. */
  namespace: string;
  input: PvcSpecInput;
  /** `resources.requests.storage` as written; `bytes` when it is a valid quantity. */
  request?: { text: string; bytes?: bigint };
  /** Around a DataVolume spec (`spec.storage`/`spec.pvc`, also in dataVolumeTemplates): its content type and source. */
  dataVolume?: { contentType?: string; cloneSource: boolean };
}

type Ref = NonNullable<PvcSpecInput['dataSourceRef']>;

function refAt(d: YamlDoc, spec: Node, field: string, withNamespace: boolean): Ref | undefined {
  const at = walkNode(d, [field], spec);
  if (!at) return undefined;
  const value = (k: string) => scalarString(d, [k], at);
  const ref: Ref = {};
  const apiGroup = value('apiGroup');
  const kind = value('kind');
  const name = value('name');
  const namespace = withNamespace ? value('namespace') : undefined;
  if (apiGroup !== undefined) ref.apiGroup = apiGroup;
  if (kind !== undefined) ref.kind = kind;
  if (name !== undefined) ref.name = name;
  if (namespace !== undefined) ref.namespace = namespace;
  return ref;
}

/** Reads one claim; never throws (absent or odd fields are left out). */
export function readClaim(claim: ClaimIn, defaultNamespace: string): ClaimSpec {
  const d = claim.resource.doc;
  // Each field is read from the spec's (and the metadata's) node, found once, not walked to from the root.
  const spec = walkNode(d, claim.specPath);
  const meta = walkNode(d, claim.metadataPath);
  const s = (...rest: string[]) => (spec ? scalarString(d, rest, spec) : undefined);
  const namespace = claim.resource.namespace ?? defaultNamespace;
  const input: PvcSpecInput = { namespace, labels: meta ? stringMap(d, ['labels'], meta) : {}, annotations: meta ? stringMap(d, ['annotations'], meta) : {} };
  const storageClassName = s('storageClassName');
  const accessModes = spec ? stringList(d, ['accessModes'], spec) : undefined;
  const volumeMode = s('volumeMode');
  const dataSource = spec ? refAt(d, spec, 'dataSource', false) : undefined;
  const dataSourceRef = spec ? refAt(d, spec, 'dataSourceRef', true) : undefined;
  if (storageClassName !== undefined) input.storageClassName = storageClassName;
  if (accessModes !== undefined) input.accessModes = accessModes;
  if (volumeMode !== undefined) input.volumeMode = volumeMode;
  if (dataSource) input.dataSource = dataSource;
  if (dataSourceRef) input.dataSourceRef = dataSourceRef;
  const out: ClaimSpec = { claim, namespace, input };
  const text = s('resources', 'requests', 'storage');
  if (text !== undefined) {
    const q = parseQuantity(text);
    out.request = q.ok ? { text, bytes: q.quantity.bytes } : { text };
    if (q.ok) input.requestBytes = q.quantity.bytes;
  }
  const flavour = claim.place.flavour;
  if (flavour === 'dv-storage' || flavour === 'dv-pvc') {
    // The DataVolume spec holding `storage` or `pvc`.
    const dv = walkNode(d, claim.specPath.slice(0, -1));
    const contentType = dv ? scalarString(d, ['contentType'], dv) : undefined;
    const cloneSource = dv !== undefined && (walk(d, ['source', 'pvc'], dv) !== undefined || walk(d, ['source', 'snapshot'], dv) !== undefined);
    out.dataVolume = { cloneSource, ...(contentType === undefined ? {} : { contentType }) };
  }
  return out;
}
