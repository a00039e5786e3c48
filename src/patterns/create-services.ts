import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { isIanaSvcName } from '../services/kubernetes-names';
import { NodePortMapping } from '../services/port-mapping';
import { TypedService } from '../services/typed-service';
import { ServiceExposure } from './service-exposure';
import { quote } from '../services/quote';

// Internal helpers of the patterns: the Services of a list of exposures.

/**
 * One typed Service per exposure, with the exposure's `id`, or else an id from its kind: `NodePort`,
 * then `NodePort2`, ..., counting only the exposures without an id and skipping ids `scope` already
 * has (an ExposedStatefulSet's own `Headless`), so that an app without ids keeps its names. An id
 * that another exposure gets from its position is an error, not a silent swap of two names.
 */
export function createServices(
  scope: Construct,
  owner: string,
  workload: kplus.AbstractPod,
  labels: Record<string, string>,
  exposures: ServiceExposure[],
): TypedService[] {
  // shorthand entries are checked here, where the error can say which pattern and exposure
  exposures.forEach((exposure, i) => exposure._parse(`${owner}: services[${i}]`));
  // the last number given to each kind (a handful of kinds: a plain object)
  const seen: Partial<Record<string, number>> = {};
  const idOf = (kind: string, count: number) => (count === 1 ? kind : `${kind}${count}`);
  const ids = exposures.map(exposure => {
    if (exposure.id !== undefined) {
      return undefined;
    }
    let count = (seen[exposure.serviceType] ?? 0) + 1;
    while (scope.node.tryFindChild(idOf(exposure.serviceType, count)) !== undefined) {
      count++;
    }
    seen[exposure.serviceType] = count;
    return idOf(exposure.serviceType, count);
  });
  // built on the first exposure with an id: most have none
  let given: Map<string, number> | undefined;
  exposures.forEach((exposure, i) => {
    const id = exposure.id;
    if (id === undefined) {
      return;
    }
    if (id === '' || id.includes('/')) {
      throw new Error(`${owner}: services[${i}] has id ${quote(id)}; an id is a non-empty construct id without '/', such as 'public'`);
    }
    if (scope.node.tryFindChild(id) !== undefined) {
      throw new Error(`${owner}: services[${i}] has id '${id}', which the pattern's own ${id} already has; pick another id`);
    }
    const positional = ids.indexOf(id);
    if (positional !== -1) {
      throw new Error(`${owner}: services[${i}] has id '${id}', which services[${positional}] (no id) gets from its kind and position; give services[${positional}] an id too, or pick another`);
    }
    given ??= new Map();
    const twice = given.get(id);
    if (twice !== undefined) {
      throw new Error(`${owner}: services[${twice}] and services[${i}] both have id '${id}'; give each exposure its own id`);
    }
    given.set(id, i);
  });
  return exposures.map((exposure, i) => exposure._create(scope, exposure.id ?? ids[i]!, workload, labels, owner));
}

/**
 * One Service port per container port: same number, forwarding by name when the port has one.
 * `owner` starts the error about a container port name that cannot be a targetPort.
 */
export function portsOf(workload: kplus.AbstractPod, owner: string): NodePortMapping[] {
  const containerPorts = workload.containers.flatMap(container => container.ports);
  for (const port of containerPorts) {
    // validation.go validateContainerPorts: a container port's name is an IANA_SVC_NAME, as a named targetPort is
    if (port.name !== undefined && !isIanaSvcName(port.name)) {
      throw new Error(`${owner}: container port ${port.number} has name ${quote(port.name)}, which is not a valid port name; use 1-15 characters of [a-z0-9-] with at least one letter and no leading, trailing or double '-' (IANA_SVC_NAME)`);
    }
  }
  return containerPorts.map(port => ({
    port: port.number,
    targetPortName: port.name,
    targetPort: port.name === undefined ? port.number : undefined,
    // unnamed ports get `port-<n>`, and `-udp`/`-sctp` so one number may serve two protocols
    name: containerPorts.length > 1
      ? port.name ?? `port-${port.number}${port.protocol === undefined || port.protocol === kplus.Protocol.TCP ? '' : `-${port.protocol.toLowerCase()}`}`
      : port.name,
    protocol: port.protocol,
  }));
}
