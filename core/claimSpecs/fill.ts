/**
 * "Fill from StorageProfile": writes into a claim the fields CDI would fill, and only those that are missing —
 * the class (virt default first, then the Kubernetes default: CDI's choice for controller-side rendering), the
 * access and volume modes from the class's StorageProfile, and a clone's size from its source. CDI's
 * RenderPvc in-process semantics (core/cdi/render.ts renderPvcInProcess) whatever the place: the user makes the
 * rendering explicit, so the written claim no longer depends on who renders it.
 */
import { renderPvcInProcess } from '../cdi/render.js';
import type { Facts } from '../facts.js';
import type { Settings, TextEdit } from '../types.js';
import { insertEntriesEdit, replaceValueEdit, yamlScalar } from '../yaml/edits.js';
import { walk } from '../yaml/navigate.js';
import type { ClaimSpec } from './read.js';
import { sourceSizeOf } from './render.js';

export interface Fill {
  /** What is written, in words: "storageClassName: trident-nas (the virt default)". */
  fields: string[];
  edits: TextEdit[];
}

/** The fill of one claim; undefined when nothing is missing or CDI could not fill anything. */
export function fillClaim(spec: ClaimSpec, facts: Facts, settings: Settings): Fill | undefined {
  const { input, claim } = spec;
  const d = claim.resource.doc;
  const r = renderPvcInProcess(input, facts, settings);
  const top: string[] = [];
  const fields: string[] = [];
  const edits: TextEdit[] = [];
  // A field written with no value yet (`volumeMode:`) gets its value in place; an absent one is added to the spec.
  const put = (key: string, value: string): boolean => {
    if (!walk(d, [...claim.specPath, key])) {
      top.push(`${key}: ${value}`);
      return true;
    }
    const e = replaceValueEdit(d, [...claim.specPath, key], value);
    if (e) edits.push(e);
    return e !== undefined;
  };
  if (input.storageClassName === undefined && r.storageClassName !== undefined && put('storageClassName', yamlScalar(r.storageClassName))) {
    fields.push(`storageClassName: ${r.storageClassName} (${r.storageClassFrom === 'virt-default' ? 'the virt default' : 'the Kubernetes default'})`);
  }
  const modesDenied = r.denials.some((x) => x.includes('accessMode'));
  if ((input.accessModes ?? []).length === 0 && r.accessModes.length > 0 && !modesDenied && put('accessModes', `[${r.accessModes.map(yamlScalar).join(', ')}]`)) {
    fields.push(`accessModes: ${r.accessModes.join(', ')}`);
  }
  const mode = input.volumeMode;
  if ((mode === undefined || mode === '' || mode === 'FromStorageProfile') && r.volumeModeFrom === 'storage-profile' && put('volumeMode', r.volumeMode)) {
    fields.push(`volumeMode: ${r.volumeMode}`);
  }
  if (spec.request === undefined) {
    // The size the render took from a VolumeCloneSource (none when CDI cannot size it), else the CSI source's.
    const size = sourceSizeOf(input, facts, r);
    if (size) {
      const requests = [...claim.specPath, 'resources', 'requests'];
      const e = walk(d, requests)
        ? insertEntriesEdit(d, requests, [`storage: ${yamlScalar(size.text)}`])
        : walk(d, [...claim.specPath, 'resources'])
          ? insertEntriesEdit(d, [...claim.specPath, 'resources'], ['requests:', `  storage: ${yamlScalar(size.text)}`])
          : undefined;
      if (e) edits.push(e);
      else top.push('resources:', '  requests:', `    storage: ${yamlScalar(size.text)}`);
      fields.push(`storage: ${size.text} (${size.from})`);
    }
  }
  if (top.length > 0) {
    const e = insertEntriesEdit(d, claim.specPath, top);
    if (!e) return undefined;
    edits.push(e);
  }
  return edits.length === 0 ? undefined : { fields, edits };
}
