/**
 * Messages between the extension (client/claims/cdiRenderPanel.ts) and the CDI render page (webview/cdiRender/),
 * both ways, as discriminated unions: each side switches over `type` exhaustively. The claim rows mirror the
 * server's preview (core/claimSpecs/preview.ts), which the client passes on unchanged.
 */

export interface RenderField {
  field: 'storageClassName' | 'accessModes' | 'volumeMode' | 'storage';
  written?: string;
  rendered?: string;
  why: string;
  changed: boolean;
}

export interface RenderClaim {
  describe: string;
  flavour: string;
  renderer: string;
  rendered: boolean;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  fields: RenderField[];
  denials: string[];
  unknowns: string[];
  cdi: string;
}

/** Extension → page. */
export type ToCdiRender =
  | { type: 'show'; file: string; claims: RenderClaim[]; readAt: string }
  | { type: 'unavailable'; message: string };

/** Page → extension. */
export type FromCdiRender = { type: 'ready' } | { type: 'refresh' } | { type: 'reveal'; index: number };
