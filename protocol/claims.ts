/**
 * Claims and CDI's rendering (server/claims.ts ↔ client/claims/): the render preview of a file, for the
 * "Show CDI render" panel.
 */
import { RequestType } from 'vscode-languageserver-protocol';
import type { ClaimPreview } from '../core/claimSpecs/preview.js';
import type { CreatePvcChoices } from '../core/ops/createPvc/choices.js';

export type { ClaimPreview, PreviewField, PreviewFieldName } from '../core/claimSpecs/preview.js';
export type { CreatePvcChoices } from '../core/ops/createPvc/choices.js';

export interface ClaimRenderParams {
  /** The document's URI (open in the editor, or indexed from the workspace). */
  uri: string;
}

export type ClaimRenderResult = { ok: true; claims: ClaimPreview[] } | { ok: false; message: string };

/** Every claim of the file, written vs rendered. */
export const claimRenderRequest = new RequestType<ClaimRenderParams, ClaimRenderResult, void>('kubevirtStorage/claims/render');

export interface CreatePvcChoicesParams {
  /** Default: the namespace of manifests that name none (the context's). */
  namespace?: string;
}

/** The classes and the populator sources that exist (workspace and cluster), for "Create PVC…"'s quick picks. */
export const createPvcChoicesRequest = new RequestType<CreatePvcChoicesParams, CreatePvcChoices, void>('kubevirtStorage/claims/createPvcChoices');
