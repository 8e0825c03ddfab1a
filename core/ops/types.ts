/**
 * The plan model: what an operation (webhook deploy, VolumeResize start or rollback, the GCP workaround, PVC
 * creation) will do to a cluster, as plain data. An operation is a pure function from what was read off the
 * cluster and the user's options to a Plan; `cluster/ops/` runs any Plan the same way (target check,
 * server-side dry-run of every write, apply under one field manager, waits, verification, undo journal).
 * Every phase carries the sentence a user reads; nothing here knows HTTP or an editor.
 */

/** An API object as the plan writes it. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name?: string;
    /** Only for `create` writes: the API server picks the name. */
    generateName?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

/** Names one object. `namespace` is absent for cluster-scoped kinds. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  /**
   * In a wait or a check: the object a `create` write of the plan makes with `generateName` equal to `name`; the
   * engine puts in the name the API server generated.
   */
  generated?: boolean;
}

/** What undo does with a delete: recreate the object as it was, or nothing (say why). */
export type DeleteUndo = { kind: 'recreate' } | { kind: 'irreversible'; reason: string };

/** One change to the cluster. The engine dry-runs each before anything is applied. */
export type Write =
  /** Server-side apply under the tools' field manager: creates the object or updates the fields it sets. */
  | { action: 'apply'; object: KubeObject }
  /**
   * A POST of an object that must not exist yet (e.g. a `generateName` PVC, a custom resource to start). Undo
   * deletes it, unless `undo` says why not (deleting a running VolumeResize sets off its operator's finalizer).
   */
  | { action: 'create'; object: KubeObject; undo?: { kind: 'irreversible'; reason: string } }
  /** A JSON patch (RFC 6902) or JSON merge patch (RFC 7386) of an existing object. */
  | { action: 'patch'; target: ObjectRef; patchType: 'json' | 'merge'; patch: unknown }
  /** Deletes one named object; absent is fine. */
  | { action: 'delete'; target: ObjectRef; undo: DeleteUndo; propagationPolicy?: 'Background' | 'Foreground' | 'Orphan' }
  /**
   * Deletes what a label selector selects at apply time. The dry-run lists the objects it selects, so the
   * user confirms a list of names (and their count) before anything is deleted; apply deletes exactly those.
   */
  | { action: 'deleteSelected'; apiVersion: string; kind: string; namespace?: string; labelSelector: string; undo: DeleteUndo };

/** A condition the engine waits for after a phase's writes, with a deadline. */
export type Wait =
  | { kind: 'rollout'; target: ObjectRef; timeoutSeconds: number }
  /** `status.conditions[type=…].status` equals `status`. */
  | { kind: 'condition'; target: ObjectRef; type: string; status: 'True' | 'False'; timeoutSeconds: number }
  /**
   * A phase field (default `status.phase`) reaches one of `phases`; `failPhases` end the wait as failed. The
   * object missing fails the wait, unless `appears` (a controller creates it: a StatefulSet's pod).
   */
  | { kind: 'phase'; target: ObjectRef; path?: string[]; phases: string[]; failPhases?: string[]; appears?: boolean; timeoutSeconds: number }
  | { kind: 'gone'; target: ObjectRef; timeoutSeconds: number };

/** A verification after everything was applied. */
export type Check =
  /**
   * A server-side dry-run create of `object` (`dryRun=All`: admission runs, nothing is stored); each
   * expectation must hold in the answer. Retried for `retrySeconds` (an API server picks up new webhook
   * configurations moments later).
   */
  | { kind: 'dryRunCreate'; object: KubeObject; expect: Expectation[]; retrySeconds?: number; describe: string }
  /** A field of a live object holds a value. */
  | { kind: 'field'; target: ObjectRef; expect: Expectation[]; retrySeconds?: number; describe: string }
  /** None of these objects exist any more (a Namespace that is terminating counts as gone). */
  | { kind: 'absent'; targets: ObjectRef[]; retrySeconds?: number; describe: string }
  /** Verification that cannot be done, and why (it is reported as skipped, never as passed). */
  | { kind: 'skipped'; reason: string };

export interface Expectation {
  path: string[];
  /** Compared as Kubernetes quantities when `quantity` is set, else as JSON. */
  equals: unknown;
  quantity?: boolean;
  /** How the user reads it: "the request is restoreSize 20Mi". */
  says: string;
}

export interface Phase {
  id: string;
  title: string;
  /** Why this phase is there, in a sentence a user reads. */
  why: string;
  writes: Write[];
  waits?: Wait[];
}

/** Where the plan applies. Apply refuses another context or server. */
export interface PlanTarget {
  context: string;
  server: string;
  /** The operation's main namespace (for messages). */
  namespace?: string;
}

export interface Plan {
  operation: string;
  /** One line: "Deploy the restore-size webhook to namespace cdi". */
  title: string;
  target: PlanTarget;
  phases: Phase[];
  checks: Check[];
  /** What the user should know before applying. */
  notes: string[];
  /**
   * Set when the tools advise against applying (e.g. "CDI v1.64 no longer inflates snapshot restores"):
   * the editor asks with this sentence, the CLI needs `--force`.
   */
  advice?: string;
  /**
   * What the confirmation must say besides the writes it lists: what a delete sets off, what stays behind
   * (e.g. a VolumeResize's finalizer deletes its temporary PVCs; the old PVs are kept).
   */
  confirm?: string[];
  /** What undo can do for this plan, when it is not the usual "reverses it from the journal" (e.g. it leaves a migration running). */
  undo?: string;
  /** Paths of values the preview must not show (private keys), per object kind, e.g. Secret data keys ending `.key`. */
  secretKeySuffixes?: string[];
}

/** One option of an operation: a CLI flag and an editor choice come from it. */
export interface OptionSpec {
  name: string;
  description: string;
  type: 'string' | 'integer' | 'boolean';
  choices?: readonly string[];
  /** The VS Code setting that supplies it in the editor, when one does. */
  setting?: string;
}

export type OptionValues = Record<string, string | number | boolean | undefined>;

/** An operation's answer to "plan this": a plan, or every reason it cannot. */
export type PlanResult = { ok: true; plan: Plan; questions?: Question[] } | { ok: false; message: string };

/** A choice the planner made that the user may change (the editor asks when there is more than one answer). */
export interface Question {
  option: string;
  prompt: string;
  chosen: string;
  choices: { value: string; label: string; detail?: string }[];
}
