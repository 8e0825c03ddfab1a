/**
 * Seeded random YAML documents for the equivalence tests: block maps and sequences in the shapes manifests use,
 * with the formatting that makes yaml's ranges move (comments at any indentation, blank lines, trailing spaces,
 * empty values, flow collections, quotes, typed plain scalars), then mutated character by character so that
 * many are just outside the subset or not YAML at all.
 */

export type Rand = () => number;

/** A small LCG: deterministic, so a failing case can be replayed from its seed. */
export function rng(seed: number): Rand {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

const keys = ['a', 'kind', 'apiVersion', 'metadata', 'name', 'spec', 'storage', 'app.kubernetes.io/name', 'x-y_z', '1', 'true', 'null', 'k:v', 'a b', 'ü', '-k', 'on'];
const plains = [
  'v', 'ReadWriteOnce', '10Gi', '1', '-1', '+1', '0x1F', '0o17', '017', '1.50', '1e3', '.5', '.inf', '-.Inf', '.nan', '~', 'null', 'Null', 'NULL',
  'true', 'True', 'FALSE', 'yes', 'no', 'a:b', 'http://x.io/a', 'a#b', 'a # b', '-a', 'a-', 'x,y', 'a]', 'a}', 'a[b', '2025-01-01T00:00:00Z', 'é', '😀',
  '1_000', '0b101', '12:30', '-', '?x', ':x', 'a  b', '@x', '%x', '`x', '! x',
];
const quoted = ['"q"', '""', "'s'", "''", '"a # b"', '"a\\"b"', "'it''s'", '"x: y"', '"é"'];
const flows = ['[]', '{}', '[a]', '[a, b]', '[ a , b ]', '[a,b]', '{k: v}', '{ k: v, k2: 1 }', '{k: "v"}', '["a", \'b\']', '[a, ]', '{k}', '[[a]]', '{k:v}', '[a # c]'];

function scalar(r: Rand): string {
  const x = r();
  return x < 0.6 ? pick(r, plains) : x < 0.8 ? pick(r, quoted) : pick(r, flows);
}

function comment(r: Rand): string {
  return r() < 0.5 ? '# c' : '#';
}

/** Lines of a block node at `indent`, as a map or a sequence. */
function block(r: Rand, indent: number, depth: number, out: string[]): void {
  const pad = ' '.repeat(indent);
  const seq = r() < 0.3;
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    if (r() < 0.15) out.push(r() < 0.5 ? '' : ' '.repeat(Math.floor(r() * (indent + 3))));
    if (r() < 0.15) out.push(' '.repeat(Math.floor(r() * (indent + 4))) + comment(r));
    const trail = r() < 0.1 ? '  ' : r() < 0.15 ? `  ${comment(r)}` : '';
    const head = seq ? `${pad}-` : `${pad}${pick(r, keys)}:`;
    const nested = depth < 4 && r() < 0.4;
    if (nested) {
      const inner = seq ? indent + 2 : r() < 0.2 ? indent : indent + (r() < 0.8 ? 2 : 4);
      if (seq && r() < 0.5) {
        // A compact map: `- key: value` and the rest of its keys under it.
        const sub: string[] = [];
        block(r, indent + 2, depth + 1, sub);
        if (sub.length > 0 && sub[0]!.startsWith(' '.repeat(indent + 2))) {
          out.push(`${pad}- ${sub[0]!.slice(indent + 2)}`);
          out.push(...sub.slice(1));
          continue;
        }
      }
      out.push(head + trail);
      block(r, inner === indent && !seq ? indent : inner, depth + 1, out);
    } else if (r() < 0.1) {
      out.push(head + trail);
    } else {
      out.push(`${head} ${scalar(r)}${trail}`);
    }
  }
}

/** One document's text. */
export function randomDocument(r: Rand): string {
  const out: string[] = [];
  if (r() < 0.3) out.push(comment(r));
  if (r() < 0.3) out.push(r() < 0.8 ? '---' : r() < 0.5 ? '--- # c' : '--- x');
  if (r() < 0.1) out.push('');
  block(r, 0, 0, out);
  if (r() < 0.2) out.push('');
  if (r() < 0.2) out.push(' '.repeat(Math.floor(r() * 4)) + comment(r));
  let text = out.join('\n') + (r() < 0.85 ? '\n' : '');
  const mutations = r() < 0.5 ? 0 : 1 + Math.floor(r() * 3);
  for (let m = 0; m < mutations && text.length > 0; m++) {
    const at = Math.floor(r() * text.length);
    const ch = pick(r, [' ', ':', '-', '#', '\n', "'", '"', '[', ']', '{', '}', ',', '\t', '&', '*', '!', '|', '>', '?', '\r', '\\', '\uFEFF', '...']);
    text = r() < 0.3 ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + ch + text.slice(at);
  }
  return text;
}

/** Where `before` and `after` differ, as an editor would report the edit (offsets in `before`). */
export function hintOf(before: string, after: string): { start: number; oldEnd: number; newEnd: number } {
  let p = 0;
  while (p < before.length && p < after.length && before.charCodeAt(p) === after.charCodeAt(p)) p++;
  let q = 0;
  while (q < before.length - p && q < after.length - p && before.charCodeAt(before.length - 1 - q) === after.charCodeAt(after.length - 1 - q)) q++;
  return { start: p, oldEnd: before.length - q, newEnd: after.length - q };
}

/** Two random documents of `t` (split at `---` lines) swapped. */
export function swapDocuments(t: string, r: Rand): string {
  const parts = t.split('---\n');
  const i = Math.floor(r() * parts.length);
  const j = Math.floor(r() * parts.length);
  [parts[i], parts[j]] = [parts[j]!, parts[i]!];
  return parts.join('---\n');
}
