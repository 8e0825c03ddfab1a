// A minimal Reflect metadata polyfill. @peculiar/x509 loads tsyringe, which refuses to start without
// one, and the project installs neither reflect-metadata nor @abraham/reflection. Import this module
// before '@peculiar/x509'. It implements only what tsyringe calls: define/get(Own)Metadata, metadata.
type Target = object;
const store = new WeakMap<Target, Map<string | symbol, Map<unknown, unknown>>>();

function table(target: Target, property: string | symbol | undefined, create: boolean): Map<unknown, unknown> | undefined {
  let byProp = store.get(target);
  if (!byProp && create) store.set(target, (byProp = new Map()));
  const key = property ?? '';
  let t = byProp?.get(key);
  if (!t && create && byProp) byProp.set(key, (t = new Map()));
  return t;
}

const api = {
  defineMetadata(key: unknown, value: unknown, target: Target, property?: string | symbol): void {
    table(target, property, true)!.set(key, value);
  },
  getOwnMetadata(key: unknown, target: Target, property?: string | symbol): unknown {
    return table(target, property, false)?.get(key);
  },
  getMetadata(key: unknown, target: Target, property?: string | symbol): unknown {
    for (let t: Target | null = target; t; t = Object.getPrototypeOf(t) as Target | null) {
      const m = table(t, property, false);
      if (m?.has(key)) return m.get(key);
    }
    return undefined;
  },
  metadata(key: unknown, value: unknown) {
    return (target: Target, property?: string | symbol): void => api.defineMetadata(key, value, target, property);
  },
};

const R = Reflect as unknown as Record<string, unknown>;
if (typeof R['getMetadata'] !== 'function') Object.assign(R, api);

export {};
