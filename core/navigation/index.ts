/**
 * Navigation over the analysed files and, when connected, the live cluster: where an object is defined, which
 * objects name it, and what is under the cursor. Pure: the workspace is read through `NavigationSource` (the
 * Workspace satisfies it), the cluster through `LiveObjects` (the server adapts its caches).
 *
 * What each YAML object names and defines is computed once per parsed document and kept while it is unchanged;
 * the whole index is rebuilt only when a file's resources or the cluster's stamp changed.
 */
import { allKinds, apiVersionOf, jsonView, kindNamed, yamlView, type KindName } from '../kinds/index.js';
import type { Resource } from '../resources.js';
import type { Position, Range } from '../types.js';
import { docAtPosition, locate, nodeAtPosition, type ParsedFile, type YamlDoc } from '../yaml/documents.js';
import { keyString, objectOf, type ObjectKey } from './keys.js';
import { definitionsOf, referencesOf, type Definition, type ObjectReference, type Path, type ReferenceRole } from './references.js';

export { describeKey, keyOf, keyString, sameKey, type ObjectKey } from './keys.js';
export type { ReferenceRole } from './references.js';

/** An API object of the live cluster, as the explorer's read-only documents name it. */
export interface ClusterObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** Where something is: a range of an analysed file, or a live object (opened read-only by the client). */
export type Place = { file: string; range: Range; selection: Range } | { cluster: ClusterObjectRef };

/** The analysed files, as the Workspace offers them. */
export interface NavigationSource {
  files(): string[];
  /** The recognised objects of a file (the same array while the file is unchanged). */
  resources(file: string): Resource[];
  /** The file's documents, when it is a YAML file. */
  parsedFile?(file: string): ParsedFile | undefined;
  /**
   * Where the last object of `kind` under `key` (`namespace/name` or `name`) in `file` has its name, without the
   * file's objects: null when the source cannot tell (read `resources`), undefined when there is none.
   */
  objectNameRange?(file: string, kind: KindName, key: string): Range | undefined | null;
  /** `objectNameRange` relative to the object's segment, with where that segment starts now (see NameAnchor). */
  objectNameAnchor?(file: string, kind: KindName, key: string): NameAnchor | undefined | null;
}

/** A range relative to the first line of a document segment, and where that segment starts now. */
export interface NameAnchor {
  readonly range: Range;
  line(): number;
}

/** The live cluster's objects of a kind (parsed JSON), and a stamp that changes whenever any of them does. */
export interface LiveObjects {
  objects(kind: KindName): readonly unknown[];
  stamp(): unknown;
}

/** One reference, where it is, and the object it is in. */
export interface ReferenceSite {
  from: ObjectKey;
  role: ReferenceRole;
  target: ObjectKey;
  place: Place;
}

interface DefinitionSite {
  key: ObjectKey;
  place: Place;
}

/** What a YAML object names and defines, with file ranges. */
interface ObjectNav {
  from: ObjectKey | undefined;
  refs: Array<ReferenceSite & { path: Path }>;
  defs: Array<DefinitionSite & { path: Path }>;
}

/**
 * The object a reference belongs to: the innermost definition around it (a VM's dataVolumeTemplate is the
 * DataVolume it creates), else the object itself.
 */
function ownerOf(defs: readonly Definition[], path: Path): ObjectKey | undefined {
  let best: Definition | undefined;
  for (const d of defs) {
    const object = d.path.slice(0, -2); // without ['metadata', 'name']
    if (object.every((x, i) => path[i] === x) && (!best || object.length > best.path.length - 2)) best = d;
  }
  return best?.key;
}

const docNavs = new WeakMap<YamlDoc, Map<string, ObjectNav>>();
/**
 * The same per parsed Document, with the line it was computed at: a document that only moved (lines added above
 * it) gets its navigation shifted instead of read again. The parser re-uses a Document while its text is unchanged.
 */
const movedNavs = new WeakMap<object, Map<string, { file: string; startLine: number; nav: ObjectNav }>>();

