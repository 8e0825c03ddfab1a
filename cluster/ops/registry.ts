/**
 * Every operation the tools can run against a cluster, by id. An operation reads what it needs off the
 * cluster and hands it to its pure planner in core/ops; the engine (engine.ts) runs the plan. The language
 * server and `kvstorage plan|apply|undo|status` take any operation registered here without code of their own:
 * a new operation is one entry in `operations`.
 */
import type { OptionSpec, OptionValues, PlanResult } from '../../core/ops/types.js';
import { putOwn } from '../../core/own.js';
import type { ClusterConnection } from '../connection.js';
import { gcpImagesOperation } from './gcpImages/operation.js';
import { volumeResizeOperations } from './volumeResize/operations.js';
import { createPvcOperation } from './createPvc/operation.js';
import { webhookOperations } from './webhook/operations.js';

export interface OperationContext {
  now: Date;
  /** The CDI version known to the caller (a setting, the live facts), with where it came from. */
  cdiVersion?: { version: string; source: string };
}

export type StatusResult = { ok: true; summary: string; details: string[]; data: unknown } | { ok: false; message: string };

export interface OperationDefinition {
  id: string;
  /** "Deploy the restore-size webhook" */
  title: string;
  /** One line for `kvstorage --help` and the editor's pickers. */
  summary: string;
  options: readonly OptionSpec[];
  plan(conn: ClusterConnection, options: OptionValues, ctx: OperationContext): Promise<PlanResult>;
  /** What is deployed now, when the operation has a state to show. */
  status?(conn: ClusterConnection, ctx: OperationContext): Promise<StatusResult>;
  /** Operations whose runs `undo <this>` reverses too (e.g. a rotation undone with the deploy). */
  undoAlso?: readonly string[];
}

export const operations: readonly OperationDefinition[] = [...webhookOperations, gcpImagesOperation, createPvcOperation, ...volumeResizeOperations];

export function operation(id: string): OperationDefinition | undefined {
  return operations.find((o) => o.id === id);
}

/** Options as given (strings from a command line, typed values from the editor), checked against the spec. */
export function checkOptions(def: OperationDefinition, given: Record<string, unknown>): { ok: true; values: OptionValues } | { ok: false; message: string } {
  const values: OptionValues = {};
  for (const [key, raw] of Object.entries(given)) {
    if (raw === undefined || raw === '') continue;
    const spec = def.options.find((o) => o.name === key);
    if (!spec) return { ok: false, message: `${def.id} has no option "${key}" (options: ${def.options.map((o) => o.name).join(', ') || 'none'})` };
    if (spec.type === 'integer') {
      const n = typeof raw === 'number' ? raw : Number(String(raw));
      if (!Number.isInteger(n)) return { ok: false, message: `--${key} takes a whole number, not "${String(raw)}"` };
      putOwn(values, key, n);
    } else if (spec.type === 'boolean') {
      putOwn(values, key, raw === true || raw === 'true');
    } else {
      const text = String(raw).trim();
      if (spec.choices && !spec.choices.includes(text)) return { ok: false, message: `--${key} must be one of ${spec.choices.join(', ')}, not "${text}"` };
      putOwn(values, key, text);
    }
  }
  return { ok: true, values };
}
