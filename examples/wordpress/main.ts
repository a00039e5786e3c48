import { App, Chart, ChartProps } from 'cdk8s';
import { WordPressStack } from 'cdk8s-service-patterns';
import { Construct } from 'constructs';

/**
 * WordPress and MySQL with every default: WordPress on node port 30000. A one-shot Job creates the
 * Secret with the passwords (`wordpress-blog-credentials`) in the cluster, once; see the README.
 */
export class WordPressChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);

    new WordPressStack(this, 'blog');
  }
}

if (require.main === module) {
  const app = new App();
  new WordPressChart(app, 'wordpress');
  app.synth();
}
