/**
 * The explorer's Virtual Machines and Data Volumes: per namespace, each VM with its disks (a dataVolumeTemplate,
 * a DataVolume or a PVC, with the size it asks for) and each DataVolume with its size, phase and source. The
 * figure comes first in every description, so that a narrow side bar still shows it.
 */
import type { ApiResource, KubeObject } from '../cluster/paths.js';
import { jsonField as field } from '../core/kinds/index.js';
import type { ExplorerModel } from './explorerModel.js';
import { apiVersionOf, childId, namespaceNode } from './explorerNodes.js';
import type { ExplorerNode, ExplorerNodeId } from '../protocol/explorer.js';

export const workloadFolderIds = { virtualMachines: 'virtualMachines', dataVolumes: 'dataVolumes' } as const;

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

function items(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function plural(n: number, one: string): string {
  return `${n.toLocaleString('en-US')} ${one}${n === 1 ? '' : 's'}`;
}

/** The size a DataVolume spec asks for: `storage` first, then `pvc`. */
function dvSize(spec: unknown): string | undefined {
  return str(field(spec, 'storage', 'resources', 'requests', 'storage')) ?? str(field(spec, 'pvc', 'resources', 'requests', 'storage'));
}

/** Where a DataVolume spec's data comes from: `snapshot vms/x`, `pvc vms/y`, `DataSource golden/fedora`, `registry`. */
function dvSource(spec: unknown, namespace: string): string | undefined {
  const ref = field(spec, 'sourceRef');
  if (ref) return `${str(field(ref, 'kind')) ?? 'DataSource'} ${str(field(ref, 'namespace')) ?? namespace}/${str(field(ref, 'name')) ?? '?'}`;
  const source = field(spec, 'source');
  if (source === null || typeof source !== 'object') return undefined;
  const kind = Object.keys(source)[0];
  if (kind === 'snapshot' || kind === 'pvc') return `${kind} ${str(field(source, kind, 'namespace')) ?? namespace}/${str(field(source, kind, 'name')) ?? '?'}`;
  return kind;
}

function vmStatus(o: KubeObject): string | undefined {
  return str(field(o, 'status', 'printableStatus')) ?? str(field(o, 'spec', 'runStrategy')) ?? (field(o, 'spec', 'running') === true ? 'running' : undefined);
}

export function vmNode(o: KubeObject, resource: ApiResource): ExplorerNode | undefined {
  const name = o.metadata?.name;
  if (!name) return undefined;
  const namespace = o.metadata?.namespace ?? '';
  const disks = items(field(o, 'spec', 'template', 'spec', 'volumes')).filter((v) => field(v, 'dataVolume') || field(v, 'persistentVolumeClaim')).length;
  const status = vmStatus(o);
  return {
    id: childId(workloadFolderIds.virtualMachines, namespace, name),
    kind: 'virtualMachine',
    label: name,
    description: [plural(disks, 'disk'), status].filter((x) => x).join(' · '),
    tooltip: [`VirtualMachine ${namespace}/${name}`, ...(status ? [`status: ${status}`] : []), `${plural(disks, 'disk')} (DataVolumes and PVCs)`].join('\n'),
    icon: 'vm',
    collapsible: disks > 0 ? 'collapsed' : 'none',
    object: { apiVersion: apiVersionOf(resource), kind: 'VirtualMachine', namespace, name },
  };
}

/** A VM's disks: the size each asks for (its template's, else the DataVolume's or PVC's in the cluster). */
export function vmDiskNodes(model: ExplorerModel, parent: ExplorerNodeId, vm: KubeObject): ExplorerNode[] {
  const namespace = vm.metadata?.namespace ?? '';
  const templates = new Map(items(field(vm, 'spec', 'dataVolumeTemplates')).map((t) => [str(field(t, 'metadata', 'name')) ?? '', t]));
  const dvs = model.cache('dataVolumes');
  const pvcs = model.cache('persistentVolumeClaims');
  return items(field(vm, 'spec', 'template', 'spec', 'volumes')).flatMap((v): ExplorerNode[] => {
    const volume = str(field(v, 'name')) ?? '?';
    const dvName = str(field(v, 'dataVolume', 'name'));
    const claim = str(field(v, 'persistentVolumeClaim', 'claimName'));
    if (!dvName && !claim) return [];
    const template = dvName ? templates.get(dvName) : undefined;
    const dv = dvName ? dvs?.get(namespace, dvName) : undefined;
    const pvc = pvcs?.get(namespace, claim ?? dvName ?? '');
    const size = (template ? dvSize(field(template, 'spec')) : undefined) ?? (dv ? dvSize(field(dv, 'spec')) : undefined) ?? str(field(pvc, 'spec', 'resources', 'requests', 'storage'));
    const what = dvName ? `DataVolume ${dvName}${template ? ' (template)' : ''}` : `PVC ${claim}`;
    const source = template ? dvSource(field(template, 'spec'), namespace) : dv ? dvSource(field(dv, 'spec'), namespace) : undefined;
    const object = dv && dvs
      ? { object: { apiVersion: apiVersionOf(dvs.resource), kind: 'DataVolume', namespace, name: dvName! } }
      : pvc && pvcs ? { object: { apiVersion: apiVersionOf(pvcs.resource), kind: 'PersistentVolumeClaim', namespace, name: claim ?? dvName! } } : {};
    return [{
      id: childId(parent, `!disk-${volume}`),
      kind: 'vmDisk',
      label: volume,
      description: [size ?? 'size unknown', what, ...(source ? [`from ${source}`] : [])].join(' · '),
      tooltip: [`Volume ${volume} of VirtualMachine ${namespace}/${vm.metadata?.name ?? ''}`, what, ...(size ? [`asks for ${size}`] : []), ...(source ? [`from ${source}`] : [])].join('\n'),
      icon: 'database',
      collapsible: 'none',
      ...object,
    }];
  });
}

export function dataVolumeNode(o: KubeObject, resource: ApiResource): ExplorerNode | undefined {
  const name = o.metadata?.name;
  if (!name) return undefined;
  const namespace = o.metadata?.namespace ?? '';
  const size = dvSize(field(o, 'spec'));
  const phase = str(field(o, 'status', 'phase'));
  const progress = str(field(o, 'status', 'progress'));
  const source = dvSource(field(o, 'spec'), namespace);
  const failed = phase === 'Failed';
  return {
    id: childId(workloadFolderIds.dataVolumes, namespace, name),
    kind: 'dataVolume',
    label: name,
    description: [size ?? 'no size (from the source)', phase && progress && phase !== 'Succeeded' ? `${phase} ${progress}` : phase, ...(source ? [`from ${source}`] : [])].filter((x) => x).join(' · '),
    tooltip: [`DataVolume ${namespace}/${name}`, `size: ${size ?? 'taken from the source'}`, `phase: ${phase ?? 'unknown'}${progress ? ` (${progress})` : ''}`, ...(source ? [`source: ${source}`] : [])].join('\n'),
    icon: failed ? 'error' : 'database',
    collapsible: 'none',
    ...(failed ? { severity: 'error' as const } : {}),
    object: { apiVersion: apiVersionOf(resource), kind: 'DataVolume', namespace, name },
  };
}

/** The children of the Virtual Machines and Data Volumes folders, below their namespaces. */
export function workloadChildren(
  model: ExplorerModel,
  folder: string,
  rest: readonly string[],
  page: <T>(parent: ExplorerNodeId, items: readonly T[], offset: number, build: (item: T) => ExplorerNode | undefined) => ExplorerNode[],
  offset: number,
): ExplorerNode[] | undefined {
  const cacheName = folder === workloadFolderIds.virtualMachines ? 'virtualMachines' : 'dataVolumes';
  const cache = model.cache(cacheName);
  if (!cache) return undefined;
  const parent = childId(folder, ...rest);
  const one = folder === workloadFolderIds.virtualMachines ? 'VM' : 'DataVolume';
  if (rest.length === 0) {
    return page(parent, model.namespaces(cacheName), offset, ({ namespace, count }) => namespaceNode(parent, folder === workloadFolderIds.virtualMachines ? 'vmNamespace' : 'dvNamespace', namespace, plural(count, one)));
  }
  if (rest.length === 1) {
    const build = folder === workloadFolderIds.virtualMachines ? (o: KubeObject) => vmNode(o, cache.resource) : (o: KubeObject) => dataVolumeNode(o, cache.resource);
    return page(parent, model.sorted(cacheName, rest[0]), offset, build);
  }
  if (folder !== workloadFolderIds.virtualMachines || rest.length !== 2) return undefined;
  const vm = cache.get(rest[0], rest[1]!);
  return vm ? vmDiskNodes(model, parent, vm) : undefined;
}
