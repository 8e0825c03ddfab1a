/** The shape every rule has, and the context the analysis hands it: one YAML document at a time. */
import type { Restore } from '../claims.js';
import type { Facts } from '../facts.js';
import type { Resource } from '../resources.js';
import type { Finding, Settings } from '../types.js';
import type { YamlDoc } from '../yaml/documents.js';

export interface RuleContext {
  file: string;
  doc: YamlDoc;
  /** Recognised objects in this document. */
  resources: Resource[];
  /** Claims of this document that restore a VolumeSnapshot (computed once, shared by the restore rules). */
  restores: Restore[];
  facts: Facts;
  settings: Settings;
}

export interface Rule {
  id: string;
  /**
   * 'document' rules read only the document (their findings are cached while its text is unchanged);
   * 'facts' rules also read facts and settings (cached until those change).
   */
  reads: 'document' | 'facts';
  run(ctx: RuleContext): Finding[];
}
