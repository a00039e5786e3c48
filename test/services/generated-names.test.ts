import { ApiObject, App, Chart, Names, Testing } from 'cdk8s';
import { ClusterIPService, ExposedDeployment, ExposedStatefulSet, HttpRoute, ReverseProxyStack, ServiceExposure, ServiceKind, WordPressStack } from 'cdk8s-service-patterns';
import { fittedName } from '../../src/services/generated-names';
import { synthApp } from '../util';

// Every name the patterns generate fits its kind, with long, odd or digit-first chart and construct
// ids: at most 52 characters for a StatefulSet (its pods' controller-revision-hash label), a
// DNS-1035 label for a Service, a DNS-1123 subdomain of at most 63 characters for the others.

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** What is wrong with an object's name for its kind, or undefined. */
function nameProblem(kind: string, name: string): string | undefined {
  if (kind === 'StatefulSet') {
    return name.length <= 52 && DNS1123_LABEL.test(name) ? undefined : `${kind} ${name}: not a DNS-1123 label of at most 52 characters`;
  }
  if (kind === 'Service') {
    return name.length <= 63 && DNS1035_LABEL.test(name) ? undefined : `${kind} ${name}: not a DNS-1035 label`;
  }
  return name.length <= 63 && DNS1123_SUBDOMAIN.test(name) ? undefined : `${kind} ${name}: not a DNS-1123 subdomain of at most 63 characters`;
}

/** Every pattern, with every kind of exposure, under `id`-prefixed construct ids. */
function everyPattern(chart: Chart, id: string): WordPressStack[] {
  const container = { image: 'app', ports: [{ number: 8080, name: 'http' }] };
  new ExposedDeployment(chart, `${id}Web`, {
    container,
    services: [
      ServiceExposure.of(),
      ServiceExposure.shorthand(['!80:8080']),
      ServiceExposure.shorthand(['^80:8080']),
      ServiceExposure.shorthand(['#8080:http']),
      ServiceExposure.of({ serviceType: ServiceKind.NODE_PORT }),
    ],
  });
  new ExposedStatefulSet(chart, `${id}Db`, { container, services: [ServiceExposure.of(), ServiceExposure.shorthand(['#8080:http'])] });
  new ReverseProxyStack(chart, `${id}Proxy`);
  return [
    new WordPressStack(chart, `${id}Blog`),
    new WordPressStack(chart, `${id}External`, { externalDatabase: { host: 'db.example.com' }, serviceType: ServiceKind.CLUSTER_IP }),
  ];
}

function expectNamesFit(app: App, stacks: WordPressStack[]): any[] {
  const manifests = synthApp(app);
  expect(manifests.map(m => nameProblem(m.kind, m.metadata.name)).filter(problem => problem !== undefined)).toEqual([]);
  const keys = manifests.map(m => `${m.kind} ${m.metadata.namespace ?? ''}/${m.metadata.name}`);
  expect(new Set(keys).size).toEqual(keys.length);
  for (const stack of stacks) {
    expect(nameProblem('Secret', stack.secret.name)).toBeUndefined();
  }
  for (const m of manifests) {
    const instance = m.metadata.labels?.['app.kubernetes.io/instance'];
    if (instance !== undefined) {
      expect(instance).toMatch(/^([A-Za-z0-9][-A-Za-z0-9_.]{0,61}[A-Za-z0-9]|[A-Za-z0-9])$/);
    }
  }
  return manifests;
}

