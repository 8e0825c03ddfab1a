/**
 * Finding → LSP Diagnostic. The severity conversion lives here and nowhere else.
 */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import { mapped } from '../core/arrays.js';
import type { Finding, Severity } from '../core/types.js';
import type { FileFindings, FindingBlock } from '../core/workspace.js';
import { ruleDocHref } from './ruleDocs.js';

/** `source` of every diagnostic this server publishes. */
export const diagnosticSource = 'kubevirt-storage';

/** Core severity → LSP severity (core has no LSP enums; LSP's Error is 1, not VS Code's 0). */
export function toLspSeverity(severity: Severity): DiagnosticSeverity {
  switch (severity) {
    case 'error':
      return DiagnosticSeverity.Error;
    case 'warning':
      return DiagnosticSeverity.Warning;
    case 'info':
      return DiagnosticSeverity.Information;
    case 'hint':
      return DiagnosticSeverity.Hint;
    default: {
      const unknown: never = severity;
      throw new Error(`unknown severity ${String(unknown)}`);
    }
  }
}

/**
 * A finding as a diagnostic; its code links the rule's page, `related` becomes relatedInformation. Made once per
 * finding object: the Workspace hands out the same objects while a finding is unchanged and unmoved, so
 * re-publishing a large file builds only what moved. No `data`: the code-action handler finds a diagnostic's
 * fixes among the findings last published (codeActions.ts).
 */
export function toDiagnostic(finding: Finding): Diagnostic {
  let d = made.get(finding);
  if (!d) {
    d = diagnosticAt(finding, finding.range);
    made.set(finding, d);
  }
  return d;
}

function diagnosticAt(finding: Finding, range: Diagnostic['range']): Diagnostic {
  const href = ruleDocHref(finding.rule);
  return {
    range,
    severity: toLspSeverity(finding.severity),
    code: finding.rule,
    ...(href ? { codeDescription: { href } } : {}),
    source: diagnosticSource,
    message: finding.message,
    // Other files' places: never shifted with the finding's block.
    ...(finding.related?.length ? { relatedInformation: finding.related.map((r) => ({ location: { uri: r.file, range: r.range }, message: r.message })) } : {}),
  };
}

const made = new WeakMap<Finding, Diagnostic>();

/**
 * A file's diagnostics from the Workspace's report: each block (one document segment's findings, relative to its
 * first line) is converted once per line it is placed at, so an edit re-makes only the diagnostics that moved.
 */
export function diagnosticsOf(report: FileFindings): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (!report.sorted) for (const f of report.all()) out.push(toDiagnostic(f));
  else for (const b of report.blocks) for (const d of blockDiagnostics(b)) out.push(d);
  return out;
}

const blocks = new WeakMap<readonly Finding[], { line: number; diagnostics: Diagnostic[] }>();

function blockDiagnostics(b: FindingBlock): Diagnostic[] {
  const known = blocks.get(b.findings);
  if (known?.line === b.line) return known.diagnostics;
  const diagnostics = b.line === 0 ? mapped(b.findings, (f) => toDiagnostic(f)) : mapped(b.findings, (f) => placed(f, b.line));
  blocks.set(b.findings, { line: b.line, diagnostics });
  return diagnostics;
}

function placed(f: Finding, line: number): Diagnostic {
  const { start, end } = f.range;
  return diagnosticAt(f, { start: { line: start.line + line, character: start.character }, end: { line: end.line + line, character: end.character } });
}


/**
 * A report's diagnostics for a publish or a pulled report, made when the message is serialised: the stdio
 * transport's encoder (`encodeMessage`) writes them straight from the findings, any other serialisation
 * (JSON.stringify, VS Code's IPC) calls `toJSON`, which makes the array `diagnosticsOf` makes. Only the transport
 * reads it: typed as the array it stands for.
 */
export function publishedDiagnostics(report: FileFindings, document?: string): Diagnostic[] {
  return new LazyDiagnostics(report, document) as unknown as Diagnostic[];
}

class LazyDiagnostics {
  /** `document`: what the report is of (its URI), so that the blocks it had at the same lines last time are copied. */
  constructor(
    readonly report: FileFindings,
    readonly document: string | undefined,
  ) {}

  toJSON(): Diagnostic[] {
    return diagnosticsOf(this.report);
  }
}

/**
 * Findings whose diagnostics differ only in their line numbers share a shape: a finding at any line of its block
 * (its range is relative to the block's line), and findings that differ only in where their related objects are
 * (the presentation says so, `shareShape`). A shape's JSON is kept with its line numbers left out (`Template`), so
 * that sending a large file's diagnostics again after a line was added above most of them copies kept bytes and
 * writes numbers instead of making and serialising each diagnostic again.
 */
/** What findings of one shape share: their template, made from the first of them written. */
export interface Shape {
  template: Template | undefined;
}

/** A shape for findings to share (`shareShape`). */
export function newShape(): Shape {
  return { template: undefined };
}

