/**
 * What a cache keeps of an object. `metadata.managedFields` is often more than half of an object's JSON
 * and `kubectl.kubernetes.io/last-applied-configuration` repeats the whole object; nothing the tools show
 * or analyse reads either (a read-only YAML view fetches the object afresh).
 */
import { ANNOTATION } from '../core/kinds/index.js';
import { putOwn } from '../core/own.js';
import type { KubeObject } from './paths.js';

export const droppedAnnotations: readonly string[] = [ANNOTATION.lastAppliedConfiguration];

/**
 * The object without the bulky fields. It rebuilds `metadata` (and `annotations` when one is dropped)
 * rather than `delete`, which would leave V8 objects in slower, larger dictionary mode.
 */
export function slim<T extends KubeObject>(o: T): T {
  const m = o.metadata;
  if (!m) return o;
  let meta = m;
  if ('managedFields' in m) {
    const { managedFields: _dropped, ...rest } = m;
    meta = rest;
  }
  const a = meta.annotations;
  if (a && droppedAnnotations.some((k) => Object.hasOwn(a, k))) {
    const kept: Record<string, string> = {};
    for (const [k, v] of Object.entries(a)) if (!droppedAnnotations.includes(k)) putOwn(kept, k, v);
    meta = { ...meta, annotations: kept };
  }
  if (meta !== m) o.metadata = meta;
  return o;
}
