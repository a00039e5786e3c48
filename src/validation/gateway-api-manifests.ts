import { ObjectRef } from './finding';
import { GatewayInfo, ListenerInfo, NamespaceInfo, ReferenceGrantInfo, RouteBackendInfo, RouteInfo, RouteParentInfo, RouteRuleInfo } from './model';
import { append, EMPTY, isObject, stringMap } from './json-value';

// Reads the Gateway API objects of the input (HTTPRoute, GRPCRoute, Gateway, ReferenceGrant, of
// group gateway.networking.k8s.io in any version) and Namespaces into the wiring model, with the
// defaults of the v1.6.1 CRDs applied (backendRef group '' and kind Service, parentRef group
// gateway.networking.k8s.io and kind Gateway, listener allowedRoutes from Same, ...).

/** The API group of Gateway API. @internal */
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

/** The route kinds the rules read. @internal */
export const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute'];

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A string field, else the default (the API server defaults an absent field, not a wrong type). */
function text(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function integer(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

function backend(value: unknown, field: string, namespace: string, mirror: boolean): RouteBackendInfo | undefined {
  if (!isObject(value) || typeof value.name !== 'string') {
    return undefined;
  }
  const own = optionalText(value.namespace);
  return {
    group: text(value.group, ''),
    kind: text(value.kind, 'Service'),
    name: value.name,
    namespace: own ?? namespace,
    crossNamespace: own !== undefined && own !== namespace,
    port: integer(value.port),
    weight: mirror ? 0 : integer(value.weight) ?? 1,
    mirror,
    field,
  };
}

/** `out` with the backendRefs of the RequestMirror filters in `filters` (at `field`) added. */
function addMirrors(out: RouteBackendInfo[] | undefined, filters: unknown, field: string, namespace: string): RouteBackendInfo[] | undefined {
  if (!Array.isArray(filters)) {
    return out;
  }
  for (let f = 0; f < filters.length; f++) {
    const filter: unknown = filters[f];
    const found = isObject(filter) && isObject(filter.requestMirror)
      ? backend(filter.requestMirror.backendRef, `${field}[${f}].requestMirror.backendRef`, namespace, true)
      : undefined;
    if (found !== undefined) {
      out = append(out, found);
    }
  }
  return out;
}

/** An HTTPRoute path match as nginx writes locations: `/api` (prefix), `= /login` (exact), `~ ^/v[0-9]+` (regular expression). */
function pathText(path: unknown): string {
  const type = isObject(path) ? text(path.type, 'PathPrefix') : 'PathPrefix';
  const value = isObject(path) ? text(path.value, '/') : '/';
  return type === 'Exact' ? `= ${value}` : type === 'RegularExpression' ? `~ ${value}` : value;
}

/** Header (or query) matches: `[x-canary=true]`, `[user-agent~.*Mobile.*]`. */
function pairsText(pairs: unknown, prefix = ''): string[] {
  return list(pairs).filter(isObject).map(pair => `[${prefix}${text(pair.name, '')}${pair.type === 'RegularExpression' ? '~' : '='}${text(pair.value, '')}]`);
}

/** What one match of a rule asks for, as the traffic map writes it. */
function matchText(kind: string, match: unknown): string {
  const m = isObject(match) ? match : {};
  if (kind === 'GRPCRoute') {
    const method = isObject(m.method) ? m.method : {};
    const call = `${text(method.service, '*')}/${text(method.method, '*')}`;
    return [method.type === 'RegularExpression' ? `~ ${call}` : call, ...pairsText(m.headers)].join(' ');
  }
  return [
    ...(typeof m.method === 'string' ? [m.method] : []),
    pathText(m.path),
    ...pairsText(m.headers),
    ...pairsText(m.queryParams, '?'),
  ].join(' ');
}

/**
 * What each match of `rule` of `route` asks for, as the traffic map writes it (`/api`, `= /login`,
 * `GET /`, `foo.Bar/Get`); a rule without matches gets the CRD's default, every request (an
 * HTTPRoute: a PathPrefix of /). Computed on demand: the rules never need it.
 * @internal
 */
export function matchTexts(route: RouteInfo, rule: RouteRuleInfo): string[] {
  return rule.rawMatches.length > 0 ? rule.rawMatches.map(match => matchText(route.ref.kind, match)) : [matchText(route.ref.kind, {})];
}

/**
 * `<prefix>[<i>]` field names, each built once: one route per exposed workload is read in every
 * synth, and the names are the same for all of them.
 */
class IndexedFields {
  private readonly names: string[] = [];
  constructor(private readonly prefix: string) {}

  public at(i: number): string {
    return this.names[i] ??= `${this.prefix}[${i}]`;
  }
}

const PARENT_FIELDS = new IndexedFields('spec.parentRefs');
const RULE_FIELDS = new IndexedFields('spec.rules');
/** `spec.rules[r].backendRefs[b]`, by rule. */
const BACKEND_FIELDS: IndexedFields[] = [];

function backendField(r: number, b: number): string {
  return (BACKEND_FIELDS[r] ??= new IndexedFields(`${RULE_FIELDS.at(r)}.backendRefs`)).at(b);
}


/**
 * An HTTPRoute or GRPCRoute. Loops rather than callbacks, and nothing the rules do not read (the
 * traffic map's match texts come from `matchTexts`): synth reads one route per exposed workload.
 * @internal
 */
export function routeInfo(ref: ObjectRef, spec: Record<string, any>): RouteInfo {
  const namespace = ref.namespace;
  let parents: RouteParentInfo[] | undefined;
  const parentRefs: unknown = spec.parentRefs;
  if (Array.isArray(parentRefs)) {
    for (let p = 0; p < parentRefs.length; p++) {
      const parent: unknown = parentRefs[p];
      if (isObject(parent) && typeof parent.name === 'string') {
        parents = append(parents, {
          group: text(parent.group, 'gateway.networking.k8s.io'),
          kind: text(parent.kind, 'Gateway'),
          name: parent.name,
          namespace: optionalText(parent.namespace) ?? namespace,
          sectionName: optionalText(parent.sectionName),
          port: integer(parent.port),
          field: PARENT_FIELDS.at(p),
        });
      }
    }
  }
  let rules: RouteRuleInfo[] | undefined;
  const specRules: unknown = spec.rules;
  if (Array.isArray(specRules)) {
    for (let r = 0; r < specRules.length; r++) {
      const rule: unknown = specRules[r];
      const value = isObject(rule) ? rule : {};
      const field = RULE_FIELDS.at(r);
      let backends: RouteBackendInfo[] | undefined;
      const backendRefs: unknown = value.backendRefs;
      if (Array.isArray(backendRefs)) {
        for (let b = 0; b < backendRefs.length; b++) {
          const entry: unknown = backendRefs[b];
          const found = backend(entry, backendField(r, b), namespace, false);
          if (found !== undefined) {
            backends = append(backends, found);
          }
          if (isObject(entry) && entry.filters !== undefined) {
            backends = addMirrors(backends, entry.filters, `${field}.backendRefs[${b}].filters`, namespace);
          }
        }
      }
      if (value.filters !== undefined) {
        backends = addMirrors(backends, value.filters, `${field}.filters`, namespace);
      }
      rules = append(rules, { rawMatches: Array.isArray(value.matches) ? value.matches : EMPTY, backends: backends ?? EMPTY });
    }
  }
  const hostnames: unknown = spec.hostnames;
  return {
    ref,
    hostnames: !Array.isArray(hostnames) ? [] : hostnames.every(host => typeof host === 'string') ? hostnames : hostnames.filter((host): host is string => typeof host === 'string'),
    parents: parents ?? EMPTY,
    rules: rules ?? EMPTY,
  };
}

/** A Gateway. @internal */
export function gatewayInfo(ref: ObjectRef, spec: Record<string, any>): GatewayInfo {
  const listeners: ListenerInfo[] = list(spec.listeners).filter(isObject).map(listener => {
    const allowed = isObject(listener.allowedRoutes) ? listener.allowedRoutes : {};
    const namespaces = isObject(allowed.namespaces) ? allowed.namespaces : {};
    return {
      name: text(listener.name, ''),
      port: integer(listener.port),
      protocol: text(listener.protocol, ''),
      hostname: optionalText(listener.hostname),
      from: text(namespaces.from, 'Same'),
      selector: namespaces.selector ?? undefined,
      kinds: list(allowed.kinds).filter(isObject).map(kind => ({ group: text(kind.group, GATEWAY_API_GROUP), kind: text(kind.kind, '') })),
    };
  });
  return { ref, listeners };
}

/** A ReferenceGrant. @internal */
export function referenceGrantInfo(ref: ObjectRef, spec: Record<string, any>): ReferenceGrantInfo {
  return {
    ref,
    from: list(spec.from).filter(isObject).map(from => ({ group: text(from.group, ''), kind: text(from.kind, ''), namespace: text(from.namespace, '') })),
    to: list(spec.to).filter(isObject).map(to => ({ group: text(to.group, ''), kind: text(to.kind, ''), name: optionalText(to.name) })),
  };
}

/** A Namespace, with the `kubernetes.io/metadata.name` label the API server sets on every namespace (1.21+). @internal */
export function namespaceInfo(name: string, metadata: Record<string, any>): NamespaceInfo {
  return { name, labels: { ...stringMap(metadata.labels), 'kubernetes.io/metadata.name': name } };
}
