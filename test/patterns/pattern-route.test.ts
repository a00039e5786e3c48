import * as kplus from 'cdk8s-plus-27';
import {
  ClusterIPService, ExposedDeployment, ExposedStatefulSet, HeadlessService, NodePortService, ServiceExposure, ServiceKind, ServiceWiringCheck,
} from 'cdk8s-service-patterns';
import { addGateway, EDGE, findOne, newChart, synth } from '../util';

// The `route` prop of ExposedDeployment and ExposedStatefulSet. Every route goes through `synth`
// (test/util.ts), which checks it against the HTTPRoute CRD's schema and CEL rules; each chart has
// the Gateway, so the synth-time check also decides whether the Gateway admits the route.

const RECOMMENDED = ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/component'];



/** A container listening on 8080 (http) and on 9090 (metrics). */
const TWO_PORTS: kplus.ContainerProps = {
  image: 'nginx:1.27',
  ports: [{ number: 8080, name: 'http' }, { number: 9090, name: 'metrics' }],
};

describe('ExposedDeployment route', () => {
  test('defaults: to the Service, on its first TCP port, every path, in the Service\'s namespace', () => {
    // GIVEN
    const chart = newChart();
    addGateway(chart);

    // WHEN
    const web = new ExposedDeployment(chart, 'Web', {
      container: { image: 'nginx:1.27', portNumber: 8080 },
      route: { parentRefs: [EDGE], hostnames: ['shop.example.com'] },
    });

    // THEN
    const manifests = synth(chart);
    expect(web.route).toBeDefined();
    expect(web.route!.node.id).toEqual('Route');
    const route = findOne(manifests, 'HTTPRoute', web.route!.name);
    expect(route.apiVersion).toEqual('gateway.networking.k8s.io/v1');
    expect(route.metadata.name).toMatch(/^test-web-route-c8[0-9a-f]{6}$/);
    expect(route.metadata.namespace).toBeUndefined();
    expect(route.metadata.labels).toEqual(findOne(manifests, 'Deployment').metadata.labels);
    expect(Object.keys(route.metadata.labels)).toEqual(expect.arrayContaining(RECOMMENDED));
    expect(route.spec).toEqual({
      parentRefs: [{ name: 'edge', namespace: 'infra' }],
      hostnames: ['shop.example.com'],
      rules: [{ backendRefs: [{ name: web.service.name, port: 8080 }] }],
    });
    expect(manifests.filter(m => m.kind === 'ReferenceGrant')).toEqual([]);
    // the synth-time check: the Gateway admits the route, its backend exists, nothing to report
    expect(ServiceWiringCheck.of(chart).findings).toEqual([]);
    expect(manifests).toMatchSnapshot();
  });

  test('port, pathPrefix and metadata; the first Service with a cluster IP; the workload\'s namespace', () => {
    // GIVEN
    const chart = newChart();
    addGateway(chart);

    // WHEN
    const web = new ExposedDeployment(chart, 'Web', {
      metadata: { namespace: 'shop' },
      container: TWO_PORTS,
      services: [
        ServiceExposure.of({ serviceType: ServiceKind.HEADLESS, id: 'peers' }),
        ServiceExposure.shorthand(['!80:http', '!9090:metrics'], { id: 'public' }),
      ],
      route: {
        parentRefs: [{ ...EDGE, sectionName: 'http' }],
        port: 9090,
        pathPrefix: '/metrics',
        metadata: { name: 'web-metrics', labels: { team: 'shop' } },
      },
    });

    // THEN
    const manifests = synth(chart);
    const public_ = web.services[1];
    expect(public_).toBeInstanceOf(NodePortService);
    const route = findOne(manifests, 'HTTPRoute', 'web-metrics');
    expect(route.metadata.namespace).toEqual('shop');
    expect(route.metadata.labels).toEqual({ ...findOne(manifests, 'Deployment').metadata.labels, team: 'shop' });
    expect(route.spec).toEqual({
      parentRefs: [{ name: 'edge', namespace: 'infra', sectionName: 'http' }],
      rules: [{
        matches: [{ path: { type: 'PathPrefix', value: '/metrics' } }],
        backendRefs: [{ name: public_.name, port: 9090 }],
      }],
    });
    // the route is in the Service's namespace: no ReferenceGrant
    expect(web.route!.referenceGrants).toEqual([]);
    expect(ServiceWiringCheck.of(chart).findings).toEqual([]);
  });

  test('the first TCP port, past a UDP one', () => {
    // GIVEN
    const chart = newChart();
    addGateway(chart);

    // WHEN
    const web = new ExposedDeployment(chart, 'Web', {
      container: { image: 'nginx:1.27', ports: [{ number: 8053, name: 'dns', protocol: kplus.Protocol.UDP }, { number: 8080, name: 'http' }] },
      route: { parentRefs: [EDGE] },
    });

    // THEN
    const route = findOne(synth(chart), 'HTTPRoute', web.route!.name);
    expect(route.spec.rules).toEqual([{ backendRefs: [{ name: web.service.name, port: 8080 }] }]);
  });

  test('no route without the prop', () => {
    const chart = newChart();
    const web = new ExposedDeployment(chart, 'Web', { container: { image: 'nginx:1.27', portNumber: 8080 } });
    expect(web.route).toBeUndefined();
    expect(synth(chart).filter(m => m.kind === 'HTTPRoute')).toEqual([]);
  });

  test('fails when route.port is not a TCP port of the Service', () => {
    const chart = newChart();
    expect(() => new ExposedDeployment(chart, 'Web', { container: TWO_PORTS, route: { parentRefs: [EDGE], port: 8081 } }))
      .toThrow(/^ExposedDeployment 'test\/Web': route\.port 8081 is not a TCP port of Service 'test-web-clusterip-c8[0-9a-f]{6}' \(test\/Web\/ClusterIP\); use one of 8080 \(http\), 9090 \(metrics\)$/);
    // a UDP port is no HTTP backend either
    const udp = newChart();
    expect(() => new ExposedDeployment(udp, 'Web', {
      container: { image: 'coredns', ports: [{ number: 8053, name: 'dns', protocol: kplus.Protocol.UDP }, { number: 8080, name: 'http' }] },
      route: { parentRefs: [EDGE], port: 8053 },
    })).toThrow(/route\.port 8053 is not a TCP port of Service .*; use one of 8080 \(http\)$/);
  });

  test('fails when the Service has no TCP port', () => {
    const chart = newChart();
    expect(() => new ExposedDeployment(chart, 'Web', {
      container: { image: 'coredns', ports: [{ number: 8053, protocol: kplus.Protocol.UDP }] },
      route: { parentRefs: [EDGE] },
    })).toThrow(/^ExposedDeployment 'test\/Web': route goes to Service '.*' \(test\/Web\/ClusterIP\), which has no TCP port; HTTP needs one/);
  });

  test('fails when every Service is headless', () => {
    const chart = newChart();
    expect(() => new ExposedDeployment(chart, 'Web', {
      container: { image: 'nginx:1.27', portNumber: 8080 },
      services: [ServiceExposure.of({ serviceType: ServiceKind.HEADLESS })],
      route: { parentRefs: [EDGE] },
    })).toThrow("ExposedDeployment 'test/Web': route needs a Service with a cluster IP to send requests to, and every Service of services is headless (clusterIP: None); add a ClusterIP, NodePort or LoadBalancer exposure to services");
  });

  test('fails when route.pathPrefix is not a path an HTTPRoute takes', () => {
    const chart = newChart();
    expect(() => new ExposedDeployment(chart, 'Web', {
      container: { image: 'nginx:1.27', portNumber: 8080 },
      route: { parentRefs: [EDGE], pathPrefix: '/api//v1' },
    })).toThrow("ExposedDeployment 'test/Web': route.pathPrefix '/api//v1' contains '//'; Gateway API refuses paths that are not normalized in PathPrefix matches (use the normalized path)");
    // checked before any child exists
    expect(chart.node.tryFindChild('Web')!.node.children).toEqual([]);
  });

  test('fails when an exposure takes the route\'s id', () => {
    const chart = newChart();
    expect(() => new ExposedDeployment(chart, 'Web', {
      container: { image: 'nginx:1.27', portNumber: 8080 },
      services: [ServiceExposure.shorthand(['80:8080'], { id: 'Route' })],
      route: { parentRefs: [EDGE] },
    })).toThrow("ExposedDeployment 'test/Web': services[0] has id 'Route', which the HTTPRoute of the route prop takes; pick another id");
  });

  test('fails when the route itself is invalid, in HttpRoute\'s words with the route\'s path', () => {
    const chart = newChart();
    expect(() => new ExposedDeployment(chart, 'Web', {
      container: { image: 'nginx:1.27', portNumber: 8080 },
      route: { parentRefs: [EDGE], hostnames: ['10.0.0.1'] },
    })).toThrow("HttpRoute 'test/Web/Route': hostname '10.0.0.1' is an IP address; Gateway API hostnames are DNS names (requests are matched by their Host header)");
  });
});

