/** A SARIF 2.1.0 log of one run of kvstorage: the tool with the rule catalogue, and `run`'s own members. */
export function sarifLog(tool: { version: string; informationUri: string }, run: Record<string, unknown>): object {
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kvstorage',
            informationUri: tool.informationUri,
            version: tool.version,
            semanticVersion: tool.version,
            rules: ruleCatalog.map((r) => ({
              id: r.id,
              shortDescription: { text: r.title },
              fullDescription: { text: r.description },
              defaultConfiguration: { level: sarifLevels[r.defaultSeverity] },
            })),
          },
        },
        ...run,
      },
    ],
  };
}

/**
 * SARIF 2.1.0 for code-scanning uploads: one run, the rule catalogue as `tool.driver.rules`, paths relative
 * to `%SRCROOT%` (the working directory) where they can be, 1-based regions in UTF-16 code units.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ruleCatalog } from '../../core/rules/catalog.js';
import type { Finding, Severity } from '../../core/types.js';

export interface SarifFormatOptions {
  /** Every analysed file, as findings name them (the run's `artifacts`, in this order). */
  files: readonly string[];
  /** The directory `%SRCROOT%` stands for; relative paths are relative to it. */
  cwd: string;
  version: string;
  informationUri: string;
}

type SarifLevel = 'error' | 'warning' | 'note';

export const sarifLevels: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

const SRCROOT = '%SRCROOT%';

interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
  index?: number;
}

export function formatSarif(findings: readonly Finding[], options: SarifFormatOptions): string {
  const artifactIndex = new Map<string, number>();
  const artifacts = options.files.map((file, index) => {
    artifactIndex.set(file, index);
    return { location: artifactLocation(file, options.cwd) };
  });
  const ruleIndex = new Map(ruleCatalog.map((r, i) => [r.id, i]));

  const results = findings.map((f) => {
    const location: ArtifactLocation = artifactLocation(f.file, options.cwd);
    const index = artifactIndex.get(f.file);
    if (index !== undefined) location.index = index;
    return {
      ruleId: f.rule,
      ...(ruleIndex.has(f.rule) ? { ruleIndex: ruleIndex.get(f.rule) } : {}),
      level: sarifLevels[f.severity],
      message: { text: f.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: location,
            // SARIF columns are 1-based and endColumn points just past the region, as LSP's end does.
            region: {
              startLine: f.range.start.line + 1,
              startColumn: f.range.start.character + 1,
              endLine: f.range.end.line + 1,
              endColumn: f.range.end.character + 1,
            },
          },
        },
      ],
      properties: { ...f.data },
    };
  });

  const log = sarifLog(options, {
    originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(options.cwd) } },
    artifacts,
    results,
    columnKind: 'utf16CodeUnits',
  });
  return JSON.stringify(log, null, 2) + '\n';
}

/**
 * A file as SARIF names it: relative to %SRCROOT% when it lies under the working directory, an absolute
 * `file:` URI otherwise (absolute paths, `../` paths). `<stdin>` becomes the relative URI `%3Cstdin%3E`.
 */
function artifactLocation(file: string, cwd: string): ArtifactLocation {
  const escapes = file === '..' || file.startsWith('../');
  if (path.isAbsolute(file) || escapes) return { uri: pathToFileURL(path.resolve(cwd, file)).href };
  return { uri: file.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/** originalUriBaseIds URIs must end with a slash. */
function directoryUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : href + '/';
}
