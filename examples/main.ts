import { App } from 'cdk8s';
import { ServicesChart } from './services/main';
import { ShorthandChart } from './shorthand/main';

// Synthesizes every example into dist/<chart>.k8s.yaml (run by `npx cdk8s synth`).
const app = new App();
new ServicesChart(app, 'services');
new ShorthandChart(app, 'shorthand');
app.synth();