describe('ExposedStatefulSet route', () => {
  test('without services: a ClusterIP Service for the route (the headless one has no cluster IP)', () => {
    // GIVEN
    const chart = newChart({ namespace: 'data' });
    addGateway(chart);

    // WHEN
    const db = new ExposedStatefulSet(chart, 'Db', {
      container: TWO_PORTS,
      route: { parentRefs: [EDGE], hostnames: ['db.example.com'] },
    });

    // THEN
    const manifests = synth(chart);
    expect(db.services).toHaveLength(1);
    expect(db.services[0]).toBeInstanceOf(ClusterIPService);
    expect(db.services[0].node.id).toEqual('ClusterIP');
    expect(db.route!.node.id).toEqual('Route');
    const route = findOne(manifests, 'HTTPRoute', db.route!.name);
    expect(route.metadata.namespace).toEqual('data');
    expect(route.metadata.labels).toEqual(findOne(manifests, 'StatefulSet').metadata.labels);
    expect(route.spec).toEqual({
      parentRefs: [{ name: 'edge', namespace: 'infra' }],
      hostnames: ['db.example.com'],
      rules: [{ backendRefs: [{ name: db.services[0].name, port: 8080 }] }],
    });
    expect(ServiceWiringCheck.of(chart).findings).toEqual([]);
    expect(manifests).toMatchSnapshot();
  });

  test('with services: to the first of them, and no other Service', () => {
    // GIVEN
    const chart = newChart();
    addGateway(chart);

    // WHEN
    const db = new ExposedStatefulSet(chart, 'Db', {
      container: TWO_PORTS,
      services: [ServiceExposure.of({ id: 'client', metadata: { name: 'db' } })],
      route: { parentRefs: [EDGE], port: 9090 },
    });

    // THEN
    const manifests = synth(chart);
    expect(manifests.filter(m => m.kind === 'Service').map(m => m.metadata.name)).toEqual([db.headlessService.name, 'db']);
    expect(findOne(manifests, 'HTTPRoute').spec.rules).toEqual([{ backendRefs: [{ name: 'db', port: 9090 }] }]);
    expect(ServiceWiringCheck.of(chart).findings).toEqual([]);
  });

  test('fails when every Service is headless', () => {
    const chart = newChart();
    const headless = new HeadlessService(chart, 'Peers', { ports: [{ port: 8080 }] });
    expect(() => new ExposedStatefulSet(chart, 'Db', {
      container: { image: 'redis:7.2', portNumber: 8080 },
      headlessService: headless,
      services: [ServiceExposure.of({ serviceType: ServiceKind.HEADLESS })],
      route: { parentRefs: [EDGE] },
    })).toThrow("ExposedStatefulSet 'test/Db': route needs a Service with a cluster IP to send requests to, and every Service of services is headless (clusterIP: None); add a ClusterIP, NodePort or LoadBalancer exposure to services");
  });

  test('fails when services is empty (the headless Service has no cluster IP)', () => {
    const chart = newChart();
    expect(() => new ExposedStatefulSet(chart, 'Db', {
      container: { image: 'redis:7.2', portNumber: 8080 },
      services: [],
      route: { parentRefs: [EDGE] },
    })).toThrow("ExposedStatefulSet 'test/Db': route needs a Service with a cluster IP to send requests to, and services is empty; add a ClusterIP, NodePort or LoadBalancer exposure to services");
  });

  test('fails when an exposure takes the route\'s id', () => {
    const chart = newChart();
    expect(() => new ExposedStatefulSet(chart, 'Db', {
      container: { image: 'redis:7.2', portNumber: 8080 },
      services: [ServiceExposure.of({ id: 'Route' })],
      route: { parentRefs: [EDGE] },
    })).toThrow("ExposedStatefulSet 'test/Db': services[0] has id 'Route', which the HTTPRoute of the route prop takes; pick another id");
  });
});
