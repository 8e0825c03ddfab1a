/**
 * `gcp-images-class-default`: the golden-image classes of the GCP workaround marked default. The golden-image
 * StorageClass (`cnv-images`, or any PD class whose StorageProfile snapshots with an images class) as a default
 * puts every PVC and VM disk that names no class on ReadWriteOnce golden-image storage; a `snapshot-type: images`
 * VolumeSnapshotClass as the default turns every VM snapshot into a disk image, and beside the driver's other
 * default it makes two, which fails every snapshot that names no class.
 */
import { ANNOTATION } from '../kinds/index.js';
import { makesImages, PD_DRIVER } from '../gcp/pdParameters.js';
import { DEFAULT_CLASS_NAME } from '../ops/gcpImages/situation.js';
import type { Resource } from '../resources.js';
import type { Finding } from '../types.js';
import { entries, field, fieldRange, imagesClass, isPd, setValueFix, snapshotClassesByName } from './storageFields.js';
import type { Rule, RuleContext } from './rule.js';

function defaultsMarked(r: Resource, keys: readonly string[]): string[] {
  return keys.filter((k) => field(r, 'metadata', 'annotations', k) === 'true');
}

function finding(ctx: RuleContext, r: Resource, key: string, message: string): Finding | undefined {
  const range = fieldRange(r, 'metadata', 'annotations', key);
  if (!range) return undefined;
  return {
    rule: 'gcp-images-class-default',
    severity: 'error',
    message,
    file: ctx.file,
    range,
    fixes: setValueFix(r.doc, [...r.base, 'metadata', 'annotations', key], 'false', `Set ${key} to "false"`),
    data: { annotation: key, kind: r.kind },
  };
}

export const gcpImagesClassDefault: Rule = {
  id: 'gcp-images-class-default',
  defaultSeverity: 'error',
  title: 'GCP golden-image class marked default',
  description: 'The golden-image StorageClass (cnv-images, or a PD class whose StorageProfile snapshots with an images class) or a snapshot-type: images VolumeSnapshotClass is marked default: PVCs, VM disks or VM snapshots that name no class would use it.',
  reads: 'facts',
  kinds: ['StorageClass', 'VolumeSnapshotClass', 'StorageProfile'],
  run(ctx) {
    const out: (Finding | undefined)[] = [];
    for (const r of ctx.resources) {
      if (!isPd(r) || !r.name) continue;
      if (r.kind === 'StorageClass') {
        const profile = ctx.facts.storageProfile(r.name);
        const viaProfile = imagesClass(ctx.facts, profile?.snapshotClass);
        if (r.name !== DEFAULT_CLASS_NAME && !viaProfile) continue;
        const why = viaProfile ? `its StorageProfile snapshots with images class ${viaProfile.name}` : `${DEFAULT_CLASS_NAME} is the golden-image class of the GCP workaround`;
        for (const key of defaultsMarked(r, [ANNOTATION.defaultStorageClass, ANNOTATION.defaultVirtStorageClass])) {
          out.push(finding(ctx, r, key, `StorageClass ${r.name} is for golden images (${why}), but ${key} is "true": every ${key === ANNOTATION.defaultStorageClass ? 'PVC' : 'VM disk'} that names no class would be a ReadWriteOnce golden-image disk. Keep it "false".`));
        }
      } else if (r.kind === 'VolumeSnapshotClass') {
        const params = Object.fromEntries(entries(r.doc, [...r.base, 'parameters']).flatMap((e) => (e.value === undefined ? [] : [[e.key, e.value]])));
        if (!makesImages(params)) continue;
        const others = snapshotClassesByName(ctx.facts.volumeSnapshotClasses?.() ?? []).filter((c) => c.name !== r.name && c.driver === PD_DRIVER && c.isDefault).map((c) => c.name);
        for (const key of defaultsMarked(r, [ANNOTATION.defaultSnapshotClass])) {
          out.push(finding(ctx, r, key, `VolumeSnapshotClass ${r.name} has snapshot-type: images and is the default: every snapshot that names no class, VM snapshots included, would be a disk image${others.length > 0 ? `, and with ${others.join(', ')} it makes ${others.length + 1} defaults for ${PD_DRIVER}, which fails them all` : ''}. Golden images name it through the StorageProfile; keep it "false".`));
        }
      }
    }
    return out.filter((f): f is Finding => f !== undefined);
  },
};
