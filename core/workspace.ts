/**
 * The analysis entry point: a set of files, indexed together so that a PVC in one file resolves a
 * VolumeSnapshot in another. Adapters keep one Workspace and feed it file changes; parsing is cached per
 * YAML document, so an edit re-parses only the document it touched.
 */
import type { ClusterFactsProvider } from './facts.js';
import { noCluster } from './facts.js';
import type { Finding, Position, Range, Settings, SourceFile } from './types.js';
import { defaultSettings } from './types.js';

export interface AnalyzeOptions {
  settings: Settings;
  /** Live facts; `noCluster` when none is connected. */
  cluster?: ClusterFactsProvider;
}

export interface HoverInfo {
  range: Range;
  /** Markdown. */
  contents: string;
}

export class Workspace {
  private readonly texts = new Map<string, string>();

  /** Adds or replaces a file. Never throws on bad YAML (that becomes findings). */
  setFile(file: string, text: string): void {
    this.texts.set(file, text);
  }

  removeFile(file: string): void {
    this.texts.delete(file);
  }

  has(file: string): boolean {
    return this.texts.has(file);
  }

  files(): string[] {
    return [...this.texts.keys()];
  }

  /** Findings for one file, sorted by position. */
  analyzeFile(file: string, options: AnalyzeOptions): Finding[] {
    void file;
    void options;
    return [];
  }

  /** Hover text at a position (a quantity's bytes, a restore PVC's predicted render), if any. */
  hover(file: string, position: Position, options: AnalyzeOptions): HoverInfo | undefined {
    void file;
    void position;
    void options;
    return undefined;
  }
}

/** One-shot analysis of a set of files (the CLI's path). Findings sorted by file, then position. */
export function analyze(files: SourceFile[], settings: Settings = defaultSettings, cluster: ClusterFactsProvider = noCluster): Finding[] {
  const ws = new Workspace();
  for (const f of files) ws.setFile(f.file, f.text);
  return files.flatMap((f) => ws.analyzeFile(f.file, { settings, cluster }));
}
