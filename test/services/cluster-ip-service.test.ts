import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ClusterIPService, SessionAffinity, TrafficPolicy } from 'cdk8s-service-patterns';
import { findOne, newChart, synth } from '../util';

describe('ClusterIPService', () => {
  test('defaults', () => {
    // GIVEN
    const chart = newChart();
    const web = new kplus.Deployment(chart, 'Web', { containers: [{ image: 'nginx', portNumber: 80 }] });

    // WHEN
    const service = new ClusterIPService(chart, 'Service', { selector: web, ports: [{ port: 80 }] });

    // THEN
    const manifests = synth(chart);
    const svc = findOne(manifests, 'Service', service.name);
    expect(svc.spec).toEqual({
      type: 'ClusterIP',
      selector: web.matchLabels,
      ports: [{ port: 80, targetPort: 80 }],
    });
    expect(svc.spec.clusterIP).toBeUndefined();
    expect(manifests).toMatchSnapshot();
  });

  test('is a kplus.Service and a valid Ingress backend', () => {
    // GIVEN
    const chart = newChart();
    const service = new ClusterIPService(chart, 'Service', { ports: [{ port: 80, targetPort: 8080 }] });

    // WHEN
    const ingress = new kplus.Ingress(chart, 'Ingress');
    ingress.addRule('/', kplus.IngressBackend.fromService(service));

    // THEN
    expect(service).toBeInstanceOf(kplus.Service);
    const ing = findOne(synth(chart), 'Ingress');
    expect(ing.spec.rules[0].http.paths[0].backend).toEqual({ service: { name: service.name, port: { number: 80 } } });
  });

  test('selects the same pods a NetworkPolicy of its workload protects', () => {
    // GIVEN
    const chart = newChart();
    const web = new kplus.Deployment(chart, 'Web', { containers: [{ image: 'nginx', portNumber: 80 }] });
    const service = new ClusterIPService(chart, 'Service', { selector: web, ports: [{ port: 80 }] });

    // WHEN
    web.connections.allowFrom(kplus.Pods.all(chart, 'All'), { isolation: kplus.PodConnectionsIsolation.POD });

    // THEN
    const manifests = synth(chart);
    const policy = findOne(manifests, 'NetworkPolicy');
    expect(policy.spec.podSelector.matchLabels).toEqual(findOne(manifests, 'Service', service.name).spec.selector);
  });

  test('every field', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    new ClusterIPService(chart, 'Service', {
      metadata: { name: 'api', namespace: 'shop', labels: { tier: 'backend' } },
      clusterIP: '10.96.0.42',
      sessionAffinity: SessionAffinity.clientIP({ timeout: Duration.minutes(30) }),
      internalTrafficPolicy: TrafficPolicy.LOCAL,
      ports: [
        { port: 80, targetPortName: 'http', name: 'http' },
        { port: 53, targetPort: 5353, name: 'dns', protocol: kplus.Protocol.UDP },
      ],
    });

    // THEN
    const svc = findOne(synth(chart), 'Service', 'api');
    expect(svc.metadata).toEqual({ name: 'api', namespace: 'shop', labels: { tier: 'backend' } });
    expect(svc.spec).toEqual({
      type: 'ClusterIP',
      clusterIP: '10.96.0.42',
      sessionAffinity: 'ClientIP',
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 1800 } },
      internalTrafficPolicy: 'Local',
      ports: [
        { name: 'http', port: 80, targetPort: 'http' },
        { name: 'dns', port: 53, targetPort: 5353, protocol: 'UDP' },
      ],
    });
  });

  test('SessionAffinity.none() and clientIP() without timeout', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    new ClusterIPService(chart, 'A', { metadata: { name: 'a' }, ports: [{ port: 80 }], sessionAffinity: SessionAffinity.none() });
    new ClusterIPService(chart, 'B', { metadata: { name: 'b' }, ports: [{ port: 80 }], sessionAffinity: SessionAffinity.clientIP() });

    // THEN
    const manifests = synth(chart);
    expect(findOne(manifests, 'Service', 'a').spec.sessionAffinity).toEqual('None');
    expect(findOne(manifests, 'Service', 'b').spec.sessionAffinity).toEqual('ClientIP');
    expect(findOne(manifests, 'Service', 'b').spec.sessionAffinityConfig).toBeUndefined();
  });

  test('fails when clusterIP is None', () => {
    const chart = newChart();
    expect(() => new ClusterIPService(chart, 'Service', { ports: [{ port: 80 }], clusterIP: 'None' }))
      .toThrow(/ClusterIPService 'test\/Service': clusterIP 'None' is not an IP address.*HeadlessService/);
  });

  test('fails when clusterIP is not an IP', () => {
    const chart = newChart();
    expect(() => new ClusterIPService(chart, 'Service', { ports: [{ port: 80 }], clusterIP: '10.0.0.300' }))
      .toThrow(/clusterIP '10.0.0.300' is not an IP address/);
  });

  test('fails when the ClientIP timeout is out of range', () => {
    expect(() => SessionAffinity.clientIP({ timeout: Duration.days(2) })).toThrow(/timeout 172800s is not allowed; use a whole number of seconds in 1-86400/);
    expect(() => SessionAffinity.clientIP({ timeout: Duration.millis(500) })).toThrow(/timeout 0.5s is not allowed/);
  });

  test('fails when a nodePort is bound', () => {
    const chart = newChart();
    const service = new ClusterIPService(chart, 'Service', { ports: [{ port: 80 }] });
    expect(() => service.bind(443, { nodePort: 30443 }))
      .toThrow(/port 443 sets nodePort 30443, but a ClusterIP Service has no node ports/);
  });

  test('fails at synth when it has no ports', () => {
    const chart = newChart();
    new ClusterIPService(chart, 'Service', { ports: [] });
    expect(() => synth(chart)).toThrow(/ClusterIPService 'test\/Service': has no ports; a ClusterIP Service needs at least one/);
  });

  test('fails when clusterIP has an IPv6 zone', () => {
    const chart = newChart();
    expect(() => new ClusterIPService(chart, 'Service', { ports: [{ port: 80 }], clusterIP: 'fe80::1%eth0' }))
      .toThrow(/clusterIP 'fe80::1%eth0' is not an IP address/);
  });
});
