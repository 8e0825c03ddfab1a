// WATCH streams: newline-delimited JSON events over a chunked response, resumed from the store's
// history, with bookmarks, timeouts, "left the selector" DELETED events and 410 ERROR events.
import type { ServerResponse } from 'node:http';
import { expired } from './errors.js';
import { matchesFilter, type ObjectFilter } from './selectors.js';
import type { ObjectStore, StoreEvent } from './store.js';
import type { KObject } from './types.js';

export interface WatchRequest {
  table: string;
  apiVersion: string;
  kind: string;
  namespace: string | undefined;
  filter: ObjectFilter;
  resourceVersion: string | undefined;
  allowBookmarks: boolean;
  sendInitialEvents: boolean;
  timeoutSeconds: number | undefined;
}

interface OpenWatch {
  res: ServerResponse;
  req: WatchRequest;
  close(): void;
}

export class WatchHub {
  private readonly open = new Set<OpenWatch>();

  constructor(
    private readonly store: ObjectStore,
    private readonly bookmarkIntervalMs: number,
  ) {}

  count(): number {
    return this.open.size;
  }

  start(res: ServerResponse, req: WatchRequest): void {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
    const send = (type: string, object: unknown): void => {
      if (!res.writableEnded) res.write(JSON.stringify({ type, object }) + '\n');
    };
    const served = (o: KObject, rv?: string): KObject => {
      const out: KObject = { ...o, apiVersion: req.apiVersion };
      if (rv !== undefined) out.metadata = { ...o.metadata, resourceVersion: rv };
      return out;
    };
    const inScope = (o: KObject | undefined): boolean =>
      o !== undefined && (req.namespace === undefined || o.metadata?.namespace === req.namespace) && matchesFilter(req.filter, o);

    const deliver = (e: StoreEvent): void => {
      if (e.table !== req.table) return;
      const now = inScope(e.obj);
      const before = inScope(e.old);
      if (e.type === 'ADDED' && now) send('ADDED', served(e.obj));
      else if (e.type === 'MODIFIED') {
        if (now && before) send('MODIFIED', served(e.obj));
        else if (now) send('ADDED', served(e.obj));
        else if (before) send('DELETED', served(e.old!, String(e.rv)));
      } else if (e.type === 'DELETED' && before) send('DELETED', served(e.obj));
    };

    const rv = req.resourceVersion;
    if (rv === undefined || rv === '' || rv === '0' || req.sendInitialEvents) {
      for (const o of this.store.list(req.table, req.namespace)) if (matchesFilter(req.filter, o)) send('ADDED', served(o));
    } else {
      const n = Number(rv);
      const events = Number.isInteger(n) && n >= 0 ? this.store.since(req.table, n) : undefined;
      if (!events) {
        const floor = this.store.oldestValidRv();
        send('ERROR', expired(Number.isInteger(n) ? `too old resource version: ${rv} (${floor})` : `invalid resource version: ${rv}`).toStatus());
        res.end();
        return;
      }
      events.forEach(deliver);
    }
    const bookmark = (initialEnd = false): void => {
      const metadata: Record<string, unknown> = { resourceVersion: String(this.store.currentRv()) };
      if (initialEnd) metadata['annotations'] = { 'k8s.io/initial-events-end': 'true' };
      send('BOOKMARK', { kind: req.kind, apiVersion: req.apiVersion, metadata });
    };
    if (req.sendInitialEvents && req.allowBookmarks) bookmark(true);

    const unsubscribe = this.store.subscribe(deliver);
    const timers: NodeJS.Timeout[] = [];
    if (req.allowBookmarks && this.bookmarkIntervalMs > 0) timers.push(setInterval(() => bookmark(), this.bookmarkIntervalMs));
    const w: OpenWatch = {
      res,
      req,
      close: () => {
        unsubscribe();
        timers.forEach((t) => clearInterval(t));
        this.open.delete(w);
        if (!res.writableEnded) res.end();
      },
    };
    if (req.timeoutSeconds !== undefined && req.timeoutSeconds > 0) {
      timers.push(
        setTimeout(() => {
          if (req.allowBookmarks) bookmark();
          w.close();
        }, req.timeoutSeconds * 1000),
      );
    }
    res.on('close', () => w.close());
    this.open.add(w);
  }

  /** Sends a BOOKMARK now on every watch that allowed them. */
  bookmarkAll(): void {
    for (const w of this.open) {
      if (!w.req.allowBookmarks || w.res.writableEnded) continue;
      w.res.write(JSON.stringify({ type: 'BOOKMARK', object: { kind: w.req.kind, apiVersion: w.req.apiVersion, metadata: { resourceVersion: String(this.store.currentRv()) } } }) + '\n');
    }
  }

  /** Ends every open stream (the client sees a clean end of the response). */
  dropAll(): void {
    for (const w of [...this.open]) w.close();
  }
}
