import { Construct } from 'constructs';
import { checkPathMatch } from '../routes/http-path-checks';
import { HttpPathMatch } from '../routes/http-path-match';
import { HttpRoute } from '../routes/http-route';
import { isTcpPort } from '../services/port-mapping';
import { portListText, quote } from '../services/quote';
import { ServiceKind } from '../services/service-kind';
import { TypedService } from '../services/typed-service';
import { PatternRouteOptions } from './pattern-route-options';
import { ServiceExposure } from './service-exposure';

// Internal helpers of ExposedDeployment and ExposedStatefulSet: the HTTPRoute of their `route` prop.

/** The construct id of a pattern's HTTPRoute. */
const ROUTE_ID = 'Route';

/**
 * The checks of the `route` prop that need no Service, up front, before any child exists: no
 * exposure takes the route's id, and the path prefix is one an HTTPRoute accepts.
 * @internal
 */
export function checkRouteOptions(owner: string, options: PatternRouteOptions, exposures: ServiceExposure[] | undefined): void {
  const taken = (exposures ?? []).findIndex(exposure => exposure.id === ROUTE_ID);
  if (taken >= 0) {
    throw new Error(`${owner}: services[${taken}] has id '${ROUTE_ID}', which the HTTPRoute of the route prop takes; pick another id`);
  }
  if (options.pathPrefix !== undefined) {
    checkPathMatch(HttpPathMatch.pathPrefix(options.pathPrefix), 'route.pathPrefix', message => new Error(`${owner}: ${message}`));
  }
}

/**
 * The HTTPRoute (child `Route` of `scope`) from the Gateways of `options` to the first of
 * `services` that has a cluster IP (not headless), on `options.port` or its first TCP port, in the
 * Service's namespace, with the pattern's `labels`.
 * @internal
 */
export function createPatternRoute(
  scope: Construct,
  owner: string,
  services: TypedService[],
  labels: Record<string, string>,
  options: PatternRouteOptions,
): HttpRoute {
  const service = services.find(candidate => candidate.serviceKind !== ServiceKind.HEADLESS);
  if (service === undefined) {
    const none = services.length === 0 ? 'services is empty' : 'every Service of services is headless (clusterIP: None)';
    throw new Error(`${owner}: route needs a Service with a cluster IP to send requests to, and ${none}; add a ClusterIP, NodePort or LoadBalancer exposure to services`);
  }
  // the messages' parts are built only for a message
  const described = () => `Service ${quote(service.name)} (${service.node.path})`;
  const tcp = service._portMappingsView.filter(isTcpPort);
  let port = options.port;
  if (port === undefined) {
    if (tcp.length === 0) {
      throw new Error(`${owner}: route goes to ${described()}, which has no TCP port; HTTP needs one: give the Service a TCP port`);
    }
    port = tcp[0].port;
  } else if (!tcp.some(mapping => mapping.port === port)) {
    const instead = tcp.length === 0 ? 'the Service has no TCP port: give it one' : `use one of ${portListText(tcp)}`;
    throw new Error(`${owner}: route.port ${port} is not a TCP port of ${described()}; ${instead}`);
  }
  return new HttpRoute(scope, ROUTE_ID, {
    metadata: { namespace: service.metadata.namespace, ...options.metadata, labels: { ...labels, ...options.metadata?.labels } },
    parentRefs: options.parentRefs,
    hostnames: options.hostnames,
    rules: [{
      matches: options.pathPrefix === undefined ? undefined : [{ path: HttpPathMatch.pathPrefix(options.pathPrefix) }],
      backends: [{ service, port }],
    }],
  });
}
