/**
 * What the server does to an analysis' findings before publishing them, as the CLI does: Helm templates become
 * their one finding, the manifests' suppressions and the repository's `.kvstorage.yaml` apply, each finding
 * links the objects it is about (relatedInformation), and messages name workspace files by their relative path,
 * as the CLI prints them, instead of by URI. A narrow post-filter: the analysis is not touched.
 */
import type { WorkspaceFolder } from 'vscode-languageserver/node';
import { helmTemplateFinding, isHelmTemplate } from '../core/helm.js';
import type { Place } from '../core/navigation/index.js';
import { relatedPlaces } from '../core/navigation/related.js';
import { applyRuleConfig, type RepoConfig } from '../core/repoConfig.js';
import { unsuppressed } from '../core/suppress.js';
import type { Finding } from '../core/types.js';
import type { AnalyzeOptions, Workspace } from '../core/workspace.js';
import { objectDocumentUri } from '../protocol/explorer.js';

export interface PresentationDeps {
  workspace: Workspace;
  /** What the analysis ran with: the related objects are found through its facts. */
  options: () => AnalyzeOptions;
  config: (key: string) => RepoConfig;
  folders: () => readonly WorkspaceFolder[];
}

function uriOf(p: Place): { uri: string; range: Finding['range'] } {
  if ('file' in p) return { uri: p.file, range: p.selection };
  const start = { line: 0, character: 0 };
  return { uri: objectDocumentUri(p.cluster), range: { start, end: start } };
}

/** `file:///work/repo/examples/a.yaml` → `examples/a.yaml` (in a multi-root workspace, `<folder name>/examples/a.yaml`). */
export function relativeMessage(message: string, folders: readonly WorkspaceFolder[]): string {
  if (!message.includes('file:')) return message;
  let out = message;
  for (const f of folders) {
    const prefix = f.uri.endsWith('/') ? f.uri : `${f.uri}/`;
    out = out.split(prefix).join(folders.length > 1 ? `${f.name}/` : '');
  }
  return out;
}

/** The findings of `key` (text `text`) as the user should see them. */
export function present(key: string, text: string, findings: readonly Finding[], deps: PresentationDeps): Finding[] {
  const config = deps.config(key);
  if (isHelmTemplate(key, text)) return applyRuleConfig([helmTemplateFinding(key, text)], config);
  const kept = applyRuleConfig(unsuppressed(findings, deps.workspace.parsedFile(key), deps.workspace.resources(key), text), config);
  const folders = deps.folders();
  const options = kept.some((f) => f.data) ? deps.options() : undefined;
  const facts = options && deps.workspace.facts(options);
  return kept.map((f) => {
    const related = (facts ? relatedPlaces(f, facts, deps.workspace, options!.settings.defaultNamespace) : []).map(({ place, message }) => {
      const { uri, range } = uriOf(place);
      return { file: uri, range, message };
    });
    const message = relativeMessage(f.message, folders);
    return related.length === 0 && message === f.message ? f : { ...f, message, ...(related.length > 0 ? { related } : {}) };
  });
}
