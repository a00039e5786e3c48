import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';
import { NodePortMapping, NodePortRange } from './port-mapping';
import { ServiceKind } from './service-kind';
import { SessionAffinity } from './session-affinity';
import { TrafficPolicy } from './traffic-policy';
import { routingSpec } from './spec-fields';
import { TypedService } from './typed-service';
import { TypedServiceProps } from './typed-service-props';

/**
 * Props for `NodePortService`.
 */
export interface NodePortServiceProps extends TypedServiceProps {
  /**
   * The ports of the Service, each with an optional fixed `nodePort`; more can be added with
   * `addPort()`.
   */
  readonly ports: NodePortMapping[];

  /**
   * The node port range of the target cluster (`kube-apiserver --service-node-port-range`);
   * fixed nodePorts are checked against it.
   *
   * @default { min: 30000, max: 32767 }
   */
  readonly nodePortRange?: NodePortRange;

  /**
   * How traffic arriving from outside the cluster is routed; `TrafficPolicy.LOCAL` keeps the
   * client's source IP but only reaches pods on the receiving node.
   *
   * @default - Kubernetes' default, TrafficPolicy.CLUSTER
   * @see https://kubernetes.io/docs/tasks/access-application-cluster/create-external-load-balancer/#preserving-the-client-source-ip
   */
  readonly externalTrafficPolicy?: TrafficPolicy;

  /**
   * How traffic from inside the cluster is routed.
   *
   * @default - Kubernetes' default, TrafficPolicy.CLUSTER
   * @see https://kubernetes.io/docs/concepts/services-networking/service-traffic-policy/
   */
  readonly internalTrafficPolicy?: TrafficPolicy;

  /**
   * Whether a client's connections stick to one pod.
   *
   * @default - Kubernetes' default, SessionAffinity.none()
   * @see https://kubernetes.io/docs/reference/networking/virtual-ips/#session-affinity
   */
  readonly sessionAffinity?: SessionAffinity;
}

/**
 * A Service reachable on a port of every node (`type: NodePort`), as well as on its cluster IP.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport
 */
export class NodePortService extends TypedService {
  private readonly externalTrafficPolicy?: TrafficPolicy;
  private readonly internalTrafficPolicy?: TrafficPolicy;
  private readonly sessionAffinity?: SessionAffinity;

  constructor(scope: Construct, id: string, props: NodePortServiceProps) {
    super(scope, id, ServiceKind.NODE_PORT, { metadata: props.metadata });
    this._allowNodePorts(props.nodePortRange);
    this.externalTrafficPolicy = props.externalTrafficPolicy;
    this.internalTrafficPolicy = props.internalTrafficPolicy;
    this.sessionAffinity = props.sessionAffinity;
    if (props.selector) {
      this.select(props.selector);
    }
    for (const port of props.ports) {
      this.addPort(port);
    }
  }

  /**
   * Add a port, checked like the `ports` prop.
   */
  public addPort(port: NodePortMapping): void {
    this._addMapping(port);
  }

  /**
   * @internal
   */
  protected _kindSpec(): k8s.ServiceSpec {
    return routingSpec(this.sessionAffinity, this.internalTrafficPolicy, this.externalTrafficPolicy);
  }
}
