// The API resources the emulator serves: the defaults of the brief, extra ones from options, and a
// registry to look them up by URL segment (plural) or by apiVersion + kind.
import type { ApiResourceSpec } from './types.js';

const S: 'status'[] = ['status'];

function r(group: string, version: string, kind: string, plural: string, namespaced: boolean, shortNames?: string[], status = true): ApiResourceSpec {
  const spec: ApiResourceSpec = { group, version, kind, plural, singular: kind.toLowerCase(), namespaced };
  if (shortNames) spec.shortNames = shortNames;
  if (status) spec.subresources = S;
  return spec;
}

/** The default resources (status subresources where upstream has one). */
export const defaultResources: ApiResourceSpec[] = [
  r('', 'v1', 'Namespace', 'namespaces', false, ['ns']),
  r('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true, ['pvc']),
  r('', 'v1', 'PersistentVolume', 'persistentvolumes', false, ['pv']),
  r('', 'v1', 'ConfigMap', 'configmaps', true, ['cm'], false),
  r('', 'v1', 'Secret', 'secrets', true, undefined, false),
  r('', 'v1', 'Service', 'services', true, ['svc']),
  r('', 'v1', 'ServiceAccount', 'serviceaccounts', true, ['sa'], false),
  r('', 'v1', 'Pod', 'pods', true, ['po']),
  r('', 'v1', 'Node', 'nodes', false, ['no']),
  r('', 'v1', 'Event', 'events', true, ['ev'], false),
  r('apps', 'v1', 'Deployment', 'deployments', true, ['deploy']),
  r('apps', 'v1', 'StatefulSet', 'statefulsets', true, ['sts']),
  r('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true, ['pdb']),
  r('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', true, ['netpol'], false),
  r('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices', true, undefined, false),
  r('rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', false, undefined, false),
  r('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'clusterrolebindings', false, undefined, false),
  r('rbac.authorization.k8s.io', 'v1', 'Role', 'roles', true, undefined, false),
  r('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings', true, undefined, false),
  r('admissionregistration.k8s.io', 'v1', 'MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', false, undefined, false),
  r('admissionregistration.k8s.io', 'v1', 'ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', false, undefined, false),
  r('storage.k8s.io', 'v1', 'StorageClass', 'storageclasses', false, ['sc'], false),
  r('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', false, ['crd', 'crds']),
  r('snapshot.storage.k8s.io', 'v1', 'VolumeSnapshot', 'volumesnapshots', true, ['vs']),
  r('snapshot.storage.k8s.io', 'v1', 'VolumeSnapshotContent', 'volumesnapshotcontents', false, ['vsc', 'vscs']),
  r('snapshot.storage.k8s.io', 'v1', 'VolumeSnapshotClass', 'volumesnapshotclasses', false, ['vsclass', 'vsclasses'], false),
  r('cdi.kubevirt.io', 'v1beta1', 'StorageProfile', 'storageprofiles', false),
  r('cdi.kubevirt.io', 'v1beta1', 'CDIConfig', 'cdiconfigs', false),
  r('cdi.kubevirt.io', 'v1beta1', 'CDI', 'cdis', false, ['cdi', 'cdis']),
  r('cdi.kubevirt.io', 'v1beta1', 'DataVolume', 'datavolumes', true, ['dv', 'dvs']),
  r('cdi.kubevirt.io', 'v1beta1', 'VolumeImportSource', 'volumeimportsources', true, undefined, false),
  r('cdi.kubevirt.io', 'v1beta1', 'VolumeCloneSource', 'volumeclonesources', true, undefined, false),
  r('cdi.kubevirt.io', 'v1beta1', 'VolumeUploadSource', 'volumeuploadsources', true, undefined, false),
  r('kubevirt.io', 'v1', 'VirtualMachine', 'virtualmachines', true, ['vm', 'vms']),
  r('kubevirt.io', 'v1', 'VirtualMachineInstance', 'virtualmachineinstances', true, ['vmi', 'vmis']),
  r('kubevirt.io', 'v1', 'KubeVirt', 'kubevirts', true, ['kv', 'kvs']),
  r('snapshot.kubevirt.io', 'v1beta1', 'VirtualMachineSnapshot', 'virtualmachinesnapshots', true, ['vmsnapshot', 'vmsnapshots']),
  r('snapshot.kubevirt.io', 'v1beta1', 'VirtualMachineSnapshotContent', 'virtualmachinesnapshotcontents', true, ['vmsnapshotcontent', 'vmsnapshotcontents']),
  r('snapshot.kubevirt.io', 'v1beta1', 'VirtualMachineRestore', 'virtualmachinerestores', true, ['vmrestore', 'vmrestores']),
  r('hco.kubevirt.io', 'v1beta1', 'HyperConverged', 'hyperconvergeds', true, ['hco', 'hcos']),
  r('hco.kubevirt.io', 'v1', 'HyperConverged', 'hyperconvergeds', true, ['hco', 'hcos']),
  r('storage.maurice.fr', 'v1alpha1', 'VolumeResize', 'volumeresizes', true),
  r('cert-manager.io', 'v1', 'Issuer', 'issuers', true),
  r('cert-manager.io', 'v1', 'Certificate', 'certificates', true, ['cert', 'certs']),
];

/** Groups kube-apiserver serves itself; everything else behaves as a custom resource (CRD semantics). */
export const builtinGroups = new Set(['', 'apps', 'policy', 'rbac.authorization.k8s.io', 'admissionregistration.k8s.io', 'storage.k8s.io', 'apiextensions.k8s.io', 'networking.k8s.io', 'discovery.k8s.io']);

export function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** Kube's version priority: GA before beta before alpha, higher numbers first, then others alphabetically. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string): [number, number, number] | undefined => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return undefined;
    return [m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0, Number(m[1]), Number(m[3] ?? 0)];
  };
  const pa = parse(a);
  const pb = parse(b);
  if (pa && pb) return pb[0] - pa[0] || pb[1] - pa[1] || pb[2] - pa[2];
  if (pa) return -1;
  if (pb) return 1;
  return a.localeCompare(b);
}

/** The resources served; objects are stored per group + plural, so all versions of a resource share them. */
export class ResourceRegistry {
  private readonly specs: ApiResourceSpec[] = [];

  constructor(specs: ApiResourceSpec[]) {
    for (const s of specs) this.add(s);
  }

  add(spec: ApiResourceSpec): void {
    const i = this.specs.findIndex((s) => s.group === spec.group && s.version === spec.version && s.plural === spec.plural);
    const full = { ...spec, singular: spec.singular ?? spec.kind.toLowerCase() };
    if (i >= 0) this.specs[i] = full;
    else this.specs.push(full);
  }

  remove(group: string, version: string, plural: string): void {
    const i = this.specs.findIndex((s) => s.group === group && s.version === version && s.plural === plural);
    if (i >= 0) this.specs.splice(i, 1);
  }

  all(): readonly ApiResourceSpec[] {
    return this.specs;
  }

  byPlural(group: string, version: string, plural: string): ApiResourceSpec | undefined {
    return this.specs.find((s) => s.group === group && s.version === version && s.plural === plural);
  }

  byKind(apiVersion: string, kind: string): ApiResourceSpec | undefined {
    const { group, version } = splitApiVersion(apiVersion);
    return this.specs.find((s) => s.group === group && s.version === version && s.kind === kind);
  }

  /** Every served version of a group/resource, best first. */
  versionsOf(group: string, plural: string): ApiResourceSpec[] {
    return this.specs.filter((s) => s.group === group && s.plural === plural).sort((a, b) => compareVersions(a.version, b.version));
  }

  /** Groups in first-seen order with their versions, preferred (kube priority) first. */
  groups(): { name: string; versions: string[] }[] {
    const out = new Map<string, Set<string>>();
    for (const s of this.specs) {
      if (!out.has(s.group)) out.set(s.group, new Set());
      out.get(s.group)!.add(s.version);
    }
    return [...out].map(([name, v]) => ({ name, versions: [...v].sort(compareVersions) }));
  }
}

/** Key of a resource's object table: objects of all versions of a resource live together. */
export function tableKey(spec: { group: string; plural: string }): string {
  return `${spec.group}/${spec.plural}`;
}

export function hasStatus(spec: ApiResourceSpec): boolean {
  return spec.subresources?.includes('status') ?? false;
}
