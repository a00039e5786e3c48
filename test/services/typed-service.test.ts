import { ApiObject, Chart, Names, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ClusterIPService, NodePortService, ServiceWiringCheck } from 'cdk8s-service-patterns';
import { findOne, serviceOnlyChart, synth } from '../util';

// Rules every kind shares (DESIGN.md section 4), exercised through ClusterIPService.
describe('TypedService', () => {
  test('bind() adds a checked port and keeps kplus ports in step', () => {
    // GIVEN
    const chart = serviceOnlyChart();
    const service = new ClusterIPService(chart, 'Svc', { metadata: { name: 'svc' }, ports: [{ port: 80, name: 'http' }] });

    // WHEN
    service.bind(443, { name: 'https', targetPort: 8443 });
    service.addPort({ port: 9090, name: 'metrics', targetPortName: 'metrics' });

    // THEN
    expect(service.ports.map(p => p.port)).toEqual([80, 443, 9090]);
    expect(service.portMappings[2]).toEqual({ port: 9090, name: 'metrics', targetPortName: 'metrics' });
    expect(findOne(synth(chart), 'Service', 'svc').spec.ports).toEqual([
      { name: 'http', port: 80, targetPort: 80 },
      { name: 'https', port: 443, targetPort: 8443 },
      { name: 'metrics', port: 9090, targetPort: 'metrics' },
    ]);
  });

  test('select() and selectLabel() build one selector', () => {
    const chart = serviceOnlyChart();
    const service = new ClusterIPService(chart, 'Svc', { ports: [{ port: 80 }] });
    service.select(kplus.Pods.select(chart, 'Pods', { labels: { app: 'web' } }));
    service.selectLabel('tier', 'front');
    expect(service.selectorLabels).toEqual({ app: 'web', tier: 'front' });
    expect(findOne(synth(chart), 'Service').spec.selector).toEqual({ app: 'web', tier: 'front' });
  });

  test('select() of a workload and selectLabel() AND: the selector holds every label', () => {
    // GIVEN
    const chart = serviceOnlyChart();
    const web = new kplus.Deployment(chart, 'Web', { containers: [{ image: 'nginx', portNumber: 80 }] });
    web.podMetadata.addLabel('tier', 'front');
    const service = new ClusterIPService(chart, 'Svc', { ports: [{ port: 80 }], selector: web });

    // WHEN
    service.selectLabel('tier', 'front');
    service.select(web);

    // THEN
    const selector = findOne(synth(chart), 'Service').spec.selector;
    expect(selector).toEqual({ ...web.toPodSelectorConfig().labelSelector._toKube().matchLabels, tier: 'front' });
    expect(service.selectorLabels).toEqual(selector);
    expect(service.selectors).toEqual([web, web]);
  });

  test('fails when select() needs another value for a label already selected', () => {
    // GIVEN
    const chart = serviceOnlyChart();
    const a = new kplus.Deployment(chart, 'A', { containers: [{ image: 'nginx', portNumber: 80 }] });
    const b = new kplus.Deployment(chart, 'B', { containers: [{ image: 'nginx', portNumber: 80 }] });
    const service = new ClusterIPService(chart, 'Svc', { ports: [{ port: 80 }], selector: a });

    // WHEN / THEN: no pod carries both values, and replacing the first would drop it silently
    expect(() => service.select(b)).toThrow(
      /^ClusterIPService 'test\/Svc': select\(test\/B\) needs the label cdk8s.io\/metadata.addr=test-B-c8\w+, but the selector already has cdk8s.io\/metadata.addr=test-A-c8\w+ \(from select\(test\/A\)\); a Service routes to the pods that carry every label of its selector, so no pod could match both/,
    );
    expect(() => service.selectLabel('cdk8s.io/metadata.addr', 'other')).toThrow(/selectLabel\('cdk8s.io\/metadata.addr', 'other'\) needs the label cdk8s.io\/metadata.addr=other, but the selector already has/);
    expect(service.selectors).toEqual([a]);
    expect(findOne(synth(chart), 'Service').spec.selector).toEqual(a.toPodSelectorConfig().labelSelector._toKube().matchLabels);
  });

  test.each([
    ['a chart id that starts with a digit', '1shop', 'Db'],
    ['ids with underscores and dots', 'my_app.v1', 'Db_Primary'],
    ['long ids', 'c'.repeat(70), 'D'.repeat(70)],
  ])('a generated Service name is a valid Service name: %s', (_, chartId, id) => {
    // GIVEN
    const chart = new Chart(Testing.app(), chartId);
    ServiceWiringCheck.of(chart).disableRule('service-selects-nothing');

    // WHEN
    const service = new ClusterIPService(chart, id, { ports: [{ port: 80 }] });

    // THEN
    expect(service.name).toMatch(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/);
    expect(findOne(synth(chart), 'Service').metadata.name).toEqual(service.name);
  });

  test('a generated Service name that fits stays as cdk8s makes it', () => {
    const chart = serviceOnlyChart();
    const service = new ClusterIPService(chart, 'Db', { ports: [{ port: 80 }] });
    expect(service.name).toEqual(Names.toDnsLabel(ApiObject.of(service)));
  });

  test('output is deterministic', () => {
    const build = () => {
      const chart = serviceOnlyChart();
      const web = new kplus.Deployment(chart, 'Web', { containers: [{ image: 'nginx', portNumber: 80 }] });
      new NodePortService(chart, 'Svc', { selector: web, ports: [{ port: 80, nodePort: 30080 }] });
      return JSON.stringify(synth(chart));
    };
    expect(build()).toEqual(build());
  });

  test('fails when the Service name is not a DNS-1035 label', () => {
    const chart = serviceOnlyChart();
    expect(() => new ClusterIPService(chart, 'Svc', { metadata: { name: '1web' }, ports: [{ port: 80 }] }))
      .toThrow("ClusterIPService 'test/Svc': name '1web' is not a valid Service name; use at most 63 characters of [a-z0-9-], starting with a letter and ending with a letter or digit (DNS-1035 label)");
    expect(() => new ClusterIPService(chart, 'Svc2', { metadata: { name: 'a'.repeat(64) }, ports: [{ port: 80 }] })).toThrow(/is not a valid Service name/);
    expect(() => new ClusterIPService(chart, 'Svc3', { metadata: { name: 'web.app' }, ports: [{ port: 80 }] })).toThrow(/name 'web.app'/);
  });

  test.each([0, -1, 65536, 80.5])('fails when port is %p', port => {
    const chart = serviceOnlyChart();
    expect(() => new ClusterIPService(chart, 'Svc', { ports: [{ port }] }))
      .toThrow(`port ${port} is not a valid port number; use an integer in 1-65535`);
  });

  test.each([0, 70000])('fails when targetPort is %p', targetPort => {
    const chart = serviceOnlyChart();
    expect(() => new ClusterIPService(chart, 'Svc', { ports: [{ port: 80, targetPort }] }))
      .toThrow(`port 80 has targetPort ${targetPort}, which is not a valid port number`);
  });

  test('fails when both targetPort and targetPortName are set', () => {
    const chart = serviceOnlyChart();
    expect(() => new ClusterIPService(chart, 'Svc', { ports: [{ port: 80, targetPort: 8080, targetPortName: 'http' }] }))
      .toThrow(/sets both targetPort 8080 and targetPortName 'http'; set one of them/);
  });

  test.each(['', 'HTTP', '8080', '-http', 'http-', 'ht--tp', 'a-very-long-name-x'])('fails when targetPortName is %p', name => {
    const chart = serviceOnlyChart();
    expect(() => new ClusterIPService(chart, 'Svc', { ports: [{ port: 80, targetPortName: name }] }))
      .toThrow(`port 80 has targetPortName '${name}', which is not a valid port name`);
  });

  test.each(['web', 'h2c', 'x-1', 'abcdefghijklmno'])('accepts targetPortName %p', name => {
    const chart = serviceOnlyChart();
    new ClusterIPService(chart, 'Svc', { ports: [{ port: 80, targetPortName: name }] });
    expect(findOne(synth(chart), 'Service').spec.ports[0].targetPort).toEqual(name);
  });

  test('fails when a port name is not a DNS-1123 label', () => {
    const chart = serviceOnlyChart();
    expect(() => new ClusterIPService(chart, 'Svc', { ports: [{ port: 80, name: 'Web_Port' }] }))
      .toThrow(/port 80 has name 'Web_Port', which is not a valid port name/);
  });

  test('fails when two ports share a name', () => {
    const chart = serviceOnlyChart();
    expect(() => new ClusterIPService(chart, 'Svc', { ports: [{ port: 80, name: 'web' }, { port: 81, name: 'web' }] }))
      .toThrow(/port 81 has name 'web', which port 80 already uses/);
  });

  test('fails at synth when one of several ports has no name', () => {
    const chart = serviceOnlyChart();
    new ClusterIPService(chart, 'Svc', { ports: [{ port: 80, name: 'web' }, { port: 443 }] });
    expect(() => synth(chart)).toThrow(/ClusterIPService 'test\/Svc': port 443 has no name; every port needs a unique name when a Service has more than one/);
  });

  test('fails when the same port and protocol appear twice', () => {
    const chart = serviceOnlyChart();
    expect(() => new ClusterIPService(chart, 'Svc', { ports: [{ port: 53, name: 'a' }, { port: 53, name: 'b' }] }))
      .toThrow(/port 53\/TCP is already defined; a port number may appear twice only with different protocols/);
  });

  test('the same port may appear with two protocols', () => {
    const chart = serviceOnlyChart();
    new ClusterIPService(chart, 'Svc', { ports: [{ port: 53, name: 'tcp' }, { port: 53, name: 'udp', protocol: kplus.Protocol.UDP }] });
    expect(findOne(synth(chart), 'Service').spec.ports).toHaveLength(2);
  });

  test.each([
    ['bad key', 'x', "selector key 'bad key' is not a valid label key"],
    ['app', 'x'.repeat(64), `selector app=${'x'.repeat(64)} has an invalid label value`],
    ['app', '-web', 'selector app=-web has an invalid label value'],
  ])('fails when a selector label is invalid: %p=%p', (key, value, message) => {
    const chart = serviceOnlyChart();
    const service = new ClusterIPService(chart, 'Svc', { ports: [{ port: 80 }] });
    expect(() => service.selectLabel(key, value)).toThrow(message);
  });

  test('accepts prefixed keys and empty values in a selector', () => {
    const chart = serviceOnlyChart();
    const service = new ClusterIPService(chart, 'Svc', { ports: [{ port: 80 }] });
    service.selectLabel('app.kubernetes.io/name', 'web');
    service.selectLabel('canary', '');
    expect(findOne(synth(chart), 'Service').spec.selector).toEqual({ 'app.kubernetes.io/name': 'web', 'canary': '' });
  });
});
