import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { NodePortMapping } from '../services/port-mapping';
import { TypedService } from '../services/typed-service';
import { ServiceExposure } from './service-exposure';

// Internal helpers of the patterns: the Services of a list of exposures.

/**
 * One typed Service per exposure, with ids from their kinds.
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
  const seen = new Map<string, number>();
  return exposures.map(exposure => {
    const count = (seen.get(exposure.serviceType) ?? 0) + 1;
    seen.set(exposure.serviceType, count);
    const id = count === 1 ? exposure.serviceType : `${exposure.serviceType}${count}`;
    return exposure._create(scope, id, workload, labels, owner);
  });
}

/**
 * One Service port per container port: same number, forwarding by name when the port has one.
 */
export function portsOf(workload: kplus.AbstractPod): NodePortMapping[] {
  const containerPorts = workload.containers.flatMap(container => container.ports);
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
