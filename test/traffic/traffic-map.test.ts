import { execFileSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  ClusterIPService,
  ExposedDeployment,
  LoadBalancerService,
  NodePortService,
  ServiceExposure,
  TrafficEdgeKind,
  TrafficMap,
  TrafficNodeKind,
  WordPressStack,
} from 'cdk8s-service-patterns';
import { GatewayRoutesChart } from '../../examples/gateway-routes/main';
import { WordPressChart } from '../../examples/wordpress/main';
import { findOne, newChart, synth } from '../util';

/** The edges as `from -kind-> to [label]`, with node labels instead of ids. */
function edgesOf(map: TrafficMap): string[] {
  const label = new Map(map.nodes.map(node => [node.id, node.label]));
  return map.edges.map(edge => `${label.get(edge.source)} -${edge.kind}-> ${label.get(edge.target)} [${edge.label}]`);
}

describe('TrafficMap', () => {
  test('WordPressStack: entry, Services, selected workloads, env wiring and the NetworkPolicy', () => {
    // GIVEN
    const chart = newChart();
    const stack = new WordPressStack(chart, 'blog');
    const manifests = synth(chart);

    // WHEN
    const map = TrafficMap.of(chart);

    // THEN
    const wp = findOne(manifests, 'Deployment', stack.wordpress.name).metadata.name;
    const db = findOne(manifests, 'Deployment', stack.mysql!.name).metadata.name;
    const wpSvc = stack.wordpressService.name;
    const dbSvc = stack.mysqlService!.name;
    expect(edgesOf(map)).toEqual(expect.arrayContaining([
      `every node -exposes-> Service ${wpSvc} (NodePort) :80 [:30000/TCP → 80]`,
      `Service ${wpSvc} (NodePort) :80 -selects-> Deployment ${wp} [:80 → 80]`,
      `Service ${dbSvc} (ClusterIP) :3306 -selects-> Deployment ${db} [:3306 → 3306]`,
      `Deployment ${wp} -env-> Service ${dbSvc} (ClusterIP) :3306 [WORDPRESS_DB_HOST]`,
      `Deployment ${wp} -allows-> Deployment ${db} [allows :3306]`,
    ]));
    // the Service selects only its own workload: resolved from selectors, not from ownership
    expect(map.edges.filter(e => e.kind === TrafficEdgeKind.SELECTS)).toHaveLength(2);
    // only WordPress is allowed to MySQL
    expect(map.edges.filter(e => e.kind === TrafficEdgeKind.ALLOWS).map(e => e.source)).toEqual([map.edges.find(e => e.label === 'WORDPRESS_DB_HOST')!.source]);
    expect(map.danglingServices).toEqual([]);
    expect(map.toMermaid()).toMatchSnapshot();
  });

  test('an external database is a CNAME to an outside host', () => {
    const chart = newChart();
    const stack = new WordPressStack(chart, 'blog', { externalDatabase: { host: 'db.example.com' } });
    const map = TrafficMap.of(chart);
    expect(edgesOf(map)).toEqual(expect.arrayContaining([
      `Service ${stack.databaseService.name} (ExternalName) :3306 -cname-> db.example.com [CNAME]`,
    ]));
    expect(map.nodes.find(n => n.label === 'db.example.com')!.kind).toEqual(TrafficNodeKind.EXTERNAL);
  });

  test('a Service selecting the pods an operator runs for a custom resource is not dangling', () => {
    // GIVEN a CloudNativePG cluster and a Service for its replicas, as plain objects
    const chart = newChart();
    new ApiObject(chart, 'Pg', { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'orders' }, spec: { instances: 3 } });
    new ApiObject(chart, 'Ro', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'orders-ro' },
      spec: { selector: { 'cnpg.io/cluster': 'orders', 'cnpg.io/instanceRole': 'replica' }, ports: [{ port: 5432, targetPort: 'postgresql' }] },
    });
    // ... and a Service naming a MinIO tenant (an operator known only through the fallback)
    new ApiObject(chart, 'Tenant', { apiVersion: 'minio.min.io/v2', kind: 'Tenant', metadata: { name: 'media' }, spec: {} });
    new ApiObject(chart, 'S3', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's3' }, spec: { selector: { 'v1.min.io/tenant': 'media' }, ports: [{ port: 80, targetPort: 9000 }] } });
    // WHEN
    const map = TrafficMap.of(chart);
    // THEN
    expect(map.danglingServices).toEqual([]);
    expect(edgesOf(map)).toEqual([
      'Service orders-ro (ClusterIP) :5432 -selects-> Cluster orders [:5432 → postgresql]',
      'Service s3 (ClusterIP) :80 -selects-> Tenant media [pods its operator runs]',
    ]);
  });

  test('a selector that matches nothing is dangling and flagged', () => {
    // GIVEN
    const chart = newChart();
    new ClusterIPService(chart, 'Orphan', {
      metadata: { name: 'orphan' },
      selector: kplus.Pods.select(chart, 'Nobody', { labels: { app: 'nobody' } }),
      ports: [{ port: 80 }],
    });

    // WHEN
    const map = TrafficMap.of(chart);

    // THEN
    expect(map.danglingServices).toEqual(['default/orphan']);
    expect(edgesOf(map)).toEqual(['Service orphan (ClusterIP) :80 -selects-> no pods match app=nobody [selects nothing]']);
    expect(map.nodes.find(n => n.kind === TrafficNodeKind.DANGLING)).toBeDefined();
    expect(map.toMarkdown('orphan')).toContain('Dangling (selector matches no pods): `default/orphan`');
    expect(map.toMermaid()).toContain(':::dangling');
  });

  test('a Service selecting the pods of two workloads points at both', () => {
    // GIVEN
    const chart = newChart();
    const a = new kplus.Deployment(chart, 'A', { containers: [{ image: 'nginx', portNumber: 80 }], metadata: { name: 'a' } });
    const b = new kplus.Deployment(chart, 'B', { containers: [{ image: 'nginx', portNumber: 80 }], metadata: { name: 'b' } });
    for (const deployment of [a, b]) {
      deployment.podMetadata.addLabel('tier', 'web');
    }
    new ClusterIPService(chart, 'Web', {
      metadata: { name: 'web' },
      selector: kplus.Pods.select(chart, 'Tier', { labels: { tier: 'web' } }),
      ports: [{ port: 80 }],
    });

    // WHEN / THEN
    expect(edgesOf(TrafficMap.of(chart))).toEqual([
      'Service web (ClusterIP) :80 -selects-> Deployment a [:80 → 80]',
      'Service web (ClusterIP) :80 -selects-> Deployment b [:80 → 80]',
    ]);
  });

  test('LoadBalancer, Ingress and a whole app', () => {
    const chart = newChart();
    const web = new ExposedDeployment(chart, 'Web', {
      container: { image: 'nginx', portNumber: 8080 },
      services: [ServiceExposure.shorthand(['^443:8080'], { metadata: { name: 'edge' } }), ServiceExposure.shorthand(['80:8080'], { metadata: { name: 'web' } })],
    });
    new kplus.Ingress(chart, 'Ing', { metadata: { name: 'ing' }, rules: [{ path: '/', backend: kplus.IngressBackend.fromService(web.services[1]) }] });
    expect(edgesOf(TrafficMap.of(chart.node.root))).toEqual(expect.arrayContaining([
      'load balancer -exposes-> Service edge (LoadBalancer) :443 [:443/TCP (node port allocated) → 443]',
      'Ingress ing -exposes-> Service web (ClusterIP) :80 [:80]',
    ]));
  });

  test('node ids are unique: web-api in default and api in default-web, a--b and a.b are four nodes', () => {
    // GIVEN Services whose names and namespaces join to the same text when '-', '.' and the separator are confused
    const app = new App({ outdir: 'unused' });
    const chart = new Chart(app, 'ids');
    const services: [string, string][] = [['default', 'web-api'], ['default-web', 'api'], ['x', 'a--b'], ['x--a', 'b'], ['x', 'a-b'], ['x', 'a.b']];
    services.forEach(([namespace, name], i) => new ApiObject(chart, `S${i}`, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace },
      spec: { type: 'ExternalName', externalName: `${name}.example.com` },
    }));

    // WHEN
    const map = TrafficMap.of(app);

    // THEN every Service is its own node, with its own CNAME edge
    const ids = map.nodes.filter(node => node.kind === TrafficNodeKind.SERVICE).map(node => node.id);
    expect(new Set(ids).size).toEqual(services.length);
    expect(ids).toEqual(expect.arrayContaining(['service__default__web_api', 'service__default_web__api']));
    expect(map.nodes.filter(node => node.kind === TrafficNodeKind.EXTERNAL)).toHaveLength(services.length);
    expect(map.edges).toHaveLength(services.length);
    for (const id of map.nodes.map(node => node.id)) {
      expect(id).toMatch(/^[A-Za-z0-9_]+$/);
    }
  });

  test('edges into NodePort and LoadBalancer Services show the protocol: 53/TCP and 53/UDP are two ways in', () => {
    // GIVEN DNS on TCP and UDP port 53, through a node port and a load balancer
    const chart = newChart();
    const dns = new kplus.Deployment(chart, 'Dns', { metadata: { name: 'dns' }, containers: [{ image: 'coredns/coredns', portNumber: 53 }] });
    const ports = [
      { name: 'dns-tcp', port: 53, protocol: kplus.Protocol.TCP },
      { name: 'dns-udp', port: 53, protocol: kplus.Protocol.UDP },
    ];
    new NodePortService(chart, 'Nodes', { metadata: { name: 'dns-nodes' }, selector: dns, ports });
    new LoadBalancerService(chart, 'Lb', { metadata: { name: 'dns-lb' }, selector: dns, ports });

    // WHEN
    const edges = edgesOf(TrafficMap.of(chart)).filter(edge => edge.includes('-exposes->'));

    // THEN
    expect(edges).toEqual([
      'load balancer -exposes-> Service dns-lb (LoadBalancer) :53 :53/UDP [:53/TCP (node port allocated) → 53]',
      'load balancer -exposes-> Service dns-lb (LoadBalancer) :53 :53/UDP [:53/UDP (node port allocated) → 53]',
      'every node -exposes-> Service dns-nodes (NodePort) :53 :53/UDP [:allocated/TCP → 53]',
      'every node -exposes-> Service dns-nodes (NodePort) :53 :53/UDP [:allocated/UDP → 53]',
    ]);
    expect(edgesOf(TrafficMap.of(chart))).toContain('Service dns-lb (LoadBalancer) :53 :53/UDP -selects-> Deployment dns [:53 → 53, :53/UDP → 53]');
  });

  test('nodes, edges and dangling Services are in code-unit order, not the locale\'s', () => {
    // GIVEN names that localeCompare orders differently in every locale ('a.b' is 'aX2EXb': 'X' < 'b' < 'x')
    const app = new App({ outdir: 'unused' });
    const chart = new Chart(app, 'order');
    for (const name of ['ab', 'a.b', 'B', 'a']) {
      new ApiObject(chart, `S-${name}`, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name },
        spec: { selector: { app: name }, ports: [{ port: 80 }] },
      });
    }

    // WHEN
    const map = TrafficMap.of(app);

    // THEN sorted as Array.prototype.sort() sorts strings, by UTF-16 code units
    const ids = map.nodes.map(node => node.id);
    expect(ids).toEqual([...ids].sort());
    const sources = map.edges.map(edge => edge.source);
    expect(sources).toEqual([...sources].sort());
    expect(map.danglingServices).toEqual(['default/B', 'default/a', 'default/a.b', 'default/ab']);
  });

  test('the Markdown is byte-identical under any locale (da_DK sorts "aa" after "b")', () => {
    // GIVEN the built library (jest's global setup runs the build), and a map with Services aa and b
    const root = path.join(__dirname, '..', '..');
    const script = `
      const { App, Chart, ApiObject } = require('cdk8s');
      const { TrafficMap } = require(${JSON.stringify(root)});
      const app = new App({ outdir: 'unused' });
      const chart = new Chart(app, 'locale');
      for (const name of ['b', 'aa', 'Z', 'a']) {
        new ApiObject(chart, name, { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80 }] } });
      }
      process.stdout.write(TrafficMap.of(app).toMarkdown('locale'));
    `;
    const render = (locale: string) => execFileSync(process.execPath, ['-e', script], {
      cwd: root,
      env: { ...process.env, LANG: locale, LC_ALL: locale, LANGUAGE: '' },
      encoding: 'utf8',
    });
    // the locale does reach ICU: localeCompare itself differs
    const danish = execFileSync(process.execPath, ['-p', "'aa'.localeCompare('b')"], { env: { ...process.env, LANG: 'da_DK.UTF-8', LC_ALL: 'da_DK.UTF-8' }, encoding: 'utf8' });
    expect(danish.trim()).toEqual('1');

    // WHEN
    const c = render('C');
    const da = render('da_DK.UTF-8');

    // THEN
    expect(da).toEqual(c);
    expect(c.indexOf('service__default__aa[')).toBeLessThan(c.indexOf('service__default__b['));
  });

  test('a broken app still gets a map: an object whose toJson() throws is left out', () => {
    // GIVEN a Deployment without containers (its toJson() throws) next to a working stack
    const chart = newChart();
    new kplus.Deployment(chart, 'Broken', { metadata: { name: 'broken' } });
    new ClusterIPService(chart, 'Orphan', { metadata: { name: 'orphan' }, selector: kplus.Pods.select(chart, 'Nobody', { labels: { app: 'nobody' } }), ports: [{ port: 80 }] });

    // WHEN
    const map = TrafficMap.of(chart);

    // THEN the rest of the app is drawn; the Service has no pods to select
    expect(map.danglingServices).toEqual(['default/orphan']);
    expect(map.nodes.some(node => node.label.startsWith('Deployment broken'))).toBe(false);
  });

  test('output is deterministic', () => {
    const render = () => {
      const chart = newChart();
      new WordPressStack(chart, 'blog');
      return TrafficMap.of(chart).toMarkdown('blog');
    };
    expect(render()).toEqual(render());
  });
});

