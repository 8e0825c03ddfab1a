/**
 * Findings on what `kubectl kustomize DIR` rendered, mapped back to the kustomization's own files where the object
 * and the field can be found there: the same kind, the same name (or the rendered name holding it, for
 * `namePrefix`/`nameSuffix`), the same field path. A field a patch added maps to the object's name; an object no
 * source file holds stays on the rendered output. Mapped findings lose their fixes (they edit the rendered text).
 */
import type { Resource } from './resources.js';
import { resourcesOf } from './resources.js';
import type { Finding, SourceFile } from './types.js';
import { docAtPosition, locate, nodeAtPosition, parseYamlFile } from './yaml/documents.js';

interface SourceObject {
  file: string;
  resource: Resource;
}

function objectsOf(files: readonly SourceFile[]): SourceObject[] {
  return files.flatMap((f) => parseYamlFile(f.file, f.text).docs.flatMap((d) => resourcesOf(f.file, d).map((resource) => ({ file: f.file, resource }))));
}

/** The source object a rendered one came from: the same kind and name, else the longest name the rendered one holds. */
function sourceOf(r: Resource, sources: readonly SourceObject[]): SourceObject | undefined {
  const name = r.name;
  if (name === undefined) return undefined;
  const sameKind = sources.filter((s) => s.resource.kind === r.kind && s.resource.name !== undefined);
  const exact = sameKind.filter((s) => s.resource.name === name);
  if (exact.length > 0) return exact.find((s) => s.resource.namespace === r.namespace) ?? exact[0];
  const held = sameKind.filter((s) => name.includes(s.resource.name!)).sort((a, b) => b.resource.name!.length - a.resource.name!.length);
  return held[0];
}

/** `via` names the render in the messages of mapped findings (`kubectl kustomize overlays/prod`). */
export function mapRenderedFindings(findings: readonly Finding[], rendered: SourceFile, sources: readonly SourceFile[], via?: string): Finding[] {
  if (findings.length === 0) return [];
  const parsed = parseYamlFile(rendered.file, rendered.text);
  const objects = objectsOf(sources);
  return findings.map((f) => {
    if (f.file !== rendered.file) return f;
    const d = docAtPosition(parsed, f.range.start);
    const node = d && nodeAtPosition(d, f.range.start);
    const r = d && node ? resourcesOf(rendered.file, d).find((x) => x.base.every((step, i) => node.path[i] === step)) : undefined;
    const source = r && sourceOf(r, objects);
    if (!r || !node || !source) return f;
    const relative = node.path.slice(r.base.length);
    const s = source.resource;
    const at = locate(s.doc, [...s.base, ...relative]) ?? locate(s.doc, [...s.base, 'metadata', 'name']);
    if (!at) return f;
    const { fixes: _, ...rest } = f;
    return { ...rest, file: source.file, range: at.range, ...(via ? { message: `${f.message} (as rendered by ${via})` } : {}) };
  });
}
