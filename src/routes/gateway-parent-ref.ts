/**
 * A Gateway an `HttpRoute` attaches to (a `parentRefs` entry of group
 * `gateway.networking.k8s.io`, kind `Gateway`), or some of its listeners.
 *
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#parentreference
 */
export interface GatewayParentRef {
  /**
   * The Gateway's name.
   */
  readonly name: string;

  /**
   * The Gateway's namespace. A Gateway in another namespace admits the route only when a listener
   * allows routes from the route's namespace (`allowedRoutes.namespaces`).
   *
   * @default - the route's namespace
   */
  readonly namespace?: string;

  /**
   * The name of the one listener of the Gateway to attach to. A route that names one Gateway twice
   * needs a different `sectionName` in each reference.
   *
   * @default - every listener of the Gateway that admits the route
   */
  readonly sectionName?: string;

  /**
   * Attach only to the listeners on this port (Gateway API "Extended" support: not every
   * implementation honours it).
   *
   * @default - listeners on any port
   */
  readonly port?: number;
}
