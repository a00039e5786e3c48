import { ApiObject, ApiObjectMetadata, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import * as gateway from '../imports/httproutes-gateway.networking.k8s.io';
import { ReferenceGrantV1Beta1 } from '../imports/referencegrants-gateway.networking.k8s.io';
import { isDns1123Label, isDns1123Subdomain, isPortNumber, MAX_PORT, MIN_PORT } from '../services/kubernetes-names';
import { OBJECT_NAME, withGeneratedName } from '../services/generated-names';
import { Fail, portListText, quote } from '../services/quote';
import { isTcpPort } from '../services/port-mapping';
import { ServiceKind } from '../services/service-kind';
import { TypedService } from '../services/typed-service';
import { GatewayParentRef } from './gateway-parent-ref';
import { HttpHeaderMatch } from './http-header-match';
import { checkPathMatch } from './http-path-checks';
import { HttpRouteBackend, HttpRouteMatch, HttpRouteRule } from './http-route-rule';

// The limits of the HTTPRoute CRD (Gateway API v1.6.1, standard channel): its OpenAPI schema and
// the CEL rules (x-kubernetes-validations) this construct could otherwise violate.
const MAX_PARENT_REFS = 32;
const MAX_HOSTNAMES = 16;
const MAX_RULES = 16;
const MAX_MATCHES_PER_RULE = 64;
const MAX_MATCHES_PER_ROUTE = 128;
const MAX_BACKENDS = 16;
const MAX_HEADERS = 16;
const MAX_WEIGHT = 1000000;
const MAX_HEADER_NAME_LENGTH = 256;
const MAX_HEADER_VALUE_LENGTH = 4096;
/** spec.hostnames[]: a lowercase RFC 1123 hostname, optionally with a leading `*.` label. */
const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** HTTPHeaderName: an RFC 7230 token. */
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;
const IPV4 = /^[0-9]+(\.[0-9]+){3}$/;

/**
 * Props for `HttpRoute`.
 */
export interface HttpRouteProps {
  /**
   * Metadata of the HTTPRoute object.
   *
   * @default - a name generated from the construct path, and the chart's namespace
   */
  readonly metadata?: ApiObjectMetadata;

  /**
   * The Gateways (or some of their listeners) the route attaches to (1-32). Each must admit the
   * route: a listener whose `allowedRoutes` allow the route's namespace and kind, and whose
   * hostname matches one of the route's (`cdk8s-svc lint` warns when a Gateway of the input does
   * not).
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

  /**
   * The rules (1-16): which requests go to which Services.
   */
  readonly rules: HttpRouteRule[];

  /**
   * Create the ReferenceGrant a backend Service in another namespace needs (in the Service's
   * namespace, allowing HTTPRoutes of the route's namespace to reach that one Service), when both
   * the route and the Service have a namespace (their own or their chart's). One grant per route
   * namespace and Service, however many routes use it. Without a grant, synth fails with
   * `route-backend-not-granted` naming the grant to add.
   *
   * @default true
   * @see https://gateway-api.sigs.k8s.io/api-types/referencegrant/
   */
  readonly createReferenceGrants?: boolean;
}

/**
 * A Gateway API HTTPRoute (`gateway.networking.k8s.io/v1`) in front of typed Services: requests
 * for its hostnames that reach the parent Gateways' listeners go, rule by rule, to Service ports,
 * split by weight (canary releases).
 *
 * Every backend is checked as it arrives: its port must be one of the Service's TCP ports, and
 * ExternalName and headless Services are refused. A backend Service in another namespace gets the
 * ReferenceGrant it needs. The route written passes the HTTPRoute CRD's schema and CEL rules.
 *
 * The construct is the HTTPRoute object itself, an `ApiObject` whose spec is typed by the classes
 * `cdk8s import` generates from the CRD; `addJsonPatch`, `metadata` and `name` are its own.
 *
 * @see https://gateway-api.sigs.k8s.io/api-types/httproute/
 */
export class HttpRoute extends ApiObject {
  /**
   * The ReferenceGrants the route's backends in other namespaces use (created by the first route
   * that needs each), in the order of the backends.
   */
  public readonly referenceGrants: ApiObject[];

  constructor(scope: Construct, id: string, props: HttpRouteProps) {
    // the spec is checked and built before the route and its grants exist, so a bad prop leaves
    // nothing half-made in the tree; errors name the path the route would have
    const fail: Fail = message => new Error(`HttpRoute '${childPath(scope, id)}': ${message}`);
    const namespace = props.metadata?.namespace ?? Chart.of(scope).namespace;
    if (namespace !== undefined && !isDns1123Label(namespace)) {
      throw fail(`namespace ${quote(namespace)} is not a valid namespace; use at most 63 characters of [a-z0-9-], starting and ending alphanumeric (DNS-1123 label)`);
    }
    const parentRefs = parentRefsOf(props.parentRefs, fail);
    const hostnames = hostnamesOf(props.hostnames, fail);
    const grantsNeeded: GrantNeeded[] = [];
    const rules = rulesOf(props.rules, { fail, namespace, grantsNeeded });
    const spec: gateway.HttpRouteSpec = { parentRefs, hostnames, rules };
    // cdk8s' generated name, unless it is not a valid object name (a `_` in a construct id)
    super(scope, id, { ...gateway.HttpRoute.GVK, metadata: withGeneratedName(props.metadata, scope, id, OBJECT_NAME, true), spec });
    const grants: ApiObject[] = [];
    if (props.createReferenceGrants ?? true) {
      for (const needed of grantsNeeded) {
        const grant = referenceGrant(needed);
        if (!grants.includes(grant)) {
          grants.push(grant);
        }
      }
    }
    this.referenceGrants = grants;
  }

  /**
   * The HTTPRoute object: the route itself (as `apiObject` of a cdk8s-plus resource).
   */
  public get apiObject(): ApiObject {
    return this;
  }
}

/** The path of the construct `id` would be in `scope` (constructs writes a `/` in an id as `--`). */
function childPath(scope: Construct, id: string): string {
  const own = id.replace(/\//g, '--');
  return scope.node.path === '' ? own : `${scope.node.path}/${own}`;
}

/** A backend Service in another namespace: the ReferenceGrant there must let HTTPRoutes of `from` reach it. */
interface GrantNeeded {
  readonly service: TypedService;
  /** The route's namespace. */
  readonly from: string;
  /** The Service's namespace, where the grant goes. */
  readonly namespace: string;
}

/** The ReferenceGrant `needed` names: one per namespace and Service (a child of the Service), made by the first route that needs it. */
function referenceGrant({ service, from, namespace }: GrantNeeded): ApiObject {
  const id = `ReferenceGrant-${from}`;
  return (service.node.tryFindChild(id) as ApiObject | undefined) ?? new ReferenceGrantV1Beta1(service, id, {
    metadata: withGeneratedName({ namespace }, service, id, OBJECT_NAME, true),
    spec: {
      from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: from }],
      to: [{ group: '', kind: 'Service', name: service.name }],
    },
  });
}

