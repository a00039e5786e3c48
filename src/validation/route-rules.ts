import { portListText } from '../services/quote';
import { describeRef } from './describe-ref';
import { Finding, ObjectRef, Severity } from './finding';
import { GATEWAY_API_GROUP } from './gateway-api-manifests';
import { labelSelector, selectorMatches, selectorText, Verdict } from './label-selector';
import { GatewayInfo, ListenerInfo, NamespaceInfo, RouteBackendInfo, RouteInfo, RouteParentInfo, ServiceInfo, WiringModel } from './model';
import type { RuleInfo } from './rules';
import { isObject } from './json-value';
import { byNamespaceAndName } from './wiring-index';

// The rules of Gateway API routes (HTTPRoute, GRPCRoute): where their backendRefs lead, whether a
// cross-namespace backend is granted, and whether the parent Gateway admits the route. The
// matching follows the Gateway API v1.6.1 spec (the CRDs' field documentation): ReferenceGrant
// `from`/`to`, listener `allowedRoutes` (namespaces From Same/All/Selector, kinds), listener and
// route hostnames (a `*.` label matches one or more labels), sectionName and port.

/** The route rules, in the order `RULES` lists them. @internal */
export const ROUTE_RULES: RuleInfo[] = [
  { id: 'route-backend-missing', severity: Severity.ERROR, description: 'an HTTPRoute or GRPCRoute backendRef naming a Service, or a Service port, that is not in the input, or a Service backendRef without a port', fix: 'Create the Service, or point the backendRef at a Service and one of its ports.' },
  { id: 'route-backend-not-granted', severity: Severity.ERROR, description: "a route's backendRef to another namespace without a ReferenceGrant there that allows it", fix: "Add a ReferenceGrant in the backend's namespace from the route's kind and namespace to the backend (HttpRoute creates it when the route and the Service both have a namespace)." },
  { id: 'route-parent-not-admitted', severity: Severity.WARNING, description: "a route's parent Gateway is in the input, but none of its listeners admits the route (its namespace, kind, hostnames, sectionName or port)", fix: "Change the listener's allowedRoutes or hostname, or the route's namespace, hostnames, sectionName or port, so that a listener admits the route." },
];

type Report = (rule: string, finding: Omit<Finding, 'rule' | 'severity'>) => void;

/** `Service 'shop/web'` without construct path or source: an object named by a reference. */
function named(kind: string, namespace: string, name: string): string {
  return `${kind} '${namespace}/${name}'`;
}

function portList(service: ServiceInfo): string {
  return portListText(service.ports) || 'none';
}

/** `from` of a ReferenceGrant as YAML flow, for messages. */
function grantText(route: RouteInfo, backend: RouteBackendInfo): string {
  return `from {group: ${GATEWAY_API_GROUP}, kind: ${route.ref.kind}, namespace: ${route.ref.namespace}} to {group: "${backend.group}", kind: ${backend.kind}, name: ${backend.name}}`;
}

/**
 * Whether a ReferenceGrant of the input lets `route` reach `backend` in its namespace: a grant in
 * that namespace whose `from` names the route's group, kind and namespace, and whose `to` names
 * the backend's group and kind, and its name or no name (GEP-709).
 */
function granted(model: WiringModel, route: RouteInfo, backend: RouteBackendInfo): boolean {
  return model.referenceGrants.some(grant => grant.ref.namespace === backend.namespace
    && grant.from.some(from => from.group === GATEWAY_API_GROUP && from.kind === route.ref.kind && from.namespace === route.ref.namespace)
    && grant.to.some(to => to.group === backend.group && to.kind === backend.kind && (to.name === undefined || to.name === backend.name)));
}

/**
 * Whether hostname `a` and hostname `b` (either may start with a `*.` label) have a host in
 * common: equal, or a wildcard whose suffix the other ends with. `*.example.com` matches
 * `foo.example.com` and `foo.bar.example.com`, not `example.com`.
 * @internal
 */
export function hostnamesIntersect(a: string, b: string): boolean {
  return a === b || wildcardCovers(a, b) || wildcardCovers(b, a);
}

/** Whether `wildcard` is a `*.` hostname whose suffix (from the dot) `host` ends with. */
function wildcardCovers(wildcard: string, host: string): boolean {
  return wildcard.startsWith('*.') && host.endsWith(wildcard.slice(1));
}

/**
 * The hostnames a listener serves for a route: the route's hostnames that intersect the listener's
 * (each narrowed to the more specific of the two), all of the route's when the listener has none,
 * the listener's when the route has none. Empty: any host.
 * @internal
 */
