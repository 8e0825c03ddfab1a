/**
 * The open documents' texts. YAML documents are kept in a rope (core/textRope.ts), so an incremental change costs
 * what it touches: the library's TextDocument copies the text and shifts its whole line table on every keystroke
 * (1.3 ms on a 120,000-line file). The changes of each update are kept for the Workspace, which applies them to
 * its own copy the same way (`Workspace.editFile`) rather than reading the whole text again.
 */
import { TextDocumentContentChangeEvent, type TextDocumentsConfiguration } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range } from 'vscode-languageserver-textdocument';
import { TextRope } from '../core/textRope.js';
import { isYamlDocument } from './uris.js';

/** A TextDocument over a rope. */
export class RopeDocument implements TextDocument {
  constructor(
    readonly uri: string,
    readonly languageId: string,
    public version: number,
    private rope: TextRope,
  ) {}

  get lineCount(): number {
    return this.rope.lineCount;
  }

  /** Number of characters (UTF-16 code units). */
  get length(): number {
    return this.rope.length;
  }

  getText(range?: Range): string {
    return this.rope.getText(range);
  }

  positionAt(offset: number): Position {
    return this.rope.positionAt(offset);
  }

  offsetAt(position: Position): number {
    return this.rope.offsetAt(position);
  }

  getLineRange(line: number): Range {
    if (line < 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    if (line >= this.rope.lineCount) {
      const end = this.rope.positionAt(this.rope.length);
      return { start: { line: end.line, character: 0 }, end };
    }
    const start = this.rope.offsetAt({ line, character: 0 });
    return { start: { line, character: 0 }, end: { line, character: this.rope.offsetAt({ line, character: Number.MAX_SAFE_INTEGER }) - start } };
  }

  getEOLCharacters(line: number): string {
    if (line < 0 || line >= this.rope.lineCount) return '';
    const next = line + 1 < this.rope.lineCount ? this.rope.offsetAt({ line: line + 1, character: 0 }) : this.rope.length;
    return this.rope.slice(this.rope.offsetAt({ line, character: Number.MAX_SAFE_INTEGER }), next);
  }

  apply(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    for (const change of changes) {
      if (TextDocumentContentChangeEvent.isIncremental(change)) this.rope.replace(change.range, change.text);
      else this.rope = new TextRope(change.text);
    }
    this.version = version;
  }
}

/** A ranged change, as the Workspace takes it. */
export interface RangedChange {
  range: Range;
  text: string;
}

export class OpenTexts {
  private readonly changes = new Map<string, RangedChange[] | undefined>();

  /** The TextDocuments configuration: rope documents for YAML, the library's for the rest; changes recorded. */
  readonly configuration: TextDocumentsConfiguration<TextDocument> = {
    create: (uri, languageId, version, content) =>
      isYamlDocument({ uri, languageId }) ? new RopeDocument(uri, languageId, version, new TextRope(content)) : TextDocument.create(uri, languageId, version, content),
    update: (document, changes, version) => {
      const ranged = changes.every((c) => TextDocumentContentChangeEvent.isIncremental(c));
      this.changes.set(document.uri, ranged ? changes.map((c) => ({ range: (c as { range: Range }).range, text: c.text })) : undefined);
      if (document instanceof RopeDocument) {
        document.apply(changes, version);
        return document;
      }
      return TextDocument.update(document, changes, version);
    },
  };

  /** The ranged changes of the latest update of `uri`, once; undefined when one replaced the whole text. */
  take(uri: string): RangedChange[] | undefined {
    const c = this.changes.get(uri);
    this.changes.delete(uri);
    return c;
  }
}
