import { App, Chart, ChartProps } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ServiceShorthand } from 'cdk8s-service-patterns';
import { Construct } from 'constructs';

/**
 * Services in the port shorthand, in front of one Deployment.
 */
export class ShorthandChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);

    const web = new kplus.Deployment(this, 'Web', {
      containers: [{ image: 'nginx:1.27', ports: [{ number: 8080, name: 'http' }, { number: 8443 }] }],
    });

    ServiceShorthand.create(this, 'Internal', { selector: web, entries: ['80:http', '443:8443'] });
    ServiceShorthand.create(this, 'Nodes', { selector: web, entries: ['!30082:80:8080'] });
    ServiceShorthand.create(this, 'Database', { entries: ['@db.example.com'] });
  }
}

if (require.main === module) {
  const app = new App();
  new ShorthandChart(app, 'shorthand');
  app.synth();
}
