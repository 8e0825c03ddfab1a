/** Builds a CompletionContext from a parsed file and a position. */
import { claimPlaceAt } from '../claimSpecs/places.js';
import type { Facts } from '../facts.js';
import type { Position, Settings } from '../types.js';
import { cursorAt } from '../yaml/cursor.js';
import type { ParsedFile, YamlDoc } from '../yaml/documents.js';
import { docAtPosition, parseYamlFile, scalarString } from '../yaml/documents.js';
import type { CompletionContext, CursorObject } from './types.js';

/** The document's text with line `line` (segment-relative) emptied, parsed on its own; undefined if it still does not parse. */
function repaired(d: YamlDoc, line: number): YamlDoc | undefined {
  const lines = d.text.split(/(\r\n|\r|\n)/);
  // split with a capture keeps the breaks at odd indexes: line i is at index 2i.
  if (lines[2 * line] === undefined) return undefined;
  lines[2 * line] = '';
  const doc = parseYamlFile('completion.yaml', lines.join('')).docs[0];
  return doc?.doc && doc.problems.length === 0 ? doc : undefined;
}

/** A top-level scalar of the segment read as text, for documents that do not parse. */
function topLevel(text: string, key: string): string | undefined {
  const m = new RegExp(`^${key}:[ \\t]*["']?([^\\s"'#]+)`, 'm').exec(text);
  return m?.[1];
}

function objectOf(d: YamlDoc, path: (string | number)[], defaultNamespace: string): CursorObject {
  const rootKind = scalarString(d, ['kind']) ?? topLevel(d.text, 'kind');
  const inList = rootKind !== undefined && rootKind.endsWith('List') && path[0] === 'items' && typeof path[1] === 'number';
  const base = inList ? ['items', path[1]!] : [];
  const field = (...p: string[]) => scalarString(d, [...base, ...p]);
  const kind = inList ? field('kind') : rootKind;
  const apiVersion = inList ? field('apiVersion') : (field('apiVersion') ?? topLevel(d.text, 'apiVersion'));
  const namespace = field('metadata', 'namespace') ?? (inList ? undefined : /^metadata:[ \t]*\r?\n(?:[ \t]+.*\r?\n)*?[ \t]+namespace:[ \t]*["']?([^\s"'#]+)/m.exec(d.text)?.[1]);
  const name = field('metadata', 'name');
  return {
    namespace: namespace ?? defaultNamespace,
    base,
    ...(kind === undefined ? {} : { kind }),
    ...(apiVersion === undefined ? {} : { apiVersion }),
    ...(name === undefined ? {} : { name }),
  };
}

/** The context at `pos`, or undefined where nothing can be completed. */
export function completionContext(file: ParsedFile, pos: Position, facts: Facts, settings: Settings): CompletionContext | undefined {
  const d = docAtPosition(file, pos);
  if (!d) return undefined;
  const cursor = cursorAt(d, pos);
  if (!cursor) return undefined;
  const doc = cursor.via === 'parsed' ? d : (repaired(d, pos.line - d.startLine) ?? d);
  const object = objectOf(doc, cursor.path, settings.defaultNamespace);
  const rel = cursor.path.slice(object.base.length);
  const claim = object.kind === undefined ? undefined : claimPlaceAt(object.kind, rel);
  return { cursor, object, rel, doc, facts, settings, ...(claim ? { claim } : {}) };
}
