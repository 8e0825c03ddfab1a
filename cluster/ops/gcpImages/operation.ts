/**
 * The `gcp-images` operation (the GCP golden-image workaround) for the registry, and the reads behind its
 * `detect` and `verify`: the cluster's state through readGcpImages, the rest in core/ops/gcpImages.
 */
import { planGcpImages, GCP_IMAGES_OPERATION, type GcpImagesPlan } from '../../../core/ops/gcpImages/plan.js';
import type { GcpImagesOptions } from '../../../core/ops/gcpImages/types.js';
import type { OptionSpec, OptionValues } from '../../../core/ops/types.js';
import type { ClusterConnection } from '../../connection.js';
import type { OperationContext, OperationDefinition, StatusResult } from '../registry.js';
import { readGcpImages } from './read.js';

export const gcpImagesOptions: readonly OptionSpec[] = [
  { name: 'className', type: 'string', description: 'name of the StorageClass and VolumeSnapshotClass for golden images (default: cnv-images, or the class a StorageProfile already uses that way)' },
  { name: 'sourceClass', type: 'string', description: 'the hyperdisk StorageClass the golden-image class copies (default: the virt-default PD class, else the default one, else the first hyperdisk class)' },
  { name: 'defaultSnapshotClass', type: 'string', description: "the VolumeSnapshotClass kept as the driver's default (default: the current default, else the first by name)" },
  { name: 'namespace', type: 'string', description: "the golden-image namespace (default: HyperConverged's commonBootImageNamespace, else where the DataImportCrons are, else kubevirt-os-images / openshift-virtualization-os-images)" },
  { name: 'steps', type: 'string', description: 'steps to plan even where the platform does them (numbers 1-6 or ids, comma-separated, or all); needed steps are always planned' },
];

export function toOptions(values: OptionValues): GcpImagesOptions {
  const text = (k: string): string | undefined => {
    const v = Object.hasOwn(values, k) ? values[k] : undefined;
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  };
  const out: GcpImagesOptions = {};
  for (const k of ['className', 'sourceClass', 'defaultSnapshotClass', 'namespace', 'steps'] as const) {
    const v = text(k);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

type Conn = Parameters<typeof readGcpImages>[0];

/** Detection, verification and the plan, from one read of the cluster. */
export async function assessGcpImages(conn: Conn, values: OptionValues, ctx: Pick<OperationContext, 'cdiVersion'> = {}): Promise<{ ok: true; assessed: GcpImagesPlan } | { ok: false; message: string }> {
  const r = await readGcpImages(conn, ctx.cdiVersion);
  if (!r.ok) return r;
  return { ok: true, assessed: planGcpImages(r.inputs, toOptions(values)) };
}

async function status(conn: ClusterConnection, ctx: OperationContext): Promise<StatusResult> {
  const a = await assessGcpImages(conn, {}, ctx);
  if (!a.ok) return a;
  const d = a.assessed.detection;
  const needed = d.steps.filter((s) => s.state === 'needed').map((s) => s.step);
  const summary = d.blocked ?? (needed.length === 0 ? `GCP golden images: every step is done or not needed; verification: ${d.verification.state}` : `GCP golden images: step${needed.length === 1 ? '' : 's'} ${needed.join(', ')} needed`);
  return { ok: true, summary, details: d.steps.map((s) => `${s.step}. ${s.title}: ${s.state} — ${s.reason}`), data: d };
}

export const gcpImagesOperation: OperationDefinition = {
  id: GCP_IMAGES_OPERATION,
  title: 'Set up the GCP golden-image workaround',
  summary: 'golden images as snapshot-type images on GCP PD (a golden-image class, the snapshot classes, the StorageProfile, HCO templates, a re-import)',
  options: gcpImagesOptions,
  async plan(conn, options, ctx) {
    const a = await assessGcpImages(conn, options, ctx);
    return a.ok ? a.assessed.result : a;
  },
  status,
};
