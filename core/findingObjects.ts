/**
 * The object each finding of a file is on: the Kubernetes resource whose YAML holds the finding's start (an
 * item of a List on its own), else the YAML document. For reports that count objects rather than lines
 * (the CLI's JUnit output: one test case per object).
 */
import { resourcesOf } from './resources.js';
import type { Finding, Position, Range, SourceFile } from './types.js';
import { docAtPosition, locate, parseYamlFile, type YamlDoc } from './yaml/documents.js';

export interface FindingObject {
  /** `PersistentVolumeClaim vms/tpm-restore` (namespace as written), else `document 2`; unique in the file. */
  label: string;
  /** The file's findings on this object, in their order. */
  findings: Finding[];
}

function inside(pos: Position, r: Range): boolean {
  const afterStart = pos.line > r.start.line || (pos.line === r.start.line && pos.character >= r.start.character);
  const beforeEnd = pos.line < r.end.line || (pos.line === r.end.line && pos.character <= r.end.character);
  return afterStart && beforeEnd;
}

/** Identity and label of the object at `pos` of a document. */
function objectAt(file: string, d: YamlDoc, pos: Position): { key: string; label: string } {
  const resources = resourcesOf(file, d);
  // A List's items are objects of their own; a plain document's resource covers the whole document.
  const r = resources.length === 1 ? resources[0] : resources.find((x) => { const at = locate(d, x.base); return at !== undefined && inside(pos, at.range); });
  if (!r) return { key: `${d.index}`, label: `document ${d.index + 1}` };
  const name = r.name === undefined ? '(no name)' : r.namespace === undefined ? r.name : `${r.namespace}/${r.name}`;
  return { key: `${d.index}/${r.base.join('/')}`, label: `${r.kind} ${name}` };
}

/** Groups one file's findings by object, objects in order of their first finding. */
export function findingsByObject(file: SourceFile, findings: readonly Finding[]): FindingObject[] {
  if (findings.length === 0) return [];
  const parsed = parseYamlFile(file.file, file.text);
  const groups = new Map<string, FindingObject & { doc?: number }>();
  for (const f of findings) {
    const d = docAtPosition(parsed, f.range.start);
    const o = d ? objectAt(file.file, d, f.range.start) : { key: 'file', label: 'file' };
    const group = groups.get(o.key);
    if (group) group.findings.push(f);
    else groups.set(o.key, { label: o.label, findings: [f], ...(d ? { doc: d.index } : {}) });
  }
  // Two objects of one name in a file (a copy-paste, two Lists): tell them apart by document.
  const all = [...groups.values()];
  const seen = new Map<string, number>();
  for (const g of all) seen.set(g.label, (seen.get(g.label) ?? 0) + 1);
  return all.map((g) => ({
    label: (seen.get(g.label) ?? 0) > 1 && g.doc !== undefined && !g.label.startsWith('document ') ? `${g.label} (document ${g.doc + 1})` : g.label,
    findings: g.findings,
  }));
}
