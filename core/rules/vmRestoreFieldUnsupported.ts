/**
 * `vm-restore-field-unsupported`: a VirtualMachineRestore field or value the cluster's KubeVirt does not have.
 * A field its CRD schema lacks (volumeRestorePolicy and volumeRestoreOverrides before v1.6.0, volumeOwnershipPolicy
 * before v1.7.0, targetReadinessPolicy before v1.5.0) is pruned by the API server (the schema is structural and
 * does not preserve unknown fields: validations_generated.go), or refused as unknown under strict field validation;
 * a value the version's virt-api webhook does not list (PrefixTargetName before v1.8.0) is refused
 * (validateVolumeRestorePolicy, validateVolumeOwnershipPolicy in pkg/storage/admitters/vmrestore.go). The versions
 * are core/kubevirt/releases.ts.
 */
import type { KubevirtBehaviour } from '../kubevirt/releases.js';
import { resolveKubevirtVersion } from '../kubevirt/version.js';
import type { Finding } from '../types.js';
import { entries } from './storageFields.js';
import type { Rule } from './rule.js';

interface FieldRule {
  field: string;
  since: string;
  has: (b: KubevirtBehaviour) => boolean;
  /** What KubeVirt does without the field. */
  without: string;
  /** The values the webhook admits, where it checks them. */
  values?: (b: KubevirtBehaviour) => readonly string[];
  /** The webhook's words for a refused value. */
  refusal?: string;
  /** The release that brought each value past the first (for "from vX"). */
  valueSince?: Record<string, string>;
}

const fieldRules: readonly FieldRule[] = [
  { field: 'targetReadinessPolicy', since: 'v1.5.0', has: (b) => b.targetReadinessPolicy, without: 'the restore goes on without it' },
  {
    field: 'volumeRestorePolicy',
    since: 'v1.6.0',
    has: (b) => b.volumeRestorePolicy,
    without: 'the restore PVCs are named restore-<uid>-<volume>',
    values: (b) => b.restorePolicies,
    refusal: 'volume restore policy',
    valueSince: { PrefixTargetName: 'v1.8.0' },
  },
  { field: 'volumeRestoreOverrides', since: 'v1.6.0', has: (b) => b.volumeRestorePolicy, without: 'the restore PVCs get neither the names nor the labels and annotations it gives' },
  {
    field: 'volumeOwnershipPolicy',
    since: 'v1.7.0',
    has: (b) => b.volumeOwnershipPolicy,
    without: 'the restored PVCs are owned by the VM',
    values: (b) => b.ownershipPolicies,
    refusal: 'volume ownership policy',
  },
];

export const vmRestoreFieldUnsupported: Rule = {
  id: 'vm-restore-field-unsupported',
  defaultSeverity: 'warning',
  title: 'A VirtualMachineRestore field or value the KubeVirt version does not have',
  description:
    'A VirtualMachineRestore field the KubeVirt release does not have (volumeRestorePolicy and volumeRestoreOverrides before v1.6.0, volumeOwnershipPolicy before v1.7.0) is dropped by the API server, or refused by strict field validation; a value its webhook does not know (PrefixTargetName before v1.8.0) is refused.',
  reads: 'facts',
  kinds: ['VirtualMachineRestore', 'KubeVirt'],
  run(ctx) {
    const restores = ctx.resources.filter((r) => r.kind === 'VirtualMachineRestore');
    if (restores.length === 0) return [];
    const version = resolveKubevirtVersion(ctx.settings, ctx.facts);
    const b = version.behaviour;
    const out: Finding[] = [];
    for (const r of restores) {
      const spec = entries(r.doc, [...r.base, 'spec']);
      const name = `VirtualMachineRestore ${r.name ?? ''}`;
      for (const rule of fieldRules) {
        const e = spec.find((x) => x.key === rule.field);
        if (!e) continue;
        if (!rule.has(b)) {
          out.push({
            rule: 'vm-restore-field-unsupported',
            severity: 'warning',
            message:
              `${name}: KubeVirt ${version.version} has no spec.${rule.field} (it is from ${rule.since}): the API server drops the field ` +
              `(kubectl, whose --validate defaults to strict, refuses the manifest as an unknown field instead), and ${rule.without}. ${version.describe}.`,
            file: ctx.file,
            range: e.keyRange,
            data: { field: `spec.${rule.field}`, since: rule.since, kubevirtVersion: version.version, kubevirtVersionSource: version.source },
          });
          continue;
        }
        const allowed = rule.values?.(b);
        if (!allowed || e.value === undefined || allowed.includes(e.value)) continue;
        const later = rule.valueSince && Object.hasOwn(rule.valueSince, e.value) ? rule.valueSince[e.value] : undefined;
        out.push({
          rule: 'vm-restore-field-unsupported',
          severity: 'error',
          message:
            `${name}: virt-api refuses it: ${rule.refusal} "${e.value}" doesn't exist in KubeVirt ${version.version}` +
            `${later ? ` (it is from ${later})` : ''}; the values are ${allowed.join(', ')}. ${version.describe}.`,
          file: ctx.file,
          range: e.valueRange,
          data: { field: `spec.${rule.field}`, value: e.value, kubevirtVersion: version.version, kubevirtVersionSource: version.source },
        });
      }
    }
    return out;
  },
};
