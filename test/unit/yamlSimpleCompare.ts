/** Compares a document from core/yaml/simple.ts with yaml's own composition: what differs, or undefined. */
import { Composer, Parser, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document } from 'yaml';
import { composeOptions } from '../../core/yaml/simple.js';

/** yaml's composition of a one-document text (with its errors and warnings). */
export function yamlCompose(text: string): Document.Parsed[] {
  const composer = new Composer(composeOptions);
  const docs: Document.Parsed[] = [];
  for (const t of new Parser().parse(text)) for (const d of composer.next(t)) docs.push(d);
  for (const d of composer.end(false, text.length)) docs.push(d);
  return docs;
}

const scalarFields = ['value', 'type', 'source', 'format', 'minFractionDigits', 'tag', 'anchor'] as const;

function diffNode(a: unknown, b: unknown, path: string): string | undefined {
  const kind = (n: unknown) => (isMap(n) ? 'map' : isSeq(n) ? 'seq' : isScalar(n) ? 'scalar' : isPair(n) ? 'pair' : String(n));
  if (kind(a) !== kind(b)) return `${path}: ${kind(a)} vs ${kind(b)}`;
  if (isScalar(a) && isScalar(b)) {
    for (const f of scalarFields) {
      const x = (a as unknown as Record<string, unknown>)[f];
      const y = (b as unknown as Record<string, unknown>)[f];
      if (!Object.is(x, y)) return `${path}.${f}: ${String(x)} vs ${String(y)}`;
    }
  }
  if (isMap(a) || isSeq(a) || isScalar(a)) {
    const ra = JSON.stringify((a as { range?: unknown }).range);
    const rb = JSON.stringify((b as { range?: unknown }).range);
    if (ra !== rb) return `${path}.range: ${ra} vs ${rb}`;
  }
  if ((isMap(a) && isMap(b)) || (isSeq(a) && isSeq(b))) {
    if (Boolean(a.flow) !== Boolean(b.flow)) return `${path}.flow`;
    if (a.items.length !== b.items.length) return `${path}.items: ${a.items.length} vs ${b.items.length}`;
    for (let i = 0; i < a.items.length; i++) {
      const x: unknown = a.items[i];
      const y: unknown = b.items[i];
      if (isPair(x) && isPair(y)) {
        const k = diffNode(x.key, y.key, `${path}[${i}].key`) ?? diffNode(x.value, y.value, `${path}[${i}].value`);
        if (k) return k;
      } else {
        const d = diffNode(x, y, `${path}[${i}]`);
        if (d) return d;
      }
    }
  }
  return undefined;
}

/** Where `simple` differs from yaml's one clean document of `text`; undefined when they agree. */
export function differs(text: string, simple: Document.Parsed): string | undefined {
  const docs = yamlCompose(text);
  if (docs.length !== 1) return `yaml composes ${docs.length} documents`;
  const y = docs[0]!;
  if (y.errors.length > 0) return `yaml reports ${y.errors.map((e) => e.code).join(', ')}`;
  if (y.warnings.length > 0) return `yaml warns ${y.warnings.map((e) => e.code).join(', ')}`;
  if (JSON.stringify(y.range) !== JSON.stringify(simple.range)) return `document range ${JSON.stringify(simple.range)} vs yaml ${JSON.stringify(y.range)}`;
  if (Boolean(y.directives.docStart) !== Boolean(simple.directives.docStart)) return 'docStart';
  return diffNode(simple.contents, y.contents, '$');
}