export function effectiveHostnames(listener: string | undefined, route: readonly string[]): string[] {
  if (listener === undefined) {
    return [...route];
  }
  if (route.length === 0) {
    return [listener];
  }
  // of two intersecting hostnames, the one that is not a wildcard, or the longer wildcard
  const narrow = (host: string) => (!host.startsWith('*.') ? host : !listener.startsWith('*.') || listener.endsWith(host.slice(1)) ? listener : host);
  return [...new Set(route.filter(host => hostnamesIntersect(listener, host)).map(narrow))];
}

/** The route kinds each core listener protocol carries when `allowedRoutes.kinds` is empty. */
const PROTOCOL_KINDS = new Map<string, readonly string[]>([
  ['HTTP', ['HTTPRoute', 'GRPCRoute']],
  ['HTTPS', ['HTTPRoute', 'GRPCRoute']],
  ['TLS', ['TLSRoute']],
  ['TCP', ['TCPRoute']],
  ['UDP', ['UDPRoute']],
]);

/** The route kinds a listener protocol carries when `allowedRoutes.kinds` is empty; undefined: implementation-specific (a domain-prefixed protocol, example.com/foo). */
function protocolKinds(protocol: string): readonly string[] | undefined {
  return PROTOCOL_KINDS.get(protocol);
}

/** Whether `labels` (complete, or only what is known) satisfy a label selector; undefined when it depends on unknown labels or the selector is malformed. */
function namespaceSelectorMatches(selector: unknown, labels: Record<string, string>, complete: boolean): Verdict {
  if (selector === undefined || selector === null) {
    // from: Selector without a selector: metav1.LabelSelectorAsSelector(nil) is labels.Nothing()
    return false;
  }
  const parsed = labelSelector(selector);
  return parsed === undefined ? undefined : selectorMatches(parsed, labels, complete);
}

/** How a listener admits a route: a verdict, and why not (the text built only when asked). */
interface Admission {
  readonly admitted: Verdict;
  readonly reason?: () => string;
}

/** The admissions without a reason, shared (one route per exposed workload asks). */
const ADMITTED: Admission = { admitted: true };
const NOT_KNOWN: Admission = { admitted: undefined };

/** Whether `listener` of `gateway` admits `route` (apart from sectionName and port, checked by the caller). */
function listenerAdmits(listener: ListenerInfo, gateway: GatewayInfo, route: RouteInfo, namespaces: Map<string, NamespaceInfo>): Admission {
  const kind = route.ref.kind;
  const carried = protocolKinds(listener.protocol);
  if (carried === undefined) {
    return NOT_KNOWN;
  }
  if (listener.kinds.length > 0) {
    if (!listener.kinds.some(k => k.group === GATEWAY_API_GROUP && k.kind === kind)) {
      return { admitted: false, reason: () => `allows route kinds ${listener.kinds.map(k => k.kind).join(', ')} only (allowedRoutes.kinds), not ${kind}` };
    }
  }
  if (!carried.includes(kind)) {
    return { admitted: false, reason: () => `is ${listener.protocol}, which carries no ${kind}s (${carried.join(', ')} only)` };
  }
  const routeNamespace = route.ref.namespace;
  switch (listener.from) {
    case 'All':
      break;
    case 'Same':
      if (routeNamespace !== gateway.ref.namespace) {
        return { admitted: false, reason: () => `admits routes of namespace '${gateway.ref.namespace}' only (allowedRoutes.namespaces.from: Same), not of '${routeNamespace}'` };
      }
      break;
    case 'Selector': {
      const known = namespaces.get(routeNamespace);
      const labels = known?.labels ?? { 'kubernetes.io/metadata.name': routeNamespace };
      const verdict = namespaceSelectorMatches(listener.selector, labels, known !== undefined);
      if (verdict === undefined) {
        return NOT_KNOWN;
      }
      if (!verdict) {
        const parsed = labelSelector(listener.selector);
        const selector = isObject(listener.selector) && parsed !== undefined ? `selector ${selectorText(parsed)}` : 'no selector, which selects no namespace';
        return { admitted: false, reason: () => `admits routes of the namespaces its ${selector} (allowedRoutes.namespaces.from: Selector) matches, and namespace '${routeNamespace}' ${known !== undefined ? `(labels ${Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(', ')}) ` : ''}does not match` };
      }
      break;
    }
    default:
      return NOT_KNOWN; // not a value the CRD accepts
  }
  const hostname = listener.hostname;
  if (hostname !== undefined && route.hostnames.length > 0 && !intersectsAny(hostname, route.hostnames)) {
    return { admitted: false, reason: () => `has hostname '${hostname}', which matches none of the route's hostnames ${route.hostnames.join(', ')}` };
  }
  return ADMITTED;
}

