import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { ValidationContext } from 'cdk8s-cli/plugins';
import { IValidationPluginContext, ServiceWiringValidation, Severity } from 'cdk8s-service-patterns';
import { stringify } from 'yaml';
import { addExamples } from '../../examples/app';

// The cdk8s validation plugin, driven by cdk8s-cli's own ValidationContext (what `cdk8s synth`
// hands it); test/validation/plugin-synth.test.ts runs it inside the real `cdk8s synth`.

/**
 * cdk8s-cli's context, with `manifests` as a plain array: the one difference from the plugin's
 * local interface (jsii has no read-only arrays). Everything else must match, checked here.
 */
type CliContext = Omit<ValidationContext, 'manifests'> & { manifests: string[] };
const CONTEXT_MATCHES: (context: CliContext) => IValidationPluginContext = context => context;
const PLUGIN_MATCHES: (plugin: ServiceWiringValidation) => { validate(context: CliContext): Promise<void> } = plugin => plugin;

function deployment(name: string, portName: string, labels: Record<string, string> = { app: name }): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'nginx', ports: [{ containerPort: 8080, name: portName }] }] } },
    },
  };
}

function service(name: string, targetPort: number | string, selector: Record<string, string>): any {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector, ports: [{ port: 80, targetPort }] } };
}

