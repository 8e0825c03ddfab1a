/**
 * The HyperConverged CR's golden-image fields at the right path for its API version (HCO v1.18 moved them:
 * v1beta1 `spec.dataImportCronTemplates` → v1 `spec.workloadSources.dataImportCronTemplates`), the effective
 * list of golden images (HCO's `status.dataImportCronTemplates`, with the spec's entries winning), and the
 * spec list that points every enabled one at another StorageClass.
 *
 * Mirrors HCO's `getCommonDicts` / `customizeCommonDICT` (controllers/handlers/golden-images/golden_images.go
 * at 03da3cff): a pre-defined image is modified by a spec entry of the same name, whose `spec` replaces the
 * pre-defined one and whose `metadata.namespace` replaces it too (HCO ignores `commonBootImageNamespace` for
 * modified images). So an entry copied from the status with only `storage` changed, and its namespace kept,
 * changes nothing but the storage class, as HCO's docs ask ("copy the object from the status, change storage").
 */
import { getAt } from '../fields.js';
import { ANN } from './keys.js';
import type { HcoApiVersion, HyperConvergedJson, TemplateJson } from './types.js';

export interface HcoView {
  apiVersion: HcoApiVersion;
  namespace: string;
  name: string;
  /** `status.versions[name=operator]`. */
  version?: string;
  served: HcoApiVersion[];
  templatesPath: string[];
  commonBootImageNamespacePath: string[];
  commonBootImageNamespace?: string;
  /** The spec's list (what the patch rewrites). */
  specTemplates: TemplateJson[];
  /** HCO's effective list, when it reported one. */
  statusTemplates?: TemplateJson[];
}

/** Where a field lives per API version (facts §5, gotcha 13). */
export function hcoPaths(apiVersion: HcoApiVersion): { templates: string[]; commonBootImageNamespace: string[] } {
  return apiVersion === 'hco.kubevirt.io/v1'
    ? { templates: ['spec', 'workloadSources', 'dataImportCronTemplates'], commonBootImageNamespace: ['spec', 'workloadSources', 'commonBootImageNamespace'] }
    : { templates: ['spec', 'dataImportCronTemplates'], commonBootImageNamespace: ['spec', 'commonBootImageNamespace'] };
}

export function hcoVersion(apiVersion: HcoApiVersion, o: HyperConvergedJson, served: HcoApiVersion[]): HcoView {
  const paths = hcoPaths(apiVersion);
  const spec = getAt(o, paths.templates);
  const ns = getAt(o, paths.commonBootImageNamespace);
  const version = o.status?.versions?.find((v) => v.name === 'operator')?.version;
  return {
    apiVersion,
    namespace: o.metadata?.namespace ?? '',
    name: o.metadata?.name ?? '',
    ...(version ? { version } : {}),
    served,
    templatesPath: paths.templates,
    commonBootImageNamespacePath: paths.commonBootImageNamespace,
    ...(typeof ns === 'string' && ns !== '' ? { commonBootImageNamespace: ns } : {}),
    specTemplates: Array.isArray(spec) ? (spec as TemplateJson[]) : [],
    ...(Array.isArray(o.status?.dataImportCronTemplates) ? { statusTemplates: o.status.dataImportCronTemplates } : {}),
  };
}

export interface EffectiveTemplate {
  name: string;
  /** Where its DataImportCron lives, when HCO said so. */
  namespace?: string;
  storageClassName?: string;
  /** A pre-defined image of HCO's (not one of the user's own). */
  common: boolean;
  /** Whether a spec entry defines or modifies it. */
  inSpec: boolean;
}

const nameOf = (t: TemplateJson): string => t.metadata?.name ?? '';
const enabled = (t: TemplateJson): boolean => (t.metadata?.annotations?.[ANN.dataImportCronTemplateEnable] ?? 'true').toLowerCase() === 'true';
const classOf = (t: TemplateJson): string | undefined => t.spec?.template?.spec?.storage?.storageClassName;

/** Every enabled golden image: the spec's entries (they are what HCO applies), then the status's others. */
export function templatesOf(view: HcoView): EffectiveTemplate[] {
  const out: EffectiveTemplate[] = [];
  const status = new Map((view.statusTemplates ?? []).map((t) => [nameOf(t), t]));
  const inSpec = new Set<string>();
  for (const t of view.specTemplates) {
    inSpec.add(nameOf(t));
    if (!enabled(t)) continue;
    const s = status.get(nameOf(t));
    const cls = t.spec ? classOf(t) : s ? classOf(s) : undefined;
    const namespace = t.metadata?.namespace ?? s?.metadata?.namespace;
    out.push({ name: nameOf(t), ...(namespace ? { namespace } : {}), ...(cls ? { storageClassName: cls } : {}), common: s?.status?.commonTemplate === true, inSpec: true });
  }
  for (const s of view.statusTemplates ?? []) {
    if (inSpec.has(nameOf(s))) continue;
    const cls = classOf(s);
    out.push({ name: nameOf(s), ...(s.metadata?.namespace ? { namespace: s.metadata.namespace } : {}), ...(cls ? { storageClassName: cls } : {}), common: s.status?.commonTemplate === true, inSpec: false });
  }
  return out;
}

function withClass(spec: NonNullable<TemplateJson['spec']>, className: string): NonNullable<TemplateJson['spec']> {
  const copy = structuredClone(spec);
  const template = { ...(copy.template ?? {}) };
  delete template['status'];
  const tspec = { ...(template.spec ?? {}) };
  tspec.storage = { ...(tspec.storage ?? {}), storageClassName: className };
  template.spec = tspec;
  copy.template = template;
  return copy;
}

/**
 * The spec list with every enabled golden image on `className`: spec entries changed in place (only their
 * storage class), pre-defined images not in the spec added as copies of their status entry (metadata name and
 * namespace, the spec with only the storage class changed). Disabled entries stay as they are.
 */
export function retargetTemplates(view: HcoView, className: string): { list: TemplateJson[]; changed: string[] } {
  const changed: string[] = [];
  const status = new Map((view.statusTemplates ?? []).map((t) => [nameOf(t), t]));
  const list = view.specTemplates.map((t): TemplateJson => {
    if (!enabled(t)) return t;
    const base = t.spec ?? status.get(nameOf(t))?.spec;
    if (!base || classOf({ spec: base }) === className) return t;
    changed.push(nameOf(t));
    return { ...t, spec: withClass(base, className) };
  });
  const inSpec = new Set(view.specTemplates.map(nameOf));
  for (const s of view.statusTemplates ?? []) {
    if (inSpec.has(nameOf(s)) || !s.spec || classOf(s) === className) continue;
    changed.push(nameOf(s));
    list.push({ metadata: { name: nameOf(s), ...(s.metadata?.namespace ? { namespace: s.metadata.namespace } : {}) }, spec: withClass(s.spec, className) });
  }
  return { list, changed };
}

/** `{a: {b: value}}` for path ['a', 'b']: a merge patch that sets one field. */
export function mergePatchAt(path: readonly string[], value: unknown): Record<string, unknown> {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;
}
