/**
 * The workspace's facts, kept up to date one document at a time. Each recognised object of a fact kind
 * contributes its fact under its key; when one key has several contributions (an object defined twice), the
 * first in file order wins, as in a fresh analysis. Edits are staged and committed together, and a key whose
 * winning fact is equal by value to the one before (a comment edited in a VolumeSnapshot) keeps the very same
 * fact object and is not reported as changed: rules that read it need not run again.
 */
import type { ClaimObjectFact, Facts, PdbFact, SnapshotClassFact, SnapshotFact, StatefulSetFact, StorageClassFact } from './facts.js';
import type { FactKind, FactOf } from './kinds/index.js';
import { ownValue } from './own.js';
import type { NameAnchor } from './navigation/index.js';

/** One object's fact, and where it is (to order duplicates). */
export interface Contribution {
  kind: FactKind;
  key: string;
  fact: unknown;
  /** The file's rank (the order files were added in). */
  rank: number;
  /** The position of the object within its file (its segment's index, then its place in the segment). */
  position: () => number;
  sub: number;
  /** Where the object's `metadata.name` is, relative to its segment, if it has one. */
  nameAnchor?: () => NameAnchor | undefined;
}

export type { NameAnchor } from './navigation/index.js';

/** The dependency key of a fact lookup: kind and key (`StorageClass\0*` for the list of classes). */
export function factKey(kind: FactKind, key: string): string {
  return `${kind}\0${key}`;
}

export const allClassesKey = factKey('StorageClass', '*');

/** The dependency key of the list of one kind's objects in a namespace (`volumeSnapshots`, `claimObjects`). */
export function listKey(kind: FactKind, namespace: string): string {
  return factKey(kind, `${namespace}/*`);
}

/** The list key a fact's dependency key belongs to: its namespace's for namespaced kinds, else its kind's. */
function listKeyOf(k: string): string {
  const sep = k.indexOf('\0');
  const slash = k.lastIndexOf('/');
  return slash > sep ? `${k.slice(0, slash)}/*` : `${k.slice(0, sep + 1)}*`;
}

interface Winner {
  contribution: Contribution;
  fact: unknown;
}

export class FactIndex {
  private readonly contributions = new Map<string, Contribution[]>();
  private readonly winners = new Map<string, Winner>();
  /** Keys touched since the last commit, with the fact they had before. */
  private readonly staged = new Map<string, unknown>();
  private classes: StorageClassFact[] | undefined;
  /** Lists by namespace handed out (`listKey` → objects in definition order), kept while they hold. */
  private readonly lists = new Map<string, unknown[]>();
  /** The winning keys of each list key (`listKeyOf`), so that a list reads its own keys, not every winner. */
  private readonly members = new Map<string, Set<string>>();
  /** Per dependency key, a number that changes whenever a contribution under it is added or removed. */
  private readonly versions = new Map<string, { n: number }>();
  private tick = 0;

  add(c: Contribution): void {
    const k = factKey(c.kind, c.key);
    this.stage(k);
    const list = this.contributions.get(k);
    if (list) list.push(c);
    else this.contributions.set(k, [c]);
  }

  remove(c: Contribution): void {
    const k = factKey(c.kind, c.key);
    const list = this.contributions.get(k);
    const i = list ? list.indexOf(c) : -1;
    if (i < 0) return;
    this.stage(k);
    list!.splice(i, 1);
    if (list!.length === 0) this.contributions.delete(k);
  }

  /** Settles the staged keys; returns the dependency keys whose fact changed. */
  commit(): string[] {
    const changed: string[] = [];
    let classes = false;
    const lists = new Set<string>();
    for (const [k, before] of this.staged) {
      const listed = listKeyOf(k);
      if (this.lists.has(listed)) lists.add(listed);
      const list = this.contributions.get(k);
      const first = list && (list.length === 1 ? list[0]! : list.reduce((a, b) => (earlier(b, a) ? b : a)));
      if (!first) {
        if (this.winners.delete(k)) this.members.get(listed)?.delete(k);
      } else {
        // Equal by value: keep the object rules already saw.
        const fact = before !== undefined && sameValue(before, first.fact) ? before : first.fact;
        this.winners.set(k, { contribution: first, fact });
        const group = this.members.get(listed);
        if (group) group.add(k);
        else this.members.set(listed, new Set([k]));
      }
      if (this.winners.get(k)?.fact !== before) changed.push(k);
      classes ||= k.startsWith('StorageClass\0');
    }
    this.staged.clear();
    // The list of classes follows where each is defined: it may change order with the same facts.
    if (classes && this.classes) {
      const before = this.classes;
      this.classes = undefined;
      const after = this.storageClasses();
      if (after.length === before.length && after.every((c, i) => c === before[i])) this.classes = before;
      else changed.push(allClassesKey);
    }
    // So do the lists by namespace that were handed out.
    for (const k of lists) {
      const before = this.lists.get(k)!;
      this.lists.delete(k);
      const after = this.list(k);
      if (after.length === before.length && after.every((c, i) => c === before[i])) this.lists.set(k, before);
      else changed.push(k);
    }
    return changed;
  }

  private stage(k: string): void {
    const v = this.versions.get(k);
    if (v) v.n = ++this.tick;
    else this.versions.set(k, { n: ++this.tick });
    if (!this.staged.has(k)) this.staged.set(k, this.winners.get(k)?.fact);
  }

