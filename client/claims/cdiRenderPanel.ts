/**
 * `kubevirtStorage.showCdiRender`: a panel (webview/cdiRender/) with every claim of a YAML file, written vs as CDI
 * will render it. It follows the file's edits (after a short pause) and moves the editor to a claim on request.
 */
import { Disposable, Range, Selection, TextEditorRevealType, Uri, window, workspace, type ExtensionContext } from 'vscode';
import { claimRenderRequest } from '../../protocol/claims.js';
import type { FromCdiRender, ToCdiRender } from '../../webview/messages/cdiRender.js';
import type { ClientDeps } from '../deps.js';
import { describeError } from '../failures.js';
import { openPage, type PageHost } from '../webviews/panel.js';

/** Pause after the last edit before the panel is read again. */
const followDelayMs = 300;

export class CdiRenderPanel implements Disposable {
  private host: PageHost<ToCdiRender> | undefined;
  private uri: string | undefined;
  private claims: { range: { start: { line: number; character: number }; end: { line: number; character: number } } }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly subscription: Disposable;

  constructor(
    private readonly context: ExtensionContext,
    private readonly deps: ClientDeps,
  ) {
    this.subscription = workspace.onDidChangeTextDocument((e) => {
      if (this.host && e.document.uri.toString() === this.uri) {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.refresh(), followDelayMs);
      }
    });
  }

  /** Shows the preview of `uri` (default: the active editor's document). */
  async show(uri?: string | Uri): Promise<void> {
    const target = uri === undefined ? window.activeTextEditor?.document.uri.toString() : typeof uri === 'string' ? uri : uri.toString();
    if (!target) {
      void window.showInformationMessage('KubeVirt Storage: open a YAML file to show what CDI will render its claims to.');
      return;
    }
    this.uri = target;
    if (!this.host) {
      this.host = openPage<ToCdiRender, FromCdiRender>(this.context, 'cdiRender', 'KubeVirt Storage: CDI Render', (m) => this.handle(m));
      this.host.onDidDispose(() => {
        this.host = undefined;
        clearTimeout(this.timer);
      });
    } else {
      this.host.reveal();
      await this.refresh();
    }
  }

  private async handle(m: FromCdiRender): Promise<void> {
    switch (m.type) {
      case 'ready':
      case 'refresh':
        return this.refresh();
      case 'reveal':
        return this.reveal(m.index);
      default: {
        const never: never = m;
        return never;
      }
    }
  }

  private async refresh(): Promise<void> {
    const host = this.host;
    const uri = this.uri;
    if (!host || !uri) return;
    try {
      const r = await this.deps.server.request(claimRenderRequest, { uri });
      if (!r.ok) return host.post({ type: 'unavailable', message: r.message });
      this.claims = r.claims;
      host.post({ type: 'show', file: workspace.asRelativePath(Uri.parse(uri)), claims: r.claims, readAt: new Date().toLocaleTimeString() });
    } catch (error) {
      this.deps.output.error(`Reading the CDI render of ${uri} failed: ${describeError(error)}`);
      host.post({ type: 'unavailable', message: `The language server could not render ${uri}: ${describeError(error)}` });
    }
  }

  private async reveal(index: number): Promise<void> {
    const claim = this.claims[index];
    if (!claim || !this.uri) return;
    const r = claim.range;
    const range = new Range(r.start.line, r.start.character, r.end.line, r.end.character);
    const editor = await window.showTextDocument(Uri.parse(this.uri), { preserveFocus: false });
    editor.selection = new Selection(range.start, range.start);
    editor.revealRange(range, TextEditorRevealType.InCenterIfOutsideViewport);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.subscription.dispose();
    this.host?.dispose();
  }
}
