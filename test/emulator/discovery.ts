// Discovery documents (legacy, unaggregated JSON) built from the registry: /version, /api, /api/v1,
// /apis, /apis/<group>, /apis/<group>/<version>.
import { resourceNotFound } from './errors.js';
import { apiVersionOf, type ResourceRegistry } from './resources.js';

const verbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
}

function resourceList(reg: ResourceRegistry, group: string, version: string): object {
  const resources: object[] = [];
  for (const s of reg.all()) {
    if (s.group !== group || s.version !== version) continue;
    const r: Record<string, unknown> = { name: s.plural, singularName: s.singular ?? s.kind.toLowerCase(), namespaced: s.namespaced, kind: s.kind, verbs };
    if (s.shortNames?.length) r['shortNames'] = s.shortNames;
    resources.push(r);
    for (const sub of s.subresources ?? []) {
      resources.push({ name: `${s.plural}/${sub}`, singularName: '', namespaced: s.namespaced, kind: s.kind, verbs: ['get', 'patch', 'update'] });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf(group, version), resources };
}

function apiGroup(name: string, versions: string[]): object {
  const vs = versions.map((v) => ({ groupVersion: apiVersionOf(name, v), version: v }));
  return { name, versions: vs, preferredVersion: vs[0] };
}

/** Answers a discovery path, or undefined when `path` is not a discovery document. Throws 404 for unknown groups. */
export function discovery(path: string, reg: ResourceRegistry, version: VersionInfo, serverAddress: string): object | undefined {
  const p = path.replace(/\/+$/, '') || '/';
  if (p === '/version') {
    return {
      ...version,
      gitCommit: '0000000000000000000000000000000000000000',
      gitTreeState: 'clean',
      buildDate: '2025-01-01T00:00:00Z',
      goVersion: 'go1.23.0',
      compiler: 'gc',
      platform: 'linux/amd64',
    };
  }
  if (p === '/api') {
    return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
  }
  const groups = reg.groups();
  if (p === '/apis') {
    return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.filter((g) => g.name !== '').map((g) => apiGroup(g.name, g.versions)) };
  }
  let m = /^\/api\/([^/]+)$/.exec(p);
  if (m) {
    if (!groups.some((g) => g.name === '' && g.versions.includes(m![1]!))) throw resourceNotFound();
    return resourceList(reg, '', m[1]!);
  }
  m = /^\/apis\/([^/]+)$/.exec(p);
  if (m) {
    const g = groups.find((x) => x.name === m![1] && x.name !== '');
    if (!g) throw resourceNotFound();
    return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g.name, g.versions) };
  }
  m = /^\/apis\/([^/]+)\/([^/]+)$/.exec(p);
  if (m) {
    if (!groups.some((g) => g.name === m![1] && g.name !== '' && g.versions.includes(m![2]!))) throw resourceNotFound();
    return resourceList(reg, m[1]!, m[2]!);
  }
  return undefined;
}

export function isDiscoveryPath(path: string): boolean {
  return /^\/(version|api|apis|api\/[^/]+|apis\/[^/]+|apis\/[^/]+\/[^/]+|healthz|livez|readyz|openapi\/.*)\/?$/.test(path);
}
