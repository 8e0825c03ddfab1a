/**
 * The completion framework's contract. A provider is pure: it looks at the context (the YAML path at the
 * cursor, the object and claim it is in, the facts) and returns items for its context only, [] anywhere else,
 * so that other YAML tools (the Red Hat YAML extension) keep answering there. Items carry markdown
 * documentation and a rank; the adapter (server/completion.ts) turns them into LSP items.
 */
import type { PlaceAt } from '../claimSpecs/places.js';
import type { Facts } from '../facts.js';
import type { Range, Settings, TextEdit } from '../types.js';
import type { YamlCursor } from '../yaml/cursor.js';
import type { YamlDoc } from '../yaml/documents.js';

/** How the editor shows an item (the adapter maps it to an LSP CompletionItemKind). */
export type CompletionItemKind = 'property' | 'value' | 'enum' | 'reference' | 'unit' | 'class' | 'snippet';

export interface CompletionItem {
  label: string;
  kind: CompletionItemKind;
  /** One line beside the label, e.g. "virt default · csi.trident.netapp.io". */
  detail?: string;
  /** Markdown; every item explains itself. */
  documentation: string;
  /** Inserted instead of the label. With `snippet`, `${1}` tab stops; lines after the first are indented relative to the cursor's line. */
  insertText?: string;
  snippet?: boolean;
  /** Lower first; ties sort by label. */
  rank: number;
  preselect?: boolean;
  /** What the editor matches the typed prefix against (default: the label). */
  filterText?: string;
  /** What the item replaces (default: the cursor's prefix). */
  range?: Range;
  /** Other edits made with the item (e.g. the `apiGroup` a `dataSourceRef` kind needs). */
  additionalEdits?: TextEdit[];
  /** Ask for completion again once inserted (after a key, for its value). */
  retrigger?: boolean;
}

/** The object the cursor is in. Incomplete documents are not recognised resources yet: kind and apiVersion as written. */
export interface CursorObject {
  kind?: string;
  apiVersion?: string;
  name?: string;
  /** `metadata.namespace`, else the default namespace. */
  namespace: string;
  /** Path of the object in the document: [] or ['items', i] in a List. */
  base: (string | number)[];
}

export interface CompletionContext {
  cursor: YamlCursor;
  object: CursorObject;
  /** The cursor's path relative to the object. */
  rel: (string | number)[];
  /** The claim spec the cursor is in (core/claimSpecs/places.ts), and the path inside that spec. */
  claim?: { at: PlaceAt; rest: (string | number)[] };
  /**
   * The document to read other fields from: the one at the cursor, or, when it does not parse, the same text
   * with the cursor's line emptied (which usually parses: the half-typed line is the only error).
   */
  doc: YamlDoc;
  facts: Facts;
  settings: Settings;
}

/**
 * One provider per context. To add one: a file in core/completion/providers/ exporting a CompletionProvider,
 * and one line in core/completion/providers/index.ts. `provide` must return [] outside its context.
 */
export interface CompletionProvider {
  /** Stable kebab-case id, for logs and tests. */
  id: string;
  /** Items, or a result saying more exist than were returned (long name lists). */
  provide(ctx: CompletionContext): CompletionItem[] | CompletionResult;
}

export interface CompletionResult {
  items: CompletionItem[];
  /** What the items replace unless they say otherwise: the prefix typed at the cursor. */
  range?: Range;
  /** More items exist than were returned: the editor asks again as the user types. */
  isIncomplete: boolean;
}
