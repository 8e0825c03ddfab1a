// The object store: tables per group/resource, one global resourceVersion counter (like etcd's
// revision), and a bounded history of events that watches resume from.
import type { KObject } from './types.js';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  rv: number;
  type: EventType;
  table: string;
  obj: KObject;
  /** The previous state (MODIFIED, DELETED), so watches can turn "left the selector" into DELETED. */
  old?: KObject;
}

export type Listener = (e: StoreEvent) => void;

const keyOf = (ns: string | undefined, name: string): string => `${ns ?? ''}/${name}`;

/**
 * Objects here are never mutated in place: a write stores a new object. Callers that hand objects out
 * clone them (or serialise them) first.
 */
export class ObjectStore {
  private rv = 0;
  private readonly tables = new Map<string, Map<string, KObject>>();
  private readonly sortedKeys = new Map<string, string[]>();
  private history: StoreEvent[] = [];
  /** Watches and continue tokens from a resourceVersion below this are answered with 410. */
  private floor = 0;
  private readonly listeners = new Set<Listener>();

  constructor(private readonly maxHistory: number) {}

  currentRv(): number {
    return this.rv;
  }

  oldestValidRv(): number {
    return this.floor;
  }

  get(table: string, ns: string | undefined, name: string): KObject | undefined {
    return this.tables.get(table)?.get(keyOf(ns, name));
  }

  /** Objects of a table in key order (namespace, then name), as etcd returns them. */
  list(table: string, ns?: string): KObject[] {
    const v = this.view(table, ns);
    const out: KObject[] = [];
    for (let i = 0; i < v.size; i++) out.push(v.at(i));
    return out;
  }

  /**
   * A window on a table in key order: only `ns` (when given), only keys after `after` (a continue
   * position). Binary search keeps paging through large tables cheap.
   */
  view(table: string, ns?: string, after?: string): { size: number; at(i: number): KObject } {
    const t = this.tables.get(table);
    if (!t) return { size: 0, at: () => undefined as never };
    let keys = this.sortedKeys.get(table);
    if (!keys) {
      keys = [...t.keys()].sort();
      this.sortedKeys.set(table, keys);
    }
    const k = keys;
    const firstAbove = (key: string, inclusive: boolean): number => {
      let lo = 0;
      let hi = k.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (inclusive ? k[mid]! < key : k[mid]! <= key) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    // Names cannot contain '/', so a namespace's keys lie between "ns/" and "ns0".
    let from = ns === undefined ? 0 : firstAbove(`${ns}/`, true);
    const to = ns === undefined ? k.length : firstAbove(`${ns}0`, true);
    if (after !== undefined) from = Math.max(from, firstAbove(after, false));
    return { size: Math.max(0, to - from), at: (i) => t.get(k[from + i]!)! };
  }

  /** Stores `obj` (a fresh object owned by the store from now on), giving it the next resourceVersion. */
  put(table: string, obj: KObject): KObject {
    const meta = obj.metadata!;
    let t = this.tables.get(table);
    if (!t) this.tables.set(table, (t = new Map()));
    const key = keyOf(meta.namespace, meta.name!);
    const old = t.get(key);
    meta.resourceVersion = String(++this.rv);
    t.set(key, obj);
    if (!old) this.sortedKeys.delete(table);
    this.emit(old ? { rv: this.rv, type: 'MODIFIED', table, obj, old } : { rv: this.rv, type: 'ADDED', table, obj });
    return obj;
  }

  /**
   * Removes an object; the DELETED event carries it (or `final`, its last state when a write removed
   * the last finalizer) with the deletion's resourceVersion, as kube does.
   */
  remove(table: string, ns: string | undefined, name: string, final?: KObject): KObject | undefined {
    const t = this.tables.get(table);
    const key = keyOf(ns, name);
    const old = t?.get(key);
    if (!t || !old) return undefined;
    t.delete(key);
    this.sortedKeys.delete(table);
    const last = final ?? old;
    const gone: KObject = { ...last, metadata: { ...last.metadata, resourceVersion: String(++this.rv) } };
    this.emit({ rv: this.rv, type: 'DELETED', table, obj: gone, old });
    return gone;
  }

  /** Events after `rv` for a table, or undefined when `rv` is older than the history kept. */
  since(table: string, rv: number): StoreEvent[] | undefined {
    if (rv < this.floor) return undefined;
    const out: StoreEvent[] = [];
    // History is in rv order: binary search for the first event after rv.
    let lo = 0;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.history[mid]!.rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.history.length; i++) if (this.history[i]!.table === table) out.push(this.history[i]!);
    return out;
  }

  /** Compaction: every resourceVersion issued so far becomes too old. Bumps the counter so fresh lists are valid. */
  expire(): void {
    this.rv++;
    this.floor = this.rv;
    this.history = [];
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private emit(e: StoreEvent): void {
    this.history.push(e);
    if (this.history.length > this.maxHistory + Math.ceil(this.maxHistory / 10)) {
      const drop = this.history.length - this.maxHistory;
      this.floor = this.history[drop - 1]!.rv;
      this.history = this.history.slice(drop);
    }
    for (const l of [...this.listeners]) l(e);
  }
}