describe('TrafficMap: NetworkPolicy peers in other namespaces', () => {
  /** Two charts of one app: web in namespace shop, prometheus in namespace monitoring. */
  function shopAndMonitoring() {
    const app = new App({ outdir: 'unused' });
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const monitoring = new Chart(app, 'monitoring', { namespace: 'monitoring' });
    const web = new kplus.Deployment(shop, 'Web', { metadata: { name: 'web' }, containers: [{ image: 'nginx', portNumber: 8080 }] });
    web.podMetadata.addLabel('app', 'web');
    const prometheus = new kplus.Deployment(monitoring, 'Prometheus', { metadata: { name: 'prometheus' }, containers: [{ image: 'prom/prometheus', portNumber: 9090 }] });
    prometheus.podMetadata.addLabel('app', 'prometheus');
    return { app, shop, monitoring, web, prometheus };
  }

  /** A NetworkPolicy of namespace shop admitting `from` to the web pods on 8080. */
  function allowToWeb(shop: Chart, from: unknown[]) {
    new ApiObject(shop, 'AllowToWeb', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-to-web' },
      spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ingress: [{ from, ports: [{ port: 8080 }] }] },
    });
  }

  const otherNamespaces = (map: TrafficMap) => map.nodes.filter(node => node.label.includes('other namespaces')).map(node => node.label);

  test('a workload of another namespace admitted with cdk8s-plus allowFrom is drawn from that workload, in the app\'s map and in the chart\'s', () => {
    // GIVEN cdk8s-plus writes namespaceSelector kubernetes.io/metadata.name=monitoring plus a podSelector
    const { app, shop, monitoring, web, prometheus } = shopAndMonitoring();
    web.connections.allowFrom(prometheus);

    // WHEN / THEN
    for (const map of [TrafficMap.of(app), TrafficMap.of(shop), TrafficMap.of(monitoring)]) {
      expect(edgesOf(map)).toEqual(['Deployment prometheus -allows-> Deployment web [allows :8080]']);
      expect(otherNamespaces(map)).toEqual([]);
    }
  });

  test('namespaces match by the labels of the Namespace objects of the input, and by kubernetes.io/metadata.name', () => {
    // GIVEN a Namespace object with a team label, and peers with matchLabels and matchExpressions
    const { app, shop, monitoring } = shopAndMonitoring();
    new kplus.Namespace(monitoring, 'Namespace', { metadata: { name: 'monitoring', labels: { team: 'observability' } } });
    const grafana = new kplus.Deployment(monitoring, 'Grafana', { metadata: { name: 'grafana' }, containers: [{ image: 'grafana/grafana', portNumber: 3000 }] });
    grafana.podMetadata.addLabel('app', 'grafana');
    allowToWeb(shop, [
      { namespaceSelector: { matchLabels: { team: 'observability' } }, podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['prometheus'] }] } },
      { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['monitoring'] }] }, podSelector: { matchLabels: { app: 'grafana' } } },
    ]);

    // WHEN
    const map = TrafficMap.of(app);

    // THEN
    expect(edgesOf(map)).toEqual([
      'Deployment grafana -allows-> Deployment web [allows :8080]',
      'Deployment prometheus -allows-> Deployment web [allows :8080]',
    ]);
    expect(otherNamespaces(map)).toEqual([]);
  });

  test('a namespaceSelector alone admits every workload of the namespaces it matches', () => {
    const { app, shop } = shopAndMonitoring();
    allowToWeb(shop, [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }]);
    expect(edgesOf(TrafficMap.of(app))).toEqual(['Deployment prometheus -allows-> Deployment web [allows :8080]']);
  });

  test('a podSelector on a per-pod label (statefulset.kubernetes.io/pod-name) draws the allow edge, as a Service selector does', () => {
    // GIVEN a StatefulSet db (pods db-0, db-1), a Service and a NetworkPolicy both selecting pod db-0
    const { shop } = shopAndMonitoring();
    new ApiObject(shop, 'Db', {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: { serviceName: 'db', replicas: 2, selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres', ports: [{ containerPort: 5432 }] }] } } },
    });
    const podName = { 'statefulset.kubernetes.io/pod-name': 'db-0' };
    new ApiObject(shop, 'Primary', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db-primary' }, spec: { selector: podName, ports: [{ port: 5432 }] } });
    new ApiObject(shop, 'AllowToPrimary', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-to-primary' },
      spec: { podSelector: { matchLabels: podName }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 5432 }] }] },
    });

    // WHEN
    const map = TrafficMap.of(shop);

    // THEN
    expect(edgesOf(map)).toEqual(expect.arrayContaining([
      'Service db-primary (ClusterIP) :5432 -selects-> StatefulSet db [:5432 → 5432]',
      'Deployment web -allows-> StatefulSet db [allows :5432]',
    ]));
  });

  test('a matchExpressions podSelector still excludes the workloads it does not match', () => {
    const { app, shop } = shopAndMonitoring();
    allowToWeb(shop, [{ podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] } }]);
    expect(edgesOf(TrafficMap.of(app))).toEqual(['other pods of shop (app notin (web)) -allows-> Deployment web [allows :8080]']);
  });

  test('a peer that matches no workload of the input stays the generic node, naming its selectors', () => {
    // GIVEN a namespace label no Namespace object of the input carries, and a pod label no workload has
    const { app, shop } = shopAndMonitoring();
    allowToWeb(shop, [
      { namespaceSelector: { matchLabels: { team: 'payments' } }, podSelector: { matchLabels: { app: 'prometheus' } } },
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { app: 'loki' } } },
    ]);

    // WHEN
    const map = TrafficMap.of(app);

    // THEN
    expect(otherNamespaces(map)).toEqual([
      'pods of other namespaces (namespaces: kubernetes.io/metadata.name=monitoring; pods: app=loki)',
      'pods of other namespaces (namespaces: team=payments; pods: app=prometheus)',
    ].sort());
    expect(map.edges.filter(edge => edge.kind === TrafficEdgeKind.ALLOWS)).toHaveLength(2);
    expect(map.nodes.find(node => node.label.includes('team=payments'))!.kind).toEqual(TrafficNodeKind.ENTRY);
  });
});

