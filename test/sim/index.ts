// A cluster that acts: the API emulator plus the controllers it lacks (kube.ts) and migcontroller's VolumeResize
// operator (volumeResizeOperator.ts), reconciled every `tickMs` (accelerated: the operator's 5 s and 10 s requeues
// become one tick). See README.md.
import type { Emulator } from '../emulator/types.js';
import { KubeSim, type KubeSimOptions } from './kube.js';
import { VolumeResizeOperatorSim } from './volumeResizeOperator.js';

export { OPERATOR_STEPS, type OperatorStep, type StepSelector } from './volumeResizeOperator.js';
export { KubeSim } from './kube.js';
export { VolumeResizeOperatorSim } from './volumeResizeOperator.js';

export interface SimulationOptions extends KubeSimOptions {
  /** Milliseconds between reconcile passes (default 2). */
  tickMs?: number;
  /** Without the operator: only the Kubernetes controllers. */
  operator?: boolean;
}

export interface Simulation {
  kube: KubeSim;
  operator: VolumeResizeOperatorSim;
  /** Errors a pass threw (a bug in the simulation): tests assert there are none. */
  errors: unknown[];
  /** One pass now, outside the timer. */
  tick(): void;
  stop(): void;
}

export function startSimulation(emu: Emulator, opts: SimulationOptions = {}): Simulation {
  const kube = new KubeSim(emu, opts);
  const operator = new VolumeResizeOperatorSim(kube);
  const errors: unknown[] = [];
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = (): void => {
    try {
      kube.reconcile();
      if (opts.operator !== false) operator.reconcile();
    } catch (e) {
      errors.push(e);
    }
  };
  const loop = (): void => {
    if (stopped) return;
    tick();
    timer = setTimeout(loop, opts.tickMs ?? 2);
  };
  loop();
  return {
    kube,
    operator,
    errors,
    tick,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
