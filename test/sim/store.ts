// What the simulated controllers read and write: the emulator's store, with writes that change nothing left
// out (a direct store write always emits a watch event, and a controller that rewrote an unchanged object every
// tick would flood every watch).
import type { EmulatorStore } from '../emulator/types.js';

/** A Kubernetes object as the simulations handle it. */
export interface Obj {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    finalizers?: string[];
    deletionTimestamp?: string;
    creationTimestamp?: string;
    ownerReferences?: unknown[];
    [k: string]: unknown;
  };
  spec?: Record<string, any>;
  status?: Record<string, any>;
  data?: Record<string, string>;
  [k: string]: unknown;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export class SimStore {
  constructor(readonly raw: EmulatorStore) {}

  get(apiVersion: string, kind: string, ns: string | undefined, name: string): Obj | undefined {
    return this.raw.get(apiVersion, kind, ns, name) as Obj | undefined;
  }

  list(apiVersion: string, kind: string, ns?: string): Obj[] {
    return this.raw.list(apiVersion, kind, ns) as Obj[];
  }

  create(o: Obj): Obj {
    return this.raw.create(o) as Obj;
  }

  /** Replaces the object (status included) when `change` altered it; returns the stored object. */
  edit(apiVersion: string, kind: string, ns: string | undefined, name: string, change: (o: Obj) => void): Obj | undefined {
    const o = this.get(apiVersion, kind, ns, name);
    if (!o) return undefined;
    const next = structuredClone(o);
    change(next);
    if (same(next, o)) return o;
    return this.raw.update(next) as Obj;
  }

  delete(apiVersion: string, kind: string, ns: string | undefined, name: string): boolean {
    return this.raw.delete(apiVersion, kind, ns, name);
  }
}
