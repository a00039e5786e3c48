import * as kplus from 'cdk8s-plus-27';

/**
 * Props every Service kind that selects pods takes.
 */
export interface TypedServiceProps extends kplus.ResourceProps {
  /**
   * The pods this Service sends traffic to: a workload (Deployment, StatefulSet, ...), a Pod, or a
   * label query such as `kplus.Pods.select(scope, 'Backend', { labels: { app: 'web' } })`.
   * More can be added with `select()` and `selectLabel()`.
   *
   * @default - no selector: Kubernetes creates no Endpoints, so manage them yourself
   * @see https://kubernetes.io/docs/concepts/services-networking/service/#services-without-selectors
   */
  readonly selector?: kplus.IPodSelector;
}
