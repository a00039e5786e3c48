import * as kplus from 'cdk8s-plus-27';

/**
 * One port of a Service: the port it listens on and where it forwards traffic.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/service/#field-spec-ports
 */
export interface PortMapping {
  /**
   * The port the Service listens on (1-65535).
   */
  readonly port: number;

  /**
   * The container port number traffic is forwarded to (1-65535).
   * Mutually exclusive with `targetPortName`.
   *
   * @default - the value of `port`, unless `targetPortName` is set
   */
  readonly targetPort?: number;

  /**
   * The name of a container port traffic is forwarded to, for example `http`: an IANA service
   * name of 1-15 characters of `[a-z0-9-]` with at least one letter. Mutually exclusive with
   * `targetPort`.
   *
   * @default - traffic goes to `targetPort`
   * @see https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service
   */
  readonly targetPortName?: string;

  /**
   * The port's name, a DNS-1123 label. Required by Kubernetes as soon as a Service has more than
   * one port, and then unique within the Service.
   *
   * @default - no name (valid only while the Service has a single port)
   */
  readonly name?: string;

  /**
   * The IP protocol of this port.
   *
   * @default kplus.Protocol.TCP
   */
  readonly protocol?: kplus.Protocol;
}

/**
 * A port of a NodePort or LoadBalancer Service, which may also pin the port opened on every node.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport
 */
export interface NodePortMapping extends PortMapping {
  /**
   * The port opened on every node, inside the cluster's node port range (30000-32767 by default).
   *
   * @default - allocated by the cluster
   */
  readonly nodePort?: number;
}

/**
 * The node port range of the cluster (`kube-apiserver --service-node-port-range`).
 */
export interface NodePortRange {
  /**
   * The lowest node port the cluster allocates.
   */
  readonly min: number;

  /**
   * The highest node port the cluster allocates.
   */
  readonly max: number;
}

/**
 * Whether `mapping` is a TCP port (the protocol a Service port defaults to).
 * @internal
 */
export function isTcpPort(mapping: PortMapping): boolean {
  return (mapping.protocol ?? kplus.Protocol.TCP) === kplus.Protocol.TCP;
}
