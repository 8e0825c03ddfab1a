/** Where the kinds we know hold Kubernetes quantities (sizes), for validation and hovers. */
import type { Resource } from './resources.js';
import { at } from './resources.js';
import type { Located } from './yaml/documents.js';
import { locate, sequence } from './yaml/documents.js';

export interface QuantityField {
  at: Located;
  /** Full path in the document. */
  path: (string | number)[];
  /** Dotted field path for messages, e.g. `spec.resources.requests.storage`. */
  field: string;
}

type Path = (string | number)[];

const claimSize: Path[] = [
  ['resources', 'requests', 'storage'],
  ['resources', 'limits', 'storage'],
];

/** Relative field paths per kind; `[]` marks "each item of the sequence before it". */
function fieldPaths(r: Resource): Path[] {
  const seq = (prefix: Path, inner: Path[]): Path[] =>
    sequence(r.doc, at(r, ...prefix)).flatMap((_, i) => inner.map((p) => [...prefix, i, ...p]));
  switch (r.kind) {
    case 'PersistentVolumeClaim':
      return claimSize.map((p) => ['spec', ...p]);
    case 'StatefulSet':
      return seq(['spec', 'volumeClaimTemplates'], claimSize.map((p) => ['spec', ...p]));
    case 'VolumeSnapshot':
      return [['status', 'restoreSize']];
    case 'DataVolume':
      return [...claimSize.map((p) => ['spec', 'storage', ...p]), ...claimSize.map((p) => ['spec', 'pvc', ...p])];
    case 'VirtualMachine':
      return seq(['spec', 'dataVolumeTemplates'], [
        ...claimSize.map((p) => ['spec', 'storage', ...p]),
        ...claimSize.map((p) => ['spec', 'pvc', ...p]),
      ]);
    case 'VolumeResize':
      return seq(['spec', 'volumes'], [['newSize']]);
    case 'StorageProfile':
      return [['metadata', 'annotations', 'cdi.kubevirt.io/minimumSupportedPvcSize']];
    case 'HyperConverged': {
      const crons = r.version === 'v1' ? ['spec', 'workloadSources', 'dataImportCronTemplates'] : ['spec', 'dataImportCronTemplates'];
      return seq(crons, claimSize.map((p) => ['spec', 'template', 'spec', 'storage', ...p]));
    }
    default:
      return [];
  }
}

export function quantityFields(r: Resource): QuantityField[] {
  const out: QuantityField[] = [];
  for (const p of fieldPaths(r)) {
    const path = at(r, ...p);
    const found = locate(r.doc, path);
    if (found) out.push({ at: found, path, field: p.map((x) => (typeof x === 'number' ? `[${x}]` : x)).join('.').replace(/\.\[/g, '[') });
  }
  return out;
}
