/**
 * The webview side of the channel to the extension: `acquireVsCodeApi` (callable once per page), typed both
 * ways. Pages import this and their message types only; they never reach the cluster or the file system.
 */

interface VsCodeApi {
  postMessage(message: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface Channel<ToHost> {
  post(message: ToHost): void;
}

/** Opens the channel: `handle` receives every message the extension sends. */
export function connect<ToHost, FromHost>(handle: (message: FromHost) => void): Channel<ToHost> {
  const api = acquireVsCodeApi();
  window.addEventListener('message', (event: MessageEvent<FromHost>) => handle(event.data));
  return { post: (message) => api.postMessage(message) };
}

/**
 * Buttons that do nothing while the extension works on the last click: `setBusy` disables every vscode-button of
 * the page (the extension says when it starts and stops).
 */
export function busyButtons(): { button(label: string, onClick: () => void, attrs?: Record<string, string>): HTMLElement; setBusy(busy: boolean): void } {
  let busy = false;
  return {
    button(label, onClick, attrs = {}) {
      const b = el('vscode-button', attrs, label);
      b.addEventListener('click', () => {
        if (!busy) onClick();
      });
      return b;
    },
    setBusy(value) {
      busy = value;
      for (const b of document.querySelectorAll<HTMLElement>('vscode-button')) b.toggleAttribute('disabled', busy);
    },
  };
}

/** An element with text content and attributes, never HTML from data (no injection through names). */
export function el<K extends keyof HTMLElementTagNameMap | string>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}
