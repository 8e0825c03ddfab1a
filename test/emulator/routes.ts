// Parses a resource URL the way kube-apiserver's RequestInfo does:
// /api/v1[/watch][/namespaces/{ns}]/{resource}[/{name}[/{subresource}]] and the same under /apis/{group}/{version}.
import { resourceNotFound } from './errors.js';
import type { ResourceRegistry } from './resources.js';
import type { ApiResourceSpec } from './types.js';

export interface Route {
  spec: ApiResourceSpec;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** The legacy /watch/ prefix. */
  watchPrefix: boolean;
}

const namespaceSubresources = new Set(['status', 'finalize']);

/** Returns the route, undefined for a path outside /api and /apis, or throws 404 for unknown resources. */
export function parseRoute(path: string, registry: ResourceRegistry): Route | undefined {
  const segs = path.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  let group: string;
  let version: string;
  let rest: string[];
  if (segs[0] === 'api' && segs.length >= 3) {
    group = '';
    version = segs[1]!;
    rest = segs.slice(2);
  } else if (segs[0] === 'apis' && segs.length >= 4) {
    group = segs[1]!;
    version = segs[2]!;
    rest = segs.slice(3);
  } else return undefined;
  let watchPrefix = false;
  if (rest[0] === 'watch') {
    watchPrefix = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length > 2 && !namespaceSubresources.has(rest[2]!)) {
    namespace = rest[1]!;
    rest = rest.slice(2);
  }
  const [plural, name, subresource, ...extra] = rest;
  const spec = plural ? registry.byPlural(group, version, plural) : undefined;
  if (!spec || extra.length > 0) throw resourceNotFound();
  if (namespace !== undefined && !spec.namespaced) throw resourceNotFound();
  if (subresource !== undefined && !(spec.subresources ?? []).includes(subresource as 'status')) throw resourceNotFound();
  const route: Route = { spec, watchPrefix };
  if (namespace !== undefined) route.namespace = namespace;
  if (name !== undefined) route.name = name;
  if (subresource !== undefined) route.subresource = subresource;
  return route;
}
