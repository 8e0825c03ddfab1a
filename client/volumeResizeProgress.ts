/**
 * `kubevirtStorage.showResizeProgress`: a migration's progress page (webview/resizeProgress/), one panel per
 * migration, read again whenever the server says that migration changed (its watch, not a timer).
 */
import type { Disposable, ExtensionContext } from 'vscode';
import { volumeResizeChangedNotification, volumeResizeProgressRequest, type VolumeResizeRef } from '../protocol/volumeResize.js';
import type { FromResizeProgress, ToResizeProgress } from '../webview/messages/resizeProgress.js';
import type { OperationDeps } from './operations/deps.js';
import type { ProtocolClient } from './languageServer.js';
import { openPage, type PageHost } from './webviews/panel.js';

export interface ProgressActions {
  rollback(ref: VolumeResizeRef): Promise<void>;
  remove(ref: VolumeResizeRef): Promise<void>;
  openYaml(ref: VolumeResizeRef): Promise<void>;
}

export class ResizeProgressPanels {
  private readonly open = new Map<string, { host: PageHost<ToResizeProgress>; refresh: () => Promise<void> }>();
  private readonly subscription: Disposable;

  constructor(
    private readonly context: ExtensionContext,
    private readonly deps: OperationDeps,
    server: Pick<ProtocolClient, 'onNotification'>,
    private readonly actions: ProgressActions,
  ) {
    this.subscription = server.onNotification(volumeResizeChangedNotification, (ref) => void this.open.get(`${ref.namespace}/${ref.name}`)?.refresh());
  }

  /** Opens (or reveals) the page of one migration. */
  show(ref: VolumeResizeRef): void {
    const key = `${ref.namespace}/${ref.name}`;
    const existing = this.open.get(key);
    if (existing) return existing.host.reveal();
    const refresh = async (host: PageHost<ToResizeProgress>): Promise<void> => {
      try {
        const r = await this.deps.server.request(volumeResizeProgressRequest, ref);
        host.post(r.ok ? { type: 'show', progress: r.progress, readAt: new Date().toLocaleTimeString() } : { type: 'gone', message: r.message });
      } catch (error) {
        this.deps.output.error(`Reading VolumeResize ${key} for its progress page failed: ${error instanceof Error ? error.message : String(error)}`);
        host.post({ type: 'gone', message: 'The language server could not read the migration (see the log).' });
      }
    };
    const host = openPage<ToResizeProgress, FromResizeProgress>(this.context, 'resizeProgress', `VolumeResize ${key}`, async (m, h) => {
      switch (m.type) {
        case 'ready':
        case 'refresh':
          return refresh(h);
        case 'rollback':
          await this.actions.rollback(ref);
          return refresh(h);
        case 'delete':
          await this.actions.remove(ref);
          return refresh(h);
        case 'openYaml':
          return this.actions.openYaml(ref);
        case 'showLog':
          return this.deps.output.show();
        default: {
          const never: never = m;
          return never;
        }
      }
    });
    this.open.set(key, { host, refresh: () => refresh(host) });
    host.onDidDispose(() => this.open.delete(key));
  }

  /** Reads every open page again (after an operation elsewhere). */
  refreshAll(): void {
    for (const p of this.open.values()) void p.refresh();
  }

  dispose(): void {
    this.subscription.dispose();
    for (const p of [...this.open.values()]) p.host.dispose();
  }
}
