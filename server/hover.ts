/**
 * Hover: what core knows at a position (a quantity's bytes, a restore PVC's predicted size), as markdown.
 */
import { MarkupKind, type Hover, type Position, type WorkspaceFolder } from 'vscode-languageserver/node';
import type { AnalyzeOptions, Workspace } from '../core/workspace.js';
import type { ServerContext } from './context.js';
import { relativeMessage } from './presentation.js';
import { isYamlDocument } from './uris.js';

/** The hover for `key` at `position`, or null when core has nothing to say there. */
export function hoverAt(workspace: Workspace, key: string, position: Position, options: AnalyzeOptions): Hover | null {
  if (!workspace.has(key)) return null;
  const info = workspace.hover(key, position, options);
  if (!info) return null;
  return { contents: { kind: MarkupKind.Markdown, value: info.contents }, range: info.range };
}

/** Handles `textDocument/hover` for open YAML documents; files of `folders` are named by their relative paths. */
export function registerHover(context: ServerContext, folders: () => readonly WorkspaceFolder[] = () => []): void {
  const { connection, documents, workspace, options, health, keys } = context;
  connection.onHover((params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document || !isYamlDocument(document)) return null;
    try {
      const hover = hoverAt(workspace, keys.keyOf(document.uri), params.position, options());
      health.problem('hover', undefined);
      if (hover && typeof hover.contents === 'object' && 'value' in hover.contents) hover.contents.value = relativeMessage(hover.contents.value, folders());
      return hover;
    } catch (error) {
      health.failed('hover', 'Hover', error);
      return null;
    }
  });
}
