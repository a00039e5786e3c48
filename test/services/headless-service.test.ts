import * as kplus from 'cdk8s-plus-27';
import { HeadlessService } from 'cdk8s-service-patterns';
import { findOne, newChart, synth } from '../util';

describe('HeadlessService', () => {
  test('defaults', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const service = new HeadlessService(chart, 'Service');

    // THEN
    const manifests = synth(chart);
    expect(findOne(manifests, 'Service', service.name).spec).toEqual({ type: 'ClusterIP', clusterIP: 'None' });
    expect(manifests).toMatchSnapshot();
  });

  test('with a selector, ports and publishNotReadyAddresses', () => {
    // GIVEN
    const chart = newChart();
    const db = new kplus.StatefulSet(chart, 'Db', { containers: [{ image: 'postgres', portNumber: 5432 }] });

    // WHEN
    const service = new HeadlessService(chart, 'Service', {
      selector: db,
      ports: [{ port: 5432, name: 'pg' }],
      publishNotReadyAddresses: true,
    });

    // THEN
    expect(service.clusterIP).toEqual('None');
    const svc = findOne(synth(chart), 'Service', service.name);
    expect(svc.spec).toEqual({
      type: 'ClusterIP',
      clusterIP: 'None',
      selector: db.matchLabels,
      ports: [{ name: 'pg', port: 5432, targetPort: 5432 }],
      publishNotReadyAddresses: true,
    });
  });

  test('fails when a nodePort is bound', () => {
    const chart = newChart();
    const service = new HeadlessService(chart, 'Service');
    expect(() => service.bind(80, { nodePort: 30080 })).toThrow(/nodePort 30080, but a Headless Service has no node ports/);
  });
});