describe('generated names', () => {
  test.each([
    ['a chart id of 30 characters', 'a'.repeat(30), ''],
    ['a chart id of 63 characters and long construct ids', 'shop-'.repeat(12) + 'abc', 'VeryLongConstructIdentifierOfAnApplicationComponent'],
    ['ids with underscores, dots and a leading digit', '1st_shop.v2', '_My_App.'],
  ])('every generated name fits its kind: %s', (_, chartId, id) => {
    // GIVEN
    const app = Testing.app();
    const chart = new Chart(app, chartId, { namespace: 'shop' });

    // WHEN
    const stacks = everyPattern(chart, id);

    // THEN
    expectNamesFit(app, stacks);
  });

  test('names that fit keep the names cdk8s generates', () => {
    // GIVEN
    const app = Testing.app();
    const chart = new Chart(app, 'shop');

    // WHEN
    const db = new ExposedStatefulSet(chart, 'Db', { container: { image: 'postgres', portNumber: 5432 } });
    const blog = new WordPressStack(chart, 'blog');

    // THEN
    for (const resource of [db.statefulSet, db.headlessService, blog.wordpress, blog.mysqlService!, blog.credentialsGenerator!]) {
      expect(resource.name).toEqual(Names.toDnsLabel(ApiObject.of(resource)));
    }
    expect(db.statefulSet.name).toMatch(/^shop-db-statefulset-c8[0-9a-f]{6}$/);
    expect(blog.secret.name).toEqual('shop-blog-credentials');
  });

  test('long ids that end alike do not share a name', () => {
    // GIVEN
    const app = Testing.app();
    const chart = new Chart(app, 'c'.repeat(40));
    const tail = 'x'.repeat(50);

    // WHEN
    const a = new WordPressStack(chart, `a${tail}`, { generateSecret: false, serviceType: ServiceKind.CLUSTER_IP });
    const b = new WordPressStack(chart, `b${tail}`, { generateSecret: false, serviceType: ServiceKind.CLUSTER_IP });
    const dbA = new ExposedStatefulSet(chart, `a${tail}Db`, { container: { image: 'postgres', portNumber: 5432 } });
    const dbB = new ExposedStatefulSet(chart, `b${tail}Db`, { container: { image: 'postgres', portNumber: 5432 } });

    // THEN
    expect(a.secret.name).not.toEqual(b.secret.name);
    expect(dbA.statefulSet.name).not.toEqual(dbB.statefulSet.name);
    expect(expectNamesFit(app, [a, b]).length).toBeGreaterThan(0);
  });

  test('generated names are the same on every synth', () => {
    const build = () => {
      const app = Testing.app();
      everyPattern(new Chart(app, 'z'.repeat(45)), 'LongId'.repeat(8));
      return JSON.stringify(synthApp(app));
    };
    expect(build()).toEqual(build());
  });

  test('a chart that names its own objects keeps its names', () => {
    // GIVEN
    class Named extends Chart {
      public generateObjectName(apiObject: ApiObject): string {
        return `x-${apiObject.node.path.split('/').slice(-2, -1)[0].toLowerCase()}`;
      }
    }
    const chart = new Named(Testing.app(), 'shop');

    // WHEN
    const db = new ExposedStatefulSet(chart, 'Db', { container: { image: 'postgres', portNumber: 5432 } });

    // THEN
    expect(db.statefulSet.name).toEqual('x-statefulset');
    expect(db.headlessService.name).toEqual('x-headless');
  });

  test('every Service and StatefulSet name fits, over many chart and construct ids', () => {
    // GIVEN ids of every length up to 70, from an alphabet with the characters that matter
    const alphabet = 'ab1-_.Z9default';
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    const randomId = () => Array.from({ length: 1 + (next() % 70) }, () => alphabet[next() % alphabet.length]).join('');
    const problems: string[] = [];

    // WHEN
    for (let i = 0; i < 300; i++) {
      const chart = new Chart(Testing.app(), randomId(), { disableResourceNameHashes: i % 5 === 0 });
      const service = new ClusterIPService(chart, randomId(), { ports: [{ port: 80 }] });
      const db = new ExposedStatefulSet(chart, `${randomId()}x`, { container: { image: 'postgres', portNumber: 5432 } });
      problems.push(...[nameProblem('Service', service.name), nameProblem('StatefulSet', db.statefulSet.name), nameProblem('Service', db.headlessService.name)]
        .filter((problem): problem is string => problem !== undefined)
        .map(problem => `${chart.node.id}: ${problem}`));
    }

    // THEN
    expect(problems).toEqual([]);
  });

  test('every HTTPRoute and ReferenceGrant name fits, over many chart and construct ids', () => {
    // GIVEN ids from an alphabet with the characters that matter, a route of each kind per chart,
    // and a backend in another chart's namespace (a ReferenceGrant there)
    const alphabet = 'ab1-_.Z9default';
    let seed = 11;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    const randomId = () => Array.from({ length: 1 + (next() % 70) }, () => alphabet[next() % alphabet.length]).join('');
    const parentRefs = [{ name: 'edge', namespace: 'infra' }];
    const problems: string[] = [];

    // WHEN
    for (let i = 0; i < 100; i++) {
      const app = Testing.app();
      const chart = new Chart(app, randomId(), { namespace: 'shop', disableResourceNameHashes: i % 5 === 0 });
      const data = new Chart(app, randomId(), { namespace: 'data' });
      const web = new ExposedDeployment(chart, `${randomId()}x`, { container: { image: 'app', portNumber: 8080 }, route: { parentRefs } });
      const db = new ExposedStatefulSet(chart, `${randomId()}x`, { container: { image: 'postgres', portNumber: 5432 }, route: { parentRefs } });
      const remote = new ClusterIPService(data, randomId(), { ports: [{ port: 80 }] });
      const own = new HttpRoute(chart, randomId(), { parentRefs, rules: [{ backends: [{ service: remote }] }] });
      const objects = [web.route!, db.route!, own, ...own.referenceGrants];
      problems.push(...objects.map(o => nameProblem(o.kind, o.name)).filter((problem): problem is string => problem !== undefined)
        .map(problem => `${chart.node.id}: ${problem}`));
    }

    // THEN
    expect(problems).toEqual([]);
  });

  test('a route with an id cdk8s writes into its name as is, such as r_1, gets a valid name', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'my_app');

    // WHEN
    const web = new ExposedDeployment(chart, 'Web', { container: { image: 'app', portNumber: 8080 }, route: { parentRefs: [{ name: 'edge' }] } });
    const own = new HttpRoute(chart, 'r_1', { parentRefs: [{ name: 'edge' }], rules: [{ backends: [{ service: web.service }] }] });

    // THEN
    expect(web.route!.name).toMatch(/^my-app-web-route-[0-9a-f]{8}$/);
    expect(own.name).toMatch(/^my-app-r-1-[0-9a-f]{8}$/);
  });

  test('fittedName keeps the end of the path and adds a hash', () => {
    expect(fittedName(`${'a'.repeat(60)}/Db/StatefulSet`, 52)).toMatch(/^a+-db-statefulset-[0-9a-f]{8}$/);
    expect(fittedName(`${'a'.repeat(60)}/Db/StatefulSet`, 52)).toHaveLength(52);
    expect(fittedName('1/2/3', 63)).toMatch(/^object-[0-9a-f]{8}$/);
    expect(fittedName('9lives/Db', 63)).toMatch(/^lives-db-[0-9a-f]{8}$/);
  });
});