describe('TrafficMap: Gateway API routes', () => {
  test('the example: Gateway -> HTTPRoute -> Services -> pods, with the hostnames, paths and canary weights on the edges', () => {
    // GIVEN
    const app = new App({ outdir: 'unused' });
    const chart = new GatewayRoutesChart(app, 'gateway-routes');

    // WHEN
    const map = TrafficMap.of(chart);

    // THEN
    const label = new Map(map.nodes.map(node => [node.id, node]));
    const deployment = (name: string) => map.nodes.find(node => node.kind === TrafficNodeKind.WORKLOAD && node.label.startsWith(`Deployment gateway-routes-${name}-deployment-`))!.label;
    expect(label.get('gateway__infra__edge')).toEqual({ id: 'gateway__infra__edge', kind: TrafficNodeKind.ENTRY, label: 'Gateway edge' });
    expect(label.get('httproute__shop__shop')).toEqual({ id: 'httproute__shop__shop', kind: TrafficNodeKind.ROUTE, label: 'HTTPRoute shop' });
    expect(edgesOf(map)).toEqual([
      'Gateway edge -exposes-> HTTPRoute shop [http: shop.example.com]',
      'HTTPRoute shop -routes-> Service web (ClusterIP) :80 [/ → :80 weight 90 (90%)]',
      'HTTPRoute shop -routes-> Service web-canary (ClusterIP) :80 [/ → :80 weight 10 (10%)]',
      'HTTPRoute shop -routes-> Service api (ClusterIP) :80 [/api → :80]',
      `Service web (ClusterIP) :80 -selects-> ${deployment('web')} [:80 → 8080]`,
      `Service web-canary (ClusterIP) :80 -selects-> ${deployment('webcanary')} [:80 → 8080]`,
      `Service api (ClusterIP) :80 -selects-> ${deployment('api')} [:80 → 8080]`,
    ]);
    expect(map.toMermaid()).toContain('  httproute__shop__shop>"HTTPRoute shop"]\n');
    expect(map.toMermaid()).toContain('  httproute__shop__shop -->|"/ → :80 weight 90 (90%)"| service__shop__web\n');
  });

  /** The map of manifests, through an app of ApiObjects. */
  function mapOf(...manifests: any[]): TrafficMap {
    const chart = new Chart(new App({ outdir: 'unused' }), 'c');
    manifests.forEach((manifest, i) => new ApiObject(chart, `o${i}`, manifest));
    return TrafficMap.of(chart);
  }
  const GW = 'gateway.networking.k8s.io/v1';
  const svc = (name: string, port = 80) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'shop' }, spec: { ports: [{ port }] } });
  const gateway = (listeners: any[]) => ({ apiVersion: GW, kind: 'Gateway', metadata: { name: 'edge', namespace: 'shop' }, spec: { gatewayClassName: 'x', listeners } });
  const route = (spec: any, kind = 'HTTPRoute') => ({ apiVersion: GW, kind, metadata: { name: 'r', namespace: 'shop' }, spec: { parentRefs: [{ name: 'edge' }], ...spec } });

  test('one edge per listener that admits the route, with the hostnames it serves there; "not admitted" when none does', () => {
    const listeners = [
      { name: 'http', port: 80, protocol: 'HTTP' },
      { name: 'https', port: 443, protocol: 'HTTPS', hostname: '*.example.com', tls: { certificateRefs: [{ name: 't' }] } },
      { name: 'other', port: 8080, protocol: 'HTTP', hostname: 'other.example.org' },
    ];
    const admitted = mapOf(svc('web'), gateway(listeners), route({ hostnames: ['a.example.com', 'b.example.net'], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] }));
    expect(edgesOf(admitted).filter(edge => edge.startsWith('Gateway'))).toEqual([
      'Gateway edge -exposes-> HTTPRoute r [http: a.example.com, b.example.net]',
      'Gateway edge -exposes-> HTTPRoute r [https: a.example.com]',
    ]);
    const refused = mapOf(svc('web'), gateway([listeners[2]]), route({ hostnames: ['a.example.com'], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] }));
    expect(edgesOf(refused).filter(edge => edge.startsWith('Gateway'))).toEqual(['Gateway edge -exposes-> HTTPRoute r [not admitted]']);
  });

  test('a parentRef of another group is not a Gateway API Gateway: no entry drawn, as checkRoutes ignores it', () => {
    const map = mapOf(svc('web'), route({ parentRefs: [{ group: 'example.com', kind: 'Gateway', name: 'edge' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] }));
    expect(edgesOf(map)).toEqual(['HTTPRoute r -routes-> Service web (ClusterIP) :80 [/ → :80]']);
    expect(map.nodes.filter(node => node.kind === TrafficNodeKind.ENTRY)).toEqual([]);
  });

  test('a Gateway outside the input, a missing Service, a mirror, another backend kind and a GRPCRoute', () => {
    const map = mapOf(svc('web'), route({
      parentRefs: [{ name: 'public', namespace: 'infra', sectionName: 'https' }],
      rules: [
        { matches: [{ path: { type: 'Exact', value: '/login' }, method: 'POST' }, { headers: [{ name: 'x-canary', value: 'on' }] }], backendRefs: [{ name: 'web', port: 80 }, { name: 'gone', port: 80 }] },
        { filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'web', port: 80 } } }], backendRefs: [{ group: 'example.com', kind: 'Bucket', name: 'static' }] },
      ],
    }), { ...route({ rules: [{ matches: [{ method: { service: 'shop.v1.Cart', method: 'Add' } }], backendRefs: [{ name: 'web', port: 80 }] }] }, 'GRPCRoute'), metadata: { name: 'g', namespace: 'shop' } });
    expect(edgesOf(map)).toEqual([
      // sorted by node id: gateway__infra__public before gateway__shop__edge
      'Gateway public -exposes-> HTTPRoute r [https: any host]',
      'Gateway edge -exposes-> GRPCRoute g [any host]',
      'GRPCRoute g -routes-> Service web (ClusterIP) :80 [shop.v1.Cart/Add → :80]',
      'HTTPRoute r -routes-> Bucket static [/ → no port]',
      'HTTPRoute r -routes-> no Service gone [POST = /login, / [x-canary=on] → :80 weight 1 (50%)]',
      'HTTPRoute r -routes-> Service web (ClusterIP) :80 [/ → :80 (mirror)]',
      'HTTPRoute r -routes-> Service web (ClusterIP) :80 [POST = /login, / [x-canary=on] → :80 weight 1 (50%)]',
    ]);
    expect(map.nodes.find(node => node.label === 'no Service gone')!.kind).toEqual(TrafficNodeKind.DANGLING);
  });
});

