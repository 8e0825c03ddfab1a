/**
 * The size CDI's PVC webhook gives a claim that clones through a VolumeCloneSource and asks for no size (or 0):
 * the source snapshot's restoreSize, or the source PVC's request or capacity, never inflated. Pure.
 */
import type { ClaimObjectFact, Facts, FactSource } from '../facts.js';
import { ANNOTATION } from '../kinds/index.js';
import { groupDigits } from '../quantity.js';
import type { CdiBehaviour } from './releases.js';
import { storageRequestRefusal, type PvcSpecInput } from './render.js';
import { resolveStorageClass } from './storageClass.js';
import { describeFactSource } from './version.js';

/** The claim as RenderPvc left it before sizing: its rendered volume mode and class. */
export interface CloneTarget {
  volumeMode: 'Filesystem' | 'Block';
  storageClassName?: string;
  /** 'missing': named, but no such StorageClass is known. */
  storageClassFrom: string;
}

/** What the webhook does to the size; `bytes` undefined when it leaves the size as it is (missing or 0). */
export interface CloneSize {
  bytes?: bigint;
  /** With `bytes`: the quantity as the source states it, and "VolumeCloneSource ns/x → PVC ns/p (field)". */
  text?: string;
  from?: string;
  sizeNote: string;
  denials: string[];
  /** The API server refuses the PVC CDI leaves without a size (render.ts `refusals`). */
  refusals: string[];
  unknowns: string[];
  uncertain: string[];
  factsUsed: string[];
}

/** "20Gi = 21,474,836,480 bytes" */
function amount(text: string | undefined, bytes: bigint): string {
  return `${text ?? groupDigits(bytes)} = ${groupDigits(bytes)} bytes`;
}

const rejectsEmpty = 'the API server then rejects the PVC, whose spec.resources.requests.storage must be set and greater than 0';

/**
 * Mirrors renderClonePvcVolumeSizeFromSource (pkg/controller/datavolume/util.go, v1.62.0–v1.66.0; v1.64.0 turns
 * its silent returns into errors (#3958) and also wants a Bound source with status.capacity, which v1.65.0 drops
 * (#4046)). The VolumeCloneSource and its source are looked up in the namespace of the
 * `cdi.kubevirt.io/dataSourceNamespace` annotation, else the PVC's (never `dataSourceRef.namespace`).
 */
