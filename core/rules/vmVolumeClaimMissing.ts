/**
 * `vm-volume-claim-missing`: a VM volume naming a claim that is neither one of the VM's templates nor an object
 * that exists (in the analysed files or the connected cluster): `persistentVolumeClaim.claimName` against the
 * VM's volumeClaimTemplates and dataVolumeTemplates (a DataVolume's PVC has its name) and the PVCs of the
 * namespace; `dataVolume.name` against the dataVolumeTemplates and the DataVolumes. The VM would wait for it.
 */
import { scalarString, sequenceNodes } from '../yaml/documents.js';
import { rangeOf } from '../yaml/documents.js';
import { walkNode } from '../yaml/navigate.js';
import type { Finding } from '../types.js';
import type { Rule } from './rule.js';

export const vmVolumeClaimMissing: Rule = {
  id: 'vm-volume-claim-missing',
  defaultSeverity: 'warning',
  title: 'VM volume names a claim that does not exist',
  description:
    "A VirtualMachine volume whose persistentVolumeClaim.claimName (or dataVolume.name) is none of the VM's templates and no PVC (DataVolume) in the analysed files or the connected cluster.",
  reads: 'facts',
  kinds: ['VirtualMachine'],
  run(ctx) {
    const out: Finding[] = [];
    for (const r of ctx.resources) {
      if (r.kind !== 'VirtualMachine') continue;
      const d = r.doc;
      const ns = r.namespace ?? ctx.settings.defaultNamespace;
      // Paths are walked from the VM's spec and each volume's node, found once, rather than from the root.
      const spec = walkNode(d, [...r.base, 'spec']);
      if (!spec) continue;
      const names = (field: string) => sequenceNodes(d, [field], spec).map((_, i) => scalarString(d, [field, i, 'metadata', 'name'], spec));
      const vcts = names('volumeClaimTemplates');
      const dvts = names('dataVolumeTemplates');
      const volumes = walkNode(d, ['template', 'spec', 'volumes'], spec);
      if (!volumes) continue;
      sequenceNodes(d, [], volumes).forEach((_, i) => {
        const volume = walkNode(d, [i], volumes);
        if (!volume) return;
        const checks: [string[], 'PersistentVolumeClaim' | 'DataVolume', (string | undefined)[]][] = [
          [['persistentVolumeClaim', 'claimName'], 'PersistentVolumeClaim', [...vcts, ...dvts]],
          [['dataVolume', 'name'], 'DataVolume', dvts],
        ];
        for (const [path, kind, templates] of checks) {
          const node = walkNode(d, path, volume);
          const name = node ? scalarString(d, [], node) : undefined;
          if (name === undefined || name === '' || !node || templates.includes(name)) continue;
          if (ctx.facts.claimObject?.(kind, ns, name)) continue;
          const volumeName = scalarString(d, ['name'], volume) ?? `#${i}`;
          const offered = kind === 'PersistentVolumeClaim' ? vcts.filter((n): n is string => n !== undefined) : dvts.filter((n): n is string => n !== undefined);
          out.push({
            rule: 'vm-volume-claim-missing',
            severity: 'warning',
            message: `VirtualMachine ${r.name ?? '(unnamed)'} volume ${volumeName} names ${kind} ${ns}/${name}, which is none of the VM's templates and not in the analysed files or the connected cluster: the VM would wait for it.`,
            file: ctx.file,
            range: rangeOf(d, node),
            data: { kind, namespace: ns, name },
            ...(offered.length > 0 ? { fixes: offered.slice(0, 3).map((n) => ({ title: `Name the VM's template ${n}`, edits: [{ range: rangeOf(d, node), newText: n }] })) } : {}),
          });
        }
      });
    }
    return out;
  },
};
