import { clusterDomainProblem } from '../services/discovery-names';
import { isPortNumber, MAX_PORT, MIN_PORT } from '../services/kubernetes-names';
import { NodePortRange } from '../services/port-mapping';
import { nodePortProblem } from '../services/spec-fields';

// Prop checks shared by WordPressStack and ReverseProxyStack. Each takes `fail`, which builds the
// stack's Error (`<Class> '<path>': <message>`).

/** A function that builds the owning construct's Error from a message. @internal */
export type Fail = (message: string) => Error;

/**
 * A replica count: a whole number of at least 1.
 * @internal
 */
export function checkReplicas(fail: Fail, prop: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw fail(`${prop} ${value} is not a replica count; use a whole number of at least 1`);
  }
}

/**
 * A port number, 1-65535.
 * @internal
 */
export function checkPort(fail: Fail, prop: string, value: number): void {
  if (!isPortNumber(value)) {
    throw fail(`${prop} ${value} is not a valid port number; use an integer in ${MIN_PORT}-${MAX_PORT}`);
  }
}

/**
 * The cluster's DNS domain, a lowercase RFC 1123 subdomain.
 * @internal
 */
export function checkClusterDomain(fail: Fail, value: string): void {
  const problem = clusterDomainProblem(value);
  if (problem !== undefined) {
    throw fail(problem);
  }
}

/**
 * A fixed node port, inside the cluster's node port range (checked before the Service exists, so
 * the stack fails before creating anything).
 * @internal
 */
export function checkNodePort(fail: Fail, nodePort: number, range?: NodePortRange): void {
  const problem = nodePortProblem(nodePort, range);
  if (problem !== undefined) {
    throw fail(problem);
  }
}
