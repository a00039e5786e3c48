import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';

// The Pod Security Standards "restricted" profile (v1.27) asks two things of every pod that
// cdk8s-plus-27 cannot write: `seccompProfile.type: RuntimeDefault` (no such field on its pod or
// container security contexts) and `capabilities.drop: ["ALL"]` on every container (its
// `Capability` enum has no ALL, and writes names with a CAP_ prefix, which Pod Security compares
// literally: `CAP_NET_BIND_SERVICE` is not the `NET_BIND_SERVICE` it allows). The rest of the
// profile is what cdk8s-plus already writes by default: runAsNonRoot, allowPrivilegeEscalation
// false, not privileged, no host namespaces, ports or paths.
// https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted

/** Where the pod spec sits in a Deployment, StatefulSet or Job. */
const POD_SPEC = '/spec/template/spec';

/** The methods by which containers join a pod after its construction. */
const ADDERS = ['addContainer', 'attachContainer', 'addInitContainer'] as const;

/**
 * Make the pods of `workload` meet the "restricted" Pod Security Standard where cdk8s-plus cannot,
 * by JSON patches on its API object:
 * - the pod's `securityContext.seccompProfile` is `{ type: RuntimeDefault }`: one pod-level field
 *   covers every container, also those added later;
 * - each container and init container gets `securityContext.capabilities: { drop: [ALL] }`,
 *   unless its props set `capabilities` (the user's choice wins), now and when one is added later
 *   through `addContainer`, `attachContainer` or `addInitContainer`.
 *
 * The patches are added when the container is, so a JSON patch the user adds afterwards on the
 * same path replaces ours (e.g. `capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] }`).
 * @internal
 */
export function restrictPodSecurity(workload: kplus.Workload): void {
  const resource = ApiObject.of(workload);
  resource.addJsonPatch(JsonPatch.add(`${POD_SPEC}/securityContext/seccompProfile`, { type: 'RuntimeDefault' }));
  const patched = { containers: 0, initContainers: 0 };
  const sync = () => {
    for (const field of ['containers', 'initContainers'] as const) {
      const containers = workload[field];
      for (let i = patched[field]; i < containers.length; i++) {
        // cdk8s-plus always writes a container's securityContext (its defaults are never all unset)
        if (containers[i].securityContext.capabilities === undefined) {
          resource.addJsonPatch(JsonPatch.add(`${POD_SPEC}/${field}/${i}/securityContext/capabilities`, { drop: ['ALL'] }));
        }
      }
      patched[field] = containers.length;
    }
  };
  sync();
  // Containers added after construction (a sidecar, a user's init container) get the same default:
  // patch each one as it joins, before the user can add a patch of their own for it.
  const methods = workload as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const method of ADDERS) {
    const original = methods[method];
    Object.defineProperty(workload, method, {
      configurable: true,
      writable: true,
      value: (...args: unknown[]) => {
        const result = original.apply(workload, args);
        sync();
        return result;
      },
    });
  }
}
