import { Size, SizeRoundingBehavior } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { clusterDomainProblem } from '../services/discovery-names';
import { isPortNumber, MAX_PORT, MIN_PORT } from '../services/kubernetes-names';
import { NodePortRange } from '../services/port-mapping';
import { DEFAULT_NODE_PORT_RANGE, nodePortProblem, nodePortRangeProblem } from '../services/spec-fields';
import { Fail } from '../services/quote';
import { ServiceKind } from '../services/service-kind';

// Prop checks shared by WordPressStack and ReverseProxyStack. Each takes `fail`, which builds the
// stack's Error (`<Class> '<path>': <message>`).


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

/** The kinds of Service a stack exposes its entry point with. */
const EXPOSING = [ServiceKind.NODE_PORT, ServiceKind.LOAD_BALANCER, ServiceKind.CLUSTER_IP];

/**
 * The props of a stack's entry Service (`serviceType`, `nodePort`, `nodePortRange`): a kind that
 * exposes pods, node port props only for kinds with node ports, and the node ports in the range.
 * `what` is what the Service exposes ('nginx'); `defaultNodePort`, the NodePort Service's node port
 * when none is given (else the cluster allocates one).
 * @internal
 */
export function checkExposure(
  fail: Fail,
  what: string,
  serviceType: ServiceKind,
  props: { readonly nodePort?: number; readonly nodePortRange?: NodePortRange },
  defaultNodePort?: number,
): void {
  if (!EXPOSING.includes(serviceType)) {
    throw fail(`serviceType ${serviceType} cannot expose ${what}; use ServiceKind.NODE_PORT, ServiceKind.LOAD_BALANCER or ServiceKind.CLUSTER_IP`);
  }
  if (serviceType === ServiceKind.CLUSTER_IP) {
    if (props.nodePort !== undefined || props.nodePortRange !== undefined) {
      const which = props.nodePort !== undefined ? `nodePort ${props.nodePort}` : 'nodePortRange';
      throw fail(`${which} is set, but a ${serviceType} Service has no node ports; drop it or use serviceType NODE_PORT or LOAD_BALANCER`);
    }
    return;
  }
  checkNodePortRange(fail, props.nodePortRange);
  const range = props.nodePortRange ?? DEFAULT_NODE_PORT_RANGE;
  const byDefault = serviceType === ServiceKind.NODE_PORT ? defaultNodePort : undefined;
  const defaultFits = byDefault !== undefined && nodePortProblem(byDefault, range) === undefined;
  if (props.nodePort !== undefined) {
    const omitted = byDefault === undefined ? 'the cluster allocates one' : defaultFits ? `the default, ${byDefault}` : undefined;
    checkNodePort(fail, props.nodePort, props.nodePortRange, omitted);
  } else if (byDefault !== undefined && !defaultFits) {
    throw fail(`nodePortRange ${range.min}-${range.max} leaves out the default nodePort ${byDefault}; set nodePort to a port in ${range.min}-${range.max}, or change nodePortRange`);
  }
}

/**
 * The node port of a stack's entry Service of `serviceType`: none on a ClusterIP Service, else
 * `nodePort`, else (on a NodePort Service) `defaultNodePort`.
 * @internal
 */
export function entryNodePort(serviceType: ServiceKind, nodePort: number | undefined, defaultNodePort?: number): number | undefined {
  if (serviceType === ServiceKind.CLUSTER_IP) {
    return undefined;
  }
  return nodePort ?? (serviceType === ServiceKind.NODE_PORT ? defaultNodePort : undefined);
}

/**
 * A fixed node port, inside the cluster's node port range (checked before the Service exists, so
 * the stack fails before creating anything). `omitted` says what leaving `nodePort` out gives, when
 * that is a port in the range (the stack's default, or one the cluster allocates).
 * @internal
 */
export function checkNodePort(fail: Fail, nodePort: number, range: NodePortRange | undefined, omitted?: string): void {
  if (nodePortProblem(nodePort, range) === undefined) {
    return;
  }
  const { min, max } = range ?? DEFAULT_NODE_PORT_RANGE;
  const rangeProp = range === undefined ? '' : ' (nodePortRange)';
  throw fail(omitted === undefined
    ? `nodePort ${nodePort} is outside ${min}-${max}${rangeProp}; pick a port in that range`
    : `nodePort ${nodePort} is outside ${min}-${max}${rangeProp}; pick a port in that range or omit it (${omitted})`);
}

/**
 * The node port range of the target cluster, as a stack's `nodePortRange` prop.
 * @internal
 */
export function checkNodePortRange(fail: Fail, range?: NodePortRange): void {
  const problem = range === undefined ? undefined : nodePortRangeProblem(range);
  if (problem !== undefined) {
    throw fail(problem);
  }
}

/**
 * A container's resources: each field of `given` (cpu request, cpu limit, memory request, memory
 * limit, ephemeral storage) in place of its default, the other defaults kept. A default request
 * above a given limit comes down to that limit, and a default limit below a given request goes up
 * to that request, so a partial override never asks for more than its limit (which the API server
 * rejects); a request above a limit, both given, is an error naming `prop`.
 * @internal
 */
export function resourcesWithDefaults(
  fail: Fail,
  prop: string,
  defaults: kplus.ContainerResources,
  given?: kplus.ContainerResources,
): kplus.ContainerResources {
  if (given === undefined) {
    return defaults;
  }
  return {
    cpu: mergeRequestAndLimit(fail, `${prop}.cpu`, defaults.cpu, given.cpu, cpuMillis, cpu => cpu.amount),
    memory: mergeRequestAndLimit(fail, `${prop}.memory`, defaults.memory, given.memory, kibibytes, size => size.asString()),
    ephemeralStorage: mergeRequestAndLimit(fail, `${prop}.ephemeralStorage`, defaults.ephemeralStorage, given.ephemeralStorage, kibibytes, size => size.asString()),
  };
}

interface RequestAndLimit<T> {
  readonly request?: T;
  readonly limit?: T;
}

function mergeRequestAndLimit<T>(
  fail: Fail,
  prop: string,
  defaults: RequestAndLimit<T> | undefined,
  given: RequestAndLimit<T> | undefined,
  amount: (value: T) => number | undefined,
  show: (value: T) => string,
): RequestAndLimit<T> | undefined {
  let request = given?.request ?? defaults?.request;
  let limit = given?.limit ?? defaults?.limit;
  if (request === undefined && limit === undefined) {
    return undefined;
  }
  const requested = request === undefined ? undefined : amount(request);
  const limited = limit === undefined ? undefined : amount(limit);
  if (requested !== undefined && limited !== undefined && requested > limited) {
    if (given?.request !== undefined && given?.limit !== undefined) {
      throw fail(`${prop} request ${show(request!)} is above its limit ${show(limit!)}; a container may not request more than its limit, so lower the request or raise the limit`);
    }
    if (given?.limit !== undefined) {
      request = limit;
    } else {
      limit = request;
    }
  }
  return { request, limit };
}

/** A CPU amount in millicores ('250m', '1', '0.5'), or undefined when it is not a plain number. */
function cpuMillis(cpu: kplus.Cpu): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(m?)$/.exec(String(cpu.amount));
  return match === null ? undefined : Number(match[1]) * (match[2] === 'm' ? 1 : 1000);
}

/** A size in KiB, or undefined when it is not a number (an unresolved token). */
function kibibytes(size: Size): number | undefined {
  const value = size.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