export function cloneSizeFromSource(input: PvcSpecInput, target: CloneTarget, facts: Facts, b: CdiBehaviour): CloneSize {
  const out: CloneSize = { sizeNote: '', denials: [], refusals: [], unknowns: [], uncertain: [...b.cloneSizeUncertain], factsUsed: [] };
  const name = input.dataSourceRef?.name ?? '';
  const annotated = Object.hasOwn(input.annotations, ANNOTATION.dataSourceNamespace);
  const ns = annotated ? (input.annotations[ANNOTATION.dataSourceNamespace] ?? '') : input.namespace;
  const vcsName = `VolumeCloneSource ${ns}/${name}`;
  const refNs = input.dataSourceRef?.namespace;
  const lookedUp = annotated ? `in namespace ${ns} (its ${ANNOTATION.dataSourceNamespace} annotation)` : `in the PVC's namespace ${ns}`;
  const nsNote = refNs !== undefined && refNs !== ns ? `; CDI looks the VolumeCloneSource up ${lookedUp}, not in dataSourceRef.namespace ${refNs}` : '';
  const silent = b.cloneSizeErrors === 'silent';
  const leaves = `CDI ${b.version} leaves the size ${input.requestBytes === undefined ? 'missing' : '0'} and ${rejectsEmpty}`;
  // CDI returns without a size whatever the facts not known: the API server's validation refuses what it leaves.
  const refused = (why: string, left = input.requestBytes) => {
    const size = left === undefined ? 'leaves the size missing' : input.requestBytes === undefined ? 'sets the size to 0' : 'leaves the size 0';
    out.refusals.push(`${why}: CDI ${b.version} ${size}, which the API server's validation refuses (${storageRequestRefusal(left)})`);
  };
  const done = (note: string) => ({ ...out, sizeNote: `${note}${nsNote}` });
  // An upstream error return: the webhook denies with it; before v1.64 the same return was silent.
  const fail = (error: string, why: string) => {
    if (silent) refused(why);
    else out.denials.push(error);
    return done(`clone source (${vcsName}): ${why}, so CDI cannot size it`);
  };
  // A fact the workspace and the cluster lack: say what is missing, and what CDI does if it really does not exist.
  const absent = (what: string, notFound: string) => {
    const then = silent ? leaves : `CDI ${b.version} denies the PVC: ${notFound}`;
    out.unknowns.push(`${what} is not in the workspace or the cluster, and the size comes from it; if it does not exist, ${then}`);
    return done(`clone source (${vcsName}): size taken from the source, which is not known`);
  };
  const used = (what: string, f: { source: FactSource }) => out.factsUsed.push(`${what} (${describeFactSource(f.source)})`);

  const vcs = facts.claimObject?.('VolumeCloneSource', ns, name);
  if (!vcs) return absent(vcsName, `volumeclonesources.cdi.kubevirt.io "${name}" not found`);
  const src = vcs.populatorSource ?? {};
  const srcName = src.name ?? '';
  if (src.kind === 'VolumeSnapshot' && srcName !== '') {
    const what = `VolumeSnapshot ${ns}/${srcName}`;
    const s = facts.volumeSnapshot(ns, srcName);
    if (!s) return absent(`${what} (the source of ${vcsName})`, `volumesnapshots.snapshot.storage.k8s.io "${srcName}" not found`);
    if (s.restoreSizeBytes === undefined) {
      // Every version returns without a size here, error or not.
      refused(`${what} has no status.restoreSize yet`);
      return done(`clone source (${vcsName} → ${what}): the snapshot reports no restoreSize, so CDI cannot size it`);
    }
    used(`${what} restoreSize ${s.restoreSizeText ?? groupDigits(s.restoreSizeBytes)}`, s);
    Object.assign(out, { bytes: s.restoreSizeBytes, text: s.restoreSizeText ?? String(s.restoreSizeBytes), from: `${vcsName} → ${what} (status.restoreSize)` });
    return done(`taken from the clone source: status.restoreSize of ${what} (${amount(s.restoreSizeText, s.restoreSizeBytes)}), the source of ${vcsName}; not inflated`);
  }
  if (src.kind !== 'PersistentVolumeClaim' || srcName === '') {
    return fail('unsupported volumeCloneSource source', `${vcsName} has source ${src.kind ?? '(no kind)'} ${srcName || '(no name)'}, neither a named VolumeSnapshot nor PersistentVolumeClaim`);
  }
  const what = `PVC ${ns}/${srcName}`;
  const p = facts.claimObject?.('PersistentVolumeClaim', ns, srcName);
  if (!p) return absent(`${what} (the source of ${vcsName})`, `persistentvolumeclaims "${srcName}" not found`);
  return fromPvc(p, what, { input, target, facts, b, out, vcsName, fail, done, used, refused });
}

interface PvcStep {
  input: PvcSpecInput;
  target: CloneTarget;
  facts: Facts;
  b: CdiBehaviour;
  out: CloneSize;
  vcsName: string;
  fail: (error: string, why: string) => CloneSize;
  done: (note: string) => CloneSize;
  used: (what: string, f: ClaimObjectFact) => void;
  refused: (why: string, left?: bigint) => void;
}

