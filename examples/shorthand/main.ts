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
      containers: [{
        // nginx built to run unprivileged: it listens on 8080 as its image's numeric user 101, so the
        // cdk8s-plus defaults (runAsNonRoot, read-only root filesystem, no privilege escalation) hold.
        image: 'nginxinc/nginx-unprivileged:1.27.4',
        ports: [{ number: 8080, name: 'http' }],
        // With the read-only root filesystem: its pid file and temp files go to /tmp, a scratch volume.
        volumeMounts: [{ path: '/tmp', volume: kplus.Volume.fromEmptyDir(this, 'WebTmp', 'tmp') }],
      }],
    });

    // one ClusterIP Service with two ports to the one nginx listens on: by name, and by number
    ServiceShorthand.create(this, 'Internal', { selector: web, entries: ['80:http', '8080'] });
    ServiceShorthand.create(this, 'Nodes', { selector: web, entries: ['!30082:80:8080'] });
    ServiceShorthand.create(this, 'Database', { entries: ['@db.example.com'] });
  }
}

if (require.main === module) {
  const app = new App();
  new ShorthandChart(app, 'shorthand');
  app.synth();
}
