/**
 * Document symbols: one per object (kind, namespace and name; each item of a `kind: List` on its own), with a
 * VirtualMachine's dataVolumeTemplates and volumes and a StatefulSet's volumeClaimTemplates nested under it.
 * Documents of kinds the registry does not know still get their `kind` and `metadata.name`.
 */
import type { Resource } from '../resources.js';
import type { Range } from '../types.js';
import type { ParsedFile, YamlDoc } from '../yaml/documents.js';
import { locate, scalarString, sequence } from '../yaml/documents.js';

/** What a symbol stands for; adapters map it to their symbol kinds. */
export type SymbolRole = 'object' | 'template' | 'volume';

export interface DocumentSymbolInfo {
  name: string;
  /** Shown beside the name: the apiVersion of an object, what a volume or template holds. */
  detail?: string;
  role: SymbolRole;
  /** The whole object (or template, or volume). */
  range: Range;
  /** Its name, inside `range`. */
  selection: Range;
  children: DocumentSymbolInfo[];
}

type Path = (string | number)[];

function symbolAt(d: YamlDoc, path: Path, whole: Range, name: string, role: SymbolRole, detail?: string): DocumentSymbolInfo {
  const named = locate(d, [...path, 'metadata', 'name']) ?? locate(d, [...path, 'name']) ?? locate(d, [...path, 'kind']);
  const selection = named && contains(whole, named.range) ? named.range : { start: whole.start, end: whole.start };
  return { name, ...(detail ? { detail } : {}), role, range: whole, selection, children: [] };
}

function contains(outer: Range, inner: Range): boolean {
  const le = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, inner.start) && le(inner.end, outer.end);
}

function qualified(namespace: string | undefined, name: string | undefined): string {
  const n = name ?? '(no name)';
  return namespace === undefined ? n : `${namespace}/${n}`;
}

/** Templates and volumes nested under a VM or StatefulSet. */
function children(r: Resource): DocumentSymbolInfo[] {
  const d = r.doc;
  const nested = (field: Path, label: (i: number, item: Path) => { name: string; detail?: string }, role: SymbolRole) =>
    sequence(d, [...r.base, ...field]).map((item, i) => {
      const path = [...r.base, ...field, i];
      const { name, detail } = label(i, path);
      return symbolAt(d, path, item.range, name, role, detail);
    });
  if (r.kind === 'VirtualMachine') {
    const templates = nested(['spec', 'dataVolumeTemplates'], (i, p) => {
      const source = ['snapshot', 'pvc', 'registry', 'http', 'blank', 'upload', 's3', 'gcs', 'imageio', 'vddk'].find((s) => locate(d, [...p, 'spec', 'source', s]));
      const viaRef = scalarString(d, [...p, 'spec', 'sourceRef', 'name']);
      const from = source ? `source ${source}` : viaRef ? `sourceRef ${viaRef}` : undefined;
      return { name: `dataVolumeTemplate ${scalarString(d, [...p, 'metadata', 'name']) ?? `#${i}`}`, ...(from ? { detail: from } : {}) };
    }, 'template');
    const volumes = nested(['spec', 'template', 'spec', 'volumes'], (i, p) => {
      const dv = scalarString(d, [...p, 'dataVolume', 'name']);
      const claim = scalarString(d, [...p, 'persistentVolumeClaim', 'claimName']);
      const detail = dv ? `DataVolume ${dv}` : claim ? `PersistentVolumeClaim ${claim}` : undefined;
      return { name: `volume ${scalarString(d, [...p, 'name']) ?? `#${i}`}`, ...(detail ? { detail } : {}) };
    }, 'volume');
    return [...templates, ...volumes];
  }
  if (r.kind === 'StatefulSet') {
    return nested(['spec', 'volumeClaimTemplates'], (i, p) => {
      const size = scalarString(d, [...p, 'spec', 'resources', 'requests', 'storage']);
      return { name: `volumeClaimTemplate ${scalarString(d, [...p, 'metadata', 'name']) ?? `#${i}`}`, ...(size ? { detail: size } : {}) };
    }, 'template');
  }
  return [];
}

/** The symbols of a parsed file; `resources` are its recognised objects (Workspace.resources). */
export function documentSymbols(parsed: ParsedFile, resources: readonly Resource[]): DocumentSymbolInfo[] {
  const byDoc = new Map<YamlDoc, Resource[]>();
  for (const r of resources) {
    const list = byDoc.get(r.doc);
    if (list) list.push(r);
    else byDoc.set(r.doc, [r]);
  }
  const out: DocumentSymbolInfo[] = [];
  for (const d of parsed.docs) {
    const known = byDoc.get(d);
    if (known) {
      for (const r of known) {
        const whole = r.base.length === 0 ? d.range : (locate(d, r.base)?.range ?? d.range);
        const symbol = symbolAt(d, r.base, whole, `${r.kind} ${qualified(r.namespace, r.name)}`, 'object', r.apiVersion);
        symbol.children = children(r);
        out.push(symbol);
      }
      continue;
    }
    // A kind the registry does not know (a Deployment's neighbour, a CRD of another project): kind and name.
    const kind = d.doc ? scalarString(d, ['kind']) : undefined;
    if (kind === undefined) continue;
    const apiVersion = scalarString(d, ['apiVersion']);
    out.push(symbolAt(d, [], d.range, `${kind} ${qualified(scalarString(d, ['metadata', 'namespace']), scalarString(d, ['metadata', 'name']))}`, 'object', apiVersion));
  }
  return out;
}
