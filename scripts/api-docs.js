#!/usr/bin/env node
// Generates API.md, the reference of the public API, from the JSDoc of src/index.ts with typedoc
// and typedoc-plugin-markdown. `--check` fails when API.md is out of date, or when a public member
// has no description (typedoc's notDocumented validation, as an error).
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..');
const target = path.join(root, 'API.md');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'api-docs-'));

/** Runs typedoc; its own messages say what failed, so exit without a stack trace. */
function run(args) {
  try {
    execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  } catch {
    fs.rmSync(out, { recursive: true, force: true });
    console.error('typedoc failed: every public member needs a description (see the warnings above).');
    process.exit(1);
  }
}

try {
  run([
    path.join(root, 'node_modules', 'typedoc', 'bin', 'typedoc'),
    '--plugin', 'typedoc-plugin-markdown',
    '--tsconfig', path.join(root, 'tsconfig.build.json'),
    '--entryPoints', path.join(root, 'src', 'index.ts'),
    '--out', out,
    '--router', 'module',
    '--readme', 'none',
    '--name', 'cdk8s-service-patterns API reference',
    '--excludeInternal', '--excludePrivate', '--excludeProtected', '--excludeExternals',
    '--disableSources', '--hidePageHeader', '--hideBreadcrumbs',
    '--validation.notDocumented', '--treatValidationWarningsAsErrors',
    '--logLevel', 'Warn',
  ]);
  const generated = fs.readFileSync(path.join(out, 'README.md'), 'utf8');
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
    if (current !== generated) {
      console.error('API.md is out of date: run `npm run docs` and commit it.');
      process.exit(1);
    }
    console.log('API.md is up to date.');
  } else {
    fs.writeFileSync(target, generated);
    console.log(`wrote ${path.relative(process.cwd(), target)}`);
  }
} finally {
  fs.rmSync(out, { recursive: true, force: true });
}
