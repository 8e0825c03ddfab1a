/**
 * "Expand VolumeClaimTemplates into PVCs": what the VolumeClaimTemplates design (kubevirt/community PR #232, not
 * merged) has KubeVirt's VM controller do, done in the file so that today's KubeVirt accepts it. Each template
 * becomes a PVC named `<vm>-<template>` (the design's naming), rendered in-process by CDI's RenderPvc
 * (core/cdi/render.ts renderPvcInProcess: class, access and volume modes from the StorageProfile, a clone's size
 * from its source, the filesystem overhead), keeping its `dataSourceRef` to the populator source; the VM loses
 * `volumeClaimTemplates` and its volumes name the PVCs. A VM with `generateName` is explained, not guessed: its
 * PVC names depend on the name the API server generates.
 */
import { isNode, stringify } from 'yaml';
import { isRejected } from '../cdi/render.js';
import { claimsIn, type ClaimIn } from '../claimSpecs/places.js';
import { readClaim } from '../claimSpecs/read.js';
import { renderClaim, type RenderedClaim } from '../claimSpecs/render.js';
import type { Facts } from '../facts.js';
import { groupDigits } from '../quantity.js';
import type { Resource } from '../resources.js';
import type { Settings, TextEdit } from '../types.js';
import type { YamlDoc } from '../yaml/documents.js';
import { scalarString, sequenceNodes, stringMap } from '../yaml/documents.js';
import { removeMapEntryEdit, replaceValueEdit } from '../yaml/edits.js';
import { walk } from '../yaml/navigate.js';

/** One PVC the expansion writes. */
export interface ExpandedPvc {
  template: string;
  name: string;
  /** The PVC as an API object. */
  object: Record<string, unknown>;
  /** The PVC as YAML, with a comment saying how it was rendered. */
  yaml: string;
  render: RenderedClaim;
}

export type Expansion =
  | {
      ok: true;
      vm: string;
      pvcs: ExpandedPvc[];
      /** Edits to the VM's own document: the templates removed, the volumes renamed. */
      vmEdits: TextEdit[];
      /** Where PVCs written into the same file go: before the VM's document. */
      insertAt: { line: number; character: number };
    }
  | { ok: false; message: string };

/** The design's PVC name for a template of VM `vm`. */
export function expandedPvcName(vm: string, template: string): string {
  return `${vm}-${template}`;
}

function pvcObject(c: ClaimIn, rc: RenderedClaim, name: string, namespace: string | undefined): Record<string, unknown> {
  const d = c.resource.doc;
  const labels = stringMap(d, [...c.metadataPath, 'labels']);
  const annotations = stringMap(d, [...c.metadataPath, 'annotations']);
  const { input } = rc.spec;
  const spec: Record<string, unknown> = {};
  const r = rc.rendered;
  if (r.storageClassName !== undefined) spec['storageClassName'] = r.storageClassName;
  if (r.accessModes && r.accessModes.length > 0) spec['accessModes'] = r.accessModes;
  if (r.volumeMode !== undefined) spec['volumeMode'] = r.volumeMode;
  if (r.storage !== undefined) spec['resources'] = { requests: { storage: r.storage } };
  for (const via of ['dataSource', 'dataSourceRef'] as const) {
    const ref = input[via];
    if (ref) spec[via] = { ...(ref.apiGroup === undefined ? {} : { apiGroup: ref.apiGroup }), ...(ref.kind ? { kind: ref.kind } : {}), ...(ref.name ? { name: ref.name } : {}), ...('namespace' in ref && ref.namespace ? { namespace: ref.namespace } : {}) };
  }
  const selector = walk(d, [...c.specPath, 'selector']);
  if (selector) spec['selector'] = selector.node.toJSON();
  const volumeName = scalarString(d, [...c.specPath, 'volumeName']);
  if (volumeName !== undefined) spec['volumeName'] = volumeName;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name,
      ...(namespace === undefined ? {} : { namespace }),
      ...(Object.keys(labels).length ? { labels } : {}),
      ...(Object.keys(annotations).length ? { annotations } : {}),
    },
    spec,
  };
}

/** The comment above an expanded PVC: where it came from and how each rendered field was decided. */
function header(vm: string, template: string, rc: RenderedClaim): string {
  const r = rc.result;
  const size = rc.sourceSize
    ? `size from the clone source (${rc.sourceSize.from})`
    : r.inflated && r.renderedBytes !== undefined
      ? `${groupDigits(r.requestedBytes ?? 0n)} bytes + filesystem overhead ${r.overhead} = ${groupDigits(r.renderedBytes)} bytes`
      : rc.why.storage;
  return [
    `# volumeClaimTemplate ${template} of VirtualMachine ${vm}, rendered as CDI's RenderPvc does (${r.cdi.describe}):`,
    `# class ${rc.rendered.storageClassName ?? 'none'} (${rc.why.storageClassName}); ${rc.rendered.accessModes?.join(', ') || 'no access modes'} ${rc.rendered.volumeMode} (${rc.why.volumeMode}); ${size}`,
  ].join('\n');
}

