import { App } from 'cdk8s';
import { ServicesChart } from '../examples/services/main';
import { ShorthandChart } from '../examples/shorthand/main';
import { synthApp } from './util';

// The examples are what the README shows; they must synthesize and pass the schema check.
describe('examples', () => {
  test('services', () => {
    const app = new App({ outdir: 'unused' });
    new ServicesChart(app, 'services');
    const kinds = synthApp(app).filter(m => m.kind === 'Service').map(m => m.spec.type);
    expect(kinds.sort()).toEqual(['ClusterIP', 'ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']);
  });

  test('shorthand', () => {
    const app = new App({ outdir: 'unused' });
    new ShorthandChart(app, 'shorthand');
    const services = synthApp(app).filter(m => m.kind === 'Service');
    expect(services.map(m => m.spec.type)).toEqual(['ClusterIP', 'NodePort', 'ExternalName']);
    expect(services.find(m => m.spec.type === 'NodePort').spec.ports).toEqual([{ name: '80-8080', port: 80, targetPort: 8080, nodePort: 30082, protocol: 'TCP' }]);
  });});