describe('TrafficMap.synth', () => {
  let outdir: string;
  beforeEach(() => {
    outdir = mkdtempSync(path.join(tmpdir(), 'traffic-synth-'));
  });
  afterEach(() => rmSync(outdir, { recursive: true, force: true }));

  /** The base names of the files of `dir` ending in `suffix`. */
  const named = (dir: string, suffix: string) => readdirSync(dir).filter(f => f.endsWith(suffix)).map(f => f.slice(0, -suffix.length)).sort();

  test('writes <outdir>/<chart>.traffic.md next to each <chart>.k8s.yaml, named as App.synth() names it', () => {
    // GIVEN a chart id cdk8s normalizes (Names.toDnsLabel), and a plain one
    const app = new App({ outdir });
    new WordPressChart(app, 'wordpress');
    const shop = new Chart(app, 'My_Shop');
    new ClusterIPService(shop, 'Web', { metadata: { name: 'web' }, ports: [{ port: 80 }] });

    // WHEN
    app.synth();
    const written = TrafficMap.synth(app);

    // THEN
    expect(named(outdir, '.traffic.md')).toEqual(named(outdir, '.k8s.yaml'));
    expect(written.sort()).toEqual(named(outdir, '.k8s.yaml').map(name => path.join(outdir, `${name}.traffic.md`)));
    expect(named(outdir, '.traffic.md')).toEqual(['my_shop-c80dbb1d', 'wordpress']); // My_Shop, as Names.toDnsLabel writes it
    const wordpress = readFileSync(path.join(outdir, 'wordpress.traffic.md'), 'utf8');
    expect(wordpress).toEqual(TrafficMap.of(app.node.findChild('wordpress')).toMarkdown('Traffic map: wordpress'));
  });

  test('charts that depend on each other: the 0000- prefixes and order of App.synth(), called before or after it', () => {
    // GIVEN three charts, the first depending on the last, so cdk8s numbers its files
    const build = (dir: string) => {
      const app = new App({ outdir: dir });
      const a = new Chart(app, 'a');
      new Chart(app, 'b');
      const c = new Chart(app, 'c');
      a.addDependency(c);
      return app;
    };
    const before = mkdtempSync(path.join(tmpdir(), 'traffic-synth-before-'));
    try {
      // WHEN the maps are written after the synth, and (another app) before it
      const app = build(outdir);
      app.synth();
      TrafficMap.synth(app);
      const early = build(before);
      TrafficMap.synth(early);
      early.synth();

      // THEN
      expect(named(outdir, '.k8s.yaml')).toEqual(['0000-c', '0001-a', '0002-b']);
      expect(named(outdir, '.traffic.md')).toEqual(named(outdir, '.k8s.yaml'));
      expect(named(before, '.traffic.md')).toEqual(named(before, '.k8s.yaml'));
    } finally {
      rmSync(before, { recursive: true, force: true });
    }
  });

  test('a chart\'s map shows what reaches its pods from other charts; the output is deterministic', () => {
    // GIVEN prometheus (chart monitoring) admitted to web (chart shop)
    const render = () => {
      const app = new App({ outdir });
      const shop = new Chart(app, 'shop', { namespace: 'shop' });
      const monitoring = new Chart(app, 'monitoring', { namespace: 'monitoring' });
      const web = new kplus.Deployment(shop, 'Web', { metadata: { name: 'web' }, containers: [{ image: 'nginx', portNumber: 8080 }] });
      const prometheus = new kplus.Deployment(monitoring, 'Prometheus', { metadata: { name: 'prometheus' }, containers: [{ image: 'prom/prometheus', portNumber: 9090 }] });
      web.connections.allowFrom(prometheus);
      app.synth();
      TrafficMap.synth(app);
      return readdirSync(outdir).sort().map(file => [file, readFileSync(path.join(outdir, file), 'utf8')]);
    };

    // WHEN
    const first = render();
    const second = render();

    // THEN
    expect(second).toEqual(first);
    const shopMap = first.find(([file]) => file === 'shop.traffic.md')![1];
    expect(shopMap).toMatch(/^# Traffic map: shop\n/);
    expect(shopMap).toContain('deployment__monitoring__prometheus ==>|"allows :8080"| deployment__shop__web');
    expect(shopMap).not.toContain('other namespaces');
  });

  test('FILE_PER_APP: one map of the whole app, app.traffic.md', () => {
    const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_APP });
    new WordPressChart(app, 'wordpress');
    app.synth();
    expect(TrafficMap.synth(app)).toEqual([path.join(outdir, 'app.traffic.md')]);
    expect(named(outdir, '.traffic.md')).toEqual(named(outdir, '.k8s.yaml'));
  });
});

describe('README', () => {
  test('shows the current WordPress traffic map', () => {
    const chart = new WordPressChart(new App({ outdir: 'unused' }), 'wordpress');
    const readme = readFileSync(`${__dirname}/../../README.md`, 'utf8');
    expect(readme).toContain('```mermaid\n' + TrafficMap.of(chart).toMermaid() + '```\n');
  });
});
