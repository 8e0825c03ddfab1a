/**
 * Hover: what core knows at a position (a quantity's bytes, a restore PVC's predicted size, a VirtualMachineRestore's
 * restore PVCs), as markdown; on those PVCs, while a cluster is connected, a "Check with the cluster" link.
 */
import { MarkupKind, type Hover, type Position, type WorkspaceFolder } from 'vscode-languageserver/node';
import type { AnalyzeOptions, Workspace } from '../core/workspace.js';
import type { ServerContext } from './context.js';
import { relativeMessage } from './presentation.js';
import { checkWithClusterCommand, checkWithClusterTitle } from './probe.js';
import { isYamlDocument } from './uris.js';

/** A command link the client trusts (its hover middleware enables exactly this command). */
export function checkWithClusterLink(uri: string, position: Position): string {
  const args = encodeURIComponent(JSON.stringify([{ uri, position }]));
  return `[${checkWithClusterTitle}](command:${checkWithClusterCommand}?${args} "Ask the API server what it would store: a dry-run create, nothing is kept")`;
}

/** The hover for `key` at `position`, or null when core has nothing to say there; `link` adds the check link to a checkable one. */
export function hoverAt(workspace: Workspace, key: string, position: Position, options: AnalyzeOptions, link?: (position: Position) => string): Hover | null {
  if (!workspace.has(key)) return null;
  const info = workspace.hover(key, position, options);
  if (!info) return null;
  const value = info.checkable && link ? `${info.contents}\n\n${link(position)}` : info.contents;
  return { contents: { kind: MarkupKind.Markdown, value }, range: info.range };
}

/** Handles `textDocument/hover` for open YAML documents; files of `folders` are named by their relative paths. */
export function registerHover(context: ServerContext, folders: () => readonly WorkspaceFolder[] = () => []): void {
  const { connection, documents, workspace, options, health, keys } = context;
  connection.onHover((params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document || !isYamlDocument(document)) return null;
    try {
      const connected = context.cluster()?.facts.state.kind === 'connected';
      const link = connected ? (p: Position) => checkWithClusterLink(document.uri, p) : undefined;
      const hover = hoverAt(workspace, keys.keyOf(document.uri), params.position, options(), link);
      health.problem('hover', undefined);
      if (hover && typeof hover.contents === 'object' && 'value' in hover.contents) hover.contents.value = relativeMessage(hover.contents.value, folders());
      return hover;
    } catch (error) {
      health.failed('hover', 'Hover', error);
      return null;
    }
  });
}
