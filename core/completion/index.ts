/**
 * Completion: the context at the cursor (context.ts), every registered provider asked (providers/index.ts),
 * their items ranked. Outside the providers' contexts the result is empty, and the adapter answers nothing, so
 * other YAML tools keep the field.
 */
import type { Facts } from '../facts.js';
import type { Position, Settings } from '../types.js';
import type { ParsedFile } from '../yaml/documents.js';
import { completionContext } from './context.js';
import { completionProviders } from './providers/index.js';
import type { CompletionItem, CompletionProvider, CompletionResult } from './types.js';

export type { CompletionContext, CompletionItem, CompletionItemKind, CompletionProvider, CompletionResult } from './types.js';

/** Called when a provider throws (a bug): adapters log it once; the other providers still answer. */
export type ProviderErrorHandler = (providerId: string, error: unknown) => void;

/** Items at `pos`, ranked: each provider's in its own order, providers in registration order. */
export function complete(
  file: ParsedFile,
  pos: Position,
  facts: Facts,
  settings: Settings,
  providers: readonly CompletionProvider[] = completionProviders,
  onError: ProviderErrorHandler = () => undefined,
): CompletionResult {
  const ctx = completionContext(file, pos, facts, settings);
  if (!ctx) return { items: [], isIncomplete: false };
  const items: CompletionItem[] = [];
  let isIncomplete = false;
  let offset = 0;
  for (const p of providers) {
    let got: CompletionItem[];
    try {
      const r = p.provide(ctx);
      got = Array.isArray(r) ? r : r.items;
      if (!Array.isArray(r) && r.isIncomplete) isIncomplete = true;
    } catch (e) {
      onError(p.id, e);
      continue;
    }
    const ranked = [...got].sort((a, b) => a.rank - b.rank || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
    for (const [i, item] of ranked.entries()) items.push({ ...item, rank: offset + i });
    offset += ranked.length;
  }
  return { items, isIncomplete, range: ctx.cursor.range };
}
