/**
 * What the cluster serves. A group that is not installed (no CDI, no snapshot CRDs) is a state,
 * `{ served: false }`, found with one request to /apis, not an error per resource.
 */
import { fail, ok, parseJson, type Result } from './errors.js';
import { builtinGroups, knownGroups as registryKnownGroups } from '../core/kinds/index.js';
import type { Requester } from './list.js';
import { groupVersion, groupVersionPath, splitApiVersion, type ApiResource } from './paths.js';

/** The API groups the tools look for: the registry's groups that not every cluster serves (core/kinds). */
export const knownGroups: readonly string[] = registryKnownGroups;

export type KnownGroup = string;

export interface GroupState {
  served: boolean;
  /** The server's preferred version, when served. */
  preferredVersion?: string;
  /** Every served version, when served. */
  versions: string[];
}

export interface Discovery {
  /** Each known group (served or not) and every other group the server lists. */
  readonly groups: Readonly<Record<string, GroupState>>;
  served(group: string, version?: string): boolean;
  /**
   * The resource at the first of `spec.versions` the server serves, or undefined when none serves it.
   * The core group ('') and the built-in groups are taken as served.
   */
  find(spec: ResourceSpec): ApiResource | undefined;
}

/** A resource the tools want, with the versions they understand, preferred first. */
export interface ResourceSpec {
  group: string;
  versions: readonly string[];
  plural: string;
  kind: string;
  namespaced: boolean;
}

interface ApiResourceJson {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs?: string[];
}

/** Resource lists per group version, per connection (discovery is static for the life of a connection). */
const resourceLists = new WeakMap<Requester, Map<string, Promise<Result<ApiResourceJson[]>>>>();

/** The resources of one group version (`/apis/g/v`), subresources left out. Memoised per connection; failures are not. */
export function resourceList(conn: Requester, group: string, version: string): Promise<Result<ApiResourceJson[]>> {
  let byGv = resourceLists.get(conn);
  if (!byGv) resourceLists.set(conn, (byGv = new Map()));
  const gv = groupVersion({ group, version });
  const cached = byGv.get(gv);
  if (cached) return cached;
  const p = (async (): Promise<Result<ApiResourceJson[]>> => {
    const res = await conn.request({ method: 'GET', path: groupVersionPath({ group, version }), what: `discover the resources of ${gv}` });
    if (!res.ok) return res;
    const body = parseJson<{ resources?: ApiResourceJson[] }>(res.value.text, `discover ${gv}`);
    if (!body.ok) return body;
    return ok((body.value.resources ?? []).filter((r) => !r.name.includes('/')));
  })();
  byGv.set(gv, p);
  void p.then((r) => {
    if (!r.ok) byGv.delete(gv);
  });
  return p;
}

/** The served resource for an apiVersion and kind: what apply, get and list need to build a path. */
export async function resourceFor(conn: Requester, apiVersion: string, kind: string): Promise<Result<ApiResource>> {
  const { group, version } = splitApiVersion(apiVersion);
  const list = await resourceList(conn, group, version);
  if (!list.ok) {
    if (list.error.kind === 'not-found') return fail('not-found', `the server does not serve ${apiVersion} (is the CRD for ${kind} installed?)`, { status: 404 });
    return list;
  }
  const r = list.value.find((x) => x.kind === kind);
  if (!r) return fail('not-found', `the server serves ${apiVersion} but not kind ${kind}`, { status: 404 });
  return ok({ group, version, plural: r.name, namespaced: r.namespaced, kind });
}

/** Built-in groups every conformant cluster serves; their resource lists are not fetched. */
const builtin = builtinGroups;

interface ApiGroupJson {
  name: string;
  versions?: { groupVersion: string; version: string }[];
  preferredVersion?: { version: string };
}

/**
 * One request to /apis, then the resource lists of the served versions of the `groups` asked for (the
 * known groups by default), in parallel. A resource list that cannot be read leaves that version's
 * resources assumed served.
 */
export async function discover(conn: Requester, groups: readonly string[] = knownGroups): Promise<Result<Discovery>> {
  const res = await conn.request({ method: 'GET', path: '/apis', what: 'discover the API groups' });
  if (!res.ok) return res;
  const body = parseJson<{ groups?: ApiGroupJson[] }>(res.value.text, 'discover the API groups');
  if (!body.ok) return body;
  // Keyed by group names the server sends: a Map, so a group named `constructor` is just a group.
  const states = new Map<string, GroupState>();
  for (const g of groups) states.set(g, { served: false, versions: [] });
  for (const g of body.value.groups ?? []) {
    states.set(g.name, { served: true, preferredVersion: g.preferredVersion?.version, versions: (g.versions ?? []).map((v) => v.version) });
  }
  const lists = new Map<string, ApiResourceJson[] | undefined>();
  await Promise.all(
    groups.flatMap((g) =>
      (states.get(g)?.versions ?? []).map(async (v) => {
        const l = await resourceList(conn, g, v);
        lists.set(`${g}/${v}`, l.ok ? l.value : undefined);
      }),
    ),
  );
  const served = (group: string, version?: string): boolean => {
    if (builtin.has(group)) return true;
    const s = states.get(group);
    return !!s?.served && (version === undefined || s.versions.includes(version));
  };
  return ok({
    // Object.fromEntries defines own properties: a `__proto__` group stays a group.
    groups: Object.fromEntries(states),
    served,
    find({ group, versions, plural, kind, namespaced }) {
      for (const version of versions) {
        if (!served(group, version)) continue;
        const list = lists.get(`${group}/${version}`);
        if (builtin.has(group) || list === undefined) return { group, version, plural, namespaced, kind };
        const r = list.find((x) => x.name === plural);
        if (r) return { group, version, plural, namespaced: r.namespaced, kind: r.kind };
      }
      return undefined;
    },
  });
}

/**
 * A discovery that asks nothing: every resource is taken as served at the first of its versions (a cache of a
 * resource that is not served then finds out from its own list, and turns `not-served`). For a client that may
 * read only its own resources, as the webhook's service account.
 */
export function assumedDiscovery(): Discovery {
  return {
    groups: {},
    served: () => true,
    find: ({ group, versions, plural, kind, namespaced }) => (versions[0] === undefined ? undefined : { group, version: versions[0], plural, namespaced, kind }),
  };
}
