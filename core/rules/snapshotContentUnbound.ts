/**
 * `snapshot-content-unbound`: a pre-provisioned VolumeSnapshot and a VolumeSnapshotContent that the CSI snapshot
 * controller will never bind (external-snapshotter v8.6.0 pkg/common-controller/snapshot_controller.go):
 * - on the snapshot, naming a content in `spec.source.volumeSnapshotContentName` that has no `snapshotHandle`
 *   ("SnapshotContentMismatch") or whose `volumeSnapshotRef` names another snapshot ("SnapshotContentMisbound",
 *   getPreprovisionedContentFromStore);
 * - on the content, a pre-provisioned one (`snapshotHandle`) whose `volumeSnapshotRef` names a snapshot that does
 *   not name it back: syncContent leaves a content with an empty ref uid to syncSnapshot, and that snapshot binds
 *   another content (or takes its own from a PVC). Either way the snapshot never becomes ready to use.
 */
import type { Facts, SnapshotFact } from '../facts.js';
import { factFromView, yamlView } from '../kinds/index.js';
import type { Resource } from '../resources.js';
import { contentBinding } from '../snapshotContents.js';
import type { Finding } from '../types.js';
import { field, fieldRange, keyRange, whereFound } from './storageFields.js';
import type { Rule, RuleContext } from './rule.js';

const RULE = 'snapshot-content-unbound';

function onSnapshot(ctx: RuleContext, r: Resource): Finding | undefined {
  // Only a pre-provisioned snapshot names its content: the others are not read further.
  if (field(r, 'spec', 'source', 'volumeSnapshotContentName') === undefined) return undefined;
  const snap = factFromView('VolumeSnapshot', yamlView(r.doc, r.base), { source: { kind: 'workspace', file: r.file }, defaultNamespace: ctx.settings.defaultNamespace });
  if (!snap?.contentName) return undefined;
  const b = contentBinding(snap, ctx.facts);
  if (!b?.refused) return undefined;
  const range = fieldRange(r, 'spec', 'source', 'volumeSnapshotContentName');
  if (!range) return undefined;
  return {
    rule: RULE,
    severity: 'warning',
    message:
      `VolumeSnapshot ${snap.namespace}/${snap.name} names VolumeSnapshotContent ${b.name}${whereFound(b.content)}, but the snapshot controller will not bind them: ${b.refused}. ` +
      `The snapshot stays not ready to use. Point the content's spec.volumeSnapshotRef at ${snap.namespace}/${snap.name} (and give it spec.source.snapshotHandle), or name the right content.`,
    file: ctx.file,
    range,
    data: { snapshot: `${snap.namespace}/${snap.name}`, content: b.name },
  };
}

/** What a snapshot's spec.source says instead of naming `content`. */
function namesInstead(snap: SnapshotFact): string {
  if (snap.contentName !== undefined) return `its spec.source.volumeSnapshotContentName is ${snap.contentName}`;
  if (snap.sourcePvcName !== undefined) return `it is taken from PVC ${snap.sourcePvcName} (spec.source.persistentVolumeClaimName), and binds only the content it creates`;
  return 'its spec.source names no content';
}

function onContent(ctx: RuleContext, r: Resource, facts: Facts): Finding | undefined {
  const name = r.name;
  const refName = field(r, 'spec', 'volumeSnapshotRef', 'name');
  const refNs = field(r, 'spec', 'volumeSnapshotRef', 'namespace');
  // A dynamically provisioned content (volumeHandle) is the controller's own: it names its snapshot itself.
  if (!name || !refName || !refNs || field(r, 'spec', 'source', 'snapshotHandle') === undefined) return undefined;
  const snap = facts.volumeSnapshot(refNs, refName);
  if (!snap || snap.contentName === name) return undefined;
  const range = keyRange(r, 'spec', 'volumeSnapshotRef');
  if (!range) return undefined;
  return {
    rule: RULE,
    severity: 'warning',
    message:
      `VolumeSnapshotContent ${name} is for VolumeSnapshot ${refNs}/${refName}${whereFound(snap)}, but that snapshot does not name it: ${namesInstead(snap)}. ` +
      `The snapshot controller never binds them. Set the snapshot's spec.source.volumeSnapshotContentName to ${name}, or point spec.volumeSnapshotRef at the snapshot that names this content.`,
    file: ctx.file,
    range,
    data: { snapshot: `${refNs}/${refName}`, content: name },
  };
}

export const snapshotContentUnbound: Rule = {
  id: RULE,
  defaultSeverity: 'warning',
  title: 'VolumeSnapshot and VolumeSnapshotContent that never bind',
  description:
    'A pre-provisioned VolumeSnapshot and its VolumeSnapshotContent do not name each other (spec.source.volumeSnapshotContentName and spec.volumeSnapshotRef), or the content has no snapshotHandle: the snapshot controller never binds them and the snapshot never becomes ready.',
  reads: 'facts',
  kinds: ['VolumeSnapshot', 'VolumeSnapshotContent'],
  run(ctx) {
    const out: Finding[] = [];
    for (const r of ctx.resources) {
      if (r.version !== 'v1') continue;
      const f = r.kind === 'VolumeSnapshot' ? onSnapshot(ctx, r) : r.kind === 'VolumeSnapshotContent' ? onContent(ctx, r, ctx.facts) : undefined;
      if (f) out.push(f);
    }
    return out;
  },
};
