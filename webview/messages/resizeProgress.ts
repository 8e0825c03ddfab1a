/**
 * Messages between the extension (client/volumeResizeProgress.ts) and the migration progress page
 * (webview/resizeProgress/), both ways, as discriminated unions: each side switches over `type` exhaustively.
 * The page's view of a migration is declared here (pages import nothing outside webview/); the extension hands
 * it the language server's `volumeResize/progress` answer, which has this shape.
 */

export interface PageCell {
  replica: number;
  volume: string;
  phase: string;
  message?: string;
  current: boolean;
  oldPvc: string;
  newPvc: string;
  oldPv?: string;
  newPv?: string;
}

export interface PageTimelineEntry {
  at: string;
  what: string;
  elapsedMs: number;
  open: boolean;
}

export interface PageProgress {
  context: string;
  namespace: string;
  name: string;
  statefulSet: string;
  phase: string;
  message?: string;
  currentReplica?: number;
  currentVolume?: string;
  startTime?: string;
  completionTime?: string;
  volumes: { name: string; newSize: string; storageClass?: string }[];
  replicas: number[];
  grid: PageCell[];
  timeline: PageTimelineEntry[];
  watchedSince: string;
  backup: { name: string; state: 'present' | 'absent' | 'unknown'; detail?: string };
  failed: boolean;
}

/** Extension → page. */
export type ToResizeProgress =
  | { type: 'show'; progress: PageProgress; readAt: string }
  | { type: 'gone'; message: string }
  | { type: 'busy'; busy: boolean };

/** Page → extension. */
export type FromResizeProgress = { type: 'ready' } | { type: 'refresh' } | { type: 'rollback' } | { type: 'delete' } | { type: 'openYaml' } | { type: 'showLog' };
