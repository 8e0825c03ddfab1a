/**
 * The explorer's TreeDataProvider: nodes come from the language server (`kubevirtStorage/explorer/children`),
 * page by page; `getChildren` never prompts, a failure becomes a node. Elements are the server's nodes, kept by
 * the server's id, so a `changed` notification for a parent id refreshes that element, once the tree is not loading
 * (`refresh`).
 */
import { EventEmitter, ThemeColor, ThemeIcon, TreeItem, TreeItemCollapsibleState, type Event, type TreeDataProvider } from 'vscode';
import {
  explorerChildrenRequest,
  type ExplorerChildrenParams,
  type ExplorerNode,
  type ExplorerNodeId,
  type ExplorerState,
} from '../protocol/explorer.js';
import { commandIds } from './commands.js';
import type { ProtocolClient } from './languageServer.js';
import { describeError } from './failures.js';

/** The view's id (package.json `contributes.views`). */
export const explorerViewId = 'kubevirtStorage.explorer';

const colors: Record<NonNullable<ExplorerNode['severity']>, string> = {
  error: 'problemsErrorIcon.foreground',
  warning: 'problemsWarningIcon.foreground',
  info: 'problemsInfoIcon.foreground',
  ok: 'testing.iconPassed',
};

/**
 * `;kind;` plus `object;` (it can be opened as YAML), `restoreSize;` (copy, new restore PVC) and the node's tags
 * (`failed;`): menus match with `viewItem =~ /;object;/`.
 */
export function contextValueOf(node: ExplorerNode): string {
  return `;${node.kind};${node.object ? 'object;' : ''}${node.restoreSize !== undefined ? 'restoreSize;' : ''}${(node.tags ?? []).map((t) => `${t};`).join('')}`;
}

/** A node as a TreeItem; `clickOpens` makes a click on an object node open it (for trees without our menus). */
export function treeItemOf(node: ExplorerNode, clickOpens = false): TreeItem {
  const state =
    node.collapsible === 'expanded' ? TreeItemCollapsibleState.Expanded
    : node.collapsible === 'collapsed' ? TreeItemCollapsibleState.Collapsed
    : TreeItemCollapsibleState.None;
  const item = new TreeItem(node.label, state);
  // No `id`: VS Code 1.100's extension host throws "Element with id … is already registered" when two fetches of
  // one node's children overlap (an expand while a refresh re-reads it: microsoft/vscode#71698, #192055; the fix
  // #281000 was reverted), and the node then stays expanded and empty. Without an id its handle is the parent's
  // handle and the label, which the server keeps stable for a node (names; counts and states are descriptions),
  // so expansion and selection still survive a refresh, and an overlap registers the children twice instead.
  if (node.description !== undefined) item.description = node.description;
  if (node.tooltip !== undefined) item.tooltip = node.tooltip;
  item.iconPath = new ThemeIcon(node.icon ?? 'circle-outline', node.severity ? new ThemeColor(colors[node.severity]) : undefined);
  item.contextValue = contextValueOf(node);
  // A `more…` node loads the next page when clicked; an object node opens where the tree has no menus of ours.
  if (node.kind === 'more') item.command = { command: commandIds.loadMore, title: 'Load More', arguments: [node] };
  else if (clickOpens && node.object) item.command = { command: commandIds.openObjectYaml, title: 'Open as YAML', arguments: [node] };
  return item;
}

/** How long the tree must have fetched nothing, and the least time between two refreshes (see `refresh`). */
const quietMs = 150;
const spacingMs = 300;

/** The explorer's data: the server's nodes, with the pages the user loaded. */
export class ExplorerProvider implements TreeDataProvider<ExplorerNode> {
  private readonly changed = new EventEmitter<ExplorerNode | ExplorerNode[] | undefined>();
  private readonly stateChanged = new EventEmitter<ExplorerState | undefined>();
  /** The latest element returned for each id (VS Code refreshes by element identity). */
  private readonly nodes = new Map<ExplorerNodeId, ExplorerNode>();
  /** What to refresh once the tree is quiet: parent ids, or 'all'. */
  private pending: Set<ExplorerNodeId> | 'all' | undefined;
  private inFlight = 0;
  private lastActivity = 0;
  private lastFired = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Pages loaded per parent id ('' for the root); one unless "more…" was clicked. */
  private readonly pages = new Map<ExplorerNodeId, number>();
  private current: ExplorerState | undefined;

