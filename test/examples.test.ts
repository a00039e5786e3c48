import { App } from 'cdk8s';
import { ServicesChart } from '../examples/services/main';
import { synthApp } from './util';

// The examples are what the README shows; they must synthesize and pass the schema check.
describe('examples', () => {
  test('services', () => {
    const app = new App({ outdir: 'unused' });
    new ServicesChart(app, 'services');
    const kinds = synthApp(app).filter(m => m.kind === 'Service').map(m => m.spec.type);
    expect(kinds.sort()).toEqual(['ClusterIP', 'ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']);
  });
});