/** Expands the templates of a VirtualMachine resource; a typed failure says why it cannot. */
export function expandVolumeClaimTemplates(r: Resource, facts: Facts, settings: Settings): Expansion {
  if (r.kind !== 'VirtualMachine') return { ok: false, message: `${r.kind} is not a VirtualMachine` };
  const d = r.doc;
  const templates = claimsIn(r).filter((c) => c.place.flavour === 'template');
  if (templates.length === 0) return { ok: false, message: `VirtualMachine ${r.name ?? '(unnamed)'} has no volumeClaimTemplates` };
  const generateName = scalarString(d, [...r.base, 'metadata', 'generateName']);
  if (r.name === undefined) {
    return {
      ok: false,
      message:
        generateName !== undefined
          ? `VirtualMachine generateName "${generateName}": the design names each PVC "<generated VM name>-<template>", which is known only once the API server has created the VM. Give the VM a metadata.name to expand its templates.`
          : 'the VirtualMachine has no metadata.name: the PVCs are named "<vm>-<template>"',
    };
  }
  const problems: string[] = [];
  const pvcs: ExpandedPvc[] = [];
  for (const c of templates) {
    if (c.name === undefined) {
      problems.push(`volumeClaimTemplate #${c.index} has no metadata.name`);
      continue;
    }
    const rc = renderClaim(readClaim(c, settings.defaultNamespace), facts, settings);
    if (isRejected(rc.result)) {
      const d = rc.result.denials;
      problems.push(`volumeClaimTemplate ${c.name}: ${d.length > 0 ? `CDI would reject it (${d.join('; ')})` : `the API server would refuse it (${rc.result.refusals.join('; ')})`}`);
      continue;
    }
    if (rc.rendered.storage === undefined) {
      problems.push(`volumeClaimTemplate ${c.name}: no size, and the clone source's size is not known (add resources.requests.storage)`);
      continue;
    }
    const name = expandedPvcName(r.name, c.name);
    const object = pvcObject(c, rc, name, r.namespace);
    pvcs.push({ template: c.name, name, object, yaml: `${header(r.name, c.name, rc)}\n${stringify(object, { lineWidth: 0 })}`, render: rc });
  }
  if (problems.length > 0) return { ok: false, message: `Cannot expand VirtualMachine ${r.name}: ${problems.join('; ')}` };
  const vmEdits = volumeEdits(d, r, new Map(pvcs.map((p) => [p.template, p.name])));
  const removal = removeMapEntryEdit(d, [...r.base, 'spec', 'volumeClaimTemplates']);
  if (!removal) return { ok: false, message: `VirtualMachine ${r.name}: spec.volumeClaimTemplates is written in a way this tool does not rewrite (a flow map, an alias or a merge key)` };
  // After the VM's own `---`, if it has one: before it, the PVCs would run on from the previous document.
  const start = d.range.start.line;
  const opensWithMarker = /^---(\s|$)/.test(d.text.slice(d.toOffset({ line: start, character: 0 }) ?? 0));
  return { ok: true, vm: r.name, pvcs, vmEdits: [...vmEdits, removal], insertAt: { line: opensWithMarker ? start + 1 : start, character: 0 } };
}

/**
 * The VM's volumes that name a template (`persistentVolumeClaim.claimName`, or the design's example's
 * `persistentVolumeClaim.name`) renamed to the PVC.
 */
function volumeEdits(d: YamlDoc, r: Resource, names: ReadonlyMap<string, string>): TextEdit[] {
  const edits: TextEdit[] = [];
  const volumes = [...r.base, 'spec', 'template', 'spec', 'volumes'];
  sequenceNodes(d, volumes).forEach((_, i) => {
    const pvc = [...volumes, i, 'persistentVolumeClaim'];
    for (const key of ['claimName', 'name']) {
      const name = scalarString(d, [...pvc, key]);
      const target = name === undefined ? undefined : names.get(name);
      if (target === undefined) continue;
      const e = replaceValueEdit(d, [...pvc, key], target);
      if (e) edits.push(e);
      const keyNode = walk(d, [...pvc, key])?.pair?.key;
      // The design's example writes `name`; KubeVirt's field is `claimName`.
      if (key === 'name' && isNode(keyNode) && keyNode.range) edits.push({ range: d.toRange(keyNode.range[0], keyNode.range[1]), newText: 'claimName' });
      break;
    }
  });
  return edits;
}