  readonly onDidChangeTreeData: Event<ExplorerNode | ExplorerNode[] | undefined> = this.changed.event;
  /** The root's state, as the server last answered it (undefined when the server could not be asked). */
  readonly onDidChangeState: Event<ExplorerState | undefined> = this.stateChanged.event;

  constructor(private readonly server: ProtocolClient) {}

  get state(): ExplorerState | undefined {
    return this.current;
  }

  getTreeItem(node: ExplorerNode): TreeItem {
    return treeItemOf(node);
  }

  async getChildren(parent?: ExplorerNode): Promise<ExplorerNode[]> {
    const key = parent?.id ?? '';
    this.inFlight++;
    try {
      const nodes = await this.fetch(parent?.id, this.pages.get(key) ?? 1);
      for (const node of nodes) this.nodes.set(node.id, node);
      return nodes;
    } catch (error) {
      if (!parent) this.setState(undefined);
      const failure: ExplorerNode = {
        id: `${key}/!client-error`,
        kind: 'state',
        label: 'The language server did not answer',
        tooltip: `${describeError(error)}\nRestart it with "KubeVirt Storage: Restart Language Server".`,
        icon: 'error',
        severity: 'error',
        collapsible: 'none',
      };
      return [failure];
    } finally {
      this.inFlight--;
      this.lastActivity = Date.now();
      if (this.pending) this.schedule();
    }
  }

  /** Loads one more page of the children of the `more…` node's parent. */
  loadMore(more: ExplorerNode): void {
    const parent = more.more?.parent;
    const key = parent ?? '';
    this.pages.set(key, (this.pages.get(key) ?? 1) + 1);
    this.refresh(parent);
  }

  /**
   * Re-reads the children of `parent` (the whole tree when undefined or not shown), once no children are being
   * fetched: a refresh while a node's children load makes VS Code 1.100 fetch them twice at once (see `treeItemOf`
   * for why that no longer breaks the node; it is still work for nothing). Its refresh event is debounced (200 ms,
   * leading edge), so refreshes are also spaced: each one then runs at once, while nothing loads.
   * Refreshing the whole tree every time instead (it cancels fetches in flight) starved the tree under a stream of
   * changes on a slow machine: each refresh cancelled the one before it.
   */
  refresh(parent?: ExplorerNodeId): void {
    const element = parent === undefined ? undefined : this.nodes.get(parent);
    if (!element || this.pending === 'all') this.pending = 'all';
    else this.pending = new Set([...(this.pending ?? []), element.id]);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    const now = Date.now();
    const wait = this.inFlight > 0 ? quietMs : Math.max(0, this.lastActivity + quietMs - now, this.lastFired + spacingMs - now);
    // A timer even at 0: a fetch that just ended registers its children in the extension host's microtasks first.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const idle = this.inFlight === 0 && Date.now() >= this.lastActivity + quietMs && Date.now() >= this.lastFired + spacingMs;
      if (!idle) return this.schedule();
      const pending = this.pending;
      this.pending = undefined;
      if (!pending) return;
      this.lastFired = Date.now();
      // An element no longer shown (its parent was re-read meanwhile): the whole tree, as for `refresh()`.
      const elements = pending === 'all' ? [] : [...pending].flatMap((id) => this.nodes.get(id) ?? []);
      const all = pending === 'all' || elements.length !== pending.size;
      if (all) this.nodes.clear();
      this.changed.fire(all ? undefined : elements);
    }, wait);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.changed.dispose();
    this.stateChanged.dispose();
  }

  /** `pages` pages of children, the `more…` nodes between them dropped. */
  private async fetch(parent: ExplorerNodeId | undefined, pages: number): Promise<ExplorerNode[]> {
    const out: ExplorerNode[] = [];
    let offset = 0;
    for (let i = 0; i < pages; i++) {
      const params: ExplorerChildrenParams = { ...(parent !== undefined ? { parent } : {}), ...(offset ? { offset } : {}) };
      const result = await this.server.request(explorerChildrenRequest, params);
      if (parent === undefined && i === 0) this.setState(result.state);
      const more = result.nodes.find((n) => n.kind === 'more');
      out.push(...result.nodes.filter((n) => n !== more));
      if (!more?.more) break;
      if (i === pages - 1) out.push(more);
      offset = more.more.offset;
    }
    return out;
  }

  private setState(state: ExplorerState | undefined): void {
    if (JSON.stringify(state) === JSON.stringify(this.current)) return;
    this.current = state;
    this.stateChanged.fire(state);
  }
}
