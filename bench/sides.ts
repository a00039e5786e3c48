// The sides of the synth benchmark, shared by the workload child (bench/workload.ts) and the scripts
// that start it (bench/run.ts, bench/profile.ts), which must not load cdk8s before they build lib/.

/**
 * - `ours`: ExposedDeployment with `['80:8080']` (ClusterIP) and `['!80:8080']` (NodePort).
 * - `baseline`: kplus.Deployment with two exposeViaService calls (ClusterIP, NodePort).
 * - `baseline-same-output`: the baseline, plus the labels, port names and protocols that
 *   ExposedDeployment writes, to tell the cost of those manifests from the cost of our code.
 */
export type Side = 'ours' | 'baseline' | 'baseline-same-output';

/** The sides, in table order: the baseline first, as ratios are against it. */
export const SIDES: Side[] = ['baseline', 'ours', 'baseline-same-output'];

/**
 * What each of the N Deployments comes with:
 * - `services`: a ClusterIP and a NodePort Service.
 * - `routes`: the same, plus an HTTPRoute to the ClusterIP Service, attached to one Gateway of the
 *   app (ours: ExposedDeployment's `route` prop; the baselines: a plain `ApiObject` with the same
 *   fields, and on `baseline-same-output` the same labels).
 */
export type Workload = 'services' | 'routes';

/** The workloads. */
export const WORKLOADS: Workload[] = ['services', 'routes'];
