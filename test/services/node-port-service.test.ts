import * as kplus from 'cdk8s-plus-27';
import { NodePortService, TrafficPolicy } from 'cdk8s-service-patterns';
import { findOne, newChart, synth } from '../util';

describe('NodePortService', () => {
  test('defaults', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const service = new NodePortService(chart, 'Service', { ports: [{ port: 80, targetPort: 8080 }] });

    // THEN
    const manifests = synth(chart);
    expect(findOne(manifests, 'Service', service.name).spec).toEqual({
      type: 'NodePort',
      ports: [{ port: 80, targetPort: 8080 }],
    });
    expect(manifests).toMatchSnapshot();
  });

  test('fixed nodePort and externalTrafficPolicy', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    new NodePortService(chart, 'Service', {
      metadata: { name: 'web' },
      ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }],
      externalTrafficPolicy: TrafficPolicy.LOCAL,
      internalTrafficPolicy: TrafficPolicy.CLUSTER,
    });

    // THEN
    const svc = findOne(synth(chart), 'Service', 'web');
    expect(svc.spec.ports).toEqual([{ port: 80, targetPort: 8080, nodePort: 30080 }]);
    expect(svc.spec.externalTrafficPolicy).toEqual('Local');
    expect(svc.spec.internalTrafficPolicy).toEqual('Cluster');
  });

  test('accepts the edges of the range and a custom range', () => {
    const chart = newChart();
    new NodePortService(chart, 'Low', { ports: [{ port: 80, nodePort: 30000 }, { port: 81, nodePort: 32767, name: 'b' }].map((p, i) => ({ ...p, name: `p${i}` })) });
    new NodePortService(chart, 'Custom', { nodePortRange: { min: 20000, max: 22767 }, ports: [{ port: 80, nodePort: 20080 }] });
    expect(synth(chart).filter(m => m.kind === 'Service')).toHaveLength(2);
  });

  test('the same nodePort may serve TCP and UDP of one port', () => {
    const chart = newChart();
    new NodePortService(chart, 'Dns', {
      metadata: { name: 'dns' },
      ports: [
        { port: 53, name: 'dns-tcp', nodePort: 30053 },
        { port: 53, name: 'dns-udp', nodePort: 30053, protocol: kplus.Protocol.UDP },
      ],
    });
    expect(findOne(synth(chart), 'Service', 'dns').spec.ports.map((p: any) => p.nodePort)).toEqual([30053, 30053]);
  });

  test('fails when nodePort is outside 30000-32767', () => {
    const chart = newChart();
    expect(() => new NodePortService(chart, 'web', { ports: [{ port: 80, nodePort: 29999 }] }))
      .toThrow("NodePortService 'test/web': nodePort 29999 is outside 30000-32767; pick a port in that range or omit it");
    expect(() => new NodePortService(chart, 'web2', { ports: [{ port: 80, nodePort: 32768 }] })).toThrow(/nodePort 32768 is outside/);
  });

  test('fails when nodePort is outside a custom range', () => {
    const chart = newChart();
    expect(() => new NodePortService(chart, 'web', { nodePortRange: { min: 20000, max: 20010 }, ports: [{ port: 80, nodePort: 30000 }] }))
      .toThrow(/nodePort 30000 is outside 20000-20010/);
  });

  test('fails when the nodePortRange is not a range', () => {
    const chart = newChart();
    expect(() => new NodePortService(chart, 'web', { nodePortRange: { min: 32000, max: 31000 }, ports: [{ port: 80 }] }))
      .toThrow(/nodePortRange 32000-31000 is not a port range/);
  });

  test('fails when a nodePort is reused within the Service', () => {
    const chart = newChart();
    expect(() => new NodePortService(chart, 'web', { ports: [{ port: 80, name: 'a', nodePort: 30080 }, { port: 81, name: 'b', nodePort: 30080 }] }))
      .toThrow(/port 81 reuses nodePort 30080 of port 80/);
  });

  test('fails when bind() adds an out-of-range nodePort', () => {
    const chart = newChart();
    const service = new NodePortService(chart, 'web', { ports: [{ port: 80, name: 'http' }] });
    expect(() => service.bind(443, { name: 'https', nodePort: 40443 })).toThrow(/nodePort 40443 is outside 30000-32767/);
  });
});
