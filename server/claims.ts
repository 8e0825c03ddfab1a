/**
 * `kubevirtStorage/claims/render`: the render preview of a file (core/claimSpecs/preview.ts);
 * `kubevirtStorage/claims/createPvcChoices`: what "Create PVC…" offers (core/ops/createPvc/choices.ts).
 */
import { createPvcChoices } from '../core/ops/createPvc/choices.js';
import { claimRenderRequest, createPvcChoicesRequest, type ClaimRenderResult } from '../protocol/claims.js';
import type { ServerContext } from './context.js';
import { fileKey } from './uris.js';

export function registerClaims(context: ServerContext): void {
  const { connection, workspace, options, health } = context;
  connection.onRequest(claimRenderRequest, (params): ClaimRenderResult => {
    const key = fileKey(params.uri);
    if (!workspace.has(key)) return { ok: false, message: `${params.uri} is not a YAML file the language server has read` };
    try {
      const claims = workspace.claimPreviews(key, options());
      health.problem('claims', undefined);
      return { ok: true, claims };
    } catch (error) {
      health.failed('claims', 'The CDI render preview', error);
      return { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
  });
  connection.onRequest(createPvcChoicesRequest, (params) => {
    const o = options();
    const namespace = params.namespace ?? o.settings.defaultNamespace;
    return createPvcChoices(workspace.facts(o), namespace);
  });
}
