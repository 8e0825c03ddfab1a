/**
 * Navigation requests: document symbols, go to definition, find references and code lenses, over core/navigation.
 * Each handler finds the document, asks core, and converts; a live object becomes a `kubevirt-storage:` URI
 * (protocol/explorer.ts), which the extension opens read-only and other clients may ignore.
 */
import {
  SymbolKind,
  type ClientCapabilities,
  type CodeLens,
  type DocumentSymbol,
  type Location,
  type SymbolInformation,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import type { LiveCluster } from '../cluster/live.js';
import type { StorageCacheName } from '../cluster/storageCaches.js';
import { kinds, type KindName } from '../core/kinds/index.js';
import { NavigationIndex, type LiveObjects, type Place } from '../core/navigation/index.js';
import { lensTargets, resolveLens, type LensTarget } from '../core/navigation/lenses.js';
import { documentSymbols, type DocumentSymbolInfo, type SymbolRole } from '../core/navigation/symbols.js';
import { objectDocumentUri } from '../protocol/explorer.js';
import type { ServerContext } from './context.js';
import { relativeMessage } from './presentation.js';
import { isYamlDocument } from './uris.js';

/** The command a lens runs to list references, when the client said it has it (initializationOptions.clientCommands). */
export const showReferencesCommand = 'kubevirtStorage.showReferences';

/** The live cluster's caches as core's LiveObjects; the stamp changes with every cache event. */
export class LiveCacheObjects implements LiveObjects {
  private watched: unknown;
  private unsubscribe: (() => void) | undefined;
  private token = {};

  constructor(private readonly cluster: () => LiveCluster | undefined) {}

  objects(kind: KindName): readonly unknown[] {
    const watch = (kinds[kind] as { watch?: string }).watch;
    const cache = watch === undefined ? undefined : this.caches()?.get(watch as StorageCacheName);
    return cache && cache.state !== 'not-served' ? cache.list() : [];
  }

  stamp(): unknown {
    this.caches();
    return this.token;
  }

  dispose(): void {
    this.unsubscribe?.();
  }

  /** The caches of the cluster now, subscribed to once per caches object. */
  private caches() {
    const caches = this.cluster()?.caches;
    if (caches !== this.watched) {
      this.unsubscribe?.();
      this.watched = caches;
      this.token = {};
      this.unsubscribe = caches?.onChange(() => (this.token = {}));
    }
    return caches;
  }
}

/** What an unresolved lens carries back to the server. */
interface LensData {
  uri: string;
  target: LensTarget;
}

function lensData(data: unknown): LensData | undefined {
  const d = data as Partial<LensData> | null | undefined;
  const t = d?.target;
  if (typeof d?.uri !== 'string' || !t || !['snapshot', 'claim', 'dataVolume'].includes(t.kind) || typeof t.doc !== 'number' || !Array.isArray(t.path)) return undefined;
  return { uri: d.uri, target: { kind: t.kind, doc: t.doc, path: t.path.filter((x): x is string | number => typeof x === 'string' || typeof x === 'number') } };
}

const symbolKinds: Record<SymbolRole, SymbolKind> = { object: SymbolKind.Object, template: SymbolKind.Struct, volume: SymbolKind.Field };

function toDocumentSymbol(s: DocumentSymbolInfo): DocumentSymbol {
  return { name: s.name, ...(s.detail ? { detail: s.detail } : {}), kind: symbolKinds[s.role], range: s.range, selectionRange: s.selection, children: s.children.map(toDocumentSymbol) };
}

/** For clients without hierarchical symbols: the same symbols, flat, each child naming its object as container. */
function toSymbolInformation(uri: string, symbols: readonly DocumentSymbolInfo[], container?: string): SymbolInformation[] {
  return symbols.flatMap((s) => [
    { name: s.name, kind: symbolKinds[s.role], location: { uri, range: s.range }, ...(container ? { containerName: container } : {}) },
    ...toSymbolInformation(uri, s.children, s.name),
  ]);
}

function toLocation(p: Place): Location {
  if ('file' in p) return { uri: p.file, range: p.selection };
  const start = { line: 0, character: 0 };
  return { uri: objectDocumentUri(p.cluster), range: { start, end: start } };
}

/** Registers the four navigation handlers; returns the index (for diagnostics' related information) and its disposal. */
export function registerNavigation(
  context: ServerContext,
  capabilities: () => ClientCapabilities,
  clientCommands: () => readonly string[],
  folders: () => readonly WorkspaceFolder[] = () => [],
): { index: NavigationIndex; dispose(): void } {
  const { connection, documents, workspace, health } = context;
  const live = new LiveCacheObjects(context.cluster);
  const index = new NavigationIndex(workspace, () => context.options().settings.defaultNamespace, () => live);
  const guarded = <T>(what: string, fallback: T, run: () => T): T => {
    try {
      const result = run();
      health.problem(what, undefined);
      return result;
    } catch (error) {
      health.failed(what, what, error);
      return fallback;
    }
  };
  const keyOf = (uri: string): string | undefined => {
    const document = documents.get(uri);
    return document && isYamlDocument(document) ? context.keys.keyOf(uri) : undefined;
  };

  connection.onDocumentSymbol((params) =>
    guarded('documentSymbol', [], () => {
      const key = keyOf(params.textDocument.uri);
      const parsed = key === undefined ? undefined : workspace.parsedFile(key);
      if (key === undefined || !parsed) return [];
      const symbols = documentSymbols(parsed, workspace.resources(key));
      return capabilities().textDocument?.documentSymbol?.hierarchicalDocumentSymbolSupport === true
        ? symbols.map(toDocumentSymbol)
        : toSymbolInformation(params.textDocument.uri, symbols);
    }),
  );

  connection.onDefinition((params) =>
    guarded('definition', [], () => {
      const key = keyOf(params.textDocument.uri);
      const cursor = key === undefined ? undefined : index.at(key, params.position);
      return cursor ? index.definitions(cursor.key).map(toLocation) : [];
    }),
  );

  connection.onReferences((params) =>
    guarded('references', [], () => {
      const key = keyOf(params.textDocument.uri);
      const cursor = key === undefined ? undefined : index.at(key, params.position);
      if (!cursor) return [];
      const declarations = params.context.includeDeclaration ? index.definitions(cursor.key) : [];
      return [...declarations, ...index.references(cursor.key).map((r) => r.place)].map(toLocation);
    }),
  );

  // Lenses come without titles; the client resolves those in view (a file of 5,000 snapshots costs 5,000 ranges).
  connection.onCodeLens((params) =>
    guarded('codeLens', [], () => {
      const key = keyOf(params.textDocument.uri);
      if (key === undefined) return [];
      return lensTargets(workspace.resources(key)).map((lens): CodeLens => ({ range: lens.range, data: { uri: params.textDocument.uri, target: lens.target } satisfies LensData }));
    }),
  );

  connection.onCodeLensResolve((lens) =>
    guarded('codeLens', lens, () => {
      const data = lensData(lens.data);
      const key = data && keyOf(data.uri);
      if (!data || key === undefined) return { ...lens, command: { title: '', command: '' } };
      const options = context.options();
      const resolved = index.batch(() => resolveLens(data.target, workspace.resources(key), index, workspace.facts(options), options.settings));
      // A lens names the files its figures come from as the diagnostics do: relative to the workspace.
      const title = resolved ? relativeMessage(resolved.title, folders()) : '';
      const command =
        resolved?.references && clientCommands().includes(showReferencesCommand)
          ? { title, command: showReferencesCommand, arguments: [data.uri, resolved.references] }
          : { title, command: '' };
      return { range: lens.range, command };
    }),
  );
  return { index, dispose: () => live.dispose() };
}
