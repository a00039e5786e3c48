import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { isPortNumber, MAX_PORT, MIN_PORT } from './kubernetes-names';
import { NodePortRange } from './port-mapping';
import { SessionAffinity } from './session-affinity';
import { TrafficPolicy } from './traffic-policy';

// Internal helpers shared by the Service kinds.

/** The node port range of a cluster that keeps kube-apiserver's default. */
export const DEFAULT_NODE_PORT_RANGE: NodePortRange = { min: 30000, max: 32767 };

/**
 * What is wrong with a fixed node port (outside the cluster's range), or undefined when it is fine.
 */
export function nodePortProblem(nodePort: number, range: NodePortRange = DEFAULT_NODE_PORT_RANGE): string | undefined {
  return Number.isInteger(nodePort) && nodePort >= range.min && nodePort <= range.max
    ? undefined
    : `nodePort ${nodePort} is outside ${range.min}-${range.max}; pick a port in that range or omit it`;
}

/**
 * What is wrong with a `nodePortRange` prop (not a range of port numbers), or undefined when it is fine.
 */
export function nodePortRangeProblem(range: NodePortRange): string | undefined {
  return isPortNumber(range.min) && isPortNumber(range.max) && range.min <= range.max
    ? undefined
    : `nodePortRange ${range.min}-${range.max} is not a port range; use integers min <= max in ${MIN_PORT}-${MAX_PORT}`;
}

/**
 * The spec fields of session affinity and the traffic policies, shared by the kinds that have them.
 */
export function routingSpec(
  sessionAffinity: SessionAffinity | undefined,
  internalTrafficPolicy: TrafficPolicy | undefined,
  externalTrafficPolicy?: TrafficPolicy,
): k8s.ServiceSpec {
  return {
    sessionAffinity: sessionAffinity?.mode,
    sessionAffinityConfig: sessionAffinity?.timeoutSeconds !== undefined
      ? { clientIp: { timeoutSeconds: sessionAffinity.timeoutSeconds } }
      : undefined,
    internalTrafficPolicy,
    externalTrafficPolicy,
  };
}
