/**
 * Plain data shared by every adapter (CLI, language server, webhook, client).
 * Positions are 0-based, characters in UTF-16 code units (as LSP and VS Code count them).
 */

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Replace `range` in the finding's file with `newText`. */
export interface TextEdit {
  range: Range;
  newText: string;
}

/** A quick fix: edits to the file the finding is in. */
export interface Fix {
  title: string;
  /** The fix an editor applies on "auto fix" / marks as preferred. At most one per finding. */
  preferred?: boolean;
  edits: TextEdit[];
}

/** One problem in the user's YAML (or, later, in the cluster). */
export interface Finding {
  /** Stable kebab-case rule id, e.g. `restore-size-exceeded`. Never renamed. */
  rule: string;
  severity: Severity;
  message: string;
  /** The file as the caller named it (a path for the CLI, a URI for the server). */
  file: string;
  range: Range;
  fixes?: Fix[];
  /** Figures behind the message, as strings (bytes are decimal integers). */
  data?: Record<string, string>;
  /** Other places the finding is about (the snapshot, the class), as adapters name files; set by adapters. */
  related?: RelatedInfo[];
}

/** A place a finding is about, besides its own. */
export interface RelatedInfo {
  file: string;
  range: Range;
  message: string;
}

/** A file handed to the analysis: its identity and its full text. */
export interface SourceFile {
  file: string;
  text: string;
}

/** User settings that change the analysis. Adapters fill them from flags or editor settings. */
export interface Settings {
  /** CDI version `X.Y.Z` (or `vX.Y.Z`) forced by the user; overrides what the facts say. */
  cdiVersion?: string;
  /** KubeVirt version `X.Y.Z` forced by the user; overrides the KubeVirt CR's. */
  kubevirtVersion?: string;
  /** Overhead to use when no CDIConfig status gives one, e.g. "0.06". Overrides the version default. */
  defaultFilesystemOverhead?: string;
  /** Provisioners that refuse a restore larger than restoreSize: findings become errors there. */
  strictProvisioners: string[];
  /** Namespace of manifests that name none (what `kubectl apply` would use). */
  defaultNamespace: string;
}

export const defaultSettings: Settings = {
  strictProvisioners: ['csi.trident.netapp.io'],
  defaultNamespace: 'default',
};