function shiftPlace<P extends Place>(p: P, delta: number): P {
  if (!('file' in p)) return p;
  const line = (r: Range): Range => ({ start: { line: r.start.line + delta, character: r.start.character }, end: { line: r.end.line + delta, character: r.end.character } });
  return { ...p, range: line(p.range), selection: line(p.selection) };
}

function shifted(nav: ObjectNav, delta: number): ObjectNav {
  return {
    from: nav.from,
    refs: nav.refs.map((x) => ({ ...x, place: shiftPlace(x.place, delta) })),
    defs: nav.defs.map((x) => ({ ...x, place: shiftPlace(x.place, delta) })),
  };
}

function namespaceOf(r: { kind: KindName; namespace?: string }, defaultNamespace: string): string {
  return r.namespace ?? defaultNamespace;
}

/** The navigation facts of one recognised YAML object, cached per parsed document. */
function navOf(r: Resource, defaultNamespace: string): ObjectNav {
  let perDoc = docNavs.get(r.doc);
  if (!perDoc) docNavs.set(r.doc, (perDoc = new Map()));
  const memo = `${defaultNamespace}\0${r.base.join('\0')}`;
  const hit = perDoc.get(memo);
  if (hit) return hit;
  const parsed = r.doc.doc;
  const moved = parsed ? movedNavs.get(parsed)?.get(memo) : undefined;
  if (moved && moved.file === r.file) {
    const nav = moved.startLine === r.doc.startLine ? moved.nav : shifted(moved.nav, r.doc.startLine - moved.startLine);
    perDoc.set(memo, nav);
    return nav;
  }
  const nav = readNav(r, defaultNamespace);
  perDoc.set(memo, nav);
  if (parsed) {
    let byMemo = movedNavs.get(parsed);
    if (!byMemo) movedNavs.set(parsed, (byMemo = new Map()));
    byMemo.set(memo, { file: r.file, startLine: r.doc.startLine, nav });
  }
  return nav;
}

function readNav(r: Resource, defaultNamespace: string): ObjectNav {
  const view = yamlView(r.doc, r.base);
  const ns = namespaceOf(r, defaultNamespace);
  const objectRange = (r.base.length === 0 ? r.doc.range : locate(r.doc, r.base)?.range) ?? r.doc.range;
  const placeAt = (path: Path, whole?: Path): Place | undefined => {
    const at = locate(r.doc, [...r.base, ...path]);
    if (!at) return undefined;
    const range = whole ? (locate(r.doc, [...r.base, ...whole])?.range ?? objectRange) : objectRange;
    return { file: r.file, range, selection: at.range };
  };
  const defs: ObjectNav['defs'] = [];
  for (const d of definitionsOf(r.kind, view, ns)) {
    // A template's range is the template; the object's, the object.
    const place = placeAt(d.path, d.path.length > 2 ? d.path.slice(0, -2) : undefined);
    if (place) defs.push({ key: d.key, place, path: [...r.base, ...d.path] });
  }
  const from = defs[0]?.key;
  const refs: ObjectNav['refs'] = [];
  const owned = definitionsOf(r.kind, view, ns);
  for (const ref of referencesOf(r.kind, view, ns)) {
    const at = locate(r.doc, [...r.base, ...ref.path]);
    const owner = ownerOf(owned, ref.path);
    if (at && owner) refs.push({ from: owner, role: ref.role, target: ref.target, place: { file: r.file, range: at.range, selection: at.range }, path: [...r.base, ...ref.path] });
  }
  return { from, refs, defs };
}

const liveNavs = new WeakMap<object, { defs: DefinitionSite[]; refs: ReferenceSite[] }>();

/** Kinds the live side is asked for: those the cluster keeps caches of. */
const liveKinds: readonly KindName[] = allKinds.filter((d) => d.watch !== undefined).map((d) => d.kind);