/** Per finding, its shape (one lookup per finding written: a finding not said to share one gets its own). */
const shapes = new WeakMap<Finding, Shape>();

/** Says that `finding`'s diagnostic is `shape`'s (the same JSON but for line numbers), as any other finding of that shape. */
export function shareShape(finding: Finding, shape: Shape): void {
  shapes.set(finding, shape);
}

/** A diagnostic's JSON cut before each line number: pieces[0] line pieces[1] line … pieces[n] (null: none fits). */
type Template = readonly Buffer[] | null;

const hole = '\u0000';
const holeJson = `"line":${JSON.stringify(hole)}`;

/** The line numbers of the diagnostic of `f` placed at `line`, in the order JSON.stringify writes them. */
function linesOf(f: Finding, line: number): number[] {
  const out = [f.range.start.line + line, f.range.end.line + line];
  for (const r of f.related ?? []) out.push(r.range.start.line, r.range.end.line);
  return out;
}

function templateOf(f: Finding, line: number): Template {
  const d = line === 0 ? diagnosticAt(f, f.range) : placed(f, line);
  const pieces = JSON.stringify(d, (k, v: unknown) => (k === 'line' ? hole : v)).split(holeJson);
  const lines = linesOf(f, line);
  // Used only if it gives back this very diagnostic's JSON (its line numbers in the order linesOf reads them).
  if (pieces.length !== lines.length + 1) return null;
  // Each piece but the last ends with the key of the line number that follows it.
  const cut = pieces.map((p, i) => (i < lines.length ? `${p}"line":` : p));
  let json = '';
  cut.forEach((p, i) => (json += i < lines.length ? `${p}${lines[i]!}` : p));
  return json === JSON.stringify(d) ? cut.map((p) => Buffer.from(p, 'utf8')) : null;
}

/** A growing byte buffer, written from `start` on (room before it for a header). */
export class Out {
  buf: Buffer;
  pos: number;