describe('ServiceWiringValidation', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wiring-plugin-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Write the manifests as cdk8s would (one file per chart) and run the plugin on them. */
  async function validate(plugin: ServiceWiringValidation, manifests: any[], paths: Record<string, string> = {}): Promise<ValidationContext> {
    const file = path.join(dir, 'shop.k8s.yaml');
    fs.writeFileSync(file, manifests.map(manifest => stringify(manifest)).join('---\n'));
    const metadata = Object.fromEntries(Object.entries(paths).map(([name, constructPath]) => [name, { path: constructPath }]));
    const context = new ValidationContext([file], 'cdk8s-service-patterns', '0.1.0', metadata, false);
    await plugin.validate(CONTEXT_MATCHES(context as CliContext));
    return context;
  }

  test('the plugin and its context match cdk8s-cli\'s contract', () => {
    expect(PLUGIN_MATCHES(new ServiceWiringValidation())).toBeInstanceOf(ServiceWiringValidation);
  });

  test('a broken wiring fails, reported with rule, recommendation, fix, resource, manifest, field and construct path', async () => {
    // GIVEN
    const manifests = [deployment('shop-web-c8a1', 'web'), service('shop-svc-c8b2', 'http', { app: 'shop-web-c8a1' })];
    // WHEN
    const context = await validate(new ServiceWiringValidation(), manifests, { 'shop-web-c8a1': 'shop/Web/Resource', 'shop-svc-c8b2': 'shop/Svc' });
    // THEN
    const report = context.report.toJson();
    expect(report.summary).toEqual({
      status: 'failure',
      plugin: 'cdk8s-service-patterns',
      version: '0.1.0',
      metadata: { 'Errors': '1', 'Warnings': '0', 'Fails on': 'error' },
    });
    expect(report.violations).toEqual([{
      ruleName: 'named-target-port-missing',
      recommendation: "Service 'default/shop-svc-c8b2' (shop/Svc) port 80 targets port name 'http', but no container of Deployment 'default/shop-web-c8a1' (shop/Web/Resource) declares a TCP port with that name; traffic to those pods fails (error)",
      fix: "Name a container port 'http' in the pod template, or point targetPort at a declared port.",
      violatingConstructs: [{
        resourceName: 'shop-svc-c8b2',
        locations: ['spec.ports[0].targetPort'],
        manifestPath: path.join(dir, 'shop.k8s.yaml'),
        constructPath: 'shop/Svc',
      }],
    }]);
    expect(context.report.toString()).toContain('Construct Path: shop/Svc');
  });

  test('findings of one rule are one violation: every object with its fields, each message and fix in the recommendation', async () => {
    // GIVEN three targetPorts the pods do not name, on two Services, and a numeric one they do not declare
    const twoPorts = service('shop-b', 'http', { app: 'web' });
    twoPorts.spec.ports = [{ name: 'h', port: 80, targetPort: 'http' }, { name: 'g', port: 81, targetPort: 'grpc' }];
    const manifests = [deployment('web', 'web'), service('shop-a', 'http', { app: 'web' }), twoPorts, service('shop-c', 9090, { app: 'web' })];
    // WHEN
    const context = await validate(new ServiceWiringValidation(), manifests, { 'shop-a': 'shop/A', 'shop-b': 'shop/B' });
    // THEN
    const file = path.join(dir, 'shop.k8s.yaml');
    const { violations, summary } = context.report.toJson();
    expect(violations.map(violation => violation.ruleName)).toEqual(['named-target-port-missing', 'numeric-target-port-undeclared']);
    expect(violations[0].violatingConstructs).toEqual([
      { resourceName: 'shop-a', locations: ['spec.ports[0].targetPort'], manifestPath: file, constructPath: 'shop/A' },
      { resourceName: 'shop-b', locations: ['spec.ports[0].targetPort', 'spec.ports[1].targetPort'], manifestPath: file, constructPath: 'shop/B' },
    ]);
    const missing = (svc: string, port: number, name: string) => `Service 'default/${svc}' (shop/${svc.slice(-1).toUpperCase()}) port ${port} targets port name '${name}', but no container of Deployment 'default/web' (${file}:1) declares a TCP port with that name; traffic to those pods fails (error)`;
    expect(violations[0].recommendation).toEqual([
      '3 findings:',
      `    - ${missing('shop-a', 80, 'http')}`,
      "      fix: Name a container port 'http' in the pod template, or point targetPort at a declared port.",
      `    - ${missing('shop-b', 80, 'http')}`,
      "      fix: Name a container port 'http' in the pod template, or point targetPort at a declared port.",
      `    - ${missing('shop-b', 81, 'grpc')}`,
      "      fix: Name a container port 'grpc' in the pod template, or point targetPort at a declared port.",
    ].join('\n'));
    expect(violations[0].fix).toEqual("Name a container port with the targetPort's name in the selected pod template, or point targetPort at a declared port.");
    // one finding keeps its own message and fix
    expect(violations[1].recommendation).toMatch(/^Service 'default\/shop-c' \(.*\) port 80 targets port 9090\/TCP.* \(warning\)$/);
    expect(violations[1].violatingConstructs).toEqual([{ resourceName: 'shop-c', locations: ['spec.ports[0].targetPort'], manifestPath: file, constructPath: undefined }]);
    expect(summary.metadata).toEqual({ 'Errors': '3', 'Warnings': '1', 'Fails on': 'error' });
    // cdk8s counts the occurrences by location
    expect(context.report.toString()).toContain('named-target-port-missing (3 occurrences)');
    expect(context.report.toString()).toContain('numeric-target-port-undeclared (1 occurrences)');
  });

  test('findings of one rule that share their fix list the messages only, and the fix once', async () => {
    const manifests = [deployment('web', 'web'), service('a', 'http', { app: 'web' }), service('b', 'http', { app: 'web' })];
    const context = await validate(new ServiceWiringValidation(), manifests);
    const [violation] = context.report.toJson().violations;
    expect(violation.recommendation.split('\n')).toEqual([
      '2 findings:',
      expect.stringMatching(/^ {4}- Service 'default\/a' .* \(error\)$/),
      expect.stringMatching(/^ {4}- Service 'default\/b' .* \(error\)$/),
    ]);
    expect(violation.fix).toEqual("Name a container port 'http' in the pod template, or point targetPort at a declared port.");
  });

  test('a clean app succeeds', async () => {
    const context = await validate(new ServiceWiringValidation(), [deployment('web', 'http'), service('web-svc', 'http', { app: 'web' })]);
    expect(context.report.success).toBe(true);
    expect(context.report.toJson().violations).toEqual([]);
  });

  test('warnings are reported, and fail only with failOn: warning', async () => {
    const manifests = [deployment('web', 'http'), service('web-svc', 9090, { app: 'web' })];
    const lenient = await validate(new ServiceWiringValidation(), manifests);
    expect(lenient.report.success).toBe(true);
    expect(lenient.report.toJson().violations.map(violation => violation.ruleName)).toEqual(['numeric-target-port-undeclared']);
    const strict = await validate(new ServiceWiringValidation({ failOn: Severity.WARNING }), manifests);
    expect(strict.report.success).toBe(false);
    expect(strict.report.toJson().summary.metadata).toEqual({ 'Errors': '0', 'Warnings': '1', 'Fails on': 'warning' });
  });

  test('ignored rules are neither reported nor fail', async () => {
    const plugin = new ServiceWiringValidation({ ignore: ['named-target-port-missing'] });
    const context = await validate(plugin, [deployment('web', 'web'), service('web-svc', 'http', { app: 'web' })]);
    expect(context.report.success).toBe(true);
    expect(context.report.toJson().violations).toEqual([]);
    expect(context.report.toJson().summary.metadata?.Ignored).toEqual('named-target-port-missing');
  });

  test('an ignore-check.cdk8s-service-patterns/<rule> annotation silences the rule on its object', async () => {
    const annotated = service('web-svc', 'http', { app: 'web' });
    annotated.metadata.annotations = { 'ignore-check.cdk8s-service-patterns/named-target-port-missing': 'the port is added by a mutating webhook' };
    const context = await validate(new ServiceWiringValidation(), [deployment('web', 'web'), annotated]);
    expect(context.report.success).toBe(true);
    expect(context.report.toJson().violations).toEqual([]);
  });

  test('a name two objects share has no reliable construct path: messages fall back to the manifest line', async () => {
    // cdk8s records construct paths by metadata.name only, so Service 'web' and Deployment 'web' share one entry
    const context = await validate(new ServiceWiringValidation(), [deployment('web', 'web'), service('web', 'http', { app: 'web' })], { web: 'shop/Web' });
    const file = path.join(dir, 'shop.k8s.yaml');
    expect(context.report.toJson().violations[0].recommendation).toEqual(
      `Service 'default/web' (${file}:20) port 80 targets port name 'http', but no container of Deployment 'default/web' (${file}:1) declares a TCP port with that name; traffic to those pods fails (error)`,
    );
  });

  test('the examples app (cdk8s.yaml runs the plugin on it) passes', async () => {
    // GIVEN the examples written as `cdk8s synth` writes them, with construct metadata
    const app = new App({ outdir: dir, recordConstructMetadata: true });
    addExamples(app);
    app.synth();
    const manifests = fs.readdirSync(dir).filter(file => file.endsWith('.yaml')).map(file => path.join(dir, file));
    const recorded = JSON.parse(fs.readFileSync(path.join(dir, 'construct-metadata.json'), 'utf8')).resources;
    const context = new ValidationContext(manifests, 'cdk8s-service-patterns', '0.1.0', recorded, false);
    // WHEN
    await new ServiceWiringValidation().validate(CONTEXT_MATCHES(context as CliContext));
    // THEN
    expect(context.report.toJson().violations).toEqual([]);
    expect(context.report.success).toBe(true);
  });

  test.each([
    [{ failOn: 'fatal' }, 'ServiceWiringValidation: failOn "fatal" is not a severity; use \'error\' or \'warning\''],
    [{ ignore: 'env-names-missing-service' }, 'ServiceWiringValidation: ignore "env-names-missing-service" is not a list; give a list of rule ids, e.g. [env-names-missing-service]'],
    [{ failon: 'warning' }, 'ServiceWiringValidation: unknown property failon: "warning"; use failOn or ignore (did you mean failOn?)'],
    [{ 'fail-on': 'warning' }, 'ServiceWiringValidation: unknown property fail-on: "warning"; use failOn or ignore (did you mean failOn?)'],
    [{ ignores: ['env-names-missing-service'] }, 'ServiceWiringValidation: unknown property ignores: ["env-names-missing-service"]; use failOn or ignore (did you mean ignore?)'],
    [{ failOn: 'error', strict: true }, 'ServiceWiringValidation: unknown property strict: true; use failOn or ignore'],
    [['failOn'], 'ServiceWiringValidation: properties ["failOn"] is not a mapping; give for example properties: { failOn: warning }'],
    [{ ignore: ['no-such-rule'] }, 'ServiceWiringValidation: ignore names "no-such-rule", which is not a rule; use service-selects-nothing, named-target-port-missing, numeric-target-port-undeclared, statefulset-service, node-port-reused, externalname-selector, env-names-missing-service, ingress-backend-missing'],
  ])('fails when the properties are wrong: %j', (properties, message) => {
    // properties come from cdk8s.yaml untyped, as cdk8s-cli passes them
    expect(() => new ServiceWiringValidation(properties as any)).toThrow(message);
  });
});
