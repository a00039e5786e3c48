import * as kplus from 'cdk8s-plus-27';
import { ExposedStatefulSet, HeadlessService, ServiceExposure, ServiceKind } from 'cdk8s-service-patterns';
import { restrictedPodViolations } from '../pod-security';
import { findOne, newChart, synth } from '../util';

describe('ExposedStatefulSet', () => {
  test('defaults', () => {
    // GIVEN
    const chart = newChart({ namespace: 'data' });

    // WHEN
    const db = new ExposedStatefulSet(chart, 'Db', { container: { image: 'postgres:16', portNumber: 5432 } });

    // THEN
    const manifests = synth(chart);
    const sts = findOne(manifests, 'StatefulSet');
    const headless = findOne(manifests, 'Service', db.headlessService.name);
    expect(sts.spec.serviceName).toEqual(headless.metadata.name);
    expect(headless.spec).toEqual({
      type: 'ClusterIP',
      clusterIP: 'None',
      selector: sts.spec.selector.matchLabels,
      ports: [{ port: 5432, targetPort: 5432 }],
    });
    expect(sts.spec.template.metadata.labels).toMatchObject(headless.spec.selector);
    expect(sts.metadata.labels['app.kubernetes.io/component']).toEqual('database');
    expect(db.podDnsName(0)).toEqual(`${sts.metadata.name}-0.${headless.metadata.name}.data.svc.cluster.local`);
    expect(db.podDnsName(2, { clusterDomain: 'k8s.local' })).toEqual(`${sts.metadata.name}-2.${headless.metadata.name}.data.svc.k8s.local`);
    expect(manifests).toMatchSnapshot();
  });

  test('admitted under Pod Security "restricted" by default', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const db = new ExposedStatefulSet(chart, 'Db', { container: { image: 'redis:7.2', portNumber: 6379, securityContext: { user: 999, group: 999 } } });
    db.statefulSet.addInitContainer({ name: 'init', image: 'redis:7.2', command: ['true'], securityContext: { user: 999, group: 999 } });

    // THEN
    const sts = findOne(synth(chart), 'StatefulSet', db.statefulSet.name);
    expect(restrictedPodViolations([sts])).toEqual([]);
    expect(sts.spec.template.spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(sts.spec.template.spec.containers[0].securityContext.capabilities).toEqual({ drop: ['ALL'] });
    expect(sts.spec.template.spec.initContainers[0].securityContext.capabilities).toEqual({ drop: ['ALL'] });
  });

  test('a given headless Service, publishNotReadyAddresses and extra Services', () => {
    // GIVEN
    const chart = newChart();
    const headless = new HeadlessService(chart, 'Peers', { metadata: { name: 'kafka-peers' }, ports: [{ port: 9092, name: 'broker' }] });

    // WHEN
    const kafka = new ExposedStatefulSet(chart, 'Kafka', {
      container: { image: 'kafka:3.7', ports: [{ number: 9092, name: 'broker' }] },
      replicas: 3,
      headlessService: headless,
      services: [ServiceExposure.shorthand(['9092:broker'], { metadata: { name: 'kafka' } })],
    });

    // THEN
    const manifests = synth(chart);
    const sts = findOne(manifests, 'StatefulSet');
    expect(sts.spec.serviceName).toEqual('kafka-peers');
    expect(sts.spec.replicas).toEqual(3);
    expect(findOne(manifests, 'Service', 'kafka-peers').spec.selector).toEqual(sts.spec.selector.matchLabels);
    expect(findOne(manifests, 'Service', 'kafka').spec.ports).toEqual([{ name: '9092-broker', port: 9092, targetPort: 'broker', protocol: 'TCP' }]);
    expect(kafka.podDnsName(1)).toEqual(`${sts.metadata.name}-1.kafka-peers.default.svc.cluster.local`);
  });

  test('publishNotReadyAddresses on the created headless Service', () => {
    const chart = newChart();
    const db = new ExposedStatefulSet(chart, 'Db', { container: { image: 'postgres', portNumber: 5432 }, publishNotReadyAddresses: true });
    expect(findOne(synth(chart), 'Service', db.headlessService.name).spec.publishNotReadyAddresses).toEqual(true);
  });

  test('fails when the headless Service is in another namespace', () => {
    const chart = newChart();
    const headless = new HeadlessService(chart, 'Peers', { metadata: { namespace: 'other' } });
    expect(() => new ExposedStatefulSet(chart, 'Db', { container: { image: 'postgres', portNumber: 5432 }, headlessService: headless }))
      .toThrow("ExposedStatefulSet 'test/Db': headlessService is in namespace 'other', but the StatefulSet is in 'default'");
  });

  test('fails when the ordinal is not a pod ordinal', () => {
    const chart = newChart();
    const db = new ExposedStatefulSet(chart, 'Db', { container: { image: 'postgres', portNumber: 5432 } });
    expect(() => db.podDnsName(-1)).toThrow(/podDnsName\(-1\) needs a pod ordinal, an integer from 0/);
  });

  test('the headless Service follows the StatefulSet into its namespace', () => {
    const chart = newChart();
    const db = new ExposedStatefulSet(chart, 'Db', { container: { image: 'postgres', portNumber: 5432 }, metadata: { namespace: 'data' } });
    const manifests = synth(chart);
    expect(findOne(manifests, 'Service', db.headlessService.name).metadata.namespace).toEqual('data');
    expect(findOne(manifests, 'StatefulSet').metadata.namespace).toEqual('data');
    expect(db.podDnsName(0)).toEqual(`${db.statefulSet.name}-0.${db.headlessService.name}.data.svc.cluster.local`);
  });

  test('fails when publishNotReadyAddresses comes with a headlessService', () => {
    const chart = newChart();
    const headless = new HeadlessService(chart, 'Peers');
    expect(() => new ExposedStatefulSet(chart, 'Db', { container: { image: 'postgres', portNumber: 5432 }, headlessService: headless, publishNotReadyAddresses: true }))
      .toThrow("ExposedStatefulSet 'test/Db': publishNotReadyAddresses applies to the headless Service this construct creates, but headlessService is given");
  });

  test('fails when the StatefulSet name is too long for its pods', () => {
    const chart = newChart();
    const name = 'a'.repeat(53);
    expect(() => new ExposedStatefulSet(chart, 'Db', { container: { image: 'postgres', portNumber: 5432 }, metadata: { name } }))
      .toThrow(`ExposedStatefulSet 'test/Db': StatefulSet name '${name}' has 53 characters; Kubernetes creates no pods for a StatefulSet name over 52`);
  });

  test('fails when the StatefulSet name is not a DNS-1123 label (its pods are named <name>-<ordinal>)', () => {
    const chart = newChart();
    expect(() => new ExposedStatefulSet(chart, 'Db', { container: { image: 'postgres', portNumber: 5432 }, metadata: { name: 'db.primary' } }))
      .toThrow("ExposedStatefulSet 'test/Db': StatefulSet name 'db.primary' is not a DNS-1123 label; Kubernetes creates no pods for it");
  });

  test('headless exposures are numbered past the governing Headless', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const db = new ExposedStatefulSet(chart, 'Db', {
      container: { image: 'postgres', portNumber: 5432 },
      services: [ServiceExposure.shorthand(['#5432']), ServiceExposure.of(), ServiceExposure.of({ serviceType: ServiceKind.HEADLESS })],
    });

    // THEN
    expect(db.node.children.map(child => child.node.id)).toEqual(['Headless', 'StatefulSet', 'Headless2', 'ClusterIP', 'Headless3']);
    const manifests = synth(chart);
    const selector = findOne(manifests, 'StatefulSet').spec.selector.matchLabels;
    for (const service of [db.headlessService, ...db.services]) {
      expect(findOne(manifests, 'Service', service.name).spec.selector).toEqual(selector);
    }
    expect(findOne(manifests, 'StatefulSet').spec.serviceName).toEqual(db.headlessService.name);
  });

  test('an exposure id names its Service; the governing Headless keeps its id', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const db = new ExposedStatefulSet(chart, 'Db', {
      container: { image: 'postgres', portNumber: 5432 },
      services: [ServiceExposure.of({ id: 'clients' }), ServiceExposure.shorthand(['#5432'], { id: 'peers' })],
    });

    // THEN
    expect(db.node.children.map(child => child.node.id)).toEqual(['Headless', 'StatefulSet', 'clients', 'peers']);
    expect(db.services[0].name).toMatch(/^test-db-clients-c8[0-9a-f]{6}$/);
  });

  test('fails when an exposure id is the governing Headless\'s', () => {
    const chart = newChart();
    expect(() => new ExposedStatefulSet(chart, 'Db', {
      container: { image: 'postgres', portNumber: 5432 },
      services: [ServiceExposure.shorthand(['#5432'], { id: 'Headless' })],
    })).toThrow("ExposedStatefulSet 'test/Db': services[0] has id 'Headless', which the pattern's own Headless already has; pick another id");
  });

  test('with a given headless Service, a headless exposure is Headless', () => {
    const chart = newChart();
    const peers = new HeadlessService(chart, 'Peers');
    const db = new ExposedStatefulSet(chart, 'Db', {
      container: { image: 'postgres', portNumber: 5432 },
      headlessService: peers,
      services: [ServiceExposure.shorthand(['#5432'])],
    });
    expect(db.services[0].node.id).toEqual('Headless');
    expect(findOne(synth(chart), 'StatefulSet').spec.serviceName).toEqual(peers.name);
  });

  test('fails when the given headless Service already selects pods', () => {
    // GIVEN
    const chart = newChart();
    const other = new kplus.Deployment(chart, 'Other', { containers: [{ image: 'nginx', portNumber: 80 }] });
    const byWorkload = new HeadlessService(chart, 'ByWorkload', { selector: other });
    const byLabel = new HeadlessService(chart, 'ByLabel');
    byLabel.selectLabel('app', 'db');

    // WHEN / THEN: the StatefulSet's own selection would replace the first, or AND with the second
    expect(() => new ExposedStatefulSet(chart, 'Db', { container: { image: 'postgres', portNumber: 5432 }, headlessService: byWorkload }))
      .toThrow(/^ExposedStatefulSet 'test\/Db': headlessService 'test\/ByWorkload' already selects cdk8s.io\/metadata.addr=test-Other-c8\w+; the StatefulSet makes its headless Service select the StatefulSet's pods/);
    expect(() => new ExposedStatefulSet(chart, 'Db2', { container: { image: 'postgres', portNumber: 5432 }, headlessService: byLabel }))
      .toThrow("ExposedStatefulSet 'test/Db2': headlessService 'test/ByLabel' already selects app=db; the StatefulSet makes its headless Service select the StatefulSet's pods, and a Service selects only the pods that carry every label of its selector, so pass a HeadlessService without a selector");
  });

  test('fails when a container port name cannot be a targetPort', () => {
    const chart = newChart();
    expect(() => new ExposedStatefulSet(chart, 'Db', { container: { image: 'postgres', ports: [{ number: 5432, name: 'Postgres_Port' }] } }))
      .toThrow("ExposedStatefulSet 'test/Db': container port 5432 has name 'Postgres_Port', which is not a valid port name");
  });
});
