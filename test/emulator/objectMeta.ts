// ObjectMeta handling shared by the HTTP handlers and direct store access: system fields on create,
// name validation, generation bumps, and the JSON helpers the rest of the emulator relies on.
import { randomUUID } from 'node:crypto';
import { invalid } from './errors.js';
import { hasStatus } from './resources.js';
import type { ApiResourceSpec, KMeta, KObject } from './types.js';
import { defaultPvc } from './pvcRules.js';

export function clone<T>(v: T): T {
  return structuredClone(v);
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => jsonEqual(a[k], b[k]));
  }
  return false;
}

/** RFC 3339 without fractions, as metav1.Time marshals. */
export function nowTimestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const nameChars = 'bcdfghjklmnpqrstvwxz2456789';

/** kube's SimpleNameGenerator: the prefix (cut to 58 characters) plus five random characters. */
export function generateName(prefix: string): string {
  let s = prefix.length > 58 ? prefix.slice(0, 58) : prefix;
  for (let i = 0; i < 5; i++) s += nameChars[Math.floor(Math.random() * nameChars.length)];
  return s;
}

const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Kinds without spec, which kube gives no metadata.generation. */
const noGeneration = new Set(['/configmaps', '/secrets', '/events', '/serviceaccounts', '/namespaces', '/endpoints']);

export function tracksGeneration(spec: ApiResourceSpec): boolean {
  return !noGeneration.has(`${spec.group}/${spec.plural}`);
}

/** Validates metadata.name on create (after generateName); 422 as kube's ValidateObjectMeta. */
export function validateName(spec: ApiResourceSpec, obj: KObject): void {
  const name = obj.metadata?.name ?? '';
  if (!name) {
    throw invalid(spec.kind, spec.group, '', [{ field: 'metadata.name', type: 'Required value', message: 'name or generateName is required' }]);
  }
  if (name.length > 253 || !dns1123Subdomain.test(name)) {
    throw invalid(spec.kind, spec.group, name, [
      {
        field: 'metadata.name',
        type: 'Invalid value',
        value: JSON.stringify(name),
        message: "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      },
    ]);
  }
}

/** What kube's conversion of built-in types does on every write: a Secret's stringData moves into data. */
export function normalise(spec: ApiResourceSpec, obj: KObject): void {
  defaultPvc(spec, obj);
  if (spec.group === '' && spec.plural === 'secrets' && isPlainObject(obj['stringData'])) {
    const data: Record<string, unknown> = isPlainObject(obj['data']) ? { ...obj['data'] } : {};
    for (const [k, v] of Object.entries(obj['stringData'])) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
    obj['data'] = data;
    delete obj['stringData'];
  }
}

/** Fills what the server owns on create: name from generateName, uid, creationTimestamp, generation. */
export function prepareCreate(spec: ApiResourceSpec, obj: KObject): void {
  normalise(spec, obj);
  const meta = (obj.metadata ??= {});
  if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName);
  meta.uid = randomUUID();
  meta.creationTimestamp = nowTimestamp();
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  if (tracksGeneration(spec)) meta.generation = 1;
  else delete meta.generation;
  if (spec.group === '' && spec.plural === 'namespaces') {
    // What kube's namespace strategy and defaulting add.
    meta.labels = { ...meta.labels, 'kubernetes.io/metadata.name': meta.name ?? '' };
    obj['spec'] = { finalizers: ['kubernetes'], ...(isPlainObject(obj['spec']) ? obj['spec'] : {}) };
    obj['status'] = { phase: 'Active' };
  }
}

/** Copies what a client cannot change on update from the stored object, and bumps generation on spec changes. */
export function prepareUpdate(spec: ApiResourceSpec, next: KObject, old: KObject): void {
  normalise(spec, next);
  const meta = (next.metadata ??= {});
  const o = old.metadata!;
  for (const k of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'name', 'namespace'] as const) {
    if (o[k] === undefined) delete meta[k];
    else (meta as Record<string, unknown>)[k] = o[k];
  }
  if (hasStatus(spec)) {
    if (old['status'] === undefined) delete next['status'];
    else next['status'] = old['status'];
  }
  if (spec.group === '' && spec.plural === 'namespaces') {
    meta.labels = { ...meta.labels, 'kubernetes.io/metadata.name': o.name ?? '' };
  }
  if (tracksGeneration(spec) && specChanged(next, old)) meta.generation = (o.generation ?? 0) + 1;
}

/** True when anything but metadata and status differs: what bumps metadata.generation. */
export function specChanged(a: KObject, b: KObject): boolean {
  const strip = ({ metadata: _m, status: _s, ...rest }: KObject): KObject => rest;
  return !jsonEqual(strip(a), strip(b));
}

/** True when `next` differs from `old` in anything but resourceVersion and managed-field timestamps. */
export function changed(next: KObject, old: KObject): boolean {
  const strip = (o: KObject): KObject => {
    const meta: KMeta = { ...o.metadata, resourceVersion: undefined };
    if (meta.managedFields) meta.managedFields = meta.managedFields.map((m) => ({ ...m, time: undefined }));
    return { ...o, metadata: meta };
  };
  return !jsonEqual(strip(next), strip(old));
}
