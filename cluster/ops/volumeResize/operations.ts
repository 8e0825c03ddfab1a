/** The VolumeResize operations: start one (validated first), roll a failed one back, delete one. */
import type { OptionSpec, OptionValues } from '../../../core/ops/types.js';
import { planVolumeResizeDelete, VOLUME_RESIZE_DELETE_OPERATION } from '../../../core/ops/volumeResize/delete.js';
import { planVolumeResizeRollback, VOLUME_RESIZE_ROLLBACK_OPERATION } from '../../../core/ops/volumeResize/rollback.js';
import { planVolumeResizeStart, VOLUME_RESIZE_START_OPERATION } from '../../../core/ops/volumeResize/start.js';
import { readVolumeResize, VOLUME_RESIZE_API_VERSION, VOLUME_RESIZE_KIND, type VolumeTarget } from '../../../core/volumeResize/model.js';
import type { ClusterConnection } from '../../connection.js';
import type { OperationDefinition, StatusResult } from '../registry.js';
import { readDeleteState, readRollbackState, readVr, validateOnCluster } from './read.js';

const target = (conn: ClusterConnection) => ({ context: conn.context, server: conn.server });

const nameOption: OptionSpec = { name: 'name', type: 'string', description: 'the VolumeResize' };
const namespaceOption: OptionSpec = { name: 'namespace', type: 'string', description: "its namespace (default: the kube context's)" };

const str = (o: OptionValues, k: string): string | undefined => {
  const v = Object.hasOwn(o, k) ? o[k] : undefined;
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
};

/** `--volume data,logs --size 4Gi,1Gi [--storage-class fast,]`: the lists pair up by position. */
export function volumeTargets(o: OptionValues): { ok: true; volumes: VolumeTarget[] } | { ok: false; message: string } {
  const names = (str(o, 'volume') ?? '').split(',').map((s) => s.trim());
  const sizes = (str(o, 'size') ?? '').split(',').map((s) => s.trim());
  const classes = str(o, 'storageClass')?.split(',').map((s) => s.trim()) ?? [];
  if (names.some((n) => n === '')) return { ok: false, message: '--volume names the volumeClaimTemplate to shrink (comma-separated for several)' };
  if (sizes.length !== names.length || sizes.some((s) => s === '')) return { ok: false, message: `--size needs one size per volume (${names.length}: ${names.join(', ')}), comma-separated in the same order` };
  if (classes.length > names.length) return { ok: false, message: `--storage-class has more entries (${classes.length}) than --volume (${names.length})` };
  if (new Set(names).size !== names.length) return { ok: false, message: `--volume names a volume twice (${names.join(', ')})` };
  return { ok: true, volumes: names.map((name, i) => ({ name, newSize: sizes[i]!, ...(classes[i] ? { storageClass: classes[i] } : {}) })) };
}

async function phaseOf(conn: ClusterConnection, options: OptionValues): Promise<StatusResult> {
  const name = str(options, 'name');
  const ns = str(options, 'namespace') ?? conn.namespace;
  if (!name) {
    const list = await conn.list(VOLUME_RESIZE_API_VERSION, VOLUME_RESIZE_KIND, ns);
    if (!list.ok) return { ok: false, message: list.error.message };
    const all = list.value.items.flatMap((o) => readVolumeResize(o) ?? []);
    return { ok: true, summary: `${all.length} VolumeResize${all.length === 1 ? '' : 's'} in namespace ${ns}`, details: all.map((v) => `${v.name}: ${v.status.phase || 'Pending'}${v.status.message ? ` (${v.status.message})` : ''}`), data: all };
  }
  const vr = await readVr(conn, ns, name);
  if (!vr.ok) return vr;
  return { ok: true, summary: `VolumeResize ${ns}/${name}: ${vr.value.status.phase || 'Pending'}`, details: vr.value.status.message ? [vr.value.status.message] : [], data: vr.value };
}

