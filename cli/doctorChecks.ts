/**
 * `kvstorage doctor`'s checks as the CLI needs them: each check's rule and the cluster caches it cannot do
 * without, and the caches the checks also read when present. Derived from the checks' declarations
 * (core/doctor, `kinds` and `alsoReads`) through the kinds registry: a check is declared in one place.
 */
import type { StorageCacheName } from '../cluster/storageCaches.js';
import { doctorChecks } from '../core/doctor/index.js';
import { kindNamed, type KindName } from '../core/kinds/index.js';

/** A kind's cache: every kind a check names must be watched (a check naming another is a bug). */
function cacheOf(kind: KindName): StorageCacheName {
  const watch = kindNamed(kind)?.watch;
  if (watch === undefined) throw new Error(`a doctor check reads ${kind}, which no cache watches (core/kinds/registry.ts)`);
  return watch as StorageCacheName;
}

export const checks: readonly { rule: string; needs: readonly StorageCacheName[] }[] = doctorChecks.map((c) => ({ rule: c.id, needs: c.kinds.map(cacheOf) }));

/** What the checks also read when the cluster has it (CDI's render: the class, its profile, the overhead, the version). */
export const alsoRead: readonly StorageCacheName[] = [...new Set(doctorChecks.flatMap((c) => c.alsoReads.map(cacheOf)))];

export function skippedBy(missing: readonly StorageCacheName[], among: typeof checks = checks): string[] {
  return among.filter((c) => c.needs.some((n) => missing.includes(n))).map((c) => c.rule);
}
