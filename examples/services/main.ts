import { App, Chart, ChartProps } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  ClusterIPService,
  ExternalNameService,
  HeadlessService,
  LoadBalancerService,
  NodePortService,
  SessionAffinity,
  TrafficPolicy,
} from 'cdk8s-service-patterns';
import { Construct } from 'constructs';

/**
 * One Service of each kind in front of one Deployment.
 */
export class ServicesChart extends Chart {
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

    new ClusterIPService(this, 'Internal', {
      selector: web,
      ports: [{ port: 80, targetPortName: 'http' }],
      sessionAffinity: SessionAffinity.clientIP(),
    });

    new HeadlessService(this, 'Peers', { selector: web, ports: [{ port: 8080 }] });

    new NodePortService(this, 'Nodes', {
      selector: web,
      ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }],
    });

    new LoadBalancerService(this, 'Public', {
      selector: web,
      ports: [{ port: 443, targetPort: 8080 }],
      loadBalancerSourceRanges: ['203.0.113.0/24'],
      externalTrafficPolicy: TrafficPolicy.LOCAL,
    });

    new ExternalNameService(this, 'Database', { externalName: 'db.example.com', ports: [{ port: 5432 }] });
  }
}

if (require.main === module) {
  const app = new App();
  new ServicesChart(app, 'services');
  app.synth();
}