export const volumeResizeOperations: readonly OperationDefinition[] = [
  {
    id: VOLUME_RESIZE_START_OPERATION,
    title: 'Start a VolumeResize migration',
    summary: "validate, then create a VolumeResize: migcontroller's operator copies each replica's volume into a smaller one",
    options: [
      nameOption,
      namespaceOption,
      { name: 'statefulset', type: 'string', description: 'the StatefulSet whose volumes shrink' },
      { name: 'volume', type: 'string', description: 'the volumeClaimTemplate to shrink (comma-separated for several)' },
      { name: 'size', type: 'string', description: 'the new size, e.g. 4Gi (one per volume, comma-separated)' },
      { name: 'storageClass', type: 'string', description: "the new PVCs' class (default: the original PVC's; one per volume, comma-separated, empty for the default)" },
    ],
    async plan(conn, options) {
      const name = str(options, 'name');
      const sts = str(options, 'statefulset');
      if (!name) return { ok: false, message: 'Name the VolumeResize (--name, or kvstorage resize start <name>).' };
      if (!sts) return { ok: false, message: 'Name the StatefulSet (--statefulset).' };
      const volumes = volumeTargets(options);
      if (!volumes.ok) return volumes;
      const ns = str(options, 'namespace') ?? conn.namespace;
      const v = await validateOnCluster(conn, ns, sts, volumes.volumes);
      if (!v.ok) return v;
      if (!v.value.served) return { ok: false, message: v.value.validation.problems.find((p) => p.rule === 'volumeresize-operator-missing')?.message ?? 'The VolumeResize CRD is not served.' };
      const existing = await conn.get(VOLUME_RESIZE_API_VERSION, VOLUME_RESIZE_KIND, ns, name);
      if (!existing.ok && existing.error.kind !== 'not-found') return { ok: false, message: `Cannot tell whether VolumeResize ${ns}/${name} exists: ${existing.error.message}` };
      const current = existing.ok ? readVolumeResize(existing.value) : undefined;
      return planVolumeResizeStart({ target: target(conn), namespace: ns, name, volumes: volumes.volumes, validation: v.value.validation, ...(current ? { existing: current } : {}) });
    },
    status: (conn) => phaseOf(conn, {}),
  },
  {
    id: VOLUME_RESIZE_ROLLBACK_OPERATION,
    title: 'Roll back a failed VolumeResize',
    summary: "put a Failed migration's unfinished replicas back on their old PVs and restore the StatefulSet from its backup",
    options: [nameOption, namespaceOption, { name: 'oneStep', type: 'boolean', description: 'plan only the next step (one confirmation per step)' }],
    async plan(conn, options) {
      const name = str(options, 'name');
      if (!name) return { ok: false, message: 'Name the VolumeResize to roll back (--name, or kvstorage resize rollback <name>).' };
      const vr = await readVr(conn, str(options, 'namespace') ?? conn.namespace, name);
      if (!vr.ok) return vr;
      const state = await readRollbackState(conn, vr.value);
      if (!state.ok) return state;
      return planVolumeResizeRollback({ target: target(conn), vr: vr.value, ...state.value, oneStep: options['oneStep'] === true });
    },
    status: (conn) => phaseOf(conn, {}),
  },
  {
    id: VOLUME_RESIZE_DELETE_OPERATION,
    title: 'Delete a VolumeResize',
    summary: "delete a VolumeResize, saying first what its operator's finalizer deletes and what stays",
    options: [nameOption, namespaceOption],
    async plan(conn, options) {
      const name = str(options, 'name');
      if (!name) return { ok: false, message: 'Name the VolumeResize to delete (--name, or kvstorage resize delete <name>).' };
      const vr = await readVr(conn, str(options, 'namespace') ?? conn.namespace, name);
      if (!vr.ok) return vr;
      const state = await readDeleteState(conn, vr.value);
      if (!state.ok) return state;
      return planVolumeResizeDelete({ target: target(conn), vr: vr.value, ...state.value });
    },
    status: (conn) => phaseOf(conn, {}),
  },
];
