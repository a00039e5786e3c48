/**
 * The kinds of Service this library builds, one class each.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types
 */
export enum ServiceKind {
  /** A cluster-internal virtual IP: `ClusterIPService`. */
  CLUSTER_IP = 'ClusterIP',
  /** `type: ClusterIP` with `clusterIP: None`, DNS answers with pod IPs: `HeadlessService`. */
  HEADLESS = 'Headless',
  /** A cluster IP plus a port on every node: `NodePortService`. */
  NODE_PORT = 'NodePort',
  /** A NodePort Service plus an external load balancer: `LoadBalancerService`. */
  LOAD_BALANCER = 'LoadBalancer',
  /** A DNS CNAME to a name outside the cluster: `ExternalNameService`. */
  EXTERNAL_NAME = 'ExternalName',
}
