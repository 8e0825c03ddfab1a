/**
 * `gcp-pd-images-regional`: golden images of a regional PD class (`replication-type: regional-pd`, or
 * `hyperdisk-balanced-high-availability`) snapshotted with a `snapshot-type: images` class. The driver refuses
 * ("Cannot create backup type images for regional disk", CreateSnapshot in pkg/gce-pd-csi-driver/controller.go
 * at b560165c), so the golden images never become ready. It happens through a StorageProfile that names the
 * images class, through HyperConverged golden images on such a class, and on CDI v1.65+ by itself for a
 * default regional class once an images class exists (CDI matches it, CDI #3991).
 */
import { parseCdiVersion, resolveCdiVersion } from '../cdi/version.js';
import type { Facts, SnapshotClassFact, StorageClassFact } from '../facts.js';
import { isRegional, makesImages, PD_DRIVER } from '../gcp/pdParameters.js';
import { ANNOTATION } from '../kinds/index.js';
import { AUTOMATIC_BACKPORT, CDI_AUTOMATIC, mayCarryBackport } from '../ops/gcpImages/situation.js';
import type { Finding, Range } from '../types.js';
import { sequenceNodes } from '../yaml/documents.js';
import { namedSnapshotClasses } from './storageProfileSnapshotClass.js';
import { entries, field, fieldRange, imagesClass, whereFound } from './storageFields.js';
import type { Rule, RuleContext } from './rule.js';

const REFUSAL = 'the driver cannot make images of regional disks ("Cannot create backup type images for regional disk"), so those golden images never become ready';

function regionalPd(sc: StorageClassFact | undefined): sc is StorageClassFact {
  return !!sc && sc.provisioner === PD_DRIVER && isRegional(sc.parameters);
}

function why(sc: StorageClassFact): string {
  return (sc.parameters['type'] ?? '').toLowerCase() === 'hyperdisk-balanced-high-availability' ? 'type hyperdisk-balanced-high-availability' : 'replication-type: regional-pd';
}

/** The images class CDI v1.65+ picks for the driver's classes: a default-annotated one, else the first by name. */
function cdiPick(facts: Facts): SnapshotClassFact | undefined {
  const images = (facts.volumeSnapshotClasses?.() ?? []).filter((c) => c.driver === PD_DRIVER && makesImages(c.parameters)).sort((a, b) => (a.name < b.name ? -1 : 1));
  return images.find((c) => c.isDefault) ?? images[0];
}

/**
 * CDI picks images classes itself (v1.65+), when its version is known; a v1.64 patch after v1.64.0 may (#3991
 * backported as #4018), which the version alone does not settle: `may`.
 */
function automatic(ctx: RuleContext): { how: string; may: boolean } | undefined {
  const v = resolveCdiVersion(ctx.settings, ctx.facts);
  if (v.source === 'assumed') return undefined;
  const p = parseCdiVersion(v.version);
  if (!p.ok) return undefined;
  if (p.major > CDI_AUTOMATIC.major || (p.major === CDI_AUTOMATIC.major && p.minor >= CDI_AUTOMATIC.minor)) return { how: `${v.describe} matches it for the driver's classes itself (CDI #3991)`, may: false };
  const b = AUTOMATIC_BACKPORT;
  if (mayCarryBackport(p)) return { how: `${v.describe} matches it for the driver's classes itself if it carries CDI #3991 (backported to release-v1.${b.minor} as ${b.pr}, ${b.merged}, after v1.${b.minor}.0)`, may: true };
  return undefined;
}

/** The images class golden images of `sc` are snapshotted with, and how that comes about. */
function imagesFor(ctx: RuleContext, sc: StorageClassFact): { vsc: SnapshotClassFact; how: string; may?: boolean } | undefined {
  const profile = ctx.facts.storageProfile(sc.name);
  const named = imagesClass(ctx.facts, profile?.snapshotClassForDataImportCron) ?? imagesClass(ctx.facts, profile?.snapshotClass);
  if (named) return { vsc: named, how: `StorageProfile ${sc.name}${whereFound(profile!)} names it` };
  const auto = automatic(ctx);
  const pick = auto ? cdiPick(ctx.facts) : undefined;
  return pick && auto ? { vsc: pick, how: auto.how, may: auto.may } : undefined;
}

