#!/usr/bin/env node
// The app command of cdk8s.yaml: synthesizes examples/main.ts. When the compiled copy is up to date
// (build/examples/ and lib/ newer than every file of examples/ and src/, as after `npm ci` or
// `npm run build`), it runs that on bare node; otherwise it runs the TypeScript itself through tsx,
// so an edit is never synthesized from stale JavaScript. See "Development" in the README and
// bench/README.md for the measurements behind this.
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');

/** The newest modification time of the files under `dir`. */
function newest(dir) {
  let time = 0;
  for (const file of fs.readdirSync(dir, { recursive: true })) {
    time = Math.max(time, fs.statSync(path.join(dir, file)).mtimeMs);
  }
  return time;
}

/** The modification time of `file`, or 0 when it does not exist. */
function builtAt(file) {
  return fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;
}

const compiled = path.join(root, 'build', 'examples', 'main.js');

/** Whether build/examples and lib/ are newer than every file of examples/ and src/. */
function upToDate() {
  return newest(path.join(root, 'examples')) <= builtAt(compiled)
    && newest(path.join(root, 'src')) <= builtAt(path.join(root, 'lib', 'index.js'));
}

if (require.main === module) {
  if (upToDate()) {
    require(compiled);
  } else {
    require('tsx/cjs');
    require(path.join(root, 'examples', 'main.ts'));
  }
}

module.exports = { upToDate };
