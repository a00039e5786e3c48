import { App, Chart, ChartProps } from 'cdk8s';
import { ReverseProxyStack } from 'cdk8s-service-patterns';
import { Construct } from 'constructs';

/**
 * nginx on node port 30090 in front of Tomcat, with nginx.conf generated from Tomcat's Service.
 */
export class NginxTomcatChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);

    new ReverseProxyStack(this, 'web', { nodePort: 30090 });
  }
}

if (require.main === module) {
  const app = new App();
  new NginxTomcatChart(app, 'nginx-tomcat');
  app.synth();
}
