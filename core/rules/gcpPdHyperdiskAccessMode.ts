/**
 * `gcp-pd-hyperdisk-access-mode`: a claim for more than one node on a PD class whose disk cannot attach to
 * more: hyperdisk-throughput and hyperdisk-extreme are ReadWriteOnce only (`disksWithUnsettableAccessMode`,
 * "Hyperdisk Throughput and Extreme disks only support ReadWriteOnce access mode"), and
 * hyperdisk-balanced-high-availability refuses ReadOnlyMany (pkg/gce-pd-csi-driver/controller.go at b560165c).
 * Checked where access modes are written: PVCs, DataVolumes, VM dataVolumeTemplates, StorageProfile claim
 * property sets and HyperConverged golden images; a claim without a class gets the default one.
 */
import { platformDefaultStorageClass } from '../cdi/storageClass.js';
import type { Facts, StorageClassFact } from '../facts.js';
import { diskType, PD_DRIVER, READ_WRITE_ONCE_ONLY_TYPES } from '../gcp/pdParameters.js';
import type { Resource } from '../resources.js';
import type { Finding } from '../types.js';
import { sequence, sequenceNodes, stringList, type YamlPath } from '../yaml/documents.js';
import { locate } from '../yaml/navigate.js';
import { field, whereFound } from './storageFields.js';
import type { Rule, RuleContext } from './rule.js';

/** Where a claim's access modes are written, and how its class is found when it names none. */
interface ClaimAt {
  describe: string;
  modes: YamlPath;
  className?: YamlPath;
  /** `storage` (CDI's API: virt default first), `pvc` (the API server's default), or a fixed class. */
  fallback: 'storage' | 'pvc' | { name: string };
}

function claimsOf(r: Resource): ClaimAt[] {
  const at = (describe: string, prefix: YamlPath, fallback: ClaimAt['fallback']): ClaimAt => ({ describe, modes: [...prefix, 'accessModes'], className: [...prefix, 'storageClassName'], fallback });
  const dv = (describe: string, spec: YamlPath): ClaimAt[] => [at(`${describe} spec.pvc`, [...spec, 'pvc'], 'pvc'), at(`${describe} spec.storage`, [...spec, 'storage'], 'storage')];
  const name = r.name ?? '';
  switch (r.kind) {
    case 'PersistentVolumeClaim':
      return [at(`PVC ${name}`, ['spec'], 'pvc')];
    case 'DataVolume':
      return dv(`DataVolume ${name}`, ['spec']);
    case 'VirtualMachine':
      return sequence(r.doc, [...r.base, 'spec', 'dataVolumeTemplates']).flatMap((_, i) => dv(`VM ${name} dataVolumeTemplates[${i}]`, ['spec', 'dataVolumeTemplates', i, 'spec']));
    case 'StorageProfile':
      return sequenceNodes(r.doc, [...r.base, 'spec', 'claimPropertySets']).map((_, i) => ({ describe: `StorageProfile ${name} claimPropertySets[${i}]`, modes: ['spec', 'claimPropertySets', i, 'accessModes'], fallback: { name } }));
    case 'HyperConverged': {
      const list = r.version === 'v1' ? ['spec', 'workloadSources', 'dataImportCronTemplates'] : ['spec', 'dataImportCronTemplates'];
      return sequenceNodes(r.doc, [...r.base, ...list]).map((_, i) => at(`golden image ${field(r, ...list, i, 'metadata', 'name') ?? `#${i + 1}`}`, [...list, i, 'spec', 'template', 'spec', 'storage'], 'storage'));
    }
    default:
      return [];
  }
}

function classFor(facts: Facts, r: Resource, c: ClaimAt): StorageClassFact | undefined {
  if (typeof c.fallback === 'object') return facts.storageClass(c.fallback.name);
  const named = c.className ? field(r, ...c.className) : undefined;
  if (named !== undefined) return named === '' ? undefined : facts.storageClass(named);
  const classes = facts.storageClasses();
  return (c.fallback === 'storage' ? platformDefaultStorageClass(classes, 'isDefaultVirt') : undefined) ?? platformDefaultStorageClass(classes, 'isDefault');
}

function refused(type: string, mode: string): string | undefined {
  if (READ_WRITE_ONCE_ONLY_TYPES.includes(type) && (mode === 'ReadWriteMany' || mode === 'ReadOnlyMany')) return 'Hyperdisk Throughput and Extreme disks only support ReadWriteOnce access mode';
  if (type === 'hyperdisk-balanced-high-availability' && mode === 'ReadOnlyMany') return `Invalid access mode for disk type ${type}`;
  return undefined;
}

function check(ctx: RuleContext, r: Resource): Finding[] {
  const out: Finding[] = [];
  for (const c of claimsOf(r)) {
    const modes = stringList(r.doc, [...r.base, ...c.modes]);
    if (!modes?.length) continue;
    const sc = classFor(ctx.facts, r, c);
    if (!sc || sc.provisioner !== PD_DRIVER) continue;
    const type = diskType(sc.parameters);
    modes.forEach((mode, i) => {
      const why = refused(type, mode);
      const item = why ? locate(r.doc, [...r.base, ...c.modes, i]) : undefined;
      if (!why || !item) return;
      const how = c.className && field(r, ...c.className) !== undefined ? '' : ' (the default class: it names none)';
      out.push({
        rule: 'gcp-pd-hyperdisk-access-mode',
        severity: 'error',
        message: `${c.describe} asks for ${mode} on StorageClass ${sc.name}${whereFound(sc)}${how}, type ${type}: the driver refuses it ("${why}"). Use ReadWriteOnce, or a hyperdisk-balanced class for disks shared between nodes (live migration).`,
        file: ctx.file,
        range: item.range,
        data: { accessMode: mode, storageClass: sc.name, diskType: type },
      });
    });
  }
  return out;
}

export const gcpPdHyperdiskAccessMode: Rule = {
  id: 'gcp-pd-hyperdisk-access-mode',
  defaultSeverity: 'error',
  title: 'Access mode a hyperdisk type refuses',
  description: 'ReadWriteMany or ReadOnlyMany on a hyperdisk-throughput or hyperdisk-extreme class (ReadWriteOnce only), or ReadOnlyMany on hyperdisk-balanced-high-availability: the PD CSI driver refuses to provision it.',
  reads: 'facts',
  kinds: ['PersistentVolumeClaim', 'DataVolume', 'VirtualMachine', 'StorageProfile', 'HyperConverged', 'StorageClass'],
  run: (ctx) => ctx.resources.flatMap((r) => check(ctx, r)),
};
