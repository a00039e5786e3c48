import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// The README's shell commands, run as a new user would: the quick start in this clone, and the
// install of the packed package into a fresh app next to it.
const root = path.join(__dirname, '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

/** The commands of the first `sh` block under the README heading `## <heading>`, comments dropped. */
function commands(heading: string): string[] {
  const section = readme.slice(readme.indexOf(`\n## ${heading}\n`));
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1];
  return block.split('\n').map(line => line.replace(/\s+#.*$/, '').trim()).filter(line => line !== '');
}

/** This process's environment without the `CDK8S_*` settings a user would not have. */
function userEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('CDK8S_')));
}

describe('README quick start', () => {
  test('the synth command prints no stack trace without network access to the upgrade check, and writes manifests and traffic maps', () => {
    // GIVEN the README's first command, `npm ci && <synth>` (npm ci has run: this is the clone)
    const [first] = commands('Quick start');
    expect(first).toMatch(/^npm ci && /);
    const [program, ...args] = first.replace(/^npm ci && /, '').split(' ');
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'quick-start-'));

    try {
      // WHEN it runs as a user runs it, writing to a temp dir instead of dist/
      const result = spawnSync(program, [...args, ...(program === 'npm' ? ['--'] : []), '--output', out], { cwd: root, env: userEnv(), encoding: 'utf8' });

      // THEN
      const output = `${result.stdout}${result.stderr}`;
      expect({ status: result.status, output }).toEqual({ status: 0, output: expect.any(String) });
      expect(output).not.toMatch(/^\s+at /m);
      expect(output).not.toMatch(/Error:|ENOTFOUND/);
      expect(output).not.toContain('A new version');
      expect(fs.readdirSync(out)).toEqual(expect.arrayContaining(['wordpress.k8s.yaml', 'wordpress.traffic.md']));
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('README install', () => {
  test('the packed package installs into a fresh app with the README\'s command, and the app synthesizes with one copy of cdk8s', () => {
    // GIVEN the README's two lines: pack in the clone, install the tarball in the app next to it
    const [pack, install] = commands('Install in your cdk8s app');
    expect(pack).toContain('npm pack');
    const installCommand = /^cd my-app && (npm install .*)$/.exec(install)![1].split(' ');
    const tarball = installCommand.find(arg => arg.endsWith('.tgz'))!;
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-install-'));
    try {
      // the clone's tarball (lib/ is built by jest's global setup, so no scripts)
      fs.mkdirSync(path.join(work, 'cdk8s-service-patterns'));
      execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', path.join(work, 'cdk8s-service-patterns')], { cwd: root, stdio: 'pipe' });
      const app = path.join(work, 'my-app');
      fs.mkdirSync(app);
      fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'my-app', version: '1.0.0', private: true }));
      fs.writeFileSync(path.join(app, 'main.js'), [
        "const { App, Chart } = require('cdk8s');",
        "const { TrafficMap, WordPressStack } = require('cdk8s-service-patterns');",
        'const app = new App();',
        "new WordPressStack(new Chart(app, 'wordpress'), 'blog');",
        'app.synth();',
        'TrafficMap.synth(app);',
        '',
      ].join('\n'));
      expect(fs.existsSync(path.resolve(app, tarball))).toBe(true);

      // WHEN the README's install runs, the peers pinned to the versions this suite ran against
      const pinned = installCommand.slice(2).map(arg => ['cdk8s', 'cdk8s-plus-27', 'constructs'].includes(arg)
        ? `${arg}@${require(path.join(root, 'node_modules', arg, 'package.json')).version}`
        : arg);
      execFileSync('npm', ['install', ...pinned, '--prefer-offline', '--no-audit', '--no-fund'], { cwd: app, stdio: 'pipe' });
      execFileSync(process.execPath, ['main.js'], { cwd: app, env: userEnv(), stdio: 'pipe' });

      // THEN
      expect(fs.readdirSync(path.join(app, 'dist')).sort()).toEqual(['wordpress.k8s.yaml', 'wordpress.traffic.md']);
      const library = fs.realpathSync(path.join(app, 'node_modules', 'cdk8s-service-patterns'));
      expect(library.startsWith(app)).toBe(true); // installed, not linked to the clone
      expect(require.resolve('cdk8s', { paths: [library] })).toEqual(require.resolve('cdk8s', { paths: [app] }));
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }, 180_000);
});
