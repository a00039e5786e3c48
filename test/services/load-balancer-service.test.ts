import { LoadBalancerService, TrafficPolicy } from 'cdk8s-service-patterns';
import { findOne, newChart, synth } from '../util';

describe('LoadBalancerService', () => {
  test('defaults', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const service = new LoadBalancerService(chart, 'Service', { ports: [{ port: 443, targetPort: 8443 }] });

    // THEN
    const manifests = synth(chart);
    expect(findOne(manifests, 'Service', service.name).spec).toEqual({
      type: 'LoadBalancer',
      ports: [{ port: 443, targetPort: 8443 }],
    });
    expect(manifests).toMatchSnapshot();
  });

  test('every field', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    new LoadBalancerService(chart, 'Service', {
      metadata: { name: 'edge' },
      ports: [{ port: 443, targetPort: 8443, nodePort: 31443 }],
      loadBalancerSourceRanges: ['203.0.113.0/24', '2001:db8::/32'],
      loadBalancerClass: 'example.com/internal-vip',
      allocateLoadBalancerNodePorts: false,
      externalTrafficPolicy: TrafficPolicy.LOCAL,
    });

    // THEN
    expect(findOne(synth(chart), 'Service', 'edge').spec).toEqual({
      type: 'LoadBalancer',
      ports: [{ port: 443, targetPort: 8443, nodePort: 31443 }],
      loadBalancerSourceRanges: ['203.0.113.0/24', '2001:db8::/32'],
      loadBalancerClass: 'example.com/internal-vip',
      allocateLoadBalancerNodePorts: false,
      externalTrafficPolicy: 'Local',
    });
  });

  test('fails when a source range is not a CIDR', () => {
    const chart = newChart();
    expect(() => new LoadBalancerService(chart, 'edge', { ports: [{ port: 80 }], loadBalancerSourceRanges: ['203.0.113.0'] }))
      .toThrow(/loadBalancerSourceRanges entry '203.0.113.0' is not a CIDR/);
    expect(() => new LoadBalancerService(chart, 'edge2', { ports: [{ port: 80 }], loadBalancerSourceRanges: ['10.0.0.0/33'] }))
      .toThrow(/'10.0.0.0\/33' is not a CIDR/);
  });

  test('fails when loadBalancerClass is not a label-style name', () => {
    const chart = newChart();
    expect(() => new LoadBalancerService(chart, 'edge', { ports: [{ port: 80 }], loadBalancerClass: 'Not Valid/' }))
      .toThrow(/loadBalancerClass 'Not Valid\/' is not a label-style name/);
  });

  test('fails when nodePort is outside the range', () => {
    const chart = newChart();
    expect(() => new LoadBalancerService(chart, 'edge', { ports: [{ port: 80, nodePort: 80 }] }))
      .toThrow("LoadBalancerService 'test/edge': nodePort 80 is outside 30000-32767; pick a port in that range or omit it");
  });
});
