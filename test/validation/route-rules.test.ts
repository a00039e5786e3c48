import { Severity } from 'cdk8s-service-patterns';
import { runRules } from '../../src/validation/engine';
import { readManifestPaths } from '../../src/validation/manifest-reader';
import { effectiveHostnames, hostnamesIntersect } from '../../src/validation/route-rules';
import { schemaErrors } from '../util';

// The route rules over plain manifests, each matching rule of the Gateway API spec with a case
// where the rule fires and one where it must stay silent. Every Gateway API object here passes
// its CRD's schema and CEL rules (checked in `lint`), so no finding is about an object the API
// server would reject for other reasons.

const GROUP = 'gateway.networking.k8s.io';

function namespace(name: string, labels?: Record<string, string>): any {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: labels === undefined ? { name } : { name, labels } };
}

function service(name: string, ports: number[] = [80], namespace_ = 'shop', spec: any = {}): any {
  return {
    apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: namespace_ },
    spec: spec.type === 'ExternalName' ? spec : { ports: ports.map(port => ({ name: `p${port}`, port })), ...spec },
  };
}

function httpRoute(spec: any, metadata: any = { name: 'web', namespace: 'shop' }, kind = 'HTTPRoute'): any {
  return { apiVersion: `${GROUP}/v1`, kind, metadata, spec };
}

/** An HTTPRoute of namespace shop, with one rule to `backendRefs`. */
function routeTo(...backendRefs: any[]): any {
  return httpRoute({ rules: [{ backendRefs }] });
}

function gateway(listeners: any[], name = 'edge', namespace_ = 'infra'): any {
  return { apiVersion: `${GROUP}/v1`, kind: 'Gateway', metadata: { name, namespace: namespace_ }, spec: { gatewayClassName: 'envoy', listeners } };
}

function grant(namespace_: string, from: any[], to: any[], version = 'v1beta1'): any {
  return { apiVersion: `${GROUP}/${version}`, kind: 'ReferenceGrant', metadata: { name: 'grant', namespace: namespace_ }, spec: { from, to } };
}

const FROM_SHOP = { group: GROUP, kind: 'HTTPRoute', namespace: 'shop' };

/** `rule field` of each finding of the route rules (Services without selectors select nothing: not reported here). */
function lint(...manifests: any[]): string[] {
  for (const manifest of manifests) {
    expect([manifest.kind, manifest.metadata.name, schemaErrors(manifest)]).toEqual([manifest.kind, manifest.metadata.name, []]);
  }
  return runRules(manifests.map((manifest, i) => ({ manifest, source: `routes.yaml:${i * 10 + 1}` })))
    .filter(finding => finding.rule.startsWith('route-'))
    .map(finding => `${finding.rule} ${finding.field}`);
}

