import { TypedService } from '../services/typed-service';
import { HttpHeaderMatch } from './http-header-match';
import { HttpPathMatch } from './http-path-match';

/**
 * What requests a rule of an `HttpRoute` takes: all of its conditions must hold.
 *
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#httproutematch
 */
export interface HttpRouteMatch {
  /**
   * The request path.
   *
   * @default - any path (the API's default, a PathPrefix of `/`)
   */
  readonly path?: HttpPathMatch;

  /**
   * Request headers, all of which must match (at most 16, one per header name).
   *
   * @default - any headers
   */
  readonly headers?: HttpHeaderMatch[];
}

/**
 * A Service a rule of an `HttpRoute` sends requests to.
 *
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#httpbackendref
 */
export interface HttpRouteBackend {
  /**
   * The Service. Not an ExternalName Service (Gateway API support for them is
   * implementation-specific, and the spec says implementations should not support them: a CNAME
   * may lead outside the cluster, CVE-2021-25740), nor a headless one (it has no cluster IP to
   * route to).
   */
  readonly service: TypedService;

  /**
   * The Service port to send to: one of the Service's TCP ports (`port`, not `targetPort`).
   *
   * @default - the Service's port, when it has exactly one
   */
  readonly port?: number;

  /**
   * The share of the rule's requests this backend gets, relative to the weights of the rule's
   * other backends (0-1000000): 90 and 10 send 90% and 10%, a canary release. 0 sends none.
   *
   * @default 1
   * @see https://gateway-api.sigs.k8s.io/guides/traffic-splitting/
   */
  readonly weight?: number;
}

/**
 * A rule of an `HttpRoute`: the requests it takes and the Services they go to.
 *
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#httprouterule
 */
export interface HttpRouteRule {
  /**
   * The rule's name, unique in the route (a DNS-1123 subdomain), for policies and status.
   *
   * @default - no name
   */
  readonly name?: string;

  /**
   * The requests the rule takes: any one of the matches (at most 64 per rule, 128 per route).
   *
   * @default - every request (the API's default, a PathPrefix of `/`)
   */
  readonly matches?: HttpRouteMatch[];

  /**
   * The Services the requests go to (1-16), split by weight.
   */
  readonly backends: HttpRouteBackend[];
}