/** What a backend needs of the route being built. */
interface BackendContext {
  readonly fail: Fail;
  /** The route's namespace, when known (its own or its chart's). */
  readonly namespace?: string;
  /** Where each backend in another namespace adds the ReferenceGrant it needs (made once the route is). */
  readonly grantsNeeded: GrantNeeded[];
}

function parentRefsOf(parents: GatewayParentRef[], fail: Fail): gateway.HttpRouteSpecParentRefs[] {
  if (parents.length === 0) {
    throw fail('has no parentRefs; name the Gateway (or Gateways) the route attaches to');
  }
  if (parents.length > MAX_PARENT_REFS) {
    throw fail(`has ${parents.length} parentRefs; an HTTPRoute takes at most ${MAX_PARENT_REFS}`);
  }
  const byGateway = new Map<string, { index: number; sectionName?: string }[]>();
  return parents.map((parent, i) => {
    const where = `parentRefs[${i}]`;
    if (!isDns1123Subdomain(parent.name)) {
      throw fail(`${where} names Gateway ${quote(parent.name)}, which is not a valid object name; use at most 253 characters of [a-z0-9-.], starting and ending alphanumeric (DNS-1123 subdomain)`);
    }
    if (parent.namespace !== undefined && !isDns1123Label(parent.namespace)) {
      throw fail(`${where} has namespace ${quote(parent.namespace)}, which is not a valid namespace; use at most 63 characters of [a-z0-9-], starting and ending alphanumeric (DNS-1123 label)`);
    }
    if (parent.sectionName !== undefined && !isDns1123Subdomain(parent.sectionName)) {
      throw fail(`${where} has sectionName ${quote(parent.sectionName)}, which is not a valid listener name; use at most 253 characters of [a-z0-9-.], starting and ending alphanumeric`);
    }
    if (parent.port !== undefined && !isPortNumber(parent.port)) {
      throw fail(`${where} has port ${parent.port}, which is not a valid port number; use an integer in ${MIN_PORT}-${MAX_PORT}`);
    }
    // the CRD's CEL rules: references to one Gateway each set a sectionName, all different
    const key = `${parent.namespace ?? ''}/${parent.name}`;
    const earlier = byGateway.get(key) ?? [];
    for (const other of earlier) {
      if (parent.sectionName === undefined || other.sectionName === undefined || parent.sectionName === other.sectionName) {
        const gatewayName = parent.namespace === undefined ? quote(parent.name) : quote(`${parent.namespace}/${parent.name}`);
        throw fail(`${where} names Gateway ${gatewayName} like parentRefs[${other.index}]; references to one Gateway need each a sectionName of its own (a listener name)`);
      }
    }
    byGateway.set(key, [...earlier, { index: i, sectionName: parent.sectionName }]);
    return { name: parent.name, namespace: parent.namespace, sectionName: parent.sectionName, port: parent.port };
  });
}

