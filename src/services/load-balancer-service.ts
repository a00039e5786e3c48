import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';
import { isCidr, isQualifiedName } from './kubernetes-names';
import { NodePortMapping } from './port-mapping';
import { NodePortServiceProps } from './node-port-service';
import { ServiceKind } from './service-kind';
import { SessionAffinity } from './session-affinity';
import { TrafficPolicy } from './traffic-policy';
import { routingSpec } from './spec-fields';
import { TypedService } from './typed-service';

/**
 * Props for `LoadBalancerService`.
 */
export interface LoadBalancerServiceProps extends NodePortServiceProps {
  /**
   * The client CIDRs allowed through the load balancer, such as `203.0.113.0/24`.
   *
   * @default - every client (where the cloud provider supports the field)
   * @see https://kubernetes.io/docs/tasks/access-application-cluster/configure-cloud-provider-firewall/
   */
  readonly loadBalancerSourceRanges?: string[];

  /**
   * The load balancer implementation to use, a label-style name such as `example.com/internal-vip`.
   *
   * @default - the cluster's default load balancer implementation
   * @see https://kubernetes.io/docs/concepts/services-networking/service/#load-balancer-class
   */
  readonly loadBalancerClass?: string;

  /**
   * Whether node ports are allocated for the load balancer; `false` suits load balancers that
   * route to pods directly.
   *
   * @default - Kubernetes' default, true
   * @see https://kubernetes.io/docs/concepts/services-networking/service/#load-balancer-nodeport-allocation
   */
  readonly allocateLoadBalancerNodePorts?: boolean;
}

/**
 * A Service exposed through an external load balancer (`type: LoadBalancer`), as well as on node
 * ports and its cluster IP.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer
 */
export class LoadBalancerService extends TypedService {
  private readonly externalTrafficPolicy?: TrafficPolicy;
  private readonly internalTrafficPolicy?: TrafficPolicy;
  private readonly sessionAffinity?: SessionAffinity;
  private readonly loadBalancerSourceRanges?: string[];
  private readonly loadBalancerClass?: string;
  private readonly allocateLoadBalancerNodePorts?: boolean;

  constructor(scope: Construct, id: string, props: LoadBalancerServiceProps) {
    super(scope, id, ServiceKind.LOAD_BALANCER, { metadata: props.metadata });
    this._allowNodePorts(props.nodePortRange);
    for (const range of props.loadBalancerSourceRanges ?? []) {
      if (!isCidr(range)) {
        throw this._error(`loadBalancerSourceRanges entry '${range}' is not a CIDR; use an IPv4 or IPv6 block such as 203.0.113.0/24`);
      }
    }
    if (props.loadBalancerClass !== undefined && !isQualifiedName(props.loadBalancerClass)) {
      throw this._error(`loadBalancerClass '${props.loadBalancerClass}' is not a label-style name; use an optional DNS prefix and a name such as example.com/internal-vip`);
    }
    this.externalTrafficPolicy = props.externalTrafficPolicy;
    this.internalTrafficPolicy = props.internalTrafficPolicy;
    this.sessionAffinity = props.sessionAffinity;
    this.loadBalancerSourceRanges = props.loadBalancerSourceRanges;
    this.loadBalancerClass = props.loadBalancerClass;
    this.allocateLoadBalancerNodePorts = props.allocateLoadBalancerNodePorts;
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
    const sourceRanges = this.loadBalancerSourceRanges ?? [];
    return {
      ...routingSpec(this.sessionAffinity, this.internalTrafficPolicy, this.externalTrafficPolicy),
      loadBalancerSourceRanges: sourceRanges.length > 0 ? [...sourceRanges] : undefined,
      loadBalancerClass: this.loadBalancerClass,
      allocateLoadBalancerNodePorts: this.allocateLoadBalancerNodePorts,
    };
  }
}
