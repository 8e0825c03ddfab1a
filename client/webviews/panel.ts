/**
 * Hosting a webview page (a bundle of webview/, dist/webview/<page>.js): one panel per page, the page's HTML
 * with a Content-Security-Policy of `default-src 'none'` and a script nonce, resources limited to the bundles,
 * and typed messages both ways. The page renders what it is sent; the extension does the work.
 */
import { randomBytes } from 'node:crypto';
import { Uri, ViewColumn, window, type Disposable, type ExtensionContext, type WebviewPanel } from 'vscode';
import { pageHtml } from './html.js';

export interface PageHost<ToPage> {
  readonly panel: WebviewPanel;
  post(message: ToPage): void;
  reveal(): void;
  onDidDispose(listener: () => void): Disposable;
  dispose(): void;
}

/**
 * Opens (or reveals) the panel of `page`. `handle` receives the page's messages; it is called with the host so
 * that it can answer.
 */
export function openPage<ToPage, FromPage>(context: ExtensionContext, page: string, title: string, handle: (message: FromPage, host: PageHost<ToPage>) => void | Promise<void>): PageHost<ToPage> {
  const root = Uri.joinPath(context.extensionUri, 'dist', 'webview');
  const panel = window.createWebviewPanel(`kubevirtStorage.${page}`, title, ViewColumn.Active, { enableScripts: true, localResourceRoots: [root], retainContextWhenHidden: false });
  const nonce = randomBytes(16).toString('base64');
  panel.webview.html = pageHtml({ title, scriptUri: panel.webview.asWebviewUri(Uri.joinPath(root, `${page}.js`)).toString(), cspSource: panel.webview.cspSource, nonce });
  const host: PageHost<ToPage> = {
    panel,
    post: (message) => void panel.webview.postMessage(message),
    reveal: () => panel.reveal(),
    onDidDispose: (listener) => panel.onDidDispose(listener),
    dispose: () => panel.dispose(),
  };
  const subscription = panel.webview.onDidReceiveMessage((m: FromPage) => void handle(m, host));
  panel.onDidDispose(() => subscription.dispose());
  return host;
}
