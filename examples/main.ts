import { App } from 'cdk8s';
import { TrafficMap } from 'cdk8s-service-patterns';
import { addExamples } from './app';

// Synthesizes every example into dist/<chart>.k8s.yaml (run by `npm run synth`, which is `cdk8s synth`), and draws
// how traffic reaches each pod into dist/<chart>.traffic.md.
const app = new App();
addExamples(app);
app.synth();
TrafficMap.synth(app);
