// Server-side apply and managedFields bookkeeping, simplified (see README "Departures"): ownership is
// tracked per leaf field; lists are associative only where listRule() says so; a conflict is a field
// another manager owns whose live value differs from the applied one.
import { ApiError } from './errors.js';
import { clone, isPlainObject, jsonEqual, nowTimestamp } from './objectMeta.js';
import { decodePath, fieldSet, fromFieldsV1, pathString, removeAt, toFieldsV1, valueAt } from './fieldSets.js';
import { listRule } from './strategicMerge.js';
import type { KObject, ManagedFieldsEntry } from './types.js';

interface Owner {
  entry: ManagedFieldsEntry;
  fields: Set<string>;
}

const sameOwner = (e: ManagedFieldsEntry, manager: string, operation: string, subresource?: string): boolean =>
  e.manager === manager && e.operation === operation && (e.subresource ?? '') === (subresource ?? '');

function owners(obj: KObject | undefined): Owner[] {
  return (obj?.metadata?.managedFields ?? []).map((entry) => ({ entry, fields: fromFieldsV1(entry.fieldsV1) }));
}

function writeOwners(obj: KObject, list: Owner[]): void {
  const entries = list
    .filter((o) => o.fields.size > 0)
    .map((o) => ({ ...o.entry, fieldsType: 'FieldsV1' as const, fieldsV1: toFieldsV1(o.fields) }));
  if (entries.length > 0) obj.metadata!.managedFields = entries;
  else delete obj.metadata!.managedFields;
}

/** Structured merge of an apply configuration into the live object. */
function mergeApplied(live: unknown, cfg: unknown, names: string[], builtin: boolean): unknown {
  if (isPlainObject(cfg)) {
    const out: Record<string, unknown> = isPlainObject(live) ? { ...live } : {};
    for (const [k, v] of Object.entries(cfg)) out[k] = mergeApplied(out[k], v, [...names, k], builtin);
    return out;
  }
  if (Array.isArray(cfg)) {
    const rule = listRule(names, builtin, true);
    if (!Array.isArray(live) || rule.kind === 'atomic') return clone(cfg);
    if (rule.kind === 'set') return [...live, ...cfg.filter((x) => !live.some((y) => jsonEqual(x, y)))];
    const out = [...live];
    for (const item of cfg) {
      const i = out.findIndex((x) => isPlainObject(x) && isPlainObject(item) && rule.keys.every((k) => jsonEqual(x[k], item[k])));
      if (i >= 0) out[i] = mergeApplied(out[i], item, names, builtin);
      else out.push(clone(item));
    }
    return out;
  }
  return clone(cfg);
}

export interface ApplyInput {
  live: KObject | undefined;
  config: KObject;
  manager: string;
  force: boolean;
  builtin: boolean;
  /** 'status' when applying to the status subresource. */
  subresource?: string;
  /** Top-level fields the request may not set (status on the main resource of a kind with a status subresource). */
  ignoreTop: string[];
}

/** Computes the object an apply produces; throws 409 on conflicts without force. */
export function applyConfig(a: ApplyInput): KObject {
  const cfg = clone(a.config);
  for (const k of a.ignoreTop) delete cfg[k];
  const applied = fieldSet(cfg, a.builtin);
  const all = owners(a.live);
  const mine = all.find((o) => sameOwner(o.entry, a.manager, 'Apply', a.subresource));
  const others = all.filter((o) => o !== mine);
  if (a.live) {
    const conflicts: { owner: Owner; path: string }[] = [];
    for (const o of others) {
      for (const p of applied) {
        if (!o.fields.has(p) || p.endsWith('"."]')) continue;
        const path = decodePath(p);
        if (!jsonEqual(valueAt(a.live, path), valueAt(cfg, path))) conflicts.push({ owner: o, path: p });
      }
    }
    if (conflicts.length > 0 && !a.force) throw conflictError(conflicts);
    for (const c of conflicts) c.owner.fields.delete(c.path);
  }
  let result: KObject = a.live ? clone(a.live) : { apiVersion: cfg.apiVersion, kind: cfg.kind, metadata: {} };
  for (const p of mine?.fields ?? []) {
    if (applied.has(p) || others.some((o) => o.fields.has(p))) continue;
    removeAt(result, decodePath(p));
  }
  result = mergeApplied(result, cfg, [], a.builtin) as KObject;
  const entry: ManagedFieldsEntry = { manager: a.manager, operation: 'Apply', apiVersion: String(cfg.apiVersion ?? ''), time: nowTimestamp(), fieldsType: 'FieldsV1', fieldsV1: {} };
  if (a.subresource) entry.subresource = a.subresource;
  const next: Owner[] = mine ? all.map((o) => (o === mine ? { entry, fields: applied } : o)) : [...all, { entry, fields: applied }];
  writeOwners(result, next);
  return result;
}

function conflictError(conflicts: { owner: Owner; path: string }[]): ApiError {
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) {
    const head = `"${c.owner.entry.manager}" using ${c.owner.entry.apiVersion}`;
    byManager.set(head, [...(byManager.get(head) ?? []), pathString(decodePath(c.path))]);
  }
  const parts = [...byManager].map(([head, paths]) =>
    paths.length === 1 ? `conflict with ${head}: ${paths[0]}` : `conflicts with ${head}:\n${paths.map((p) => `- ${p}`).join('\n')}`,
  );
  const n = conflicts.length;
  return new ApiError(409, 'Conflict', `Apply failed with ${n} conflict${n === 1 ? '' : 's'}: ${parts.join('\n')}`, {
    causes: conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with "${c.owner.entry.manager}" using ${c.owner.entry.apiVersion}`, field: pathString(decodePath(c.path)) })),
  });
}

/**
 * Records a non-apply write (create, update, patch) by `manager`: the fields it changed become its own
 * (operation Update) and leave other managers; removed fields leave everyone.
 */
export function trackUpdate(old: KObject | undefined, next: KObject, manager: string, builtin: boolean, subresource?: string): void {
  // Managed fields sent by the client are kept only if they are a valid list; kube resets invalid ones.
  const all = owners(Array.isArray(next.metadata?.managedFields) ? next : old);
  const before = old ? fieldSet(old, builtin) : new Set<string>();
  const after = fieldSet(next, builtin);
  const touched = new Set<string>();
  for (const p of after) {
    if (!before.has(p) || !jsonEqual(valueAt(old, decodePath(p)), valueAt(next, decodePath(p)))) touched.add(p);
  }
  for (const o of all) {
    for (const p of [...o.fields]) if (!after.has(p) || (touched.has(p) && !sameOwner(o.entry, manager, 'Update', subresource))) o.fields.delete(p);
  }
  if (touched.size > 0) {
    let mine = all.find((o) => sameOwner(o.entry, manager, 'Update', subresource));
    if (!mine) {
      const entry: ManagedFieldsEntry = { manager, operation: 'Update', apiVersion: String(next.apiVersion ?? ''), fieldsType: 'FieldsV1', fieldsV1: {} };
      if (subresource) entry.subresource = subresource;
      all.push((mine = { entry, fields: new Set() }));
    }
    for (const p of touched) mine.fields.add(p);
    mine.entry = { ...mine.entry, time: nowTimestamp() };
  }
  writeOwners(next, all);
}