  constructor(
    size: number,
    readonly start = 0,
    buf?: Buffer,
  ) {
    this.buf = buf && buf.length >= size + start ? buf : Buffer.allocUnsafe(Math.max(size + start, 1024));
    this.pos = start;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  bytes(b: Buffer): void {
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** `from[start..end)`. */
  slice(from: Buffer, start: number, end: number): void {
    this.room(end - start);
    this.pos += from.copy(this.buf, this.pos, start, end);
  }

  text(t: string): void {
    this.room(Buffer.byteLength(t, 'utf8'));
    this.pos += this.buf.write(t, this.pos, 'utf8');
  }

  /** A non-negative integer in decimal. */
  number(n: number): void {
    if (!(n >= 0 && n < 1e15 && Number.isInteger(n))) return this.text(String(n));
    this.room(16);
    let digits = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
    let at = this.pos + digits;
    this.pos = at;
    let x = n;
    do {
      this.buf[--at] = 48 + (x % 10);
      x = Math.floor(x / 10);
    } while (x > 0);
  }
}

/** Writes the diagnostic of `f` placed at `line`. */
function writeFinding(out: Out, f: Finding, line: number): void {
  let shape = shapes.get(f);
  if (!shape) shapes.set(f, (shape = newShape()));
  let template = shape.template;
  if (template === undefined) shape.template = template = templateOf(f, line);
  const related = f.related;
  if (!template || template.length !== 3 + 2 * (related?.length ?? 0)) return out.text(JSON.stringify(line === 0 ? toDiagnostic(f) : placed(f, line)));
  // The line numbers in linesOf's order, written between the template's pieces.
  out.bytes(template[0]!);
  out.number(f.range.start.line + line);
  out.bytes(template[1]!);
  out.number(f.range.end.line + line);
  out.bytes(template[2]!);
  if (related) {
    for (let i = 0, k = 3; i < related.length; i++, k += 2) {
      out.number(related[i]!.range.start.line);
      out.bytes(template[k]!);
      out.number(related[i]!.range.end.line);
      out.bytes(template[k + 1]!);
    }
  }
}

/**
 * What the last report written for one document was: its blocks' bytes (a copy: the transport reuses its buffers)
 * and, per block in order, its findings, its line and where its bytes are. The next report copies from it each block
 * it had at the same line, found by walking both in file order (an edit adds, removes or replaces a few blocks in
 * one place): no lookup, allocation or kept copy per block; the blocks that moved are written from templates.
 */
class Written {
  body: Buffer = Buffer.alloc(0);
  count = 0;
  findings: (readonly Finding[])[] = [];
  lines: Int32Array = new Int32Array(64);
  starts: Int32Array = new Int32Array(64);
  ends: Int32Array = new Int32Array(64);

  record(i: number, findings: readonly Finding[], line: number, start: number, end: number): void {
    if (i >= this.lines.length) {
      const grow = (a: Int32Array): Int32Array => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.lines = grow(this.lines);
      this.starts = grow(this.starts);
      this.ends = grow(this.ends);
    }
    this.findings[i] = findings;
    this.lines[i] = line;
    this.starts[i] = start;
    this.ends[i] = end;
  }

  /** Keeps `bytes` (the report just written) as the body; drops references to blocks past `count`. */
  keep(bytes: Buffer, count: number): void {
    if (this.body.length < bytes.length) this.body = Buffer.allocUnsafe(bytes.length + (bytes.length >> 3));
    bytes.copy(this.body);
    for (let i = count; i < this.count; i++) this.findings[i] = noFindings;
    this.count = count;
  }
}

const noFindings: readonly Finding[] = [];

/** How far ahead of the last block copied the walk looks for the next one (blocks removed by one edit). */
const lookahead = 16;

/** The last report written per document, for its few most recently written documents. */
const written = new Map<string, Written>();
const writtenKept = 8;

/** Lets go of what was last written for `document` (closed: its next report, if any, is written afresh). */
export function forgetWritten(document: string): void {
  written.delete(document);
}

function writtenFor(document: string): Written {
  let w = written.get(document);
  if (w) {
    written.delete(document);
  } else {
    w = new Written();
    if (written.size >= writtenKept) written.delete(written.keys().next().value!);
  }
  written.set(document, w);
  return w;
}

/** The JSON array of a report's diagnostics: what JSON.stringify(diagnosticsOf(report)) gives. */
function writeReport(out: Out, report: FileFindings, document: string | undefined): void {
  out.bytes(open);
  let first = true;
  if (!report.sorted) {
    for (const f of report.all()) {
      if (!first) out.bytes(comma);
      first = false;
      writeFinding(out, f, 0);
    }
    out.bytes(close);
    return;
  }
  const last = document === undefined ? undefined : writtenFor(document);
  const from = out.pos;
  let count = 0;
  // The walk's place in the last report: blocks before it were matched (or passed).
  let j = 0;
  // Blocks copied one after another from the last report's body are copied as one run, commas between them included.
  let runFrom = -1;
  let runTo = -1;
  const flush = (): void => {
    if (runFrom < 0) return;
    out.slice(last!.body, runFrom, runTo);
    runFrom = -1;
  };
  for (const b of report.blocks) {
    if (b.findings.length === 0) continue;
    // Where the block starts in this report's bytes (after its comma), the pending run counted.
    const start = out.pos + (runFrom < 0 ? 0 : runTo - runFrom) + (first ? 0 : 1) - from;
    let k = -1;
    if (last) {
      const end = Math.min(last.count, j + lookahead);
      let at = j;
      while (at < end && last.findings[at] !== b.findings) at++;
      if (at < end) {
        j = at + 1;
        // The same findings at the same line: the same bytes (a block's findings are never changed in place).
        if (last.lines[at] === b.line) k = at;
      }
    }
    if (k >= 0 && runFrom >= 0 && last!.starts[k] === runTo + 1) runTo = last!.ends[k]!;
    else {
      flush();
      if (!first) out.bytes(comma);
      if (k >= 0) {
        runFrom = last!.starts[k]!;
        runTo = last!.ends[k]!;
      } else {
        const findings = b.findings;
        for (let i = 0; i < findings.length; i++) {
          if (i > 0) out.bytes(comma);
          writeFinding(out, findings[i]!, b.line);
        }
      }
    }
    first = false;
    last?.record(count++, b.findings, b.line, start, out.pos + (runFrom < 0 ? 0 : runTo - runFrom) - from);
  }
  flush();
  last?.keep(out.buf.subarray(from, out.pos), count);
  out.bytes(close);
}

const open = Buffer.from('[');
const close = Buffer.from(']');
const comma = Buffer.from(',');
const marker = '\u0000kubevirt-storage-diagnostics\u0000';
const markerJson = JSON.stringify(marker);

/**
 * A JSON-RPC message as UTF-8 JSON, the same bytes as `JSON.stringify` gives, written to `out`: a publish or a
 * pulled report of `publishedDiagnostics` is written from the findings' kept templates (the stdio transport).
 */
export function writeMessage(out: Out, message: unknown): void {
  const m = message as { params?: { diagnostics?: unknown }; result?: { items?: unknown } } | null;
  const list = m?.params?.diagnostics ?? m?.result?.items;
  if (!(list instanceof LazyDiagnostics)) return out.text(JSON.stringify(message));
  // The message with a marker for the list (a replacer would see what the list's toJSON made, not the list).
  const envelope = JSON.stringify(
    m!.params?.diagnostics === list ? { ...m, params: { ...m!.params, diagnostics: marker } } : { ...m, result: { ...m!.result, items: marker } },
  );
  const at = envelope.indexOf(markerJson);
  out.text(envelope.slice(0, at));
  writeReport(out, list.report, list.document);
  out.text(envelope.slice(at + markerJson.length));
}

/** `writeMessage` into a buffer of its own. */
export function encodeMessage(message: unknown): Buffer {
  const out = new Out(1024);
  writeMessage(out, message);
  return out.buf.subarray(0, out.pos);
}