function finding(ctx: RuleContext, range: Range, message: string, data: Record<string, string>, severity: 'error' | 'warning' = 'error'): Finding {
  return { rule: 'gcp-pd-images-regional', severity, message, file: ctx.file, range, data };
}

export const gcpPdImagesRegional: Rule = {
  id: 'gcp-pd-images-regional',
  defaultSeverity: 'error',
  title: 'snapshot-type images for a regional PD class',
  description: 'Golden images of a regional PD class (replication-type: regional-pd, or hyperdisk-balanced-high-availability) are snapshotted with a snapshot-type: images class: the driver refuses images of regional disks.',
  reads: 'facts',
  kinds: ['StorageProfile', 'StorageClass', 'HyperConverged', 'VolumeSnapshotClass'],
  run(ctx) {
    const out: Finding[] = [];
    for (const r of ctx.resources) {
      if (r.kind === 'StorageProfile' && r.name) {
        const sc = ctx.facts.storageClass(r.name);
        if (!regionalPd(sc)) continue;
        for (const n of namedSnapshotClasses(r)) {
          const vsc = imagesClass(ctx.facts, n.name);
          if (vsc) out.push(finding(ctx, n.range, `StorageProfile ${r.name} ${n.describe} names ${n.name}${whereFound(vsc)}, a snapshot-type: images class, but StorageClass ${r.name}${whereFound(sc)} makes regional disks (${why(sc)}): ${REFUSAL}. Use a zonal class for golden images.`, { snapshotClass: n.name, storageClass: r.name }));
        }
      } else if (r.kind === 'StorageClass' && r.name && field(r, 'provisioner') === PD_DRIVER) {
        const sc = ctx.facts.storageClass(r.name);
        const isDefault = field(r, 'metadata', 'annotations', ANNOTATION.defaultVirtStorageClass) === 'true' || field(r, 'metadata', 'annotations', ANNOTATION.defaultStorageClass) === 'true';
        // A profile that names its class is reported on the profile; here, what CDI v1.65+ picks by itself.
        const auto = regionalPd(sc) && isDefault ? automatic(ctx) : undefined;
        const profile = ctx.facts.storageProfile(r.name);
        const pick = auto && !imagesClass(ctx.facts, profile?.snapshotClass) ? cdiPick(ctx.facts) : undefined;
        const param = entries(r.doc, [...r.base, 'parameters']).find((e) => ['replication-type', 'type'].includes(e.key.toLowerCase()) && isRegional({ [e.key.toLowerCase()]: e.value ?? '' }));
        if (!pick || !param || !sc) continue;
        const images = { vsc: pick, how: auto!.how };
        out.push(finding(ctx, param.valueRange, `StorageClass ${r.name} is a default class and makes regional disks (${why(sc)}); golden images imported onto it ${auto!.may ? 'may be' : 'are'} snapshotted with images class ${images.vsc.name}${whereFound(images.vsc)} (${images.how}): ${REFUSAL}. Import golden images onto a zonal class.`, { storageClass: r.name, snapshotClass: images.vsc.name }, 'warning'));
      } else if (r.kind === 'HyperConverged') {
        const list = r.version === 'v1' ? ['spec', 'workloadSources', 'dataImportCronTemplates'] : ['spec', 'dataImportCronTemplates'];
        sequenceNodes(r.doc, [...r.base, ...list]).forEach((_, i) => {
          const path = [...list, i, 'spec', 'template', 'spec', 'storage', 'storageClassName'];
          const name = field(r, ...path);
          const sc = name ? ctx.facts.storageClass(name) : undefined;
          const range = fieldRange(r, ...path);
          if (!regionalPd(sc) || !range) return;
          const images = imagesFor(ctx, sc);
          if (images) out.push(finding(ctx, range, `Golden image ${field(r, ...list, i, 'metadata', 'name') ?? `#${i + 1}`} is imported onto StorageClass ${sc.name}${whereFound(sc)}, which makes regional disks (${why(sc)}), and ${images.may ? 'may be ' : ''}snapshotted with images class ${images.vsc.name} (${images.how}): ${REFUSAL}. Use a zonal class.`, { storageClass: sc.name, snapshotClass: images.vsc.name }, images.may ? 'warning' : 'error'));
        });
      }
    }
    return out;
  },
};
