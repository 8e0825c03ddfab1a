/**
 * Own-property access to plain objects keyed by input (labels, annotations, per-class overheads, group names):
 * `o[key]` on a `{}` reads `Object.prototype` for `constructor` or `toString`, and `o['__proto__'] = v` replaces
 * the prototype instead of storing an entry. `npm run check:sources` reports the unguarded forms in the product.
 */

/** `o[key]` if `o` holds it itself; undefined for absent keys and inherited properties. */
export function ownValue<T>(o: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return o !== undefined && Object.hasOwn(o, key) ? o[key] : undefined;
}

/** Sets `out[key]`, a `__proto__` key included as an ordinary property. */
export function putOwn<T>(out: Record<string, T>, key: string, value: NoInfer<T>): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

/** Copies `source`'s own entries onto `target` (Object.assign, but a `__proto__` entry stays an entry). */
export function assignOwn<T>(target: Record<string, T>, source: Readonly<Record<string, T>> | undefined): Record<string, T> {
  for (const [k, v] of Object.entries(source ?? {})) putOwn(target, k, v);
  return target;
}
