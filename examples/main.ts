import { App } from 'cdk8s';
import { addExamples } from './app';

// Synthesizes every example into dist/<chart>.k8s.yaml (run by `npx cdk8s synth`).
const app = new App();
addExamples(app);
app.synth();
