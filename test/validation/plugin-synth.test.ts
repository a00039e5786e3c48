import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { notManifests } from '../util';

// The validation plugin inside the real `cdk8s synth`: a fixture app in a temp dir whose
// cdk8s.yaml names the built package by local path (test/global-setup.ts builds lib/ first), as a
// user's app does after `npm install cdk8s-service-patterns`.

const ROOT = path.join(__dirname, '..', '..');
const FIXTURE = path.join(__dirname, '..', 'fixtures', 'plugin-app', 'app.js');

interface Result {
  readonly status: number | null;
  readonly output: string;
}

/**
 * A fixture app in a temp dir; its node_modules links to this repo's packages (offline).
 * `targetPorts`: the app's arguments; `properties`: the plugin's, as lines of cdk8s.yaml.
 */
function fixtureApp(targetPorts: string, properties: string[] = []): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wiring-plugin-app-'));
  fs.copyFileSync(FIXTURE, path.join(dir, 'app.js'));
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), [
    'language: typescript',
    `app: node app.js ${targetPorts}`,
    'validations:',
    '  - package: ./node_modules/cdk8s-service-patterns',
    '    class: ServiceWiringValidation',
    '    version: 0.1.0',
    ...(properties.length > 0 ? ['    properties:', ...properties.map(line => `      ${line}`)] : []),
    '',
  ].join('\n'));
  fs.mkdirSync(path.join(dir, 'node_modules', '.bin'), { recursive: true });
  for (const name of ['cdk8s', 'cdk8s-plus-27', 'constructs']) {
    fs.symlinkSync(path.join(ROOT, 'node_modules', name), path.join(dir, 'node_modules', name), 'dir');
  }
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'cdk8s-service-patterns'), 'dir');
  fs.symlinkSync(path.join(ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s'), path.join(dir, 'node_modules', '.bin', 'cdk8s'));
  return dir;
}

function cdk8sSynth(dir: string, args: string[] = [], env: Record<string, string> = {}): Promise<Result> {
  return new Promise(resolve => {
    execFile('npx', ['cdk8s', 'synth', ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', ...env } }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, output: stdout + stderr });
    });
  });
}

describe('ServiceWiringValidation in cdk8s synth', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a broken wiring fails the synth, reported with the rule and construct path', async () => {
    // GIVEN a Service whose named targetPort the Deployment's container does not declare
    const dir = fixtureApp('http');
    dirs.push(dir);
    // WHEN
    const result = await cdk8sSynth(dir);
    // THEN
    expect(result.status).not.toEqual(0);
    expect(result.output).toContain('named-target-port-missing (1 occurrences)');
    expect(result.output).toContain('- Construct Path: shop/WebService');
    expect(result.output).toContain('- Manifest Path: dist/shop.k8s.yaml');
    expect(result.output).toContain('- Resource Name: web');
    expect(result.output).toContain('> spec.ports[0].targetPort');
    expect(result.output).toMatch(/Recommendation: Service 'default\/web' \(shop\/WebService\) port 80 targets port name 'http', but no container of Deployment 'default\/shop-web-c8[0-9a-f]+' \(shop\/Web\/Resource\) declares a TCP port with that name; traffic to those pods fails \(error\)/);
    expect(result.output).toContain("How to fix: Name a container port 'http' in the pod template, or point targetPort at a declared port.");
    expect(result.output).toContain('Validation failed');
  }, 60_000);

  test('findings of one rule are one violation, every object and its message in it', async () => {
    // GIVEN two Services whose named targetPorts the Deployment's container does not declare
    const dir = fixtureApp('http grpc');
    dirs.push(dir);
    // WHEN
    const result = await cdk8sSynth(dir);
    // THEN
    expect(result.status).not.toEqual(0);
    expect(result.output).toContain('named-target-port-missing (2 occurrences)');
    expect(result.output.match(/named-target-port-missing \(/g)).toHaveLength(1);
    expect(result.output).toContain([
      '    - Construct Path: shop/WebService',
      '    - Manifest Path: dist/shop.k8s.yaml',
      '    - Resource Name: web',
      '    - Locations:',
      '      > spec.ports[0].targetPort',
      '',
      '    - Construct Path: shop/AdminService',
      '    - Manifest Path: dist/shop.k8s.yaml',
      '    - Resource Name: web-admin',
      '    - Locations:',
      '      > spec.ports[0].targetPort',
    ].join('\n'));
    expect(result.output).toMatch(new RegExp([
      '  Recommendation: 2 findings:',
      "    - Service 'default/web' \\(shop/WebService\\) port 80 targets port name 'http', but no container of Deployment 'default/shop-web-c8[0-9a-f]+' \\(shop/Web/Resource\\) declares a TCP port with that name; traffic to those pods fails \\(error\\)",
      "      fix: Name a container port 'http' in the pod template, or point targetPort at a declared port.",
      "    - Service 'default/web-admin' \\(shop/AdminService\\) port 8081 targets port name 'grpc', but .* \\(error\\)",
      "      fix: Name a container port 'grpc' in the pod template, or point targetPort at a declared port.",
      "  How to fix: Name a container port with the targetPort's name in the selected pod template, or point targetPort at a declared port.",
    ].join('\n')));
    expect(result.output).toMatch(/║ Errors +│ 2 +║/);
  }, 60_000);

  test('fails when a property is unknown (a misspelt failOn would otherwise be ignored)', async () => {
    const dir = fixtureApp('web', ['failon: warning']);
    dirs.push(dir);
    const result = await cdk8sSynth(dir);
    expect(result.status).not.toEqual(0);
    expect(result.output).toContain('ServiceWiringValidation: unknown property failon: "warning"; use failOn or ignore (did you mean failOn?)');
  }, 60_000);

  test('a clean app synthesizes', async () => {
    const dir = fixtureApp('web');
    dirs.push(dir);
    const result = await cdk8sSynth(dir);
    expect(result.output).toContain('Validations ended succesfully');
    expect(result.status).toEqual(0);
    expect(fs.existsSync(path.join(dir, 'dist', 'shop.k8s.yaml'))).toBe(true);
  }, 60_000);

  // Helm takes every file under templates/ for a manifest; cdk8s writes the construct metadata the
  // plugin's report uses next to the manifests, and with --format helm that is templates/.
  const HELM = ['--format', 'helm', '--chart-version', '1.0.0'];

  test('with --format helm the construct metadata lands in templates/, where it is no manifest; the README\'s rm leaves only manifests', async () => {
    // GIVEN
    const dir = fixtureApp('web');
    dirs.push(dir);
    // WHEN
    const result = await cdk8sSynth(dir, HELM);
    // THEN
    expect(result.status).toEqual(0);
    expect(notManifests(path.join(dir, 'dist', 'templates'))).toEqual(['construct-metadata.json']);
    fs.rmSync(path.join(dir, 'dist', 'templates', 'construct-metadata.json'));
    expect(notManifests(path.join(dir, 'dist', 'templates'))).toEqual([]);
    expect(fs.readdirSync(path.join(dir, 'dist', 'templates'))).toEqual(['shop.k8s.yaml']);
  }, 60_000);

  test('with CDK8S_RECORD_CONSTRUCT_METADATA=false no metadata is written, and the plugin still fails a broken wiring', async () => {
    // GIVEN
    const dir = fixtureApp('http');
    dirs.push(dir);
    // WHEN
    const result = await cdk8sSynth(dir, HELM, { CDK8S_RECORD_CONSTRUCT_METADATA: 'false' });
    // THEN
    expect(result.status).not.toEqual(0);
    expect(result.output).toContain('named-target-port-missing (1 occurrences)');
    // without construct paths, the message names the objects by file and line
    expect(result.output).toContain("Recommendation: Service 'default/web' (dist/templates/shop.k8s.yaml:52) port 80 targets port name 'http'");
    expect(notManifests(path.join(dir, 'dist', 'templates'))).toEqual([]);
  }, 60_000);
});
