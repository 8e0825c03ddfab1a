/**
 * The GCP PD CSI driver's parameters in a StorageClass (`provisioner: pd.csi.storage.gke.io`) or a
 * VolumeSnapshotClass (`driver: pd.csi.storage.gke.io`): under `parameters:` the keys the driver knows (less
 * those written; the driver matches keys case-insensitively), and after a key with a closed list its values.
 * From the table the rules check against (core/gcp/pdParameters.ts), so completion offers nothing they flag.
 */
import { PD_DRIVER, SNAPSHOT_CLASS_PARAMETERS, STORAGE_CLASS_PARAMETERS, type ParameterSpec } from '../../gcp/pdParameters.js';
import { scalarString } from '../../yaml/documents.js';
import type { CompletionContext, CompletionItem, CompletionProvider } from '../types.js';

/** The parameter table for the class at the cursor, or undefined when it is not a PD class. */
function specsFor(ctx: CompletionContext): readonly ParameterSpec[] | undefined {
  const field = (key: string) => scalarString(ctx.doc, [...ctx.object.base, key]);
  if (ctx.object.kind === 'StorageClass' && field('provisioner') === PD_DRIVER) return STORAGE_CLASS_PARAMETERS;
  if (ctx.object.kind === 'VolumeSnapshotClass' && field('driver') === PD_DRIVER) return SNAPSHOT_CLASS_PARAMETERS;
  return undefined;
}

/** Parameters are strings: a value YAML would read as a boolean, number or null is quoted. */
function scalarText(value: string): string {
  return /^(true|false|yes|no|on|off|y|n|null|~|[-+]?(\d[\d_]*)?\.?\d+([eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+)$/i.test(value) ? `"${value}"` : value;
}

export const pdParameters: CompletionProvider = {
  id: 'gcp-pd-parameters',
  provide(ctx) {
    const { cursor, rel } = ctx;
    if (rel[0] !== 'parameters') return [];
    const specs = specsFor(ctx);
    if (!specs) return [];
    if (cursor.role === 'key' && rel.length === 1) {
      const written = new Set([...cursor.siblings.keys()].map((k) => k.toLowerCase()));
      return specs
        .filter((s) => !written.has(s.key))
        .map((s, i): CompletionItem => ({
          label: s.key,
          kind: 'property',
          documentation: s.description,
          insertText: `${s.key}: `,
          rank: i,
          ...(s.values ? { retrigger: true } : {}),
        }));
    }
    if (cursor.role !== 'value' || rel.length !== 2 || typeof rel[1] !== 'string') return [];
    const spec = specs.find((s) => s.key === (rel[1] as string).toLowerCase());
    if (!spec) return [];
    const values = spec.values ?? (spec.example !== undefined ? [spec.example] : []);
    return values.map((v, i): CompletionItem => ({
      label: v,
      kind: spec.values ? 'enum' : 'value',
      detail: spec.values ? spec.key : `${spec.key}: an example`,
      documentation: `**${spec.key}**: ${spec.description}`,
      insertText: cursor.quote ? v : scalarText(v),
      rank: i,
    }));
  },
};
