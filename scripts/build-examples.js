#!/usr/bin/env node
// Compiles examples/ to build/examples/ as plain CommonJS, so `cdk8s synth` can run them on bare
// node (scripts/run-examples.js). Part of `npm run build`, which `npm ci` runs. Transpile only:
// `npm test` type-checks the examples. Their imports of 'cdk8s-service-patterns' stay as written
// and resolve to lib/ through the package's own `exports`, as in a user's app.
const fs = require('fs');
const path = require('path');
const ts = require('typescript');

const root = path.join(__dirname, '..');
const source = path.join(root, 'examples');
const out = path.join(root, 'build', 'examples');

const config = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile);
const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, root);

fs.rmSync(out, { recursive: true, force: true });
for (const file of fs.readdirSync(source, { recursive: true })) {
  if (!file.endsWith('.ts')) {
    continue;
  }
  const from = path.join(source, file);
  const { outputText } = ts.transpileModule(fs.readFileSync(from, 'utf8'), { compilerOptions: options, fileName: from });
  const to = path.join(out, file.replace(/\.ts$/, '.js'));
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.writeFileSync(to, outputText);
}
