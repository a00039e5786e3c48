import { App } from 'cdk8s';
import { ExposedDeploymentChart } from './exposed-deployment/main';
import { GatewayPatternsChart } from './gateway-patterns/main';
import { GatewayRoutesChart } from './gateway-routes/main';
import { NginxTomcatChart } from './nginx-tomcat/main';
import { ServicesChart } from './services/main';
import { ShorthandChart } from './shorthand/main';
import { StatefulSetChart } from './stateful-set/main';
import { WordPressChart } from './wordpress/main';

/**
 * Every example, one chart each, in one app: `dist/<chart>.k8s.yaml`. They are applied together,
 * so the app-wide checks (one nodePort per Service port, ...) span all of them.
 */
export function addExamples(app: App): void {
  new ServicesChart(app, 'services');
  new ExposedDeploymentChart(app, 'exposed-deployment');
  new StatefulSetChart(app, 'stateful-set');
  new ShorthandChart(app, 'shorthand');
  new WordPressChart(app, 'wordpress');
  new NginxTomcatChart(app, 'nginx-tomcat');
  new GatewayRoutesChart(app, 'gateway-routes');
  new GatewayPatternsChart(app, 'gateway-patterns');
}