function liveNavOf(kind: KindName, o: unknown, defaultNamespace: string): { defs: DefinitionSite[]; refs: ReferenceSite[] } {
  const cached = typeof o === 'object' && o !== null ? liveNavs.get(o) : undefined;
  if (cached) return cached;
  const view = jsonView(o);
  const d = kindNamed(kind)!;
  const ns = view.namespace ?? defaultNamespace;
  const ref: ClusterObjectRef = { apiVersion: apiVersionOf(d), kind, ...(d.scope === 'Namespaced' ? { namespace: ns } : {}), name: view.name ?? '' };
  const place: Place = { cluster: ref };
  const owned = definitionsOf(kind, view, ns);
  const defs = owned.map((x) => ({ key: x.key, place }));
  const refs = referencesOf(kind, view, ns).flatMap((r: ObjectReference) => {
    const from = ownerOf(owned, r.path);
    return from ? [{ from, role: r.role, target: r.target, place }] : [];
  });
  const nav = { defs, refs };
  if (typeof o === 'object' && o !== null) liveNavs.set(o, nav);
  return nav;
}

/** What is under the cursor: a reference to an object, or the name of an object defined there. */
export interface AtCursor {
  key: ObjectKey;
  range: Range;
  site: 'reference' | 'definition';
  /** For a reference: why the object is named. */
  role?: ReferenceRole;
}

/** Sites by key string; a set, so that one object's sites come and go without touching the others'. */
type Sites<T> = Map<string, Set<T>>;

/** What one object contributes: its definitions and references (the same object while its YAML is unchanged). */
interface Nav {
  readonly defs: readonly DefinitionSite[];
  readonly refs: readonly ReferenceSite[];
}

function add<T>(m: Sites<T>, key: ObjectKey, v: T): void {
  const k = keyString(key);
  const set = m.get(k);
  if (set) set.add(v);
  else m.set(k, new Set([v]));
}

function drop<T>(m: Sites<T>, key: ObjectKey, v: T): void {
  const k = keyString(key);
  const set = m.get(k);
  if (!set) return;
  set.delete(v);
  if (set.size === 0) m.delete(k);
}

function all<T>(m: Sites<T>, key: string): T[] {
  const set = m.get(key);
  return set ? [...set] : [];
}

interface Contribution {
  resources: readonly Resource[] | undefined;
  navs: readonly Nav[];
}

/** The contributor name of the live cluster (no file key is empty). */
const clusterContributor = '';

/**
 * The index over a source and a live cluster. Before each question it brings itself up to date: a file whose
 * resources changed (a new array from the source) is re-indexed alone; the cluster, when its stamp changed.
 */
export class NavigationIndex {
  private readonly defs: Sites<DefinitionSite> = new Map();
  private readonly refs: Sites<ReferenceSite> = new Map();
  private readonly contributions = new Map<string, Contribution>();
  private liveStamp: unknown;
  private namespace: string | undefined;
  /** Inside `batch`: brought up to date once, not on every question. */
  private fresh = false;

  constructor(
    private readonly source: NavigationSource,
    private readonly defaultNamespace: () => string,
    private readonly live: () => LiveObjects | undefined = () => undefined,
  ) {}

  /** Runs `questions` against one up-to-date index (many lookups for one publish check the files once). */
  batch<T>(questions: () => T): T {
    if (this.fresh) return questions();
    this.update();
    this.fresh = true;
    try {
      return questions();
    } finally {
      this.fresh = false;
    }
  }

  /** Where `key` is defined: in the files first (what the user is writing), else in the cluster. */
  definitions(key: ObjectKey): Place[] {
    this.update();
    const found = all(this.defs, keyString(key));
    const inFiles = found.filter((d) => 'file' in d.place);
    return (inFiles.length > 0 ? inFiles : found).map((d) => d.place);
  }