function hostnamesOf(hostnames: string[] | undefined, fail: Fail): string[] | undefined {
  if (hostnames === undefined || hostnames.length === 0) {
    return undefined;
  }
  if (hostnames.length > MAX_HOSTNAMES) {
    throw fail(`has ${hostnames.length} hostnames; an HTTPRoute takes at most ${MAX_HOSTNAMES}`);
  }
  for (const hostname of hostnames) {
    if (IPV4.test(hostname)) {
      throw fail(`hostname ${quote(hostname)} is an IP address; Gateway API hostnames are DNS names (requests are matched by their Host header)`);
    }
    if (hostname.length > 253 || !HOSTNAME.test(hostname)) {
      throw fail(`hostname ${quote(hostname)} is not a valid hostname; use a lowercase DNS name of at most 253 characters, optionally starting with a wildcard label (*.example.com)`);
    }
  }
  return [...hostnames];
}

function rulesOf(rules: HttpRouteRule[], context: BackendContext): gateway.HttpRouteSpecRules[] {
  const fail = context.fail;
  if (rules.length === 0) {
    throw fail('has no rules; add one with the backends requests go to');
  }
  if (rules.length > MAX_RULES) {
    throw fail(`has ${rules.length} rules; an HTTPRoute takes at most ${MAX_RULES}`);
  }
  const total = rules.reduce((sum, rule) => sum + (rule.matches?.length || 1), 0);
  if (total > MAX_MATCHES_PER_ROUTE) {
    throw fail(`has ${total} matches in its rules; an HTTPRoute takes at most ${MAX_MATCHES_PER_ROUTE} in all`);
  }
  const names = new Map<string, number>();
  return rules.map((rule, r) => {
    const where = `rules[${r}]`;
    if (rule.name !== undefined) {
      if (!isDns1123Subdomain(rule.name)) {
        throw fail(`${where} has name ${quote(rule.name)}, which is not a valid rule name; use at most 253 characters of [a-z0-9-.], starting and ending alphanumeric`);
      }
      const first = names.get(rule.name);
      if (first !== undefined) {
        throw fail(`${where} has name ${quote(rule.name)}, which rules[${first}] already uses; rule names must be unique within a route`);
      }
      names.set(rule.name, r);
    }
    const matches = rule.matches ?? [];
    if (matches.length > MAX_MATCHES_PER_RULE) {
      throw fail(`${where} has ${matches.length} matches; a rule takes at most ${MAX_MATCHES_PER_RULE}`);
    }
    if (rule.backends.length === 0) {
      throw fail(`${where} has no backends; give the Service (or Services) its requests go to`);
    }
    if (rule.backends.length > MAX_BACKENDS) {
      throw fail(`${where} has ${rule.backends.length} backends; a rule takes at most ${MAX_BACKENDS}`);
    }
    return {
      name: rule.name,
      matches: matches.length > 0 ? matches.map((match, m) => matchOf(match, `${where}.matches[${m}]`, fail)) : undefined,
      backendRefs: rule.backends.map((backend, b) => backendRefOf(backend, `${where}.backends[${b}]`, context)),
    };
  });
}

