import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ClusterIPService, ExposedDeployment, NodePortService, ServiceExposure, ServiceKind, ServiceWiringCheck, Severity } from 'cdk8s-service-patterns';
import { restrictedPodViolations } from '../pod-security';
import { expectSchemaValid, findOne, newChart, synth, validate } from '../util';

const RECOMMENDED = ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/component'];

describe('ExposedDeployment', () => {
  test('defaults', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const web = new ExposedDeployment(chart, 'Web', { container: { image: 'nginx:1.27', portNumber: 8080 } });

    // THEN
    const manifests = synth(chart);
    expect(web.services).toHaveLength(1);
    expect(web.service).toBeInstanceOf(ClusterIPService);
    const deployment = findOne(manifests, 'Deployment');
    const service = findOne(manifests, 'Service', web.service.name);
    expect(service.spec.ports).toEqual([{ port: 8080, targetPort: 8080 }]);
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(deployment.spec.template.metadata.labels).toMatchObject(service.spec.selector);
    expect(deployment.metadata.labels).toEqual({
      'app.kubernetes.io/name': 'web',
      'app.kubernetes.io/instance': expect.stringMatching(/^test-web-/),
      'app.kubernetes.io/component': 'server',
    });
    for (const object of manifests) {
      expect(Object.keys(object.metadata.labels)).toEqual(expect.arrayContaining(RECOMMENDED));
    }
    expect(Object.keys(deployment.spec.template.metadata.labels)).toEqual(expect.arrayContaining(RECOMMENDED));
    expect(manifests).toMatchSnapshot();
  });

  test('admitted under Pod Security "restricted" by default, with the container\'s own security context', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const web = new ExposedDeployment(chart, 'Web', {
      container: { image: 'nginx:1.27', portNumber: 8080, securityContext: { user: 101, group: 101, readOnlyRootFilesystem: false } },
    });

    // THEN
    const deployment = findOne(synth(chart), 'Deployment', web.deployment.name);
    expect(restrictedPodViolations([deployment])).toEqual([]);
    expect(deployment.spec.template.spec.securityContext).toEqual({ fsGroupChangePolicy: 'Always', runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(deployment.spec.template.spec.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: false,
      runAsGroup: 101,
      runAsNonRoot: true,
      runAsUser: 101,
    });
  });

  test('what the container\'s security context sets wins, out of "restricted" too', () => {
    // GIVEN
    const chart = newChart();

    // WHEN: root allowed, privilege escalation allowed, capabilities in cdk8s-plus' own form
    const web = new ExposedDeployment(chart, 'Web', {
      container: {
        image: 'nginx:1.27',
        portNumber: 80,
        securityContext: { ensureNonRoot: false, allowPrivilegeEscalation: true, capabilities: { add: [kplus.Capability.NET_BIND_SERVICE] } },
      },
    });

    // THEN: as given (the shared synth helper would refuse it: synthesized here directly)
    validate(chart.node.root);
    const manifests = Testing.synth(chart);
    expectSchemaValid(manifests);
    const deployment = findOne(manifests, 'Deployment', web.deployment.name);
    expect(deployment.spec.template.spec.containers[0].securityContext).toMatchObject({
      runAsNonRoot: false,
      allowPrivilegeEscalation: true,
      capabilities: { add: ['CAP_NET_BIND_SERVICE'] },
    });
    expect(restrictedPodViolations([deployment]).map(v => v.split(': ')[1])).toEqual([
      'capabilities_baseline', 'allowPrivilegeEscalation', 'runAsNonRoot', 'capabilities_restricted',
    ]);
    // AND the shared synth helper refuses it, as it refuses any pattern pod out of "restricted"
    expect(() => synth(chart)).toThrow(/pods the library creates violate Pod Security "restricted"/);
  });

  test('a ClusterIP and a NodePort Service from shorthand, one prop', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const web = new ExposedDeployment(chart, 'Web', {
      container: { image: 'nginx', portNumber: 8080 },
      replicas: 3,
      services: [ServiceExposure.shorthand(['80:8080']), ServiceExposure.shorthand(['!30080:80:8080'])],
    });

    // THEN
    expect(web.services.map(s => s.serviceKind)).toEqual([ServiceKind.CLUSTER_IP, ServiceKind.NODE_PORT]);
    expect(web.services[1]).toBeInstanceOf(NodePortService);
    expect(web.services.map(s => s.node.id)).toEqual(['ClusterIP', 'NodePort']);
    const manifests = synth(chart);
    const deployment = findOne(manifests, 'Deployment');
    expect(deployment.spec.replicas).toEqual(3);
    const nodePort = findOne(manifests, 'Service', web.services[1].name);
    expect(nodePort.spec.type).toEqual('NodePort');
    expect(nodePort.spec.ports).toEqual([{ name: '80-8080', port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP' }]);
    expect(nodePort.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(findOne(manifests, 'Service', web.services[0].name).spec.type).toEqual('ClusterIP');
  });

  test('typed exposures with named container ports and a fixed name', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const api = new ExposedDeployment(chart, 'Api', {
      container: {
        image: 'api:1.0',
        ports: [{ number: 8080, name: 'http' }, { number: 9090, name: 'metrics' }],
        envVariables: { MODE: kplus.EnvValue.fromValue('prod') },
      },
      appName: 'shop-api',
      component: 'backend',
      services: [
        ServiceExposure.of({ metadata: { name: 'api' } }),
        ServiceExposure.of({ serviceType: ServiceKind.LOAD_BALANCER, ports: [{ port: 443, targetPortName: 'http' }] }),
        ServiceExposure.of({ serviceType: ServiceKind.LOAD_BALANCER, ports: [{ port: 9090, targetPortName: 'metrics' }] }),
      ],
    });

    // THEN
    expect(api.services.map(s => s.node.id)).toEqual(['ClusterIP', 'LoadBalancer', 'LoadBalancer2']);
    const manifests = synth(chart);
    const service = findOne(manifests, 'Service', 'api');
    expect(service.spec.ports).toEqual([
      { name: 'http', port: 8080, targetPort: 'http' },
      { name: 'metrics', port: 9090, targetPort: 'metrics' },
    ]);
    expect(service.metadata.labels['app.kubernetes.io/name']).toEqual('shop-api');
    expect(service.metadata.labels['app.kubernetes.io/component']).toEqual('backend');
    expect(findOne(manifests, 'Deployment').spec.template.spec.containers[0].env).toEqual([{ name: 'MODE', value: 'prod' }]);
  });

  test('env wiring follows a renamed Service', () => {
    // GIVEN
    const chart = newChart();
    const db = new ExposedDeployment(chart, 'Db', {
      container: { image: 'mysql:8.0', portNumber: 3306 },
      services: [ServiceExposure.of({ metadata: { name: 'mysql-renamed' } })],
    });
    const app = new ExposedDeployment(chart, 'App', { container: { image: 'wordpress', portNumber: 80 } });

    // WHEN
    db.service.bindEnv(app.deployment.containers[0], 'WORDPRESS_DB_HOST');

    // THEN
    const deployment = findOne(synth(chart), 'Deployment', app.deployment.name);
    expect(deployment.spec.template.spec.containers[0].env).toEqual([
      { name: 'WORDPRESS_DB_HOST', value: 'mysql-renamed' },
    ]);
  });

  test('fails when an exposure has no ports and the container declares none', () => {
    const chart = newChart();
    expect(() => new ExposedDeployment(chart, 'Web', { container: { image: 'nginx' } }))
      .toThrow("ExposedDeployment 'test/Web': Service 'ClusterIP' has no ports and the container declares none");
  });

  test('fails when services is empty', () => {
    const chart = newChart();
    expect(() => new ExposedDeployment(chart, 'Web', { container: { image: 'nginx', portNumber: 80 }, services: [] }))
      .toThrow(/services is empty; give at least one ServiceExposure/);
  });

  test('fails when exposed through ExternalName', () => {
    const chart = newChart();
    expect(() => new ExposedDeployment(chart, 'Web', {
      container: { image: 'nginx', portNumber: 80 },
      services: [ServiceExposure.shorthand(['@db.example.com'])],
    })).toThrow(/Service 'ExternalName' is an ExternalName Service, which cannot select pods/);
  });

  test('fails when the shorthand is malformed, naming the pattern and the exposure', () => {
    const chart = newChart();
    expect(() => new ExposedDeployment(chart, 'Web', {
      container: { image: 'nginx', portNumber: 80 },
      services: [ServiceExposure.of(), ServiceExposure.shorthand(['80:eighty!'])],
    })).toThrow("ExposedDeployment 'test/Web': services[1]: entry '80:eighty!' has targetPort 'eighty!'");
  });

  test('warns at synth when a targetPort is not a container port (the severity the lint gives)', () => {
    // GIVEN
    const chart = newChart();
    const web = new ExposedDeployment(chart, 'Web', {
      container: { image: 'nginx', portNumber: 80 },
      services: [ServiceExposure.shorthand(['80:8080'])],
    });
    // WHEN
    synth(chart);
    // THEN
    const findings = ServiceWiringCheck.of(chart).findings;
    expect(findings.map(f => [f.rule, f.severity])).toEqual([['numeric-target-port-undeclared', Severity.WARNING]]);
    expect(findings[0].message).toMatch(new RegExp(`Service 'default/${web.service.name}' \\(test/Web/ClusterIP\\) port 80 targets port 8080/TCP, which no container of Deployment 'default/${web.deployment.name}' \\(test/Web/Deployment\\) declares`));
  });

  test('fails when appName is not a label value', () => {
    const chart = newChart();
    expect(() => new ExposedDeployment(chart, 'Web', { container: { image: 'nginx', portNumber: 80 }, appName: 'Web App' }))
      .toThrow("ExposedDeployment 'test/Web': appName 'Web App' is not a valid label value here");
  });

  test('its Services follow the Deployment into its namespace', () => {
    const chart = newChart();
    const web = new ExposedDeployment(chart, 'Web', {
      container: { image: 'nginx', portNumber: 8080 },
      metadata: { namespace: 'shop' },
      services: [ServiceExposure.of(), ServiceExposure.shorthand(['!80:8080'], { metadata: { namespace: 'shop' } })],
    });
    const manifests = synth(chart);
    expect(web.services.map(s => findOne(manifests, 'Service', s.name).metadata.namespace)).toEqual(['shop', 'shop']);
    expect(web.service.hostName()).toEqual(`${web.service.name}.shop.svc.cluster.local`);
  });

  test('one port number for TCP and UDP gets two port names', () => {
    const chart = newChart();
    const dns = new ExposedDeployment(chart, 'Dns', {
      container: { image: 'coredns/coredns:1.11.1', ports: [{ number: 53, protocol: kplus.Protocol.UDP }, { number: 53 }] },
    });
    expect(findOne(synth(chart), 'Service', dns.service.name).spec.ports).toEqual([
      { name: 'port-53-udp', port: 53, targetPort: 53, protocol: 'UDP' },
      { name: 'port-53', port: 53, targetPort: 53 },
    ]);
  });

  test('fails when the construct id gives no app name', () => {
    const chart = newChart();
    expect(() => new ExposedDeployment(chart, '__', { container: { image: 'nginx', portNumber: 80 } }))
      .toThrow("ExposedDeployment 'test/__': the construct id '__' gives no app.kubernetes.io/name label (it has no letters or digits); pass appName");
  });

  test('fails when a container port name cannot be a targetPort, naming the container port', () => {
    const chart = newChart();
    expect(() => new ExposedDeployment(chart, 'Web', { container: { image: 'nginx', ports: [{ number: 8080, name: 'HTTP' }] } }))
      .toThrow("ExposedDeployment 'test/Web': container port 8080 has name 'HTTP', which is not a valid port name; use 1-15 characters of [a-z0-9-]");
  });
});

// The identity of an exposure: what keeps a Service's name when the list of exposures changes.
describe('ExposedDeployment exposure ids', () => {
  const container = { image: 'nginx', portNumber: 8080 };
  /** The generated Service names of `exposures` on a fresh chart, by exposure id (or position). */
  function serviceNames(exposures: ServiceExposure[]): Record<string, string> {
    const chart = newChart();
    const web = new ExposedDeployment(chart, 'Web', { container, services: exposures });
    synth(chart);
    return Object.fromEntries(web.services.map((service, i) => [exposures[i].id ?? `#${i}`, service.name]));
  }

  test('an id names the Service, whatever is added, removed, reordered or re-kinded around it', () => {
    // GIVEN two NodePort Services with ids
    const admin = () => ServiceExposure.shorthand(['!30081:81:8080'], { id: 'admin' });
    const before = serviceNames([admin(), ServiceExposure.shorthand(['!30080:80:8080'], { id: 'public' })]);
    expect(before.public).toMatch(/^test-web-public-c8[0-9a-f]{6}$/);

    // WHEN the first is removed, one is inserted in front, the list reordered, or the kind changed
    const removed = serviceNames([ServiceExposure.shorthand(['!30080:80:8080'], { id: 'public' })]);
    const inserted = serviceNames([
      ServiceExposure.shorthand(['!30082:82:8080'], { id: 'metrics' }),
      admin(),
      ServiceExposure.shorthand(['!30080:80:8080'], { id: 'public' }),
    ]);
    const reordered = serviceNames([ServiceExposure.shorthand(['!30080:80:8080'], { id: 'public' }), admin()]);
    const rekinded = serviceNames([admin(), ServiceExposure.shorthand(['^30080:80:8080'], { id: 'public' })]);

    // THEN each Service keeps its name
    for (const after of [removed, inserted, reordered, rekinded]) {
      expect(after.public).toEqual(before.public);
    }
    for (const after of [inserted, reordered, rekinded]) {
      expect(after.admin).toEqual(before.admin);
    }
  });

  test('without ids the names are what they were: kind and position', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const web = new ExposedDeployment(chart, 'Web', {
      container,
      services: [ServiceExposure.shorthand(['!30081:81:8080']), ServiceExposure.shorthand(['!30080:80:8080']), ServiceExposure.of()],
    });

    // THEN
    expect(web.services.map(s => s.node.id)).toEqual(['NodePort', 'NodePort2', 'ClusterIP']);
  });

  test('the id its position gave keeps a Service\'s name when the exposure in front of it goes', () => {
    // GIVEN two NodePort exposures without ids
    const before = serviceNames([ServiceExposure.shorthand(['!30081:81:8080']), ServiceExposure.shorthand(['!30080:80:8080'])]);

    // WHEN the first goes, and the second is pinned to the id it had
    const after = serviceNames([ServiceExposure.shorthand(['!30080:80:8080'], { id: 'NodePort2' })]);

    // THEN
    expect(after.NodePort2).toEqual(before['#1']);
  });

  test('exposures with and without ids: only those without are numbered', () => {
    const chart = newChart();
    const web = new ExposedDeployment(chart, 'Web', {
      container,
      services: [
        ServiceExposure.of({ serviceType: ServiceKind.NODE_PORT, id: 'public' }),
        ServiceExposure.of({ serviceType: ServiceKind.NODE_PORT }),
        ServiceExposure.of({ serviceType: ServiceKind.NODE_PORT }),
      ],
    });
    expect(web.services.map(s => s.node.id)).toEqual(['public', 'NodePort', 'NodePort2']);
  });

  test('fails when an id is one another exposure gets from its position', () => {
    const chart = newChart();
    expect(() => new ExposedDeployment(chart, 'Web', {
      container,
      services: [ServiceExposure.shorthand(['!30081:81:8080']), ServiceExposure.shorthand(['!30080:80:8080'], { id: 'NodePort' })],
    })).toThrow("ExposedDeployment 'test/Web': services[1] has id 'NodePort', which services[0] (no id) gets from its kind and position; give services[0] an id too, or pick another");
  });

  test('fails when two exposures have one id', () => {
    const chart = newChart();
    expect(() => new ExposedDeployment(chart, 'Web', {
      container,
      services: [ServiceExposure.of({ id: 'web' }), ServiceExposure.shorthand(['!30080:80:8080'], { id: 'web' })],
    })).toThrow("ExposedDeployment 'test/Web': services[0] and services[1] both have id 'web'; give each exposure its own id");
  });

  test('fails when an id is the Deployment\'s', () => {
    const chart = newChart();
    expect(() => new ExposedDeployment(chart, 'Web', { container, services: [ServiceExposure.of({ id: 'Deployment' })] }))
      .toThrow("ExposedDeployment 'test/Web': services[0] has id 'Deployment', which the pattern's own Deployment already has; pick another id");
  });

  test('fails when an id is not a construct id', () => {
    const chart = newChart();
    expect(() => new ExposedDeployment(chart, 'Web', { container, services: [ServiceExposure.of({ id: 'a/b' })] }))
      .toThrow("ExposedDeployment 'test/Web': services[0] has id 'a/b'; an id is a non-empty construct id without '/'");
    expect(() => new ExposedDeployment(newChart(), 'Web', { container, services: [ServiceExposure.of({ id: '' })] }))
      .toThrow("services[0] has id ''; an id is a non-empty construct id");
  });
});

describe('ExposedDeployment on a cluster with another node port range', () => {
  test('shorthand and typed exposures take the range', () => {
    const chart = newChart();
    const range = { min: 20000, max: 20999 };
    const web = new ExposedDeployment(chart, 'Web', {
      container: { image: 'nginx', portNumber: 8080 },
      services: [
        ServiceExposure.shorthand(['!20080:80:8080'], { nodePortRange: range }),
        ServiceExposure.of({ serviceType: ServiceKind.NODE_PORT, ports: [{ port: 81, targetPort: 8080, nodePort: 20081 }], nodePortRange: range }),
      ],
    });
    const manifests = synth(chart);
    expect(web.services.map(s => findOne(manifests, 'Service', s.name).spec.ports[0].nodePort)).toEqual([20080, 20081]);
    expect(() => ServiceExposure.shorthand(['!30080:80:8080'], { nodePortRange: range }).serviceType).toThrow(/outside 20000-20999/);
  });
});
