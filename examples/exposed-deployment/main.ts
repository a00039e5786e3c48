import { App, Chart, ChartProps } from 'cdk8s';
import { ExposedDeployment, ServiceExposure } from 'cdk8s-service-patterns';
import { Construct } from 'constructs';

/**
 * One Deployment behind a ClusterIP Service (for other pods) and a NodePort Service (for people).
 */
export class ExposedDeploymentChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);

    const web = new ExposedDeployment(this, 'Web', {
      container: { image: 'nginx:1.27', portNumber: 8080 },
      replicas: 2,
      services: [
        ServiceExposure.shorthand(['80:8080'], { metadata: { name: 'web' } }),
        ServiceExposure.shorthand(['!30081:80:8080']),
      ],
    });

    // A consumer wired to the ClusterIP Service by its real name.
    const client = new ExposedDeployment(this, 'Client', {
      container: { image: 'curlimages/curl:8.8.0', portNumber: 8081, args: ['sleep', 'infinity'] },
      replicas: 1,
    });
    web.service.bindEnv(client.deployment.containers[0], 'WEB_HOST');
    web.service.bindPortEnv(client.deployment.containers[0], 'WEB_PORT');
  }
}

if (require.main === module) {
  const app = new App();
  new ExposedDeploymentChart(app, 'exposed-deployment');
  app.synth();
}
