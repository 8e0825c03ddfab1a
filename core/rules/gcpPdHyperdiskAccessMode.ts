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
import type { Node } from 'yaml';
import { sequenceNodes, stringList, type YamlPath } from '../yaml/documents.js';
import { locate, scalarString, walkNode } from '../yaml/navigate.js';
import { field, whereFound } from './storageFields.js';
import type { Rule, RuleContext } from './rule.js';

/**
 * Where a claim's access modes are written (relative to the object's node), and how its class is found when it
 * names none. `describe` is what the message calls the claim: the object's part (`PVC x`) and the claim's.
 */
interface ClaimAt {
  object: string;
  part: string;
  modes: YamlPath;
  className?: YamlPath;
  /** `storage` (CDI's API: virt default first), `pvc` (the API server's default), or a fixed class. */
  fallback: 'storage' | 'pvc' | { name: string };
}

// Module-level paths and helpers rather than spreads and closures per resource: the rule visits every claim of the
// bench bundle (a cold analysis made 9 MiB of them here).
const SPEC_MODES = ['spec', 'accessModes'];
const SPEC_CLASS = ['spec', 'storageClassName'];
const DV_PVC_MODES = ['spec', 'pvc', 'accessModes'];
const DV_PVC_CLASS = ['spec', 'pvc', 'storageClassName'];
const DV_STORAGE_MODES = ['spec', 'storage', 'accessModes'];
const DV_STORAGE_CLASS = ['spec', 'storage', 'storageClassName'];
const TEMPLATES = ['spec', 'dataVolumeTemplates'];
const PROPERTY_SETS = ['spec', 'claimPropertySets'];
const V1_IMAGES = ['spec', 'workloadSources', 'dataImportCronTemplates'];
const IMAGES = ['spec', 'dataImportCronTemplates'];

function claimAt(object: string, part: string, prefix: YamlPath, fallback: ClaimAt['fallback']): ClaimAt {
  return { object, part, modes: [...prefix, 'accessModes'], className: [...prefix, 'storageClassName'], fallback };
}

function claimsOf(r: Resource, node: Node): ClaimAt[] {
  const name = r.name ?? '';
  switch (r.kind) {
    case 'PersistentVolumeClaim':
      return [{ object: `PVC ${name}`, part: '', modes: SPEC_MODES, className: SPEC_CLASS, fallback: 'pvc' }];
    case 'DataVolume': {
      const object = `DataVolume ${name}`;
      return [
        { object, part: ' spec.pvc', modes: DV_PVC_MODES, className: DV_PVC_CLASS, fallback: 'pvc' },
        { object, part: ' spec.storage', modes: DV_STORAGE_MODES, className: DV_STORAGE_CLASS, fallback: 'storage' },
      ];
    }
    case 'VirtualMachine': {
      const n = sequenceNodes(r.doc, TEMPLATES, node).length;
      const out: ClaimAt[] = [];
      for (let i = 0; i < n; i++) {
        const object = `VM ${name} dataVolumeTemplates[${i}]`;
        out.push(claimAt(object, ' spec.pvc', ['spec', 'dataVolumeTemplates', i, 'spec', 'pvc'], 'pvc'), claimAt(object, ' spec.storage', ['spec', 'dataVolumeTemplates', i, 'spec', 'storage'], 'storage'));
      }
      return out;
    }
    case 'StorageProfile':
      return sequenceNodes(r.doc, PROPERTY_SETS, node).map((_, i) => ({ object: `StorageProfile ${name} claimPropertySets[${i}]`, part: '', modes: ['spec', 'claimPropertySets', i, 'accessModes'], fallback: { name } }));
    case 'HyperConverged': {
      const list = r.version === 'v1' ? V1_IMAGES : IMAGES;
      return sequenceNodes(r.doc, list, node).map((_, i) => claimAt(`golden image ${field(r, ...list, i, 'metadata', 'name') ?? `#${i + 1}`}`, '', [...list, i, 'spec', 'template', 'spec', 'storage'], 'storage'));
    }
    default:
      return [];
  }
}

function classFor(facts: Facts, named: string | undefined, c: ClaimAt): StorageClassFact | undefined {
  if (typeof c.fallback === 'object') return facts.storageClass(c.fallback.name);
  if (named !== undefined) return named === '' ? undefined : facts.storageClass(named);
  const classes = facts.storageClasses();
  return (c.fallback === 'storage' ? platformDefaultStorageClass(classes, 'isDefaultVirt') : undefined) ?? platformDefaultStorageClass(classes, 'isDefault');
}

function refused(type: string, mode: string): string | undefined {
  if (READ_WRITE_ONCE_ONLY_TYPES.includes(type) && (mode === 'ReadWriteMany' || mode === 'ReadOnlyMany')) return 'Hyperdisk Throughput and Extreme disks only support ReadWriteOnce access mode';
  if (type === 'hyperdisk-balanced-high-availability' && mode === 'ReadOnlyMany') return `Invalid access mode for disk type ${type}`;
  return undefined;
}

function check(ctx: RuleContext, r: Resource, out: Finding[]): void {
  const node = walkNode(r.doc, r.base);
  if (!node) return;
  for (const c of claimsOf(r, node)) {
    const modes = stringList(r.doc, c.modes, node);
    if (!modes?.length) continue;
    const named = c.className ? scalarString(r.doc, c.className, node) : undefined;
    const sc = classFor(ctx.facts, named, c);
    if (!sc || sc.provisioner !== PD_DRIVER) continue;
    const type = diskType(sc.parameters);
    for (let i = 0; i < modes.length; i++) {
      const mode = modes[i]!;
      const why = refused(type, mode);
      const item = why ? locate(r.doc, [...c.modes, i], node) : undefined;
      if (!why || !item) continue;
      const how = named !== undefined ? '' : ' (the default class: it names none)';
      out.push({
        rule: 'gcp-pd-hyperdisk-access-mode',
        severity: 'error',
        message: `${c.object}${c.part} asks for ${mode} on StorageClass ${sc.name}${whereFound(sc)}${how}, type ${type}: the driver refuses it ("${why}"). Use ReadWriteOnce, or a hyperdisk-balanced class for disks shared between nodes (live migration).`,
        file: ctx.file,
        range: item.range,
        data: { accessMode: mode, storageClass: sc.name, diskType: type },
      });
    }
  }
}

export const gcpPdHyperdiskAccessMode: Rule = {
  id: 'gcp-pd-hyperdisk-access-mode',
  defaultSeverity: 'error',
  title: 'Access mode a hyperdisk type refuses',
  description: 'ReadWriteMany or ReadOnlyMany on a hyperdisk-throughput or hyperdisk-extreme class (ReadWriteOnce only), or ReadOnlyMany on hyperdisk-balanced-high-availability: the PD CSI driver refuses to provision it.',
  reads: 'facts',
  kinds: ['PersistentVolumeClaim', 'DataVolume', 'VirtualMachine', 'StorageProfile', 'HyperConverged', 'StorageClass'],
  run: (ctx) => {
    const out: Finding[] = [];
    for (const r of ctx.resources) check(ctx, r, out);
    return out;
  },
};
