import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';
import { isIP } from './kubernetes-names';
import { PortMapping } from './port-mapping';
import { ServiceKind } from './service-kind';
import { SessionAffinity } from './session-affinity';
import { TrafficPolicy } from './traffic-policy';
import { routingSpec } from './spec-fields';
import { TypedService } from './typed-service';
import { TypedServiceProps } from './typed-service-props';

/**
 * Props for `ClusterIPService`.
 */
export interface ClusterIPServiceProps extends TypedServiceProps {
  /**
   * The ports of the Service; more can be added with `addPort()`.
   */
  readonly ports: PortMapping[];

  /**
   * A fixed cluster IP, inside the cluster's service CIDR. For a Service without a cluster IP use
   * `HeadlessService`.
   *
   * @default - allocated by the cluster
   */
  readonly clusterIP?: string;

  /**
   * Whether a client's connections stick to one pod.
   *
   * @default - Kubernetes' default, SessionAffinity.none()
   * @see https://kubernetes.io/docs/reference/networking/virtual-ips/#session-affinity
   */
  readonly sessionAffinity?: SessionAffinity;

  /**
   * How traffic from inside the cluster is routed.
   *
   * @default - Kubernetes' default, TrafficPolicy.CLUSTER
   * @see https://kubernetes.io/docs/concepts/services-networking/service-traffic-policy/
   */
  readonly internalTrafficPolicy?: TrafficPolicy;
}

/**
 * A Service reachable on a virtual IP inside the cluster (`type: ClusterIP`).
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/service/#type-clusterip
 */
export class ClusterIPService extends TypedService {
  private readonly sessionAffinity?: SessionAffinity;
  private readonly internalTrafficPolicy?: TrafficPolicy;

  constructor(scope: Construct, id: string, props: ClusterIPServiceProps) {
    super(scope, id, ServiceKind.CLUSTER_IP, { metadata: props.metadata, clusterIP: props.clusterIP });
    if (props.clusterIP !== undefined && !isIP(props.clusterIP)) {
      throw this._error(`clusterIP '${props.clusterIP}' is not an IP address; give an IPv4 or IPv6 address from the service CIDR, or use HeadlessService for clusterIP None`);
    }
    this.sessionAffinity = props.sessionAffinity;
    this.internalTrafficPolicy = props.internalTrafficPolicy;
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
  public addPort(port: PortMapping): void {
    this._addMapping(port);
  }

  /**
   * @internal
   */
  protected _kindSpec(): k8s.ServiceSpec {
    return routingSpec(this.sessionAffinity, this.internalTrafficPolicy);
  }
}

