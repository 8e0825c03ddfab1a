/**
 * "Check with the cluster": the server sends the PVC at a position (or each restore PVC of a VirtualMachineRestore)
 * to the API server as a server-side dry-run create and answers with the cluster's render next to the prediction
 * (`kubevirtStorage/checkWithCluster`). The answers also feed the diagnostics.
 */
import { RequestType } from 'vscode-languageserver-protocol';

export interface CheckWithClusterParams {
  /** The document's URI, as the client knows it. */
  uri: string;
  /** Where the PVC or VirtualMachineRestore is (0-based, UTF-16 columns). */
  position: { line: number; character: number };
}

export interface ClusterCheckResult {
  /** What was sent, in words. */
  subject: string;
  agrees: boolean;
  /** The fields that differ (`request`, `storageClassName`, `volumeMode`, `accessModes`, `admission`). */
  differences: string[];
}

export type CheckWithClusterResult =
  | {
      ok: true;
      /** The context asked. */
      context: string;
      checks: ClusterCheckResult[];
      /** The whole report (prediction and answer side by side), to show as a document. */
      markdown: string;
    }
  | { ok: false; message: string };

/** Request `kubevirtStorage/checkWithCluster` (client → server). */
export const checkWithClusterRequest = new RequestType<CheckWithClusterParams, CheckWithClusterResult, void>('kubevirtStorage/checkWithCluster');