  /**
   * A number that changes whenever a contribution under the dependency key `k` (`factKey`) comes or goes, also
   * one equal by value (a comment edited in its document): what was worked out from the key's contributions
   * (where its objects are) holds while it is the same.
   */
  version(k: string): number {
    return this.versions.get(k)?.n ?? 0;
  }

  /** A number that changes whenever any key's `version` does (the last version handed out). */
  versionsTick(): number {
    return this.tick;
  }

  /**
   * `version(k)` as the cell the index keeps it in, read without a lookup (for asking often): a field read, not a
   * closure call (the presenter reads one per key of each related object, on every publish).
   */
  versionCell(k: string): { readonly n: number } {
    let v = this.versions.get(k);
    if (!v) this.versions.set(k, (v = { n: 0 }));
    return v;
  }

  /** Every contribution under one key, in no particular order (read-only). */
  contributionsOf(kind: FactKind, key: string): readonly Contribution[] {
    return this.contributions.get(factKey(kind, key)) ?? [];
  }

  get<K extends FactKind>(kind: K, key: string): FactOf<K> | undefined {
    return this.winners.get(factKey(kind, key))?.fact as FactOf<K> | undefined;
  }

  /** StorageClasses in the order a fresh analysis lists them: by where their winning definition is. */
  storageClasses(): StorageClassFact[] {
    if (this.classes) return this.classes;
    return (this.classes = this.ordered(allClassesKey) as StorageClassFact[]);
  }

  /** The winning facts under a list key (`kind\0namespace/*`), in the order of their definitions. */
  private list(k: string): unknown[] {
    const cached = this.lists.get(k);
    if (cached) return cached;
    const out = this.ordered(k);
    this.lists.set(k, out);
    return out;
  }

  /** The winning facts of a list key, in the order of their definitions (reads only that key's winners). */
  private ordered(k: string): unknown[] {
    const found: Winner[] = [];
    for (const key of this.members.get(k) ?? []) found.push(this.winners.get(key)!);
    found.sort((a, b) => (earlier(a.contribution, b.contribution) ? -1 : 1));
    return found.map((w) => w.fact);
  }

  /** The contributions that count, one per key. */
  winning(): Contribution[] {
    return [...this.winners.values()].map((w) => w.contribution);
  }

  /** The index as core's Facts. */
  readonly facts: Facts = {
    volumeSnapshot: (ns, name) => this.get('VolumeSnapshot', `${ns}/${name}`),
    storageClass: (name) => this.get('StorageClass', name),
    storageClasses: () => this.storageClasses(),
    storageProfile: (name) => this.get('StorageProfile', name),
    cdiConfig: () => this.get('CDIConfig', ''),
    cdiVersion: () => this.get('CDI', ''),
    kubevirtVersion: () => this.get('KubeVirt', ''),
    virtualMachineSnapshot: (ns, name) => this.get('VirtualMachineSnapshot', `${ns}/${name}`),
    virtualMachineSnapshotContent: (ns, name) => this.get('VirtualMachineSnapshotContent', `${ns}/${name}`),
    dataSource: (ns, name) => this.get('DataSource', `${ns}/${name}`),
    volumeSnapshotClass: (name) => this.get('VolumeSnapshotClass', name),
    volumeSnapshotClasses: () => [...this.list(factKey('VolumeSnapshotClass', '*'))] as SnapshotClassFact[],
    volumeSnapshotContent: (name) => this.get('VolumeSnapshotContent', name),
    volumeSnapshots: (ns) => [...this.list(listKey('VolumeSnapshot', ns))] as SnapshotFact[],
    claimObject: (kind, ns, name) => this.get(kind, `${ns}/${name}`) as ClaimObjectFact | undefined,
    claimObjects: (kind, ns) => [...this.list(listKey(kind, ns))] as ClaimObjectFact[],
    statefulSet: (ns, name) => this.get('StatefulSet', `${ns}/${name}`),
    statefulSets: (ns) => [...this.list(listKey('StatefulSet', ns))] as StatefulSetFact[],
    podDisruptionBudgets: (ns) => [...this.list(listKey('PodDisruptionBudget', ns))] as PdbFact[],
  };
}

function earlier(a: Contribution, b: Contribution): boolean {
  if (a.rank !== b.rank) return a.rank < b.rank;
  const pa = a.position();
  const pb = b.position();
  return pa !== pb ? pa < pb : a.sub < b.sub;
}

/** Deep equality of plain fact data (objects, arrays, strings, numbers, bigints, booleans). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!Object.hasOwn(b, k) || !sameValue(ownValue(a as Record<string, unknown>, k), ownValue(b as Record<string, unknown>, k))) return false;
  return true;
}

/** A contributed fact with its place in a run over several workspaces: the file's rank, then its place in it. */
export interface SharedFact {
  kind: FactKind;
  key: string;
  fact: unknown;
  rank: number;
  position: number;
  sub: number;
}

/**
 * The facts of contributions gathered from several workspaces (each file's rank its order in the whole run), as
 * one workspace holding all the files would have them; `winners` are the contributions that count (for sending on).
 */
export function sharedFacts(list: readonly SharedFact[]): { facts: Facts; winners: SharedFact[] } {
  const index = new FactIndex();
  const of = new Map<Contribution, SharedFact>();
  for (const c of list) {
    const contribution: Contribution = { kind: c.kind, key: c.key, fact: c.fact, rank: c.rank, position: () => c.position, sub: c.sub };
    of.set(contribution, c);
    index.add(contribution);
  }
  index.commit();
  return { facts: index.facts, winners: index.winning().map((w) => of.get(w)!) };
}
