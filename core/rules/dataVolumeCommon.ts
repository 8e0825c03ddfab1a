/**
 * Shared by the DataVolume restore rules: the restores of a document (DataVolumes and VM dataVolumeTemplates
 * whose source is a VolumeSnapshot, directly or through a DataSource), their sizes, and the fixes.
 */
import { isMap } from 'yaml';
import { dataVolumeRestoreOf, dataVolumeSizing, dataVolumesOf, type DataVolumeRestore, type DataVolumeSizing } from '../dataVolumes.js';
import type { Facts } from '../facts.js';
import type { KindName } from '../kinds/index.js';
import { contentRestoreSize, fromContentWords, type ContentRestoreSize } from '../snapshotContents.js';
import type { Fix, Range } from '../types.js';
import { rangeOf, replaceValueEdit, removeMapEntryEdit, type YamlPath } from '../yaml/documents.js';
import { walkNode } from '../yaml/navigate.js';
import { canonicalRestoreSize, sized } from './restoreCommon.js';
import { perRun, type RuleContext } from './rule.js';

/** What the DataVolume restore rules read. */
export const dataVolumeKinds: readonly KindName[] = ['DataVolume', 'VirtualMachine', 'DataSource', 'VolumeSnapshot', 'VolumeSnapshotContent', 'StorageClass', 'StorageProfile', 'CDIConfig', 'CDI'];

/** The document's DataVolume restores, the snapshot and DataSource looked up. */
export function dataVolumeRestores(ctx: RuleContext): DataVolumeRestore[] {
  if (!ctx.resources.some((r) => r.kind === 'DataVolume' || r.kind === 'VirtualMachine')) return [];
  // snapshot-not-found and the two size rules ask for the same document with the same facts: read once per context.
  return perRun(ctx, RESTORES, readRestores);
}

const RESTORES = Symbol('DataVolume restores');

function readRestores(ctx: RuleContext): DataVolumeRestore[] {
  // Pushed, not mapped: one array shape whether this runs optimized or not (core/arrays.ts).
  const found: DataVolumeRestore[] = [];
  for (const dv of dataVolumesOf(ctx.doc, ctx.resources)) {
    const r = dataVolumeRestoreOf(ctx.doc, dv, ctx.facts, ctx.settings.defaultNamespace);
    if (r !== undefined) found.push(r);
  }
  return found;
}

/** A restore whose snapshot has a usable restoreSize and whose spec a valid request, with CDI's sizing of it. */
export interface SizedDataVolumeRestore {
  r: DataVolumeRestore;
  restore: DvRestoreSize;
  request: NonNullable<DataVolumeRestore['dv']['request']>;
  sizing: DataVolumeSizing;
}

/** The document's DataVolume restores that can be sized (what both size rules check). */
export function sizedDataVolumeRestores(ctx: RuleContext): SizedDataVolumeRestore[] {
  // Both size rules ask for the same document with the same facts: look up and render once per context.
  return perRun(ctx, SIZED, sizeRestores);
}

const SIZED = Symbol('sized DataVolume restores');

function sizeRestores(ctx: RuleContext): SizedDataVolumeRestore[] {
  return dataVolumeRestores(ctx).flatMap((r) => {
    const restore = restoreSizeOf(r, ctx.facts);
    const request = r.dv.request;
    return restore && request ? [{ r, restore, request, sizing: dataVolumeSizing(r, ctx.facts, ctx.settings) }] : [];
  });
}

/** A restore's usable restoreSize: its bytes, the text Kubernetes prints, and the content it comes from if not the snapshot. */
export interface DvRestoreSize {
  bytes: bigint;
  text: string;
  fromContent?: ContentRestoreSize;
}

/** `VolumeSnapshot vms/win11-root's restoreSize 30Gi (… bytes)`, and the DataSource it was reached through. */
export function dvRestoreSize(r: DataVolumeRestore, restore: DvRestoreSize): string {
  const via = r.dataSource ? ` (through DataSource ${r.dataSource.namespace}/${r.dataSource.name})` : '';
  const from = restore.fromContent ? ` (${fromContentWords(restore.fromContent)})` : '';
  return `VolumeSnapshot ${r.snapshotNamespace}/${r.snapshotName}'s restoreSize ${sized(restore.text, restore.bytes)}${from}${via}`;
}

/** The snapshot's usable restoreSize, else (with `facts`) the one its VolumeSnapshotContent will give it. */
export function restoreSizeOf(r: DataVolumeRestore, facts?: Facts): DvRestoreSize | undefined {
  const bytes = r.snapshot?.restoreSizeBytes;
  if (bytes === undefined || bytes === 0n) {
    const c = facts && r.snapshot ? contentRestoreSize(r.snapshot, facts) : undefined;
    return c ? { bytes: c.bytes, text: c.text, fromContent: c } : undefined;
  }
  return { bytes, text: canonicalRestoreSize(r.snapshot?.restoreSizeText, bytes) };
}

/** Where to report: the request, else the source's name. */
export function dvRange(r: DataVolumeRestore): Range {
  return rangeOf(r.doc, r.dv.request?.node ?? r.dv.source.nameNode);
}

export function setRequestFix(r: DataVolumeRestore, text: string, preferred: boolean): Fix[] {
  const path = r.dv.request?.path;
  const edit = path && replaceValueEdit(r.doc, path, text);
  return edit ? [{ title: `Set the request to the snapshot's restoreSize (${text})`, preferred, edits: [edit] }] : [];
}

/**
 * Removes `spec.storage`'s size (CDI's detectCloneSize then takes restoreSize, without overhead): the `resources`
 * map when the size is all it holds, else the `storage` entry.
 */
export function removeRequestFix(r: DataVolumeRestore, preferred: boolean): Fix[] {
  const path = r.dv.request?.path;
  if (!path || r.dv.field !== 'storage') return [];
  const only = (p: YamlPath) => {
    const node = walkNode(r.doc, p);
    return isMap(node) && node.items.length === 1;
  };
  const requests = path.slice(0, -1);
  const resources = requests.slice(0, -1);
  const target = only(requests) && only(resources) ? resources : only(requests) ? requests : path;
  const edit = removeMapEntryEdit(r.doc, target);
  return edit ? [{ title: "Remove the size: CDI sizes the clone from the snapshot's restoreSize", preferred, edits: [edit] }] : [];
}

export function dvData(r: DataVolumeRestore, restore: DvRestoreSize): Record<string, string> {
  return {
    snapshot: `${r.snapshotNamespace}/${r.snapshotName}`,
    restoreSizeBytes: String(restore.bytes),
    ...(restore.fromContent ? { restoreSizeFrom: `VolumeSnapshotContent/${restore.fromContent.content}` } : {}),
    ...(r.dv.request ? { requestedBytes: String(r.dv.request.quantity.bytes) } : {}),
    ...(r.dataSource ? { dataSource: `${r.dataSource.namespace}/${r.dataSource.name}` } : {}),
  };
}
