// `emulator.store`: direct access for seeding and mutating test state. No admission, no
// authorization, no status-subresource rules; writes still bump resourceVersion and reach watches.
import { mergePatch } from './patch.js';
import { clone, isPlainObject, prepareCreate, specChanged } from './objectMeta.js';
import { apiVersionOf, tableKey, type ResourceRegistry } from './resources.js';
import type { ObjectStore } from './store.js';
import type { ApiResourceSpec, EmulatorStore, KObject } from './types.js';

export class DirectStore implements EmulatorStore {
  constructor(
    private readonly store: ObjectStore,
    private readonly registry: ResourceRegistry,
  ) {}

  private spec(apiVersion: unknown, kind: unknown): ApiResourceSpec {
    const s = typeof apiVersion === 'string' && typeof kind === 'string' ? this.registry.byKind(apiVersion, kind) : undefined;
    if (!s) throw new Error(`the emulator does not serve ${String(apiVersion)} ${String(kind)}`);
    return s;
  }

  private out(spec: ApiResourceSpec, o: KObject): object {
    return { ...clone(o), apiVersion: apiVersionOf(spec.group, spec.version), kind: spec.kind };
  }

  private normalise(obj: object): { spec: ApiResourceSpec; o: KObject } {
    if (!isPlainObject(obj)) throw new Error('store: expected an object');
    const o = clone(obj) as KObject;
    const spec = this.spec(o.apiVersion, o.kind);
    const meta = (o.metadata ??= {});
    if (!meta.name) throw new Error(`store: ${spec.kind} without metadata.name`);
    if (spec.namespaced) meta.namespace ??= 'default';
    else delete meta.namespace;
    return { spec, o };
  }

  /** A namespaced object's namespace is created when missing, so seeding needs no Namespace objects. */
  private ensureNamespace(spec: ApiResourceSpec, ns: string | undefined): void {
    if (!spec.namespaced || !ns || this.store.get('/namespaces', undefined, ns)) return;
    const nsObj: KObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } };
    prepareCreate(this.spec('v1', 'Namespace'), nsObj);
    this.store.put('/namespaces', nsObj);
  }

  create(obj: object): object {
    const { spec, o } = this.normalise(obj);
    const t = tableKey(spec);
    if (this.store.get(t, o.metadata!.namespace, o.metadata!.name!)) throw new Error(`store: ${spec.plural} "${o.metadata!.name}" already exists`);
    this.ensureNamespace(spec, o.metadata!.namespace);
    // Keep what the caller set for status and (for namespaces) spec; fill the server's fields.
    const status = o['status'];
    const name = o.metadata!.name!;
    prepareCreate(spec, o);
    if (status !== undefined) o['status'] = status;
    o.metadata!.name = name;
    return this.out(spec, this.store.put(t, o));
  }

  update(obj: object): object {
    const { spec, o } = this.normalise(obj);
    const t = tableKey(spec);
    const old = this.store.get(t, o.metadata!.namespace, o.metadata!.name!);
    if (!old) throw new Error(`store: ${spec.plural} "${o.metadata!.name}" not found`);
    const m = o.metadata!;
    m.uid = old.metadata!.uid;
    m.creationTimestamp = old.metadata!.creationTimestamp;
    if (old.metadata!.generation !== undefined) m.generation = old.metadata!.generation + (specChanged(o, old) ? 1 : 0);
    if (old.metadata!.deletionTimestamp) m.deletionTimestamp ??= old.metadata!.deletionTimestamp;
    if (m.deletionTimestamp && (m.finalizers ?? []).length === 0) {
      return this.out(spec, this.store.remove(t, m.namespace, m.name!, o)!);
    }
    return this.out(spec, this.store.put(t, o));
  }

  upsert(obj: object): object {
    const { spec, o } = this.normalise(obj);
    return this.store.get(tableKey(spec), o.metadata!.namespace, o.metadata!.name!) ? this.update(obj) : this.create(obj);
  }

  patchStatus(apiVersion: string, kind: string, namespace: string | undefined, name: string, status: object): object {
    const spec = this.spec(apiVersion, kind);
    const t = tableKey(spec);
    const old = this.store.get(t, spec.namespaced ? (namespace ?? 'default') : undefined, name);
    if (!old) throw new Error(`store: ${spec.plural} "${name}" not found`);
    const next = clone(old);
    next['status'] = mergePatch(old['status'], status);
    return this.out(spec, this.store.put(t, next));
  }

  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): object | undefined {
    const spec = this.spec(apiVersion, kind);
    const o = this.store.get(tableKey(spec), spec.namespaced ? (namespace ?? 'default') : undefined, name);
    return o ? this.out(spec, o) : undefined;
  }

  list(apiVersion: string, kind: string, namespace?: string): object[] {
    const spec = this.spec(apiVersion, kind);
    return this.store.list(tableKey(spec), spec.namespaced ? namespace : undefined).map((o) => this.out(spec, o));
  }

  /** Removes the object at once, finalizers or not. */
  delete(apiVersion: string, kind: string, namespace: string | undefined, name: string): boolean {
    const spec = this.spec(apiVersion, kind);
    return this.store.remove(tableKey(spec), spec.namespaced ? (namespace ?? 'default') : undefined, name) !== undefined;
  }
}

