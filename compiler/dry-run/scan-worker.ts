import { parentPort, workerData } from 'node:worker_threads';
import { activateBundle } from '../../policy/active-bundle.ts';
import type { EffectivePolicy } from './effective-policy.ts';
import { policyView } from './policy-view.ts';
import { scanInProcess, type WorkerSetup } from './scan-pool.ts';
import type { ScanContext } from './scan-file.ts';
import { TreeGuard } from './tree-guard.ts';

// A scan worker: rebuilds the policy from the bundle payload (activateBundle, as the proxy does)
// and scans the batches of paths it is sent, answering each with its results in order.
const setup = workerData as WorkerSetup;
const policy: EffectivePolicy = { bundle: activateBundle(setup.payload), projectPath: setup.projectPath, origin: '', now: setup.now, diagnostics: [], warnings: [], aiconfig: 'from-bundle' };
const ctx: ScanContext = { policy, view: policyView(policy, setup.provider), guard: new TreeGuard(setup.root) };

parentPort?.on('message', (paths: string[]) => {
  parentPort?.postMessage(scanInProcess(ctx, paths));
});
