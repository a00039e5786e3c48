import { readFileSync } from 'fs';
import { ApiObject, App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  ClusterIPService,
  ExposedDeployment,
  ServiceExposure,
  TrafficEdgeKind,
  TrafficMap,
  TrafficNodeKind,
  WordPressStack,
} from 'cdk8s-service-patterns';
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
      `every node -exposes-> Service ${wpSvc} (NodePort) :80 [:30000 → 80]`,
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
      'load balancer -exposes-> Service edge (LoadBalancer) :443 [:443 (node port allocated) → 443]',
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

  test('output is deterministic', () => {
    const render = () => {
      const chart = newChart();
      new WordPressStack(chart, 'blog');
      return TrafficMap.of(chart).toMarkdown('blog');
    };
    expect(render()).toEqual(render());
  });
});

describe('README', () => {
  test('shows the current WordPress traffic map', () => {
    const chart = new WordPressChart(new App({ outdir: 'unused' }), 'wordpress');
    const readme = readFileSync(`${__dirname}/../../README.md`, 'utf8');
    expect(readme).toContain('```mermaid\n' + TrafficMap.of(chart).toMermaid() + '```\n');
  });
});
