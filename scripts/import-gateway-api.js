#!/usr/bin/env node
// Regenerates the Gateway API classes in src/imports/ (or the directory given as the first
// argument) with `cdk8s import`, one module per CRD of test/fixtures/gateway-api/:
// `<file>-gateway.networking.k8s.io.ts` from `<file>.yaml`. The generated files are committed and
// never edited by hand; `npm run import:gateway-api` after replacing the CRDs.
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const crds = path.join(root, 'test', 'fixtures', 'gateway-api');
const output = path.resolve(process.argv[2] ?? path.join(root, 'src', 'imports'));
const cli = path.join(root, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');

for (const file of fs.readdirSync(crds).filter(name => name.endsWith('.yaml')).sort()) {
  const module = file.replace(/\.yaml$/, '');
  // --no-save: leave cdk8s.yaml alone; a relative spec path keeps absolute paths out of the output
  execFileSync(process.execPath, [cli, 'import', `${module}:=${path.relative(root, path.join(crds, file))}`,
    '--output', output, '--language', 'typescript', '--no-save', '--no-check-upgrade'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}
console.log(`wrote ${path.relative(process.cwd(), output) || '.'}/*-gateway.networking.k8s.io.ts`);