function matchOf(match: HttpRouteMatch, where: string, fail: Fail): gateway.HttpRouteSpecRulesMatches {
  const headers = match.headers ?? [];
  if (headers.length > MAX_HEADERS) {
    throw fail(`${where} has ${headers.length} headers; a match takes at most ${MAX_HEADERS}`);
  }
  const seen = new Map<string, number>();
  headers.forEach((header, h) => {
    checkHeader(header, `${where}.headers[${h}]`, fail);
    const first = seen.get(header.name.toLowerCase());
    if (first !== undefined) {
      throw fail(`${where}.headers[${h}] matches header ${quote(header.name)} again (headers[${first}]); header names are case-insensitive and a match takes each one once`);
    }
    seen.set(header.name.toLowerCase(), h);
  });
  if (match.path !== undefined) {
    checkPathMatch(match.path, `${where}.path`, fail);
  }
  return {
    path: match.path === undefined ? undefined : { type: match.path.matchType as string as gateway.HttpRouteSpecRulesMatchesPathType, value: match.path.value },
    headers: headers.length > 0
      ? headers.map(header => ({ name: header.name, value: header.value, type: header.matchType as string as gateway.HttpRouteSpecRulesMatchesHeadersType }))
      : undefined,
  };
}


function checkHeader(header: HttpHeaderMatch, where: string, fail: Fail): void {
  if (header.name.length > MAX_HEADER_NAME_LENGTH || !HEADER_NAME.test(header.name)) {
    throw fail(`${where} has name ${quote(header.name)}, which is not a valid header name; use at most ${MAX_HEADER_NAME_LENGTH} characters of letters, digits and !#$%&'*+-.^_\`|~`);
  }
  if (header.value.length === 0 || header.value.length > MAX_HEADER_VALUE_LENGTH) {
    throw fail(`${where} (${header.name}) has a value of ${header.value.length} characters; give 1-${MAX_HEADER_VALUE_LENGTH}`);
  }
}

function backendRefOf(backend: HttpRouteBackend, where: string, context: BackendContext): gateway.HttpRouteSpecRulesBackendRefs {
  const fail = context.fail;
  const service = backend.service;
  // the messages' parts are built only for a message: a route is built once per backend, in every synth
  const described = () => `Service ${quote(service.name)} (${service.node.path})`;
  if (service.serviceKind === ServiceKind.EXTERNAL_NAME) {
    throw fail(`${where} is ${described()}, an ExternalName Service; Gateway API leaves ExternalName backends to the implementation and says implementations should not support them (a CNAME may lead outside the cluster and may not be safe to forward to, CVE-2021-25740); route to a Service that selects pods`);
  }
  if (service.serviceKind === ServiceKind.HEADLESS) {
    throw fail(`${where} is ${described()}, a headless Service (clusterIP: None): it has no cluster IP to route to; route to a ClusterIP Service that selects the same pods`);
  }
  const mappings = service._portMappingsView;
  let port = backend.port;
  if (port === undefined) {
    if (mappings.length !== 1) {
      throw fail(`${where} gives no port, and ${described()} has ${mappings.length === 0 ? 'no ports' : `ports ${portListText(mappings)}`}; give the backend's port`);
    }
    port = mappings[0].port;
  }
  if (!mappings.some(m => m.port === port && isTcpPort(m))) {
    const other = mappings.find(m => m.port === port);
    const tcpPorts = portListText(mappings.filter(isTcpPort));
    const instead = tcpPorts === '' ? 'the Service has no TCP port: route to one that has' : `use one of ${tcpPorts}`;
    throw fail(other !== undefined
      ? `${where} port ${port} of ${described()} is ${other.protocol}; HTTP needs a TCP port, ${instead}`
      : `${where} port ${port} is not a port of ${described()}; ${instead}`);
  }
  if (backend.weight !== undefined && (!Number.isInteger(backend.weight) || backend.weight < 0 || backend.weight > MAX_WEIGHT)) {
    throw fail(`${where} has weight ${backend.weight}; use an integer in 0-${MAX_WEIGHT}`);
  }
  // objects without a namespace are read as in `default`, as the wiring rules read them
  const serviceNamespace = service.metadata.namespace;
  const crossNamespace = (serviceNamespace ?? 'default') !== (context.namespace ?? 'default');
  if (crossNamespace && context.namespace !== undefined && serviceNamespace !== undefined) {
    context.grantsNeeded.push({ service, from: context.namespace, namespace: serviceNamespace });
  }
  return {
    name: service.name,
    namespace: crossNamespace ? serviceNamespace ?? 'default' : undefined,
    port,
    weight: backend.weight,
  };
}
