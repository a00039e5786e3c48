import { App, Chart, ChartProps } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ExposedDeployment, ServiceExposure } from 'cdk8s-service-patterns';
import { Construct } from 'constructs';

/**
 * One Deployment behind a ClusterIP Service (for other pods) and a NodePort Service (for people).
 */
export class ExposedDeploymentChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);

    const web = new ExposedDeployment(this, 'Web', {
      container: {
        // nginx built to run unprivileged: it listens on 8080 as its image's numeric user 101, so the
        // cdk8s-plus defaults (runAsNonRoot, read-only root filesystem, no privilege escalation) hold.
        image: 'nginxinc/nginx-unprivileged:1.27.4',
        portNumber: 8080,
        // With the read-only root filesystem: its pid file and temp files go to /tmp, a scratch volume.
        volumeMounts: [{ path: '/tmp', volume: kplus.Volume.fromEmptyDir(this, 'WebTmp', 'tmp') }],
      },
      replicas: 2,
      services: [
        ServiceExposure.shorthand(['80:8080'], { metadata: { name: 'web' } }),
        ServiceExposure.shorthand(['!30081:80:8080']),
      ],
    });

    // A consumer wired to the ClusterIP Service by its real name. It serves nothing, so it is a
    // plain Deployment with no Service of its own: a shell to `kubectl exec` into and run
    // `curl "http://$WEB_HOST:$WEB_PORT/"`.
    const client = new kplus.Deployment(this, 'Client', {
      replicas: 1,
      containers: [{
        image: 'curlimages/curl:8.8.0',
        // `command`, not `args`: sleep runs in place of the image's entrypoint, a wrapper that hands
        // its arguments to curl unless the first names a command.
        command: ['sleep', 'infinity'],
        // cdk8s-plus defaults kept but for the user: the image's USER is the name curl_user, which
        // runAsNonRoot cannot check; give its numeric uid and gid.
        securityContext: { user: 100, group: 101 },
      }],
    });
    web.service.bindEnv(client.containers[0], 'WEB_HOST');
    web.service.bindPortEnv(client.containers[0], 'WEB_PORT');
  }
}

if (require.main === module) {
  const app = new App();
  new ExposedDeploymentChart(app, 'exposed-deployment');
  app.synth();
}
