import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { fileUri } from '../../src/cli/sarif';
import { RULES } from '../../src/validation/rules';

// `cdk8s-svc lint --output sarif`, run as the built command (test/global-setup.ts builds lib/),
// each log validated against the SARIF 2.1.0 JSON schema that Microsoft's SARIF SDK ships
// (@microsoft/jest-sarif, sarif-2.1.0-rtm.5.json: draft-04, as is the OASIS standard's schema).

const ROOT = path.join(__dirname, '..', '..');
const MAIN = path.join(ROOT, 'lib', 'cli', 'main.js');
const SCHEMA_FILE = path.join(path.dirname(require.resolve('@microsoft/jest-sarif/package.json')), 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');

// strict: false because the schema itself does not pass Ajv's strict mode (e.g. `required` of
// properties it defines in another branch); unicodeRegExp: false because one of its patterns is
// not valid in Unicode mode. Neither changes what a valid document is; formats (uri, uri-reference,
// date-time) are checked.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validateSarif = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')));

/** The schema's errors for `log`, as readable lines (empty when valid). */
function schemaErrors(log: unknown): string[] {
  return validateSarif(log) ? [] : (validateSarif.errors ?? []).map(error => `${error.instancePath} ${error.message} ${JSON.stringify(error.params)}`);
}

interface Result {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function cdk8sSvc(args: string[], cwd: string, input?: string): Promise<Result> {
  return new Promise(resolve => {
    const child = execFile(process.execPath, [MAIN, ...args], { cwd, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
    child.stdin!.end(input ?? '');
  });
}

const WEB = [
  'apiVersion: apps/v1', // 1
  'kind: Deployment',
  'metadata: { name: web }',
  'spec:',
  '  selector: { matchLabels: { app: web } }',
  '  template:',
  '    metadata: { labels: { app: web } }',
  '    spec: { containers: [{ name: web, image: nginx, ports: [{ name: web, containerPort: 8080 }] }] }',
  '---',
  'apiVersion: v1', // 10: targets a port name the Deployment does not declare (error)
  'kind: Service',
  'metadata: { name: web }',
  'spec: { selector: { app: web }, ports: [{ port: 80, targetPort: http }] }',
  '---',
  'apiVersion: v1', // 15: targets a port number no container declares (warning)
  'kind: Service',
  'metadata: { name: web-metrics }',
  'spec: { selector: { app: web }, ports: [{ port: 9090, targetPort: 9090 }] }',
  '',
].join('\n');

const TEMPLATE = [
  'apiVersion: v1',
  'kind: Service',
  'metadata:',
  '  name: {{ include "web.fullname" . }}',
  'spec:',
  '  ports: [{ port: 80 }]',
  '',
].join('\n');

const BROKEN = 'apiVersion: v1\nkind: Service\nmetadata: { name: broken\n';

describe('cdk8s-svc lint --output sarif', () => {
  let dir: string;
  beforeAll(() => {
    // GIVEN a project with findings of both levels (in a directory whose name has a space), a Helm
    // template and a file that is not valid YAML
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lint-sarif-'));
    fs.mkdirSync(path.join(dir, 'my app'));
    fs.mkdirSync(path.join(dir, 'chart', 'templates'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'my app', 'web.yaml'), WEB);
    fs.writeFileSync(path.join(dir, 'chart', 'templates', 'service.yaml'), TEMPLATE);
    fs.writeFileSync(path.join(dir, 'broken.yaml'), BROKEN);
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('findings of both levels, a skipped template and a bad input: a valid SARIF 2.1.0 log, exit code unchanged', async () => {
    // WHEN
    const [sarif, json] = await Promise.all([
      cdk8sSvc(['lint', 'my app', 'chart', 'broken.yaml', '--output', 'sarif'], dir),
      cdk8sSvc(['lint', 'my app', 'chart', 'broken.yaml', '--output', 'json'], dir),
    ]);
    // THEN
    const log = JSON.parse(sarif.stdout);
    expect(schemaErrors(log)).toEqual([]);
    expect(log.version).toEqual('2.1.0');
    expect(log.$schema).toEqual('https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json');
    expect(log.runs).toHaveLength(1);
    const [run] = log.runs;
    const results = run.results.map((r: any) => ({
      ruleId: r.ruleId,
      rule: run.tool.driver.rules[r.ruleIndex].id,
      level: r.level,
      uri: r.locations[0].physicalLocation.artifactLocation.uri,
      startLine: r.locations[0].physicalLocation.region.startLine,
      objects: r.locations[0].logicalLocations.map((l: any) => l.fullyQualifiedName),
    }));
    expect(results).toEqual([
      {
        ruleId: 'named-target-port-missing',
        rule: 'named-target-port-missing',
        level: 'error',
        uri: 'my%20app/web.yaml',
        startLine: 10,
        objects: ['Service default/web', 'Service default/web spec.ports[0].targetPort'],
      },
      {
        ruleId: 'numeric-target-port-undeclared',
        rule: 'numeric-target-port-undeclared',
        level: 'warning',
        uri: 'my%20app/web.yaml',
        startLine: 15,
        objects: ['Service default/web-metrics', 'Service default/web-metrics spec.ports[0].targetPort'],
      },
    ]);
    // the message, then the finding's own fix; the other object as a related location
    const findings = JSON.parse(json.stdout).findings;
    expect(run.results[0].message.text).toEqual(`${findings[0].message}. Fix: ${findings[0].recommendation}`);
    expect(run.results[0].relatedLocations).toEqual([{
      id: 1,
      physicalLocation: { artifactLocation: { uri: 'my%20app/web.yaml' }, region: { startLine: 1 } },
      logicalLocations: [{ name: 'default/web', fullyQualifiedName: 'Deployment default/web', kind: 'resource' }],
      message: { text: 'Deployment default/web' },
    }]);

    // the skipped template (note) and the bad input (error), with their files and lines
    const report = JSON.parse(json.stdout);
    expect(report.skipped).toHaveLength(1);
    expect(report.errors).toHaveLength(1);
    const [invocation] = run.invocations;
    expect(invocation.executionSuccessful).toBe(false);
    expect(invocation.exitCode).toEqual(2);
    expect(invocation.toolExecutionNotifications).toEqual([
      {
        level: 'note',
        message: { text: report.skipped[0].message },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'chart/templates/service.yaml' }, region: { startLine: report.skipped[0].line } } }],
      },
      {
        level: 'error',
        message: { text: report.errors[0].message },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'broken.yaml' }, region: { startLine: report.errors[0].line } } }],
      },
    ]);
    expect(sarif.status).toEqual(2);
    expect(json.status).toEqual(2);
    expect(sarif.stderr).toEqual(json.stderr);
  }, 30_000);

  test('tool.driver: name, the package version, and every rule with its descriptions, help and default level', async () => {
    const result = await cdk8sSvc(['lint', 'my app', '--output', 'sarif'], dir);
    const { driver } = JSON.parse(result.stdout).runs[0].tool;
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(driver.name).toEqual('cdk8s-svc lint');
    expect(driver.version).toEqual(pkg.version);
    expect(driver.informationUri).toBeUndefined(); // package.json has no homepage to point at
    expect(driver.rules.map((rule: any) => rule.id)).toEqual(RULES.map(rule => rule.id));
    expect(driver.rules[0]).toEqual({
      id: 'service-selects-nothing',
      shortDescription: { text: 'a Service selector matches no pod template in its namespace' },
      fullDescription: { text: 'A Service selector matches no pod template in its namespace. Default level: error (traffic does not reach its pods, or Kubernetes rejects the object).' },
      help: { text: `A Service selector matches no pod template in its namespace.\n\nFix: ${RULES[0].fix}\n\nTo turn the rule off: cdk8s-svc lint --ignore service-selects-nothing` },
      defaultConfiguration: { level: 'error' },
    });
    for (const [i, rule] of RULES.entries()) {
      expect(driver.rules[i].defaultConfiguration.level).toEqual(rule.severity);
      expect(driver.rules[i].help.text).toContain(rule.fix);
    }
    // findings and no bad input: exit 1 as in the text report, and the run succeeded
    const invocation = JSON.parse(result.stdout).runs[0].invocations[0];
    expect(result.status).toEqual(1);
    expect(invocation).toEqual({ executionSuccessful: true, exitCode: 1, toolExecutionNotifications: [] });
  });

  test('a clean input: a valid log with no results; the output is the same bytes every run', async () => {
    const [first, second] = await Promise.all([
      cdk8sSvc(['lint', 'my app', '--output', 'sarif', '--ignore', 'named-target-port-missing', '--ignore', 'numeric-target-port-undeclared'], dir),
      cdk8sSvc(['lint', 'my app', '--output', 'sarif', '--ignore', 'named-target-port-missing', '--ignore', 'numeric-target-port-undeclared'], dir),
    ]);
    const log = JSON.parse(first.stdout);
    expect(schemaErrors(log)).toEqual([]);
    expect(log.runs[0].results).toEqual([]);
    expect(log.runs[0].invocations[0]).toEqual({ executionSuccessful: true, exitCode: 0, toolExecutionNotifications: [] });
    expect(first.status).toEqual(0);
    expect(second.stdout).toEqual(first.stdout);
  });

  test('standard input has no URI: results point at run.artifacts[0], the standard input stream, with their line', async () => {
    // WHEN
    const result = await cdk8sSvc(['lint', '-', '--output', 'sarif'], dir, WEB);
    // THEN
    const log = JSON.parse(result.stdout);
    expect(schemaErrors(log)).toEqual([]);
    const [run] = log.runs;
    expect(run.artifacts).toEqual([{ location: { index: 0, description: { text: 'standard input' } }, roles: ['analysisTarget', 'standardStream'] }]);
    expect(run.invocations[0].stdin).toEqual({ index: 0 });
    expect(run.results.map((r: any) => [r.ruleId, r.locations[0].physicalLocation])).toEqual([
      ['named-target-port-missing', { artifactLocation: { index: 0, description: { text: 'standard input' } }, region: { startLine: 10 } }],
      ['numeric-target-port-undeclared', { artifactLocation: { index: 0, description: { text: 'standard input' } }, region: { startLine: 15 } }],
    ]);
    expect(result.status).toEqual(1);
  });

  test('the schema check is not vacuous: it rejects a result without a message and a URI with a space', async () => {
    const result = await cdk8sSvc(['lint', 'my app', '--output', 'sarif'], dir);
    const log = JSON.parse(result.stdout);
    delete log.runs[0].results[0].message;
    log.runs[0].results[1].locations[0].physicalLocation.artifactLocation.uri = 'my app/web.yaml';
    expect(schemaErrors(log)).toEqual([
      '/runs/0/results/0 must have required property \'message\' {"missingProperty":"message"}',
      '/runs/0/results/1/locations/0/physicalLocation/artifactLocation/uri must match format "uri-reference" {"format":"uri-reference"}',
    ]);
  });
});

describe('fileUri', () => {
  test.each([
    ['k8s/web.yaml', 'k8s/web.yaml'],
    ['my app/web #1.yaml', 'my%20app/web%20%231.yaml'],
    ['./k8s/100%.yaml', './k8s/100%25.yaml'],
    ['../k8s/a:b.yaml', '../k8s/a%3Ab.yaml'],
    ['/srv/my app/web.yaml', 'file:///srv/my%20app/web.yaml'],
  ])('%s is %s', (file, uri) => {
    expect(fileUri(file)).toEqual(uri);
  });
});