describe('route-backend-missing', () => {
  test('fires for a Service that is not in the input (in the backendRef\'s namespace)', () => {
    expect(lint(service('web'), routeTo({ name: 'api', port: 80 }))).toEqual(['route-backend-missing spec.rules[0].backendRefs[0].name']);
    // the namespace the backendRef names, not the route's (granted, so only the missing Service is reported)
    expect(lint(service('web'), grant('data', [FROM_SHOP], [{ group: '', kind: 'Service' }]), routeTo({ name: 'web', namespace: 'data', port: 80 })))
      .toEqual(['route-backend-missing spec.rules[0].backendRefs[0].name']);
  });

  test('fires for a port the Service does not have (its port, not its targetPort)', () => {
    const findings = runRules([
      { manifest: { ...service('web'), spec: { ports: [{ port: 80, targetPort: 8080 }] } }, source: 'a.yaml:1' },
      { manifest: routeTo({ name: 'web', port: 8080 }), source: 'a.yaml:12' },
    ]).filter(f => f.rule === 'route-backend-missing');
    expect(findings).toEqual([expect.objectContaining({
      severity: Severity.ERROR,
      field: 'spec.rules[0].backendRefs[0].port',
      message: "HTTPRoute 'shop/web' (a.yaml:12) backendRef spec.rules[0].backendRefs[0] names port 8080 of Service 'shop/web' (a.yaml:1), which has ports 80; the Gateway answers the requests meant for it with status 500",
      related: expect.objectContaining({ kind: 'Service', name: 'web' }),
    })]);
  });

  test('fires for a Service backendRef without a port (the CRD\'s CEL rule rejects it)', () => {
    const manifests = [service('web'), routeTo({ name: 'web' })];
    expect(schemaErrors(manifests[1])).toEqual(['HTTPRoute/web.spec.rules[0].backendRefs[0]: Invalid value: Must have port for Service reference']);
    expect(runRules(manifests.map(manifest => ({ manifest }))).map(f => `${f.rule} ${f.field}`)).toEqual(['route-backend-missing spec.rules[0].backendRefs[0].port']);
  });

  test('fires for RequestMirror backendRefs, of rules and of backendRefs, and for GRPCRoutes', () => {
    const mirror = (name: string) => ({ type: 'RequestMirror', requestMirror: { backendRef: { name, port: 80 } } });
    expect(lint(service('web'), httpRoute({
      rules: [{ filters: [mirror('shadow')], backendRefs: [{ name: 'web', port: 80, filters: [mirror('shadow2')] }] }],
    }))).toEqual([
      'route-backend-missing spec.rules[0].backendRefs[0].filters[0].requestMirror.backendRef.name',
      'route-backend-missing spec.rules[0].filters[0].requestMirror.backendRef.name',
    ]);
    expect(lint(service('cart', [9090]), httpRoute({ rules: [{ backendRefs: [{ name: 'cart', port: 9091 }] }] }, { name: 'cart', namespace: 'shop' }, 'GRPCRoute')))
      .toEqual(['route-backend-missing spec.rules[0].backendRefs[0].port']);
  });

  test('is silent for Services and ports that exist, the defaults written out, other kinds, and ExternalName ports', () => {
    expect(lint(service('web', [80, 443]), routeTo({ name: 'web', port: 443 }, { group: '', kind: 'Service', name: 'web', port: 80, weight: 0 }))).toEqual([]);
    // an implementation's own backend kind: not a Service
    expect(lint(routeTo({ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'llm' }))).toEqual([]);
    // an ExternalName Service's ports are documentation: the implementation uses the backendRef's
    expect(lint(service('psp', [], 'shop', { type: 'ExternalName', externalName: 'pay.example.net' }), routeTo({ name: 'psp', port: 443 }))).toEqual([]);
    // v1beta1 HTTPRoutes are read too
    expect(lint(service('web'), { ...routeTo({ name: 'web', port: 80 }), apiVersion: `${GROUP}/v1beta1` })).toEqual([]);
  });
});

describe('route-backend-not-granted', () => {
  const cross = routeTo({ name: 'db', namespace: 'data', port: 5432 });
  const db = service('db', [5432], 'data');

  test('fires for a backend in another namespace without a ReferenceGrant there', () => {
    const [finding] = runRules([{ manifest: db }, { manifest: cross }]).filter(f => f.rule === 'route-backend-not-granted');
    expect(finding).toEqual(expect.objectContaining({
      severity: Severity.ERROR,
      field: 'spec.rules[0].backendRefs[0].namespace',
      message: "HTTPRoute 'shop/web' backendRef spec.rules[0].backendRefs[0] names Service 'data/db', in another namespace, but no ReferenceGrant in namespace 'data' allows HTTPRoutes of namespace 'shop' to reach it; the Gateway refuses the backend (RefNotPermitted)",
    }));
    expect(finding.recommendation).toContain("Add a ReferenceGrant in namespace 'data' from {group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop} to {group: \"\", kind: Service, name: db}");
  });

  test.each([
    ['in another namespace', grant('shop', [FROM_SHOP], [{ group: '', kind: 'Service' }])],
    ['from another kind (GRPCRoute)', grant('data', [{ ...FROM_SHOP, kind: 'GRPCRoute' }], [{ group: '', kind: 'Service' }])],
    ['from another namespace', grant('data', [{ ...FROM_SHOP, namespace: 'blog' }], [{ group: '', kind: 'Service' }])],
    ['from another group', grant('data', [{ ...FROM_SHOP, group: 'example.com' }], [{ group: '', kind: 'Service' }])],
    ['to another Service', grant('data', [FROM_SHOP], [{ group: '', kind: 'Service', name: 'cache' }])],
    ['to another kind', grant('data', [FROM_SHOP], [{ group: '', kind: 'Secret' }])],
  ])('fires when the only grant is %s', (_name, other) => {
    expect(lint(db, other, cross)).toEqual(['route-backend-not-granted spec.rules[0].backendRefs[0].namespace']);
  });

  test.each([
    ['every Service of the namespace (no name), v1beta1', grant('data', [FROM_SHOP], [{ group: '', kind: 'Service' }])],
    ['that Service by name, v1', grant('data', [FROM_SHOP], [{ group: '', kind: 'Service', name: 'db' }], 'v1')],
    ['one of several from and to entries', grant('data', [{ ...FROM_SHOP, namespace: 'blog' }, FROM_SHOP], [{ group: '', kind: 'Secret' }, { group: '', kind: 'Service', name: 'db' }])],
  ])('is silent with a grant of %s', (_name, allowing) => {
    expect(lint(db, allowing, cross)).toEqual([]);
  });

  test('is silent for the route\'s own namespace written out, and for a GRPCRoute with a grant from GRPCRoutes', () => {
    expect(lint(service('web'), routeTo({ name: 'web', namespace: 'shop', port: 80 }))).toEqual([]);
    const grpc = httpRoute({ rules: [{ backendRefs: [{ name: 'db', namespace: 'data', port: 5432 }] }] }, { name: 'g', namespace: 'shop' }, 'GRPCRoute');
    expect(lint(db, grant('data', [{ ...FROM_SHOP, kind: 'GRPCRoute' }], [{ group: '', kind: 'Service' }]), grpc)).toEqual([]);
  });

  test('fires for a cross-namespace RequestMirror backend', () => {
    const route = httpRoute({ rules: [{ filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'db', namespace: 'data', port: 5432 } } }] }] });
    expect(lint(db, route)).toEqual(['route-backend-not-granted spec.rules[0].filters[0].requestMirror.backendRef.namespace']);
  });
});

