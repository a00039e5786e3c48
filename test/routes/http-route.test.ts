import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  ClusterIPService, ExternalNameService, HeadlessService, HttpHeaderMatch, HttpPathMatch, HttpRoute, HttpRouteProps,
  LoadBalancerService, NodePortService, ServiceWiringCheck, TypedService,
} from 'cdk8s-service-patterns';
import { Construct } from 'constructs';
import * as gateway from '../../src/imports/httproutes-gateway.networking.k8s.io';
import { findOne, newChart, synth, synthApp, validate } from '../util';

// Every route these tests synthesize goes through `synth`/`synthApp` (test/util.ts), which checks
// Gateway API objects against the HTTPRoute and ReferenceGrant CRDs' schemas and CEL rules.

/** A Deployment listening on 8080 and a ClusterIP Service in front of it. */
function web(scope: Construct, id: string, options: { namespace?: string; ports?: number[] } = {}): ClusterIPService {
  const deployment = new kplus.Deployment(scope, `${id}Pods`, { metadata: { namespace: options.namespace }, containers: [{ image: 'nginx', portNumber: 8080 }] });
  const ports = options.ports ?? [80];
  return new ClusterIPService(scope, id, {
    metadata: { namespace: options.namespace },
    selector: deployment,
    ports: ports.map(port => ({ port, targetPort: 8080, name: ports.length > 1 ? `p${port}` : undefined })),
  });
}

const GATEWAY = { name: 'edge', namespace: 'infra' };

function route(scope: Construct, props: Partial<HttpRouteProps> & { service?: TypedService } = {}): HttpRoute {
  return new HttpRoute(scope, 'Route', {
    parentRefs: props.parentRefs ?? [GATEWAY],
    hostnames: props.hostnames,
    rules: props.rules ?? [{ backends: [{ service: props.service ?? web(scope, 'Web') }] }],
    metadata: props.metadata,
    createReferenceGrants: props.createReferenceGrants,
  });
}