function intersectsAny(hostname: string, hosts: readonly string[]): boolean {
  for (let i = 0; i < hosts.length; i++) {
    if (hostnamesIntersect(hostname, hosts[i])) {
      return true;
    }
  }
  return false;
}

/** The verdict of a route's parentRef to a Gateway: which listeners admit it, and why the others do not. @internal */
export interface ParentAdmission {
  /** True when a listener admits the route; undefined when it depends on what the input does not say. */
  readonly admitted: Verdict;
  /** The listeners that admit the route. */
  readonly listeners: ListenerInfo[];
  /** Why each other listener (or the reference itself) does not. */
  readonly reasons: string[];
}

/**
 * Which listeners of `gateway` admit `route` through `parent`: those `sectionName` and `port`
 * name (all when unset) whose allowedRoutes (kinds, or the protocol's; namespaces) and hostname
 * admit it. An attachment succeeds when one listener admits the route.
 * @internal
 */
export function parentAdmission(route: RouteInfo, parent: RouteParentInfo, gateway: GatewayInfo, namespaces: Map<string, NamespaceInfo>): ParentAdmission {
  let candidates = gateway.listeners;
  if (parent.sectionName !== undefined) {
    candidates = candidates.filter(listener => listener.name === parent.sectionName);
    if (candidates.length === 0) {
      return { admitted: false, listeners: [], reasons: [`it has no listener named '${parent.sectionName}' (sectionName); its listeners are ${gateway.listeners.map(l => l.name).join(', ') || 'none'}`] };
    }
  }
  if (parent.port !== undefined) {
    const onPort = candidates.filter(listener => listener.port === parent.port);
    if (onPort.length === 0) {
      const which = parent.sectionName !== undefined ? `listener '${parent.sectionName}' is on port ${candidates[0].port}, not` : 'it has no listener on';
      return { admitted: false, listeners: [], reasons: [`${which} port ${parent.port} (parentRef port)`] };
    }
    candidates = onPort;
  }
  const listeners: ListenerInfo[] = [];
  const reasons: string[] = [];
  let unknown = false;
  for (let i = 0; i < candidates.length; i++) {
    const listener = candidates[i];
    const admission = listenerAdmits(listener, gateway, route, namespaces);
    if (admission.admitted === true) {
      listeners.push(listener);
    } else if (admission.admitted === undefined) {
      unknown = true;
    } else {
      reasons.push(`listener '${listener.name}' ${admission.reason!()}`);
    }
  }
  if (candidates.length === 0) {
    reasons.push('it has no listeners');
  }
  return { admitted: listeners.length > 0 ? true : unknown ? undefined : false, listeners, reasons };
}

/**
 * `parentAdmission(...).admitted`, without the lists: true at the first listener that admits the
 * route.
 */
function parentAdmits(route: RouteInfo, parent: RouteParentInfo, gateway: GatewayInfo, namespaces: Map<string, NamespaceInfo>): Verdict {
  let unknown = false;
  const listeners = gateway.listeners;
  for (let i = 0; i < listeners.length; i++) {
    const listener = listeners[i];
    if ((parent.sectionName !== undefined && listener.name !== parent.sectionName) || (parent.port !== undefined && listener.port !== parent.port)) {
      continue;
    }
    const admitted = listenerAdmits(listener, gateway, route, namespaces).admitted;
    if (admitted === true) {
      return true;
    }
    unknown ||= admitted === undefined;
  }
  return unknown ? undefined : false;
}

/** The model's Namespaces by name. @internal */
export function namespacesByName(model: WiringModel): Map<string, NamespaceInfo> {
  return new Map(model.namespaces.map(namespace => [namespace.name, namespace]));
}


/**
 * The findings of the route rules over the model.
 * @internal
 */
