/**
 * Step 7 of the workaround: is it working? The StorageProfile's effective claim property sets and snapshot
 * class (CDI's status, or on CDI v1.65+ its golden-image annotations), the golden-image snapshots re-imported
 * with the images class, and VM disks made from golden images on the default class rather than the images one.
 * The import runs in the background, so most of it starts out `pending`: verification can be run again and
 * again, and says what is still pending.
 */
import { imagesSnapshotClassName, isDefaultClass, nameOf, type Situation } from './situation.js';
import { ANN } from './keys.js';
import type { ClaimPropertySetJson } from './types.js';

export type CheckState = 'passed' | 'pending' | 'failed';

export interface VerifyItem {
  id: 'storage-profile' | 'golden-snapshots' | 'vm-disks';
  title: string;
  state: CheckState;
  message: string;
}

export interface VerifyReport {
  /** `verified` only when every item passed. */
  state: 'verified' | 'pending' | 'failed';
  items: VerifyItem[];
  /** One paragraph. */
  summary: string;
}

/** The claim property sets golden images need: ReadWriteOnce only, both volume modes (the seed's step 4). */
export const RWO_SETS: readonly ClaimPropertySetJson[] = [
  { accessModes: ['ReadWriteOnce'], volumeMode: 'Block' },
  { accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem' },
];

const setText = (s: ClaimPropertySetJson): string => `${(s.accessModes ?? []).join('+') || 'no access mode'} ${s.volumeMode ?? '(no volume mode)'}`;

/** Whether the sets are exactly ReadWriteOnce Block and ReadWriteOnce Filesystem, in any order. */
export function rwoOnly(sets: readonly ClaimPropertySetJson[] | undefined): boolean {
  if (!sets || sets.length !== RWO_SETS.length) return false;
  return RWO_SETS.every((want) => sets.some((s) => s.volumeMode === want.volumeMode && s.accessModes?.length === 1 && s.accessModes[0] === 'ReadWriteOnce'));
}

function profileItem(s: Situation): VerifyItem {
  const title = 'StorageProfile: claim property sets and snapshot class';
  const vsc = imagesSnapshotClassName(s);
  if (s.cdi.automatic) {
    if (!('sc' in s.source)) return { id: 'storage-profile', title, state: 'failed', message: s.source.problem };
    const name = nameOf(s.source.sc);
    const p = s.profile(name);
    const ann = p?.metadata?.annotations ?? {};
    const chosen = ann[ANN.snapshotClassForDataImportCron];
    const rwo = ann[ANN.useReadWriteOnceForDataImportCron];
    if (!p) return { id: 'storage-profile', title, state: 'pending', message: `CDI has not created StorageProfile ${name} yet.` };
    if (rwo === 'false') return { id: 'storage-profile', title, state: 'failed', message: `StorageProfile ${name} has ${ANN.useReadWriteOnceForDataImportCron}: "false": golden images are imported ReadWriteMany, and images cannot be made of them. Remove the annotation (CDI sets it to "true").` };
    if (!chosen) return { id: 'storage-profile', title, state: 'pending', message: `StorageProfile ${name} has no ${ANN.snapshotClassForDataImportCron} yet: CDI sets it once a VolumeSnapshotClass of the driver has snapshot-type: images${vsc ? ` (${vsc})` : ''}.` };
    if (!s.snapshots.images.some((v) => nameOf(v) === chosen)) return { id: 'storage-profile', title, state: 'failed', message: `StorageProfile ${name} sends golden images to VolumeSnapshotClass ${chosen}, which is not a snapshot-type images class of the driver.` };
    if (rwo !== 'true') return { id: 'storage-profile', title, state: 'pending', message: `StorageProfile ${name} names ${chosen} but has no ${ANN.useReadWriteOnceForDataImportCron} yet (CDI sets it).` };
    return { id: 'storage-profile', title, state: 'passed', message: `StorageProfile ${name}: CDI imports golden images ReadWriteOnce and snapshots them with ${chosen}.` };
  }
  const name = s.className;
  if (!s.imagesClass) return { id: 'storage-profile', title, state: 'pending', message: `StorageClass ${name} does not exist yet (step 1).` };
  const p = s.profile(name);
  if (!p) return { id: 'storage-profile', title, state: 'pending', message: `CDI has not created StorageProfile ${name} yet.` };
  const sets = p.status?.claimPropertySets;
  const cls = p.status?.snapshotClass;
  if (!sets && cls === undefined) return { id: 'storage-profile', title, state: 'pending', message: `CDI has not reported StorageProfile ${name}'s effective settings (status) yet.` };
  const wide = (sets ?? []).filter((x) => (x.accessModes ?? []).some((m) => m !== 'ReadWriteOnce' && m !== 'ReadWriteOncePod'));
  if (wide.length > 0) return { id: 'storage-profile', title, state: 'failed', message: `StorageProfile ${name} still offers ${wide.map(setText).join(', ')}: golden images must be ReadWriteOnce, as images are made of ReadWriteOnce disks (step 4).` };
  if (!rwoOnly(sets)) return { id: 'storage-profile', title, state: 'pending', message: `StorageProfile ${name} offers ${(sets ?? []).map(setText).join(', ') || 'no claim property sets'} (CDI has not applied step 4's ReadWriteOnce Block and Filesystem yet).` };
  if (cls !== vsc) return { id: 'storage-profile', title, state: cls ? 'failed' : 'pending', message: cls ? `StorageProfile ${name} snapshots golden images with ${cls}, not ${vsc ?? 'an images class'} (step 4).` : `StorageProfile ${name} reports no snapshot class yet.` };
  return { id: 'storage-profile', title, state: 'passed', message: `StorageProfile ${name}: ${(sets ?? []).map(setText).join(', ')}; snapshot class ${cls}.` };
}

function snapshotsItem(s: Situation): VerifyItem {
  const title = 'Golden-image snapshots re-imported with the images class';
  const ns = s.golden.namespace;
  const vsc = imagesSnapshotClassName(s);
  const snaps = s.inputs.cronSnapshots.filter((x) => x.metadata?.namespace === ns);
  if (snaps.length === 0) return { id: 'golden-snapshots', title, state: 'pending', message: `No golden-image VolumeSnapshot in ${ns} yet: the DataImportCrons import in the background.` };
  const failed = snaps.filter((x) => x.status?.error?.message);
  if (failed.length > 0) return { id: 'golden-snapshots', title, state: 'failed', message: failed.map((x) => `${ns}/${nameOf(x)}: ${x.status!.error!.message!}`).join('; ') };
  const off = snaps.filter((x) => x.spec?.volumeSnapshotClassName !== vsc);
  const notReady = snaps.filter((x) => x.spec?.volumeSnapshotClassName === vsc && x.status?.readyToUse !== true);
  if (off.length > 0 || notReady.length > 0) {
    const parts = [
      ...(off.length > 0 ? [`${off.length} of ${snaps.length} still use another class (${off.map((x) => `${nameOf(x)}: ${x.spec?.volumeSnapshotClassName ?? 'the default'}`).join(', ')}): not re-imported yet`] : []),
      ...(notReady.length > 0 ? [`${notReady.map(nameOf).join(', ')} not ready yet`] : []),
    ];
    return { id: 'golden-snapshots', title, state: 'pending', message: `Golden-image snapshots in ${ns}: ${parts.join('; ')}.` };
  }
  return { id: 'golden-snapshots', title, state: 'passed', message: `All ${snaps.length} golden-image snapshot${snaps.length === 1 ? '' : 's'} in ${ns} use ${vsc} and are ready.` };
}

function disksItem(s: Situation): VerifyItem {
  const title = 'VM disks made from golden images on the default class';
  const ns = s.golden.namespace;
  const classes = s.inputs.storageClasses;
  const def = classes.find((c) => isDefaultClass(c, ANN.defaultVirtStorageClass)) ?? classes.find((c) => isDefaultClass(c, ANN.defaultStorageClass));
  const onImages = s.imagesClass && !s.cdi.automatic ? s.inputs.disks.filter((d) => d.namespace !== ns && d.storageClassName === s.className) : [];
  if (onImages.length > 0) return { id: 'vm-disks', title, state: 'failed', message: `VM disk${onImages.length === 1 ? '' : 's'} ${onImages.map((d) => `${d.namespace}/${d.name}`).join(', ')} ${onImages.length === 1 ? 'is' : 'are'} on ${s.className}, the class for golden images only (ReadWriteOnce): put VM disks on ${def ? nameOf(def) : 'the default class'}.` };
  const made = s.inputs.disks.filter((d) => d.from?.namespace === ns && d.namespace !== ns);
  if (made.length === 0) return { id: 'vm-disks', title, state: 'pending', message: `No VM disk has been made from a golden image in ${ns} yet: create a VM from one to check.` };
  const elsewhere = made.filter((d) => def && d.storageClassName !== nameOf(def));
  const tail = elsewhere.length > 0 ? ` (${elsewhere.map((d) => `${d.namespace}/${d.name} on ${d.storageClassName ?? 'no class'}`).join(', ')}: chosen by the VM)` : '';
  return { id: 'vm-disks', title, state: 'passed', message: `${made.length} VM disk${made.length === 1 ? '' : 's'} made from golden images ${made.length === 1 ? 'is' : 'are'} on ${def ? `the default class ${nameOf(def)}` : 'their own classes'}${tail}.` };
}

export function verify(s: Situation): VerifyReport {
  const items = [profileItem(s), snapshotsItem(s), disksItem(s)];
  const state: VerifyReport['state'] = items.some((i) => i.state === 'failed') ? 'failed' : items.some((i) => i.state === 'pending') ? 'pending' : 'verified';
  const word = { verified: 'Verified', pending: 'Pending', failed: 'Not working' }[state];
  return { state, items, summary: `${word}: ${items.map((i) => `${i.state === 'passed' ? '✓' : i.state === 'pending' ? '…' : '✗'} ${i.message}`).join(' ')}` };
}