describe('route-parent-not-admitted', () => {
  const web = service('web');
  /** An HTTPRoute of `ns` (hostnames optional) to Service web through `parentRefs`. */
  const attached = (parentRefs: any[], hostnames?: string[], ns = 'shop', kind = 'HTTPRoute') =>
    httpRoute({ parentRefs, hostnames, rules: [{ backendRefs: [{ name: 'web', namespace: ns === 'shop' ? undefined : 'shop', port: 80 }] }] }, { name: 'web', namespace: ns }, kind);
  const EDGE = { name: 'edge', namespace: 'infra' };
  const listener = (extra: any = {}) => ({ name: 'http', port: 80, protocol: 'HTTP', ...extra });
  const from = (value: string, selector?: any) => ({ allowedRoutes: { namespaces: { from: value, selector } } });
  const check = (listeners: any[], route: any, ...more: any[]) => lint(web, gateway(listeners), route, ...more).filter(f => f.startsWith('route-parent'));
  const FIRES = ['route-parent-not-admitted spec.parentRefs[0]'];

  describe('allowedRoutes.namespaces', () => {
    test('Same (the default): fires for a route of another namespace, silent in the Gateway\'s', () => {
      expect(check([listener()], attached([EDGE]))).toEqual(FIRES);
      expect(check([listener(from('Same'))], attached([EDGE]))).toEqual(FIRES);
      expect(lint(web, gateway([listener()], 'edge', 'shop'), attached([{ name: 'edge' }]))).toEqual([]);
    });

    test('Same: a route and a Gateway without namespace are in the same one', () => {
      const gw = gateway([listener()]);
      delete gw.metadata.namespace;
      const svc = service('web');
      delete svc.metadata.namespace;
      expect(lint(svc, gw, httpRoute({ parentRefs: [{ name: 'edge' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] }, { name: 'web' }))).toEqual([]);
    });

    test('All: silent', () => {
      expect(check([listener(from('All'))], attached([EDGE]))).toEqual([]);
    });

    test('Selector: matched against the labels of the route\'s Namespace in the input', () => {
      const selector = from('Selector', { matchLabels: { gateway: 'public' } });
      expect(check([listener(selector)], attached([EDGE]), namespace('shop', { gateway: 'public' }))).toEqual([]);
      expect(check([listener(selector)], attached([EDGE]), namespace('shop', { gateway: 'internal' }))).toEqual(FIRES);
      expect(check([listener(selector)], attached([EDGE]), namespace('shop'))).toEqual(FIRES);
    });

    test('Selector: kubernetes.io/metadata.name is known without a Namespace object; other labels are not', () => {
      const byName = (values: string[]) => from('Selector', { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values }] });
      expect(check([listener(byName(['shop', 'blog']))], attached([EDGE]))).toEqual([]);
      expect(check([listener(byName(['blog']))], attached([EDGE]))).toEqual(FIRES);
      // the namespace may carry the label: not known from the input, so not reported
      expect(check([listener(from('Selector', { matchLabels: { gateway: 'public' } }))], attached([EDGE]))).toEqual([]);
    });

    test('Selector: matchExpressions NotIn, Exists and DoesNotExist; an empty selector selects every namespace', () => {
      const shop = namespace('shop', { tier: 'web' });
      const expression = (operator: string, values?: string[]) => from('Selector', { matchExpressions: [{ key: 'tier', operator, values }] });
      expect(check([listener(expression('NotIn', ['web']))], attached([EDGE]), shop)).toEqual(FIRES);
      expect(check([listener(expression('NotIn', ['db']))], attached([EDGE]), shop)).toEqual([]);
      expect(check([listener(expression('Exists'))], attached([EDGE]), shop)).toEqual([]);
      expect(check([listener(expression('DoesNotExist'))], attached([EDGE]), shop)).toEqual(FIRES);
      expect(check([listener(from('Selector', {}))], attached([EDGE]), shop)).toEqual([]);
    });

    test('Selector without a selector selects no namespace', () => {
      expect(check([listener(from('Selector'))], attached([EDGE]), namespace('shop'))).toEqual(FIRES);
    });
  });

  describe('allowedRoutes.kinds and the listener protocol', () => {
    test('kinds that do not list the route\'s kind: fires; listing it: silent', () => {
      const kinds = (...list: any[]) => ({ allowedRoutes: { kinds: list, namespaces: { from: 'All' } } });
      expect(check([listener(kinds({ kind: 'GRPCRoute' }))], attached([EDGE]))).toEqual(FIRES);
      expect(check([listener(kinds({ group: 'example.com', kind: 'HTTPRoute' }))], attached([EDGE]))).toEqual(FIRES);
      expect(check([listener(kinds({ kind: 'GRPCRoute' }, { kind: 'HTTPRoute' }))], attached([EDGE]))).toEqual([]);
    });

    test('TCP, UDP and TLS listeners carry no HTTPRoutes, HTTP and HTTPS carry HTTPRoutes and GRPCRoutes; an implementation\'s protocol is not judged', () => {
      const all = from('All');
      expect(check([{ name: 'tcp', port: 5432, protocol: 'TCP', ...all }], attached([EDGE]))).toEqual(FIRES);
      expect(check([{ name: 'udp', port: 53, protocol: 'UDP', ...all }], attached([EDGE]))).toEqual(FIRES);
      expect(check([{ name: 'tls', port: 443, protocol: 'TLS', tls: { mode: 'Passthrough' }, ...all }], attached([EDGE]))).toEqual(FIRES);
      expect(check([{ name: 'https', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'tls' }] }, ...all }], attached([EDGE]))).toEqual([]);
      expect(check([listener(all)], attached([EDGE], undefined, 'shop', 'GRPCRoute'))).toEqual([]);
      expect(check([{ name: 'h3', port: 443, protocol: 'example.com/h3', ...all }], attached([EDGE]))).toEqual([]);
    });
  });

  describe('hostnames', () => {
    const on = (hostname: string | undefined, routeHostnames: string[] | undefined) =>
      check([listener({ hostname, ...from('All') })], attached([EDGE], routeHostnames));

    test('a wildcard listener matches hosts below its domain, of any depth, and wildcards that intersect', () => {
      for (const host of ['shop.example.com', 'a.b.example.com', '*.example.com', '*.shop.example.com']) {
        expect([host, on('*.example.com', [host])]).toEqual([host, []]);
      }
      expect(on('*.example.com', ['example.com'])).toEqual(FIRES);
      expect(on('*.example.com', ['shop.example.net'])).toEqual(FIRES);
    });

    test('an exact listener hostname matches itself and the route wildcards above it', () => {
      expect(on('shop.example.com', ['shop.example.com'])).toEqual([]);
      expect(on('shop.example.com', ['*.example.com'])).toEqual([]);
      expect(on('a.shop.example.com', ['*.example.com'])).toEqual([]);
      expect(on('shop.example.com', ['blog.example.com', 'www.shop.example.com'])).toEqual(FIRES);
      expect(on('shop.example.com', ['*.shop.example.com'])).toEqual(FIRES);
    });

    test('one intersecting route hostname is enough; no hostname on either side matches everything', () => {
      expect(on('*.example.com', ['shop.example.net', 'shop.example.com'])).toEqual([]);
      expect(on(undefined, ['shop.example.com'])).toEqual([]);
      expect(on('shop.example.com', undefined)).toEqual([]);
    });

    test('hostnamesIntersect and effectiveHostnames (the traffic map\'s edge labels)', () => {
      expect(hostnamesIntersect('*.example.com', 'a.b.example.com')).toBe(true);
      expect(hostnamesIntersect('*.example.com', 'example.com')).toBe(false);
      expect(hostnamesIntersect('*.a.example.com', '*.example.com')).toBe(true);
      expect(effectiveHostnames('*.example.com', ['a.example.com', 'b.example.net', '*.example.com', '*.com'])).toEqual(['a.example.com', '*.example.com']);
      expect(effectiveHostnames('shop.example.com', ['*.example.com'])).toEqual(['shop.example.com']);
      expect(effectiveHostnames(undefined, ['a.example.com'])).toEqual(['a.example.com']);
      expect(effectiveHostnames('*.example.com', [])).toEqual(['*.example.com']);
    });
  });

  describe('sectionName and port', () => {
    const listeners = [listener(from('All')), { name: 'https', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'tls' }] } }];

    test('sectionName naming a listener that admits the route: silent; one that does not, or none: fires', () => {
      expect(check(listeners, attached([{ ...EDGE, sectionName: 'http' }]))).toEqual([]);
      expect(check(listeners, attached([{ ...EDGE, sectionName: 'https' }]))).toEqual(FIRES); // from Same
      expect(check(listeners, attached([{ ...EDGE, sectionName: 'grpc' }]))).toEqual(FIRES);
    });

    test('port naming a listener\'s port: silent; no listener on it, or sectionName on another port: fires', () => {
      expect(check(listeners, attached([{ ...EDGE, port: 80 }]))).toEqual([]);
      expect(check(listeners, attached([{ ...EDGE, port: 8080 }]))).toEqual(FIRES);
      expect(check(listeners, attached([{ ...EDGE, sectionName: 'http', port: 443 }]))).toEqual(FIRES);
    });

    test('the message names every listener and why it does not admit the route', () => {
      const [finding] = runRules([web, gateway(listeners), attached([EDGE], ['shop.example.com'])].map((manifest, i) => ({ manifest, source: `r.yaml:${i * 10 + 1}` })))
        .filter(f => f.rule === 'route-parent-not-admitted');
      expect(finding).toBeUndefined(); // http admits it
      const [other] = runRules([web, gateway([listeners[1], listener({ name: 'web', hostname: 'blog.example.com', ...from('All') })]), attached([EDGE], ['shop.example.com'])]
        .map((manifest, i) => ({ manifest, source: `r.yaml:${i * 10 + 1}` }))).filter(f => f.rule === 'route-parent-not-admitted');
      expect(other).toEqual(expect.objectContaining({
        severity: Severity.WARNING,
        field: 'spec.parentRefs[0]',
        message: "HTTPRoute 'shop/web' (r.yaml:21) parentRef spec.parentRefs[0] names Gateway 'infra/edge' (r.yaml:11), but no listener of it admits the route: "
          + "listener 'https' admits routes of namespace 'infra' only (allowedRoutes.namespaces.from: Same), not of 'shop'; "
          + "listener 'web' has hostname 'blog.example.com', which matches none of the route's hostnames shop.example.com; the route serves no traffic from this Gateway",
        related: expect.objectContaining({ kind: 'Gateway', name: 'edge', namespace: 'infra' }),
      }));
    });
  });

  test('is silent when the Gateway is not in the input, or the parent is not a Gateway', () => {
    expect(lint(web, attached([EDGE]))).toEqual([]);
    expect(lint(web, gateway([listener()]), attached([{ group: '', kind: 'Service', name: 'edge', namespace: 'infra' }]))).toEqual([]);
  });

  test('an annotation silences it on the route', () => {
    const route = attached([EDGE]);
    route.metadata.annotations = { 'ignore-check.cdk8s-service-patterns/route-parent-not-admitted': 'the Gateway is re-labelled by the platform team' };
    expect(check([listener()], route)).toEqual([]);
  });
});

describe('the Gateway API fixtures', () => {
  test('every Gateway API object of the lint fixtures and the corpus passes its CRD\'s schema and CEL rules', () => {
    // GIVEN
    const { inputs } = readManifestPaths(['test/fixtures/routes', 'test/fixtures/corpus/gateway'], () => '');
    const gatewayApi = inputs.filter(input => String(input.manifest.apiVersion).startsWith(`${GROUP}/`));

    // THEN
    expect(gatewayApi.length).toBeGreaterThan(10);
    expect(gatewayApi.flatMap(input => schemaErrors(input.manifest))).toEqual([]);
  });
});
