import { ApiObjectMetadata } from 'cdk8s';
import { GatewayParentRef } from '../routes/gateway-parent-ref';

/**
 * A way in through Gateway API: the Gateways a stack's HTTPRoute attaches to, and the hostnames it
 * serves (`WordPressStack`'s and `ReverseProxyStack`'s `gateway` prop).
 *
 * @see https://gateway-api.sigs.k8s.io/api-types/httproute/
 */
export interface GatewayRouteOptions {
  /**
   * The Gateways (or some of their listeners) the route attaches to (1-32). Each must admit the
   * route: a listener whose `allowedRoutes` allow the route's namespace, and whose hostname matches
   * one of the route's (`cdk8s-svc lint` warns when a Gateway of the input does not).
   *
   * @see https://gateway-api.sigs.k8s.io/api-types/httproute/#attaching-to-gateways
   */
  readonly parentRefs: GatewayParentRef[];

  /**
   * The hostnames (the `Host` header) the route serves (at most 16): lowercase DNS names, the first
   * label optionally `*` (`*.example.com`), no IP addresses.
   *
   * @default - every hostname the listeners accept
   */
  readonly hostnames?: string[];
}

/**
 * The HTTPRoute of `ExposedDeployment` or `ExposedStatefulSet` (their `route` prop): requests for
 * the hostnames that reach the parent Gateways go to the pattern's Service.
 *
 * @see https://gateway-api.sigs.k8s.io/api-types/httproute/
 */
export interface PatternRouteOptions extends GatewayRouteOptions {
  /**
   * The Service port requests go to: one of the Service's TCP ports (its `port`, not its
   * `targetPort`).
   *
   * @default - the Service's first TCP port
   */
  readonly port?: number;

  /**
   * Only requests whose path starts with this prefix, element by element (`/api` matches `/api`
   * and `/api/orders`, not `/apis`). The path reaches the pods unchanged.
   *
   * @default - every path (the API's default, a PathPrefix of `/`; the route writes no match)
   */
  readonly pathPrefix?: string;

  /**
   * Metadata of the HTTPRoute object.
   *
   * @default - a name generated from the construct path, the Service's namespace, and the
   * pattern's recommended labels
   */
  readonly metadata?: ApiObjectMetadata;
}
