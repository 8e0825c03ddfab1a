/**
 * VolumeResize migrations (server/volumeResize.ts ↔ client/volumeResize*.ts): a migration's progress for the
 * progress webview, the migrations on the cluster for pickers, what a start can choose from, and a notification
 * when a migration changed (the server follows them through a watch; the client never polls).
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { ProgressCell, TimelineEntry } from '../core/volumeResize/progress.js';
import type { VolumeTarget } from '../core/volumeResize/model.js';

export type { ProgressCell, TimelineEntry, VolumeTarget };

export interface VolumeResizeRef {
  namespace: string;
  name: string;
}

export interface VolumeResizeProgress {
  context: string;
  namespace: string;
  name: string;
  statefulSet: string;
  /** As volmig shows it (an unset phase is Pending). */
  phase: string;
  message?: string;
  currentReplica?: number;
  currentVolume?: string;
  startTime?: string;
  completionTime?: string;
  volumes: VolumeTarget[];
  /** Rows of the grid, `volumes` its columns. */
  replicas: number[];
  grid: ProgressCell[];
  timeline: TimelineEntry[];
  /** Since when the server has watched it (the timeline starts there, the status' startTime aside). */
  watchedSince: string;
  /** The `<vr>-sts-backup` ConfigMap the operator keeps the StatefulSet in. */
  backup: { name: string; state: 'present' | 'absent' | 'unknown'; detail?: string };
  /** Whether a rollback is offered (the migration Failed). */
  failed: boolean;
}

export type VolumeResizeProgressResult = { ok: true; progress: VolumeResizeProgress } | { ok: false; message: string };

/** Request `kubevirtStorage/volumeResize/progress`. */
export const volumeResizeProgressRequest = new RequestType<VolumeResizeRef, VolumeResizeProgressResult, void>('kubevirtStorage/volumeResize/progress');

export interface VolumeResizeSummary extends VolumeResizeRef {
  phase: string;
  message?: string;
}

export type VolumeResizeListResult = { ok: true; items: VolumeResizeSummary[] } | { ok: false; message: string };

/** Request `kubevirtStorage/volumeResize/list`: the migrations the server's cache holds. */
export const volumeResizeListRequest = new RequestType0<VolumeResizeListResult, void>('kubevirtStorage/volumeResize/list');

export interface ResizeChoiceVolume {
  name: string;
  /** The claim template's size. */
  size?: string;
  storageClass?: string;
  /** A newSize that fits the most data in use on any replica (25 % room), when the kubelets said. */
  suggested?: string;
  /** Why there is no suggestion (the stats cannot be read, still reading). */
  usage?: string;
}

export interface ResizeChoiceStatefulSet {
  namespace: string;
  name: string;
  replicas: number;
  volumes: ResizeChoiceVolume[];
}

export type VolumeResizeChoicesResult = { ok: true; namespace: string; statefulSets: ResizeChoiceStatefulSet[]; storageClasses: { name: string; bindingMode?: string; isDefault: boolean }[] } | { ok: false; message: string };

/** Request `kubevirtStorage/volumeResize/choices`: what "Start VolumeResize Migration…" offers. */
export const volumeResizeChoicesRequest = new RequestType<{ namespace?: string }, VolumeResizeChoicesResult, void>('kubevirtStorage/volumeResize/choices');

export interface VolumeResizeInDocumentParams {
  uri: string;
  /** 0-based line of the cursor: the VolumeResize of the document there, else the file's only one. */
  line: number;
}

export type VolumeResizeInDocumentResult =
  | { ok: true; name: string; namespace: string; statefulSet: string; volumes: VolumeTarget[] }
  | { ok: false; message: string };

/** Request `kubevirtStorage/volumeResize/inDocument`: the VolumeResize written at the cursor, for a start. */
export const volumeResizeInDocumentRequest = new RequestType<VolumeResizeInDocumentParams, VolumeResizeInDocumentResult, void>('kubevirtStorage/volumeResize/inDocument');

/** Notification `kubevirtStorage/volumeResize/changed` (server → client), debounced: this migration changed. */
export const volumeResizeChangedNotification = new NotificationType<VolumeResizeRef>('kubevirtStorage/volumeResize/changed');
