/**
 * Field paths of API objects: which fields a write sets, what a live object holds there, and whether a live
 * value still is what the tools wrote (after the API server's defaulting). Lists are values, not trees:
 * an object's lists are replaced or restored whole, since item identity differs per list.
 */

export type Path = (string | number)[];

/** A field's value, or its absence, at a path. */
export interface FieldValue {
  path: Path;
  value?: unknown;
  absent?: true;
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Own-property read, so that user data named `constructor` or `__proto__` is only data. */
function child(v: unknown, key: string | number): unknown {
  if (typeof key === 'number') return Array.isArray(v) ? v[key] : undefined;
  return isMap(v) && Object.hasOwn(v, key) ? v[key] : undefined;
}

export function getAt(v: unknown, path: Path): unknown {
  let cur = v;
  for (const key of path) {
    cur = child(cur, key);
    if (cur === undefined) return undefined;
  }
  return cur;
}

export function hasAt(v: unknown, path: Path): boolean {
  return getAt(v, path) !== undefined;
}

/** Identity fields every write names rather than sets. */
const identity: Path[] = [['apiVersion'], ['kind'], ['metadata', 'name'], ['metadata', 'generateName'], ['metadata', 'namespace']];
const isIdentity = (p: Path): boolean => identity.some((i) => i.length === p.length && i.every((k, n) => k === p[n]));

/** The leaf paths an object sets (maps descended, lists and scalars are leaves), identity fields left out. */
export function leafValues(o: unknown, base: Path = []): FieldValue[] {
  const out: FieldValue[] = [];
  const walk = (v: unknown, path: Path): void => {
    if (isMap(v) && Object.keys(v).length > 0) {
      for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
    } else if (!isIdentity(path) && path.length > 0) out.push({ path, value: v });
  };
  walk(o, base);
  return out;
}

/**
 * What `live` holds at each path in `paths`: the value, or `absent` at the highest missing ancestor (so that
 * undo removes a whole subtree it added, not leaves beside empty maps). Duplicates are folded.
 */
export function priorValues(live: unknown, paths: Path[]): FieldValue[] {
  const out: FieldValue[] = [];
  const seen = new Set<string>();
  for (const path of paths) {
    let at: Path = path;
    for (let i = 1; i <= path.length; i++) {
      if (!hasAt(live, path.slice(0, i))) {
        at = path.slice(0, i);
        break;
      }
    }
    const key = JSON.stringify(at);
    if (seen.has(key)) continue;
    seen.add(key);
    const value = getAt(live, at);
    out.push(value === undefined ? { path: at, absent: true } : { path: at, value: structuredClone(value) });
  }
  // A recorded ancestor covers its descendants.
  return out.filter((f) => !out.some((g) => g !== f && g.path.length < f.path.length && g.path.every((k, i) => k === f.path[i])));
}

/**
 * Whether `live` still holds what was written: maps may carry more keys (the API server defaults fields,
 * controllers add annotations), lists must have the same length with each item covered in turn.
 */
export function covers(live: unknown, written: unknown): boolean {
  if (isMap(written)) {
    if (!isMap(live)) return false;
    return Object.entries(written).every(([k, v]) => covers(Object.hasOwn(live, k) ? live[k] : undefined, v));
  }
  if (Array.isArray(written)) {
    return Array.isArray(live) && live.length === written.length && written.every((w, i) => covers(live[i], w));
  }
  if (written === null) return live === null || live === undefined;
  return live === written || (typeof written === 'number' && typeof live === 'string' && String(written) === live);
}

/** RFC 6901 JSON pointer of a path. */
export function pointer(path: Path): string {
  return path.map((k) => `/${String(k).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/** A path from a JSON pointer ("/spec/x~1y/0" → ["spec", "x/y", 0]); numeric segments become indexes. */
export function fromPointer(p: string): Path {
  if (p === '') return [];
  return p
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

/**
 * The fields a JSON patch or merge patch touches, as the paths undo restores: a list index (or "-") stands
 * for its whole list, a `null` in a merge patch is a removal.
 */
export function patchPaths(patchType: 'json' | 'merge', patch: unknown): { paths: Path[]; set: FieldValue[] } {
  if (patchType === 'merge') {
    const set: FieldValue[] = [];
    const walk = (v: unknown, path: Path): void => {
      if (isMap(v) && Object.keys(v).length > 0) for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
      else if (path.length > 0) set.push(v === null ? { path, absent: true } : { path, value: v });
    };
    walk(patch, []);
    return { paths: set.map((s) => s.path), set };
  }
  const ops = Array.isArray(patch) ? (patch as { op?: string; path?: string; value?: unknown }[]) : [];
  const paths: Path[] = [];
  const set: FieldValue[] = [];
  for (const op of ops) {
    if (op.op === 'test' || typeof op.path !== 'string') continue;
    const full = fromPointer(op.path);
    const listAt = full.findIndex((k) => typeof k === 'number' || k === '-');
    if (listAt >= 0) {
      paths.push(full.slice(0, listAt));
      continue; // the list's new value is read back after the write
    }
    paths.push(full);
    set.push(op.op === 'remove' ? { path: full, absent: true } : { path: full, value: op.value });
  }
  return { paths, set };
}

/** Sets (or with `undefined`, removes) a value at a path in a copy of `o`, creating maps on the way. */
export function withValueAt<T>(o: T, path: Path, value: unknown): T {
  const copy = structuredClone(o) as unknown;
  if (path.length === 0) return value as T;
  let cur = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) {
    const next = (cur as Record<string | number, unknown>)[key];
    if (next === null || typeof next !== 'object') (cur as Record<string | number, unknown>)[key] = {};
    cur = (cur as Record<string | number, unknown>)[key] as Record<string | number, unknown>;
  }
  const last = path[path.length - 1]!;
  if (value === undefined) {
    if (Array.isArray(cur) && typeof last === 'number') cur.splice(last, 1);
    else delete cur[last];
  } else cur[last] = value;
  return copy as T;
}

/** What the tools compare and store of an object: no status, no server-kept metadata. */
export function stripServerFields<T extends Record<string, unknown>>(o: T): T {
  const { status: _status, ...rest } = o as Record<string, unknown>;
  const meta = { ...((o['metadata'] as Record<string, unknown> | undefined) ?? {}) };
  for (const k of ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds'] as const) delete meta[k];
  return { ...rest, metadata: meta } as unknown as T;
}
