/**
 * The edit path warmed once, after the first open. The first edits after opening a large file were 2–5× slower
 * than the later ones (bench/README.md, editcost2 and editcost5): V8 runs the edit path's functions (the re-split,
 * the edited document's rules, the presenter's and the writer's per-edit work over the whole file) unoptimized
 * until a few edits made them hot, then compiles them on its background threads while the edits go on, and the
 * first edits fill what the presenter and the writer keep between publishes.
 *
 * Here the opened file itself is edited and put back in one step (a comment line added at the top of a document,
 * then removed: the Workspace's text is the editor's again before anything else can run), then its report is
 * presented and written into a buffer that is thrown away: the same code, on the same objects, as a real edit.
 * One document of each kind in the file, one per macrotask, so that a real edit arriving meanwhile waits for one
 * step at most. Nothing is published and the Analysis records nothing: what the presenter and the writer keep is
 * what they would keep after an edit that changed nothing, which is what every later publish is checked against
 * (the randomized equivalence tests, the byte-identical publishes).
 */
import type { FileFindings, Workspace } from '../core/workspace.js';
import { encodeMessage, publishedDiagnostics } from './diagnostics.js';

/** How long after the open's diagnostics the warm-up starts if the document was not edited meanwhile. */
export const warmUpAfterMs = 250;
/** At most this many documents are edited (one of each kind, most frequent kinds first). */
const maxSteps = 6;

export interface WarmUpDeps {
  workspace: Workspace;
  /** The document's report as presented (the server's `present` on the Workspace's report). */
  presented: (key: string) => FileFindings;
  /** Runs `step` later (setImmediate in the server; a test runs them at once). */
  later: (step: () => void) => void;
  /** False once the document was edited, closed or replaced: the warm-up stops (real edits warm the path). */
  current: () => boolean;
  /** A step threw: the Workspace's copy is set from the editor's text again (it may have kept the added line). */
  failed: (error: unknown) => void;
}

/** The lines at which the warm-up adds its comment line: the second line of one document of each kind. */
export function warmLines(workspace: Workspace, key: string): number[] {
  const byKind = new Map<string, number[]>();
  for (const r of workspace.resources(key)) {
    if (r.base.length > 0) continue;
    let lines = byKind.get(r.kind);
    if (!lines) byKind.set(r.kind, (lines = []));
    if (r.doc.lineCount > 1) lines.push(r.doc.startLine + 1);
  }
  return [...byKind.values()]
    .filter((l) => l.length > 0)
    .sort((a, b) => b.length - a.length)
    .slice(0, maxSteps)
    .map((l) => l[l.length >> 1]!);
}

/** Edits `key` at `line` and puts it back, then presents and writes its report (thrown away). */
export function warmStep(deps: WarmUpDeps, key: string, uri: string, line: number): void {
  const at = { line, character: 0 };
  try {
    deps.workspace.editFile(key, [{ range: { start: at, end: at }, text: '#\n' }]);
  } finally {
    deps.workspace.editFile(key, [{ range: { start: at, end: { line: line + 1, character: 0 } }, text: '' }]);
  }
  const diagnostics = publishedDiagnostics(deps.presented(key), uri);
  encodeMessage({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri, diagnostics } });
}

/**
 * Starts the warm-up of `key` (open as `uri`): one step per macrotask while `current()` holds. The server calls it
 * a quiet period after the open's diagnostics went out (`warmUpAfterMs`): started at once it would run while the
 * client reads them, and an edit sent right then would wait for it (the bench's first edit: 74–83 ms instead of
 * 20–40). The first step costs about one edit (10–28 ms: the code is still cold), the others 2–10 ms.
 */
export function warmUp(deps: WarmUpDeps, key: string, uri: string): void {
  let lines: number[] | undefined;
  let next = 0;
  const step = (): void => {
    if (!deps.current()) return;
    try {
      lines ??= warmLines(deps.workspace, key);
    } catch (error) {
      deps.failed(error);
      return;
    }
    if (next >= lines.length) return;
    try {
      warmStep(deps, key, uri, lines[next++]!);
    } catch (error) {
      deps.failed(error);
      return;
    }
    deps.later(step);
  };
  deps.later(step);
}