export function checkRoutes(model: WiringModel, serviceNamed: (namespace: string, name: string) => ServiceInfo | undefined, report: Report): void {
  const gateways = byNamespaceAndName(model.gateways);
  const namespaces = namespacesByName(model);
  // indexed loops: a synth runs the rules once, and cold code allocates an iterator (and a result
  // per element) for each for...of
  for (let r = 0; r < model.routes.length; r++) {
    const route = model.routes[r];
    for (let u = 0; u < route.rules.length; u++) {
      const backends = route.rules[u].backends;
      for (let b = 0; b < backends.length; b++) {
        checkBackend(model, route, backends[b], serviceNamed, report);
      }
    }
    for (let p = 0; p < route.parents.length; p++) {
      const parent = route.parents[p];
      if (parent.group !== GATEWAY_API_GROUP || parent.kind !== 'Gateway') {
        continue;
      }
      const gateway = gateways.get(parent.namespace)?.get(parent.name);
      if (gateway === undefined) {
        continue; // a Gateway of the platform, outside the input
      }
      // the reasons are asked only when no listener admits the route (most routes are admitted)
      if (parentAdmits(route, parent, gateway, namespaces) !== false) {
        continue;
      }
      const admission = parentAdmission(route, parent, gateway, namespaces);
      if (admission.admitted === false) {
        report('route-parent-not-admitted', {
          message: `${describeRef(route.ref)} parentRef ${parent.field} names ${describeRef(gateway.ref)}, but no listener of it admits the route: ${admission.reasons.join('; ')}; the route serves no traffic from this Gateway`,
          recommendation: "Change the listener's allowedRoutes or hostname, or the route's namespace, hostnames, sectionName or port, so that a listener admits the route.",
          resource: route.ref,
          field: parent.field,
          related: gateway.ref,
        });
      }
    }
  }
}

function checkBackend(model: WiringModel, route: RouteInfo, backend: RouteBackendInfo, serviceNamed: (namespace: string, name: string) => ServiceInfo | undefined, report: Report): void {
  const isService = backend.group === '' && backend.kind === 'Service';
  const service = isService ? serviceNamed(backend.namespace, backend.name) : undefined;
  // a Service backend that is wired (the common case) builds no message; an ExternalName
  // Service's ports are documentation: the implementation, if it supports it, uses the backendRef's
  if (isService && !(service !== undefined && backend.port !== undefined && (service.type === 'ExternalName' || hasPort(service, backend.port)))) {
    const described = describeRef(route.ref);
    const its = `${backend.mirror ? 'RequestMirror ' : ''}backendRef ${backend.field} names`;
    if (service === undefined) {
      report('route-backend-missing', {
        message: `${described} ${its} ${named('Service', backend.namespace, backend.name)}, which is not in the input; the Gateway answers the requests meant for it with status 500`,
        recommendation: 'Create the Service, or point the backendRef at an existing one.',
        resource: route.ref,
        field: `${backend.field}.name`,
      });
    } else if (backend.port === undefined) {
      // the CRD's CEL rule: (size(self.group) == 0 && self.kind == 'Service') ? has(self.port) : true
      report('route-backend-missing', {
        message: `${described} ${its} ${describeRef(service.ref)} without a port; a Service backendRef needs one, and the API server rejects the route ("Must have port for Service reference")`,
        recommendation: `Set port to one of the Service's ports: ${portList(service)}.`,
        resource: route.ref,
        field: `${backend.field}.port`,
        related: service.ref,
      });
    } else {
      report('route-backend-missing', {
        message: `${described} ${its} port ${backend.port} of ${describeRef(service.ref)}, which has ports ${portList(service)}; the Gateway answers the requests meant for it with status 500`,
        recommendation: "Use a port the Service declares (its port, not the targetPort), or add the port to the Service.",
        resource: route.ref,
        field: `${backend.field}.port`,
        related: service.ref,
      });
    }
  }
  if (backend.crossNamespace && !granted(model, route, backend)) {
    const target = named(backend.kind, backend.namespace, backend.name);
    report('route-backend-not-granted', {
      message: `${describeRef(route.ref)} ${backend.mirror ? 'RequestMirror ' : ''}backendRef ${backend.field} names ${target}, in another namespace, but no ReferenceGrant in namespace '${backend.namespace}' allows ${route.ref.kind}s of namespace '${route.ref.namespace}' to reach it; the Gateway refuses the backend (RefNotPermitted)`,
      recommendation: `Add a ReferenceGrant in namespace '${backend.namespace}' ${grantText(route, backend)}${isService ? " (HttpRoute creates it when the route and the Service both have a namespace: set the Service's, or its chart's)" : ''}.`,
      resource: route.ref,
      field: `${backend.field}.namespace`,
    });
  }
}

function hasPort(service: ServiceInfo, port: number): boolean {
  for (let i = 0; i < service.ports.length; i++) {
    if (service.ports[i].port === port) {
      return true;
    }
  }
  return false;
}

/** The ref of a Gateway a parentRef names, for findings and the traffic map. @internal */
export function parentRef(parent: RouteParentInfo): ObjectRef {
  return { kind: parent.kind, namespace: parent.namespace, name: parent.name };
}