  /** Every place that names `key` (a StatefulSet's references to its templates included when `key` is the object). */
  references(key: ObjectKey): ReferenceSite[] {
    this.update();
    const exact = all(this.refs, keyString(key));
    // Only a StatefulSet has members (its volumeClaimTemplates, which VolumeResizes name).
    if (key.member !== undefined || key.kind !== 'StatefulSet') return exact;
    // `Kind\0ns\0name\0` starts the keys of the object and of each of its members.
    const prefix = keyString(objectOf(key));
    const members = [...this.refs.keys()].filter((k) => k.startsWith(prefix) && k !== prefix).flatMap((k) => all(this.refs, k));
    return [...exact, ...members];
  }

  /** The reference or defined name at a position of an analysed file. */
  at(file: string, pos: Position): AtCursor | undefined {
    const parsed = this.source.parsedFile?.(file);
    const d = parsed && docAtPosition(parsed, pos);
    const node = d && nodeAtPosition(d, pos);
    if (!d || !node) return undefined;
    const r = this.source.resources(file).find((x) => x.doc === d && x.base.every((step, i) => node.path[i] === step));
    if (!r) return undefined;
    const nav = navOf(r, this.defaultNamespace());
    const same = (p: Path) => p.length === node.path.length && p.every((x, i) => x === node.path[i]);
    const ref = nav.refs.find((x) => same(x.path));
    if (ref) return { key: ref.target, range: node.range, site: 'reference', role: ref.role };
    const def = nav.defs.find((x) => same(x.path));
    return def ? { key: def.key, range: node.range, site: 'definition' } : undefined;
  }

  /** The navigation facts of one object of a file (for symbols and lenses). */
  objectOf(r: Resource): { key: ObjectKey | undefined; defs: DefinitionSite[]; refs: ReferenceSite[] } {
    const nav = navOf(r, this.defaultNamespace());
    return { key: nav.from, defs: nav.defs, refs: nav.refs };
  }

  private update(): void {
    if (this.fresh) return;
    const ns = this.defaultNamespace();
    if (ns !== this.namespace) {
      // Names without a namespace moved: start over.
      this.namespace = ns;
      this.defs.clear();
      this.refs.clear();
      this.contributions.clear();
      this.liveStamp = undefined;
    }
    const files = this.source.files();
    const present = new Set(files);
    for (const [file, c] of this.contributions) {
      if (file === clusterContributor || present.has(file)) continue;
      this.replace(file, c, undefined, []);
    }
    for (const file of files) {
      const resources = this.source.resources(file);
      const c = this.contributions.get(file);
      if (c?.resources === resources) continue;
      // Objects whose documents did not change keep their navigation object: only the others come and go.
      this.replace(file, c, resources, resources.map((r) => navOf(r, ns)));
    }
    const live = this.live();
    const stamp = live?.stamp();
    if (stamp === this.liveStamp && this.contributions.has(clusterContributor) === (live !== undefined)) return;
    this.liveStamp = stamp;
    const navs = live ? liveKinds.flatMap((kind) => live.objects(kind).map((o) => liveNavOf(kind, o, ns))) : [];
    this.replace(clusterContributor, this.contributions.get(clusterContributor), undefined, navs, live === undefined);
  }

  /** Replaces what one contributor (a file, or the cluster) names and defines; `gone`: it contributes nothing any more. */
  private replace(contributor: string, old: Contribution | undefined, resources: readonly Resource[] | undefined, navs: readonly Nav[], gone = resources === undefined && navs.length === 0): void {
    const kept = new Set(navs);
    const had = new Set(old?.navs ?? []);
    for (const nav of had) {
      if (kept.has(nav)) continue;
      for (const d of nav.defs) drop(this.defs, d.key, d);
      for (const x of nav.refs) drop(this.refs, x.target, x);
    }
    for (const nav of kept) {
      if (had.has(nav)) continue;
      for (const d of nav.defs) add(this.defs, d.key, d);
      for (const x of nav.refs) add(this.refs, x.target, x);
    }
    if (gone) this.contributions.delete(contributor);
    else this.contributions.set(contributor, { resources, navs });
  }
}