/** The PVC half of renderClonePvcVolumeSizeFromSource: mode and class checks, then the request or the capacity. */
function fromPvc(p: ClaimObjectFact, what: string, s: PvcStep): CloneSize {
  const { input, target, facts, b, out } = s;
  const sourceMode = p.volumeMode ?? 'Filesystem'; // ResolveVolumeMode: nil is Filesystem
  const hostAssisted = input.annotations[ANNOTATION.cloneType] === 'copy';
  if (sourceMode === 'Filesystem' && target.volumeMode === 'Block' && hostAssisted) {
    // GetPVCContentType of the source: archive content lets this through; a fact that did not read it is taken as kubevirt.
    if (p.contentType === undefined) {
      out.unknowns.push(`${what} is taken to hold kubevirt disk images (its ${ANNOTATION.contentType} annotation is not known): with archive content CDI would size the clone instead`);
    } else {
      s.used(`${what} content type ${p.contentType} (${ANNOTATION.contentType}${p.contentType === 'archive' ? '' : ' absent or not archive'})`, p);
    }
    if (p.contentType !== 'archive') {
      return s.fail('cannot detect the required pvc size', `a host-assisted (${ANNOTATION.cloneType}: copy) clone of Filesystem ${what}, which holds kubevirt disk images, to a Block PVC needs CDI's size-detection pod`);
    }
  }
  // GetStorageClassByNameWithK8sFallback: the named class (a cache miss for ''), else the Kubernetes default only.
  const sourceClass = resolveStorageClass(p.storageClassName, 'archive', facts);
  const sourceName = sourceClass.name;
  if (sourceName === undefined || sourceName === '') {
    const why = sourceName === '' ? `${what} has storageClassName "" (no class)` : `${what} names no storage class and no Kubernetes default class is known`;
    return s.fail('cannot get source pvc storage class', why);
  }
  const unknownClass = (cls: string, whose: string) => {
    const then = whose === 'source' && b.cloneSizeErrors !== 'silent' ? `CDI ${b.version} denies the PVC: cannot get source pvc storage class` : `CDI ${b.version} leaves the size as it is and ${rejectsEmpty}`;
    out.unknowns.push(`StorageClass ${cls} of the ${whose} PVC is not in the workspace or the cluster, and the size assumes it exists; if it does not, ${then}`);
  };
  if (sourceClass.from === 'missing') unknownClass(sourceName, 'source');
  const targetName = target.storageClassName;
  if (targetName === undefined || targetName === '') {
    // targetSC nil returns nil in every version (the "cannot get target pvc storage class" check is unreachable).
    s.refused('the PVC ends with no storage class');
    return s.done(`clone source (${s.vcsName} → ${what}): the PVC has no storage class, so CDI does not size it`);
  }
  if (target.storageClassFrom === 'missing') unknownClass(targetName, 'target');
  if (b.cloneSizeErrors === 'strict') {
    if (p.phase === undefined) out.unknowns.push(`${what} shows no status.phase: CDI ${b.version} denies the clone unless its source is Bound: source pvc is not bound`);
    else if (p.phase !== 'Bound') return s.fail('source pvc is not bound', `${what} is ${p.phase}, not Bound`);
  }
  const differ = [
    ...(sourceMode === target.volumeMode ? [] : [`volume mode ${sourceMode} → ${target.volumeMode}`]),
    ...(sourceName === targetName ? [] : [`class ${sourceName} → ${targetName}`]),
  ];
  const tail = `of ${what}, the source of ${s.vcsName}`;
  if (differ.length > 0) {
    const why = differ.join(', ');
    if (p.capacityBytes !== undefined) {
      s.used(`${what} status.capacity.storage ${p.capacityText ?? groupDigits(p.capacityBytes)}`, p);
      Object.assign(out, { bytes: p.capacityBytes, text: p.capacityText ?? String(p.capacityBytes), from: `${s.vcsName} → ${what} (status.capacity.storage: ${why})` });
      return s.done(`taken from the clone source: status.capacity.storage ${tail} (${amount(p.capacityText, p.capacityBytes)}; ${why}); not inflated`);
    }
    if (b.cloneSizeErrors === 'strict') {
      if (p.phase !== undefined) return s.fail('source pvc has no status.capacity[storage]', `${what} reports no status.capacity.storage (${why})`);
      out.unknowns.push(`${what} shows no status here: CDI ${b.version} takes its status.capacity.storage (${why}) and denies the clone without one`);
    } else if (p.phase === undefined) {
      out.unknowns.push(`${what} shows no status.capacity.storage here: CDI takes the capacity when there is one (${why}), which may be larger than the request`);
    }
  }
  if (p.requestBytes === undefined) {
    s.refused(`${what} has no spec.resources.requests.storage`, 0n);
    return s.done(`clone source (${s.vcsName} → ${what}): the source has no request, so CDI cannot size it`);
  }
  s.used(`${what} spec.resources.requests.storage ${p.requestText ?? groupDigits(p.requestBytes)}`, p);
  Object.assign(out, { bytes: p.requestBytes, text: p.requestText ?? String(p.requestBytes), from: `${s.vcsName} → ${what} (spec.resources.requests.storage)` });
  const because = differ.length > 0 ? `${differ.join(', ')}, and it has no status.capacity.storage` : 'same volume mode and class';
  return s.done(`taken from the clone source: spec.resources.requests.storage ${tail} (${amount(p.requestText, p.requestBytes)}; ${because}); not inflated`);
}
