/**
 * A VolumeResize written in YAML: its request (what validate.ts checks) and where each field is, so that a
 * problem lands on the field it is about and a fix can rewrite it.
 */
import { at, type Resource } from '../resources.js';
import type { Range, TextEdit } from '../types.js';
import { locate, replaceValueEdit, scalarString, sequence, yamlScalar } from '../yaml/documents.js';
import type { ProblemAt, ResizeRequest } from './validate.js';

export interface VolumeResizeManifest {
  request: ResizeRequest;
  name?: string;
  /** Where each field is (the kind line when a field is absent). */
  range(at: ProblemAt): Range;
  /** An edit setting the field to `value`, when the field is written. */
  edit(at: ProblemAt, value: string): TextEdit | undefined;
}

function path(r: Resource, a: ProblemAt): (string | number)[] {
  if ('volume' in a) return at(r, 'spec', 'volumes', a.volume, a.field);
  return a.field === 'kind' ? at(r, 'kind') : at(r, 'spec', 'statefulSetName');
}

/** The manifest of a recognised VolumeResize resource; `defaultNamespace` when it names none. */
export function volumeResizeManifest(r: Resource, defaultNamespace: string): VolumeResizeManifest {
  const d = r.doc;
  const volumes = sequence(d, at(r, 'spec', 'volumes')).map((item) => {
    const name = scalarString(d, ['name'], item.node) ?? '';
    const newSize = scalarString(d, ['newSize'], item.node) ?? '';
    const storageClass = scalarString(d, ['storageClass'], item.node);
    return { name, newSize, ...(storageClass !== undefined ? { storageClass } : {}) };
  });
  const kindRange = locate(d, at(r, 'kind'))?.range ?? d.toRange(0, 0);
  return {
    request: { namespace: r.namespace ?? defaultNamespace, statefulSetName: scalarString(d, at(r, 'spec', 'statefulSetName')) ?? '', volumes },
    ...(r.name !== undefined ? { name: r.name } : {}),
    range: (a) => {
      const p = path(r, a);
      const hit = locate(d, p);
      if (hit) return hit.range;
      // An absent field (storageClass not written): the volume's item, else the kind.
      if ('volume' in a) return locate(d, at(r, 'spec', 'volumes', a.volume, 'name'))?.range ?? sequence(d, at(r, 'spec', 'volumes'))[a.volume]?.range ?? kindRange;
      return kindRange;
    },
    edit: (a, value) => replaceValueEdit(d, path(r, a), yamlScalar(value)),
  };
}
