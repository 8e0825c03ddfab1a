/**
 * Which filesystem overhead CDI applies for a StorageClass.
 */
import type { CdiConfigFact, Facts } from '../facts.js';
import { ownValue } from '../own.js';
import type { Settings } from '../types.js';
import { storageClassForOverhead } from './storageClass.js';
import type { CdiBehaviour } from './version.js';
import { describeFactSource, settingNames } from './version.js';

// cdiv1.Percent's kubebuilder pattern (staging/src/kubevirt.io/containerized-data-importer-api/.../types.go).
const percentPattern = /^(0(?:\.\d{1,3})?|1)$/;

/** Whether `s` is a valid CDI `Percent`: "0", "1", or "0." plus one to three digits ("1.0" and ".06" are not). */
export function isValidPercent(s: string): boolean {
  return percentPattern.test(s);
}

/** The overhead CDI uses and a phrase saying where it came from. */
export interface ResolvedOverhead {
  overhead: string;
  /** e.g. "CDIConfig status.filesystemOverhead.storageClass[fast] (cdiconfig.yaml)" */
  source: string;
}

function statusKnown(config: CdiConfigFact | undefined): config is CdiConfigFact {
  return config !== undefined && (config.globalOverhead !== undefined || Object.keys(config.storageClassOverhead).length > 0);
}

/**
 * Mirrors GetFilesystemOverheadForStorageClass (pkg/controller/common/util.go, v1.6x): storageClassName ""
 * gives "0"; otherwise the class is looked up (falling back to the k8s default class when it is absent or
 * not named), and CDIConfig `status.filesystemOverhead.storageClass[class]` wins over `.global`.
 *
 * Deliberate departure: CDI returns "0" when the CDIConfig does not exist or its status has not been filled.
 * On a real cluster the config controller always fills it, so when no CDIConfig status is known (typical for a
 * workspace without the cluster) this uses `settings.defaultFilesystemOverhead` when valid, else the
 * version's default: what the controller would have written for a CDIConfig without spec overrides.
 */
export function resolveOverhead(storageClassName: string | undefined, facts: Facts, settings: Settings, behaviour: CdiBehaviour): ResolvedOverhead {
  if (storageClassName === '') {
    return { overhead: '0', source: 'storageClassName "" (CDI uses 0 without a class)' };
  }
  const config = facts.cdiConfig();
  if (!statusKnown(config)) return fallbackOverhead(settings, behaviour);
  const where = describeFactSource(config.source);
  const sc = storageClassForOverhead(storageClassName, facts);
  if (sc !== undefined) {
    const perClass = ownValue(config.storageClassOverhead, sc.name);
    if (perClass !== undefined) {
      return { overhead: perClass, source: `CDIConfig status.filesystemOverhead.storageClass[${sc.name}] (${where})` };
    }
  }
  if (config.globalOverhead !== undefined) {
    return { overhead: config.globalOverhead, source: `CDIConfig status.filesystemOverhead.global (${where})` };
  }
  // Per-class entries but no global: CDI would parse "" as 0; a partial status is a workspace artefact.
  return fallbackOverhead(settings, behaviour);
}

function fallbackOverhead(settings: Settings, behaviour: CdiBehaviour): ResolvedOverhead {
  const setting = settings.defaultFilesystemOverhead;
  if (setting !== undefined && setting !== '') {
    if (isValidPercent(setting)) return { overhead: setting, source: `setting ${settingNames.defaultFilesystemOverhead}` };
    return {
      overhead: behaviour.defaultOverhead,
      source:
        `CDI ${behaviour.version} default ${behaviour.defaultOverhead} (no CDIConfig status found; ` +
        `setting ${settingNames.defaultFilesystemOverhead} ${JSON.stringify(setting)} is not a valid percent)`,
    };
  }
  return { overhead: behaviour.defaultOverhead, source: `CDI ${behaviour.version} default ${behaviour.defaultOverhead} (no CDIConfig status found)` };
}
