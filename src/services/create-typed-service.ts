import { ApiObjectMetadata } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ClusterIPService } from './cluster-ip-service';
import { ExternalNameService } from './external-name-service';
import { HeadlessService } from './headless-service';
import { LoadBalancerService } from './load-balancer-service';
import { NodePortService } from './node-port-service';
import { NodePortMapping, NodePortRange } from './port-mapping';
import { ServiceKind } from './service-kind';
import { TypedService } from './typed-service';

/** @internal */
export interface AnyServiceProps {
  readonly metadata?: ApiObjectMetadata;
  readonly selector?: kplus.IPodSelector;
  readonly ports: NodePortMapping[];
  readonly externalName?: string;
  readonly nodePortRange?: NodePortRange;
}

/**
 * The typed Service of `kind`, for code that picks the kind at run time (the shorthand, the
 * patterns). Each class still checks its own props: a nodePort on a ClusterIP port, a selector on
 * ExternalName and a missing externalName all throw there.
 * @internal
 */
export function createTypedService(scope: Construct, id: string, kind: ServiceKind, props: AnyServiceProps): TypedService {
  const { metadata, selector, ports } = props;
  switch (kind) {
    case ServiceKind.CLUSTER_IP:
      return new ClusterIPService(scope, id, { metadata, selector, ports });
    case ServiceKind.HEADLESS:
      return new HeadlessService(scope, id, { metadata, selector, ports });
    case ServiceKind.NODE_PORT:
      return new NodePortService(scope, id, { metadata, selector, ports, nodePortRange: props.nodePortRange });
    case ServiceKind.LOAD_BALANCER:
      return new LoadBalancerService(scope, id, { metadata, selector, ports, nodePortRange: props.nodePortRange });
    case ServiceKind.EXTERNAL_NAME:
      if (selector !== undefined) {
        throw new Error(`ExternalNameService '${scope.node.path}/${id}': a selector is not allowed: an ExternalName Service has no selector (Kubernetes ignores it); select pods with another kind of Service`);
      }
      return new ExternalNameService(scope, id, { metadata, ports, externalName: props.externalName ?? '' });
  }
}
