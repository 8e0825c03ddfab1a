/**
 * The GCP golden-image workaround's checklist (server/gcpImages.ts ↔ client/gcpImages.ts): the seven steps as
 * detected on the connected cluster, what each will apply, and the verification. Dry-run, apply and undo go
 * through the operations protocol (operation `gcp-images`); this family only reads.
 */
import { RequestType } from 'vscode-languageserver-protocol';

export interface GcpImagesWriteView {
  /** "StorageClass cnv-images", "every VolumeSnapshot in namespace … selected by …". */
  label: string;
  action: 'apply' | 'create' | 'patch' | 'delete' | 'deleteSelected';
  /** The write as the preview shows it: a title line, then the manifest or patch as YAML. */
  text: string;
}

export interface GcpImagesStepView {
  step: number;
  id: string;
  title: string;
  state: 'needed' | 'done' | 'not-needed';
  reason: string;
  /** What applying writes for this step (empty when the step is not in the plan). */
  writes: GcpImagesWriteView[];
}

export interface GcpImagesCheckView {
  id: string;
  title: string;
  state: 'passed' | 'pending' | 'failed';
  message: string;
}

export interface GcpImagesView {
  context: string;
  /** Why the workaround does not apply to this cluster at all. */
  blocked?: string;
  steps: GcpImagesStepView[];
  problems: string[];
  notes: string[];
  /** The plan's title, or why there is no plan. */
  plan: { ok: true; title: string; advice?: string } | { ok: false; message: string };
  verification: { state: 'verified' | 'pending' | 'failed'; summary: string; checks: GcpImagesCheckView[] };
}

export interface GcpImagesParams {
  /** The operation's options (className, sourceClass, …), as for the operations' plan request. */
  options?: Record<string, string | number | boolean>;
}

export type GcpImagesResult = { ok: true; view: GcpImagesView } | { ok: false; message: string };

/** Request `kubevirtStorage/gcpImages/detect`: detection, the plan per step, and verification (step 7), read now. */
export const gcpImagesDetectRequest = new RequestType<GcpImagesParams, GcpImagesResult, void>('kubevirtStorage/gcpImages/detect');
