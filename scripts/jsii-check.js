#!/usr/bin/env node
// Proves the public API compiles under jsii (so the library can later be published for Python,
// Java, Go and .NET like cdk8s-plus). jsii writes its own tsconfig.json and package metadata, so
// it runs on a temporary copy of src/ that shares this repo's node_modules (no install there).
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..');
const pkg = require(path.join(root, 'package.json'));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-check-'));

try {
  fs.cpSync(path.join(root, 'src'), path.join(work, 'src'), { recursive: true });
  for (const file of ['README.md', 'LICENSE']) {
    fs.copyFileSync(path.join(root, file), path.join(work, file));
  }
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(work, 'node_modules'), 'dir');
  const peers = Object.keys(pkg.peerDependencies);
  fs.writeFileSync(path.join(work, 'package.json'), JSON.stringify({
    name: pkg.name,
    version: pkg.version,
    description: pkg.description,
    license: pkg.license,
    author: { name: 'cdk8s-service-patterns authors', organization: false },
    repository: { type: 'git', url: 'https://github.com/cdk8s-service-patterns/cdk8s-service-patterns.git' },
    main: 'lib/index.js',
    types: 'lib/index.d.ts',
    peerDependencies: pkg.peerDependencies,
    // jsii wants each peer's lowest accepted version as a devDependency (metadata only)
    devDependencies: Object.fromEntries(peers.map(name => [name, pkg.peerDependencies[name].replace(/^[\^~]/, '')])),
    jsii: { outdir: 'dist', targets: {}, tsc: { outDir: 'lib', rootDir: 'src', types: ['node'] } },
  }, null, 2));
  execFileSync(process.execPath, [path.join(root, 'node_modules', 'jsii', 'bin', 'jsii'), '--fail-on-warnings=false'], {
    cwd: work,
    stdio: 'inherit',
    env: { ...process.env, JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1', JSII_SUPPRESS_UPGRADE_PROMPT: '1' },
  });
  const assembly = JSON.parse(fs.readFileSync(path.join(work, '.jsii'), 'utf8'));
  console.log(`jsii: ${Object.keys(assembly.types).length} public types compiled`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
