/**
 * Whether a write would change an object: the live object against the API server's dry-run answer (what it
 * would store: defaulted, admitted, merged with other managers' fields), ignoring what every write touches
 * (resourceVersion, generation, managed-field timestamps) and `status` (controllers move it between the two
 * reads). The answer's resourceVersion cannot tell: a dry-run update answers with the live one whether or
 * not it would change anything, and a write that changes nothing is not stored at all (kube's no-op
 * detection), so applying an unchanged object leaves its resourceVersion as it is.
 */
import type { KubeObject } from '../paths.js';

export function sameContent(live: KubeObject, next: KubeObject | undefined): boolean {
  return next !== undefined && canonical(comparable(live)) === canonical(comparable(next));
}

/** The object without status and write-noise, for comparison and diffs. */
export function comparable(o: KubeObject): KubeObject {
  const { status: _status, ...rest } = o;
  const meta = { ...(o.metadata ?? {}) };
  delete meta.resourceVersion;
  delete meta.generation;
  // kube-apiserver answers an apply to an object without managedFields (e.g. a Namespace applied with nothing but
  // its name, whose applier then owns no field) with a `before-first-apply` entry claiming what is there: server
  // bookkeeping, not a change (k8s.io/apiserver fieldmanager, v1.34; seen in test/ops/engine.test.ts on the API server).
  const managed = Array.isArray(meta['managedFields'])
    ? (meta['managedFields'] as Record<string, unknown>[]).filter((m) => m['manager'] !== 'before-first-apply').map(({ time: _time, ...m }) => m)
    : [];
  if (managed.length > 0) meta['managedFields'] = managed;
  else delete meta['managedFields'];
  return { ...rest, metadata: meta };
}

/** The object as a user reads it in a diff: no status, no server bookkeeping. */
export function readable(o: KubeObject): KubeObject {
  const { status: _status, ...rest } = o;
  const meta = { ...(o.metadata ?? {}) };
  for (const k of ['resourceVersion', 'generation', 'managedFields', 'uid', 'creationTimestamp', 'selfLink'] as const) delete meta[k];
  return { ...rest, metadata: meta };
}

/** JSON with object keys sorted, so that key order does not count as a change. */
export function canonical(v: unknown): string {
  return JSON.stringify(v, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  );
}
