/**
 * Where a Service routes traffic: to any ready endpoint, or only to endpoints on the node the
 * traffic arrived at.
 *
 * @see https://kubernetes.io/docs/reference/networking/virtual-ips/#traffic-policies
 */
export enum TrafficPolicy {
  /** Route to all ready endpoints in the cluster. */
  CLUSTER = 'Cluster',
  /** Route only to endpoints on the receiving node (keeps the client source IP for external traffic). */
  LOCAL = 'Local',
}