describe('HttpRoute', () => {
  test('defaults', () => {
    // GIVEN
    const chart = newChart();
    const service = web(chart, 'Web');

    // WHEN
    const httpRoute = new HttpRoute(chart, 'Route', { parentRefs: [GATEWAY], rules: [{ backends: [{ service }] }] });

    // THEN
    const manifests = synth(chart);
    const written = findOne(manifests, 'HTTPRoute', httpRoute.name);
    expect(written.apiVersion).toEqual('gateway.networking.k8s.io/v1');
    expect(written.spec).toEqual({
      parentRefs: [{ name: 'edge', namespace: 'infra' }],
      // the Service's only port; group, kind and weight left to the API's defaults
      rules: [{ backendRefs: [{ name: service.name, port: 80 }] }],
    });
    expect(httpRoute.referenceGrants).toEqual([]);
    expect(manifests.filter(m => m.kind === 'ReferenceGrant')).toEqual([]);
    expect(manifests).toMatchSnapshot();
  });

  test('every field: hostnames, sectionName and port, path and header matches, a named rule', () => {
    // GIVEN
    const chart = newChart({ namespace: 'shop' });
    const api = web(chart, 'Api', { ports: [80, 9090] });

    // WHEN
    const httpRoute = new HttpRoute(chart, 'Route', {
      metadata: { name: 'shop', labels: { team: 'web' } },
      parentRefs: [{ ...GATEWAY, sectionName: 'https', port: 443 }, { ...GATEWAY, sectionName: 'http' }, { name: 'local' }],
      hostnames: ['shop.example.com', '*.shop.example.com'],
      rules: [{
        name: 'api',
        matches: [
          { path: HttpPathMatch.pathPrefix('/api'), headers: [HttpHeaderMatch.exact('x-api-version', '2'), HttpHeaderMatch.regularExpression('user-agent', '.*Mobile.*')] },
          { path: HttpPathMatch.exact('/healthz') },
          { path: HttpPathMatch.regularExpression('^/v[0-9]+/items$') },
          { headers: [HttpHeaderMatch.exact('x-debug', 'on')] },
        ],
        backends: [{ service: api, port: 9090 }],
      }],
    });

    // THEN
    const written = findOne(synth(chart), 'HTTPRoute', 'shop');
    expect(httpRoute.name).toEqual('shop');
    expect(written.metadata).toEqual({ name: 'shop', namespace: 'shop', labels: { team: 'web' } });
    expect(written.spec).toEqual({
      parentRefs: [
        { name: 'edge', namespace: 'infra', sectionName: 'https', port: 443 },
        { name: 'edge', namespace: 'infra', sectionName: 'http' },
        { name: 'local' },
      ],
      hostnames: ['shop.example.com', '*.shop.example.com'],
      rules: [{
        name: 'api',
        matches: [
          {
            path: { type: 'PathPrefix', value: '/api' },
            headers: [{ name: 'x-api-version', type: 'Exact', value: '2' }, { name: 'user-agent', type: 'RegularExpression', value: '.*Mobile.*' }],
          },
          { path: { type: 'Exact', value: '/healthz' } },
          { path: { type: 'RegularExpression', value: '^/v[0-9]+/items$' } },
          { headers: [{ name: 'x-debug', type: 'Exact', value: 'on' }] },
        ],
        backendRefs: [{ name: api.name, port: 9090 }],
      }],
    });
  });

  test('the route is the HTTPRoute object, written as the generated class would write it, without its converter\'s copy; JSON patches stay', () => {
    // GIVEN: every field the construct can write
    const chart = newChart({ namespace: 'shop' });
    const stable = web(chart, 'Stable', { ports: [80, 9090] });
    const canary = web(chart, 'Canary', { namespace: 'canary' });
    const httpRoute = route(chart, {
      metadata: { labels: { team: 'web' }, annotations: { note: 'n' } },
      parentRefs: [{ ...GATEWAY, sectionName: 'https', port: 443 }],
      hostnames: ['shop.example.com'],
      rules: [{
        name: 'api',
        matches: [{ path: HttpPathMatch.pathPrefix('/api'), headers: [HttpHeaderMatch.exact('x-v', '2')] }],
        backends: [{ service: stable, port: 9090, weight: 90 }, { service: canary, weight: 10 }],
      }],
    });

    // WHEN
    const written = httpRoute.apiObject.toJson();

    // THEN: the generated converter (what gateway.HttpRoute#toJson applies) changes nothing but key order
    expect(httpRoute.apiObject).toBe(httpRoute);
    expect(ApiObject.isApiObject(httpRoute)).toBe(true);
    expect({ apiVersion: httpRoute.apiVersion, kind: httpRoute.kind }).toEqual(gateway.HttpRoute.GVK);
    expect({ ...gateway.HttpRoute.GVK, ...gateway.toJson_HttpRouteProps(written) }).toEqual(written);
    expect(Object.keys(written)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);

    // AND a field added by a patch is written, such as an experimental-channel one the generated
    // (standard-channel) converter drops
    httpRoute.apiObject.addJsonPatch(JsonPatch.add('/spec/rules/0/retry', { attempts: 2 }));
    const patched = httpRoute.apiObject.toJson();
    expect(patched.spec.rules[0].retry).toEqual({ attempts: 2 });
    expect(gateway.toJson_HttpRouteProps(patched)!.spec.rules[0].retry).toBeUndefined();
  });

  test('a canary release: two backends weighted 90/10', () => {
    // GIVEN
    const chart = newChart();
    const stable = web(chart, 'Stable');
    const canary = web(chart, 'Canary');

    // WHEN
    const httpRoute = route(chart, { rules: [{ backends: [{ service: stable, weight: 90 }, { service: canary, weight: 10 }] }] });

    // THEN
    expect(findOne(synth(chart), 'HTTPRoute', httpRoute.name).spec.rules[0].backendRefs).toEqual([
      { name: stable.name, port: 80, weight: 90 },
      { name: canary.name, port: 80, weight: 10 },
    ]);
  });

  test('NodePort and LoadBalancer Services are backends too (their cluster IP)', () => {
    // GIVEN
    const chart = newChart();
    const deployment = new kplus.Deployment(chart, 'Pods', { containers: [{ image: 'nginx', portNumber: 8080 }] });
    const nodePort = new NodePortService(chart, 'NodePort', { selector: deployment, ports: [{ port: 80, targetPort: 8080 }] });
    const loadBalancer = new LoadBalancerService(chart, 'Lb', { selector: deployment, ports: [{ port: 443, targetPort: 8080 }] });

    // WHEN
    const httpRoute = route(chart, { rules: [{ backends: [{ service: nodePort }, { service: loadBalancer }] }] });

    // THEN
    expect(findOne(synth(chart), 'HTTPRoute', httpRoute.name).spec.rules[0].backendRefs).toEqual([
      { name: nodePort.name, port: 80 },
      { name: loadBalancer.name, port: 443 },
    ]);
  });

  describe('cross-namespace backends', () => {
    test('a Service in another namespace gets a ReferenceGrant for the route\'s namespace and that Service', () => {
      // GIVEN
      const app = Testing.app();
      const shop = new Chart(app, 'shop', { namespace: 'shop' });
      const data = new Chart(app, 'data', { namespace: 'data' });
      const catalog = web(data, 'Catalog');

      // WHEN
      const httpRoute = route(shop, { service: catalog });

      // THEN
      const manifests = synthApp(app);
      expect(findOne(manifests, 'HTTPRoute', httpRoute.name).spec.rules[0].backendRefs).toEqual([{ name: catalog.name, namespace: 'data', port: 80 }]);
      const grant = findOne(manifests, 'ReferenceGrant');
      expect(grant.apiVersion).toEqual('gateway.networking.k8s.io/v1beta1');
      expect(grant.metadata.namespace).toEqual('data');
      expect(grant.spec).toEqual({
        from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'shop' }],
        to: [{ group: '', kind: 'Service', name: catalog.name }],
      });
      expect(httpRoute.referenceGrants.map(g => g.name)).toEqual([grant.metadata.name]);
      expect(ServiceWiringCheck.of(app).findings).toEqual([]);
    });

    test('one grant per route namespace and Service, however many routes and rules use it', () => {
      // GIVEN
      const app = Testing.app();
      const shop = new Chart(app, 'shop', { namespace: 'shop' });
      const blog = new Chart(app, 'blog', { namespace: 'blog' });
      const data = new Chart(app, 'data', { namespace: 'data' });
      const catalog = web(data, 'Catalog');
      const search = web(data, 'Search');

      // WHEN
      const first = route(shop, { rules: [{ backends: [{ service: catalog }] }, { backends: [{ service: catalog }, { service: search }] }] });
      const second = new HttpRoute(shop, 'Other', { parentRefs: [GATEWAY], rules: [{ backends: [{ service: catalog }] }] });
      route(blog, { service: catalog });

      // THEN
      const grants = synthApp(app).filter(m => m.kind === 'ReferenceGrant');
      expect(grants.map(g => [g.metadata.namespace, g.spec.from[0].namespace, g.spec.to[0].name]).sort()).toEqual([
        ['data', 'blog', catalog.name],
        ['data', 'shop', catalog.name],
        ['data', 'shop', search.name],
      ]);
      expect(first.referenceGrants).toHaveLength(2);
      expect(second.referenceGrants).toEqual([first.referenceGrants[0]]);
    });

    test('a route that fails on a later backend leaves neither itself nor a grant for an earlier one in the tree', () => {
      // GIVEN
      const app = Testing.app();
      const shop = new Chart(app, 'shop', { namespace: 'shop' });
      const data = new Chart(app, 'data', { namespace: 'data' });
      const catalog = web(data, 'Catalog');

      // WHEN
      const build = () => route(shop, { rules: [{ backends: [{ service: catalog }, { service: web(shop, 'Web'), port: 8080 }] }] });

      // THEN
      expect(build).toThrow(/^HttpRoute 'shop\/Route': rules\[0\]\.backends\[1\] port 8080 is not a port of Service/);
      expect(catalog.node.children.filter(c => ApiObject.isApiObject(c) && c.kind === 'ReferenceGrant')).toEqual([]);
      expect(shop.node.tryFindChild('Route')).toBeUndefined();
    });

    test('fails when the backend Service is in another namespace and grants are not created, naming the missing grant', () => {
      // GIVEN
      const app = Testing.app();
      const shop = new Chart(app, 'shop', { namespace: 'shop' });
      const data = new Chart(app, 'data', { namespace: 'data' });

      // WHEN
      route(shop, { service: web(data, 'Catalog'), createReferenceGrants: false });

      // THEN
      expect(() => validate(app)).toThrow(/\[shop\] HTTPRoute 'shop\/shop-route-.*' \(shop\/Route\) backendRef spec\.rules\[0\]\.backendRefs\[0\] names Service 'data\/data-catalog-.*', in another namespace, but no ReferenceGrant in namespace 'data' allows HTTPRoutes of namespace 'shop' to reach it.*\[route-backend-not-granted\]/);
    });

    test('a grant the app adds itself satisfies the check', () => {
      // GIVEN
      const app = Testing.app();
      const shop = new Chart(app, 'shop', { namespace: 'shop' });
      const data = new Chart(app, 'data', { namespace: 'data' });
      const catalog = web(data, 'Catalog');

      // WHEN
      route(shop, { service: catalog, createReferenceGrants: false });
      new ApiObject(data, 'Grant', {
        apiVersion: 'gateway.networking.k8s.io/v1', kind: 'ReferenceGrant', metadata: { name: 'shop-routes' },
        spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'shop' }], to: [{ group: '', kind: 'Service' }] },
      });

      // THEN
      synthApp(app);
      expect(ServiceWiringCheck.of(app).findings).toEqual([]);
    });

    test('fails when the Service\'s namespace is unknown and the route\'s differs: no grant can be made', () => {
      // GIVEN
      const app = Testing.app();
      const shop = new Chart(app, 'shop', { namespace: 'shop' });
      const anywhere = new Chart(app, 'anywhere');

      // WHEN
      route(shop, { service: web(anywhere, 'Catalog') });

      // THEN
      expect(() => validate(app)).toThrow(/names Service 'default\/anywhere-catalog-.*', in another namespace, but no ReferenceGrant in namespace 'default' allows HTTPRoutes of namespace 'shop'.*set the Service's, or its chart's.*\[route-backend-not-granted\]/);
    });

    test('fails when the route\'s namespace is unknown and the Service\'s differs', () => {
      // GIVEN
      const app = Testing.app();
      const anywhere = new Chart(app, 'anywhere');
      const data = new Chart(app, 'data', { namespace: 'data' });

      // WHEN
      route(anywhere, { service: web(data, 'Catalog') });

      // THEN
      expect(() => validate(app)).toThrow(/no ReferenceGrant in namespace 'data' allows HTTPRoutes of namespace 'default'.*\[route-backend-not-granted\]/);
    });

    test('no namespace on either, or the same one: no namespace in the backendRef, no grant', () => {
      // GIVEN
      const app = Testing.app();
      const plain = new Chart(app, 'plain');
      const shop = new Chart(app, 'shop', { namespace: 'shop' });

      // WHEN
      const a = route(plain);
      const b = route(shop, { service: web(shop, 'Web', { namespace: 'shop' }) });

      // THEN
      const manifests = synthApp(app);
      expect(findOne(manifests, 'HTTPRoute', a.name).spec.rules[0].backendRefs[0].namespace).toBeUndefined();
      expect(findOne(manifests, 'HTTPRoute', b.name).spec.rules[0].backendRefs[0].namespace).toBeUndefined();
      expect(manifests.filter(m => m.kind === 'ReferenceGrant')).toEqual([]);
    });
  });

  describe('validation', () => {
    const fails = (build: (chart: Chart) => void, message: RegExp) => {
      const chart = newChart();
      expect(() => build(chart)).toThrow(message);
    };

    test('fails when a backend is an ExternalName Service', () => {
      fails(chart => route(chart, { service: new ExternalNameService(chart, 'Ext', { externalName: 'api.example.com', ports: [{ port: 443 }] }) }),
        /^HttpRoute 'test\/Route': rules\[0\]\.backends\[0\] is Service 'test-ext-.*' \(test\/Ext\), an ExternalName Service; Gateway API leaves ExternalName backends to the implementation and says implementations should not support them .*CVE-2021-25740/);
    });

    test('fails when a backend is a headless Service', () => {
      fails(chart => route(chart, { service: new HeadlessService(chart, 'Peers', { ports: [{ port: 80 }] }) }),
        /rules\[0\]\.backends\[0\] is Service 'test-peers-.*' \(test\/Peers\), a headless Service \(clusterIP: None\): it has no cluster IP to route to/);
    });

    test('fails when the port is not one of the Service\'s ports', () => {
      fails(chart => route(chart, { rules: [{ backends: [{ service: web(chart, 'Web', { ports: [80, 443] }), port: 8080 }] }] }),
        /rules\[0\]\.backends\[0\] port 8080 is not a port of Service 'test-web-.*' \(test\/Web\); use one of 80 \(p80\), 443 \(p443\)/);
    });

    test('fails when the port is not TCP', () => {
      fails(chart => {
        const dns = new ClusterIPService(chart, 'Dns', { ports: [{ port: 53, protocol: kplus.Protocol.UDP }] });
        route(chart, { service: dns });
      }, /port 53 of Service 'test-dns-.*' \(test\/Dns\) is UDP; HTTP needs a TCP port/);
    });

    test('fails when no port is given and the Service has several', () => {
      fails(chart => route(chart, { service: web(chart, 'Web', { ports: [80, 443] }) }),
        /rules\[0\]\.backends\[0\] gives no port, and Service 'test-web-.*' \(test\/Web\) has ports 80 \(p80\), 443 \(p443\); give the backend's port/);
    });

    test('fails when a weight is out of range', () => {
      fails(chart => route(chart, { rules: [{ backends: [{ service: web(chart, 'Web'), weight: 1000001 }] }] }), /rules\[0\]\.backends\[0\] has weight 1000001; use an integer in 0-1000000/);
    });

    test('fails when there are no parentRefs', () => {
      fails(chart => route(chart, { parentRefs: [] }), /has no parentRefs; name the Gateway/);
    });

    test('fails when a Gateway is referenced twice without distinct sectionNames', () => {
      fails(chart => route(chart, { parentRefs: [GATEWAY, { ...GATEWAY, sectionName: 'http' }] }), /parentRefs\[1\] names Gateway 'infra\/edge' like parentRefs\[0\]; references to one Gateway need each a sectionName of its own/);
      fails(chart => route(chart, { parentRefs: [{ ...GATEWAY, sectionName: 'http' }, { ...GATEWAY, sectionName: 'http' }] }), /parentRefs\[1\] names Gateway 'infra\/edge' like parentRefs\[0\]/);
    });

    test('fails when a parentRef is invalid', () => {
      fails(chart => route(chart, { parentRefs: [{ name: 'Edge' }] }), /parentRefs\[0\] names Gateway 'Edge', which is not a valid object name/);
      fails(chart => route(chart, { parentRefs: [{ name: 'edge', namespace: 'in.fra' }] }), /parentRefs\[0\] has namespace 'in\.fra', which is not a valid namespace/);
      fails(chart => route(chart, { parentRefs: [{ name: 'edge', sectionName: 'HTTP' }] }), /parentRefs\[0\] has sectionName 'HTTP', which is not a valid listener name/);
      fails(chart => route(chart, { parentRefs: [{ name: 'edge', port: 0 }] }), /parentRefs\[0\] has port 0, which is not a valid port number; use an integer in 1-65535/);
    });

    test('fails when there are too many parentRefs, hostnames, rules, matches, backends or headers', () => {
      fails(chart => route(chart, { parentRefs: Array.from({ length: 33 }, (_, i) => ({ name: `gw${i}` })) }), /has 33 parentRefs; an HTTPRoute takes at most 32/);
      fails(chart => route(chart, { hostnames: Array.from({ length: 17 }, (_, i) => `h${i}.example.com`) }), /has 17 hostnames; an HTTPRoute takes at most 16/);
      fails(chart => {
        const service = web(chart, 'Web');
        route(chart, { rules: Array.from({ length: 17 }, () => ({ backends: [{ service }] })) });
      }, /has 17 rules; an HTTPRoute takes at most 16/);
      fails(chart => {
        const service = web(chart, 'Web');
        route(chart, { rules: [{ matches: Array.from({ length: 65 }, () => ({ path: HttpPathMatch.pathPrefix('/') })), backends: [{ service }] }] });
      }, /rules\[0\] has 65 matches; a rule takes at most 64/);
      fails(chart => {
        const service = web(chart, 'Web');
        const matches = Array.from({ length: 40 }, (_, i) => ({ path: HttpPathMatch.exact(`/p${i}`) }));
        route(chart, { rules: Array.from({ length: 4 }, () => ({ matches, backends: [{ service }] })) });
      }, /has 160 matches in its rules; an HTTPRoute takes at most 128 in all/);
      fails(chart => {
        const service = web(chart, 'Web');
        route(chart, { rules: [{ backends: Array.from({ length: 17 }, () => ({ service })) }] });
      }, /rules\[0\] has 17 backends; a rule takes at most 16/);
      fails(chart => route(chart, {
        rules: [{ matches: [{ headers: Array.from({ length: 17 }, (_, i) => HttpHeaderMatch.exact(`x-h${i}`, 'v')) }], backends: [{ service: web(chart, 'Web') }] }],
      }), /rules\[0\]\.matches\[0\] has 17 headers; a match takes at most 16/);
    });

    test('fails when there are no rules, or a rule has no backends', () => {
      fails(chart => route(chart, { rules: [] }), /has no rules; add one/);
      fails(chart => route(chart, { rules: [{ backends: [] }] }), /rules\[0\] has no backends/);
    });

    test('fails when rule names are invalid or repeated', () => {
      fails(chart => route(chart, { rules: [{ name: 'Api', backends: [{ service: web(chart, 'Web') }] }] }), /rules\[0\] has name 'Api', which is not a valid rule name/);
      fails(chart => {
        const service = web(chart, 'Web');
        route(chart, { rules: [{ name: 'api', backends: [{ service }] }, { name: 'api', backends: [{ service }] }] });
      }, /rules\[1\] has name 'api', which rules\[0\] already uses/);
    });

    test('fails when a hostname is invalid or an IP address', () => {
      fails(chart => route(chart, { hostnames: ['Shop.example.com'] }), /hostname 'Shop\.example\.com' is not a valid hostname; use a lowercase DNS name/);
      fails(chart => route(chart, { hostnames: ['shop.*.example.com'] }), /hostname 'shop\.\*\.example\.com' is not a valid hostname/);
      fails(chart => route(chart, { hostnames: ['10.0.0.1'] }), /hostname '10\.0\.0\.1' is an IP address; Gateway API hostnames are DNS names/);
    });

    test('fails when an Exact or PathPrefix path breaks a CEL rule of the CRD', () => {
      const path = (match: HttpPathMatch) => (chart: Chart) => route(chart, { rules: [{ matches: [{ path: match }], backends: [{ service: web(chart, 'Web') }] }] });
      fails(path(HttpPathMatch.pathPrefix('api')), /rules\[0\]\.matches\[0\]\.path 'api' is not an absolute path; start it with '\/'/);
      for (const [value, problem] of [['/a//b', "contains '//'"], ['/a/./b', "contains '/./'"], ['/a/../b', "contains '/../'"], ['/a%2fb', "contains '%2f'"],
        ['/a%2Fb', "contains '%2F'"], ['/a#top', "contains '#'"], ['/a/..', "ends with '/..'"], ['/a/.', "ends with '/.'"]]) {
        fails(path(HttpPathMatch.exact(value)), new RegExp(`path '${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}' ${problem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      }
      fails(path(HttpPathMatch.pathPrefix('/a b')), /path '\/a b' has characters a path may not have/);
      fails(path(HttpPathMatch.pathPrefix(`/${'a'.repeat(1024)}`)), /is longer than 1024 characters/);
      fails(path(HttpPathMatch.regularExpression('')), /is an empty regular expression/);
    });

    test('fails when a header match is invalid or repeated', () => {
      const headers = (...list: HttpHeaderMatch[]) => (chart: Chart) => route(chart, { rules: [{ matches: [{ headers: list }], backends: [{ service: web(chart, 'Web') }] }] });
      fails(headers(HttpHeaderMatch.exact('x canary', 'true')), /headers\[0\] has name 'x canary', which is not a valid header name/);
      fails(headers(HttpHeaderMatch.exact('x-canary', '')), /headers\[0\] \(x-canary\) has a value of 0 characters; give 1-4096/);
      fails(headers(HttpHeaderMatch.exact('x-canary', 'a'), HttpHeaderMatch.exact('X-Canary', 'b')), /headers\[1\] matches header 'X-Canary' again \(headers\[0\]\); header names are case-insensitive/);
    });

    test('fails when the route\'s namespace is invalid', () => {
      fails(chart => route(chart, { metadata: { namespace: 'Shop' } }), /namespace 'Shop' is not a valid namespace/);
    });
  });

  test('the route and its grants pass the CRDs\' schemas and CEL rules, through a whole app', () => {
    // GIVEN
    const app = new App({ outdir: 'unused' });
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const data = new Chart(app, 'data', { namespace: 'data' });
    const stable = web(shop, 'Stable');
    const canary = web(shop, 'Canary');
    const catalog = web(data, 'Catalog', { ports: [80, 9090] });

    // WHEN
    route(shop, {
      parentRefs: [{ ...GATEWAY, sectionName: 'https' }, { ...GATEWAY, sectionName: 'http' }],
      hostnames: ['shop.example.com'],
      rules: [
        { matches: [{ path: HttpPathMatch.pathPrefix('/catalog') }], backends: [{ service: catalog, port: 9090 }] },
        { backends: [{ service: stable, weight: 90 }, { service: canary, weight: 10 }] },
      ],
    });

    // THEN (synthApp checks every object against its schema, the Gateway API ones with their CEL rules)
    expect(synthApp(app).map(m => m.kind).sort()).toEqual(['Deployment', 'Deployment', 'Deployment', 'HTTPRoute', 'ReferenceGrant', 'Service', 'Service', 'Service']);
  });
});
