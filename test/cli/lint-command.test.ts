import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RULES } from '../../src/validation/rules';

// `cdk8s-svc lint`, run as the built command (test/global-setup.ts builds lib/ first) over the
// fixture manifests in test/fixtures/lint/: a few apps with Deployments, StatefulSets, Ingresses,
// a CronJob, a kind: List, a JSON file, a malformed file and a Helm template.

const ROOT = path.join(__dirname, '..', '..');
const MAIN = path.join(ROOT, 'lib', 'cli', 'main.js');
const FIXTURES = 'test/fixtures/lint';

interface Result {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run `cdk8s-svc <args>` from the repo root (or `cwd`), with `input` on standard input. */
function cdk8sSvc(args: string[], input?: string, cwd: string = ROOT): Promise<Result> {
  return new Promise(resolve => {
    const child = execFile(process.execPath, [MAIN, ...args], { cwd, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
    child.stdin!.end(input ?? '');
  });
}

function lint(...args: string[]): Promise<Result> {
  return cdk8sSvc(['lint', ...args]);
}

/** The findings of a JSON report, one line each: source, severity, rule, field. */
function summary(stdout: string): string[] {
  return JSON.parse(stdout).findings.map((f: any) => `${f.resource.source} ${f.severity} ${f.rule} ${f.field}`);
}

const fixture = (name: string) => `${FIXTURES}/${name}`;

describe('cdk8s-svc lint', () => {
  test('the fixture directory: every finding, the template document skipped, the malformed files named with their lines (exit 2)', async () => {
    // WHEN
    const result = await lint(FIXTURES, '--output', 'json');
    // THEN
    expect(summary(result.stdout)).toEqual([
      `${fixture('data/postgres.yaml')}:40 error service-selects-nothing spec.selector`,
      `${fixture('legacy/external.yaml')}:1 error externalname-selector spec.selector`,
      `${fixture('legacy/ingress-v1beta1.yaml')}:1 error ingress-backend-missing spec.rules[0].http.paths[0].backend.servicePort`,
      `${fixture('monitoring/alerts.yaml')}:2 error service-selects-nothing spec.selector`,
      `${fixture('monitoring/exporters.json')}:22 warning numeric-target-port-undeclared spec.ports[0].targetPort`,
      `${fixture('monitoring/list.yaml')}:27 error node-port-reused spec.ports[0].nodePort`,
      `${fixture('shop/api.yaml')}:31 error named-target-port-missing spec.ports[0].targetPort`,
      `${fixture('shop/frontend.yaml')}:2 warning env-names-missing-service spec.template.spec.containers[0].env[1].value`,
      `${fixture('shop/ingress.yaml')}:1 error ingress-backend-missing spec.rules[0].http.paths[1].backend.service.port`,
      `${fixture('shop/ingress.yaml')}:1 error ingress-backend-missing spec.rules[0].http.paths[2].backend.service.name`,
      `${fixture('shop/nightly-report.yaml')}:1 warning env-names-missing-service spec.jobTemplate.spec.template.spec.containers[0].env[1].value`,
      `${fixture('shop/redis.yaml')}:1 error statefulset-service spec.serviceName`,
    ]);
    const report = JSON.parse(result.stdout);
    expect(report.skipped).toEqual([{
      file: fixture('chart/templates/service.yaml'),
      line: 4,
      message: `cdk8s-svc lint: '${fixture('chart/templates/service.yaml')}' line 4: a template document ('{{ include "mailer.fullname" . }}'), skipped; render it first (helm template, kustomize build) and lint the output`,
    }]);
    const malformed = [
      `cdk8s-svc lint: '${fixture('broken/bad-indent.yaml')}' line 4, column 9: not valid YAML (Nested mappings are not allowed in compact mappings); fix the file, only valid YAML and JSON are linted`,
      `cdk8s-svc lint: '${fixture('broken/truncated.json')}' line 10, column 30: not valid JSON (unexpected end of input, expected ',' or '}'); fix the file, only valid YAML and JSON are linted`,
    ];
    expect(report.errors).toEqual([
      { file: fixture('broken/bad-indent.yaml'), line: 4, message: malformed[0] },
      { file: fixture('broken/truncated.json'), line: 10, message: malformed[1] },
    ]);
    expect(report.summary).toEqual({ files: 15, objects: 20, documents: 19, errors: 9, warnings: 3, skipped: 1, badInputs: 2 });
    expect(result.stderr).toEqual(`${malformed.join('\n')}\n`);
    expect(result.status).toEqual(2);
  });

  test('JSON findings carry the whole Finding: rule, severity, message, recommendation, object, field, related', async () => {
    const result = await lint(fixture('shop/api.yaml'), '--output=json', '--ignore', 'env-names-missing-service');
    expect(JSON.parse(result.stdout).findings).toEqual([{
      rule: 'named-target-port-missing',
      severity: 'error',
      message: `Service 'shop/api' (${fixture('shop/api.yaml')}:31) port 8080 targets port name 'http', but no container of Deployment 'shop/api' (${fixture('shop/api.yaml')}:1) declares a TCP port with that name; traffic to those pods fails`,
      recommendation: "Name a container port 'http' in the pod template, or point targetPort at a declared port.",
      resource: { kind: 'Service', name: 'api', namespace: 'shop', source: `${fixture('shop/api.yaml')}:31` },
      field: 'spec.ports[0].targetPort',
      related: { kind: 'Deployment', name: 'api', namespace: 'shop', source: `${fixture('shop/api.yaml')}:1` },
    }]);
    expect(result.status).toEqual(1);
  });

  test('text output: location, severity, rule and field, then the message and the fix, then a summary', async () => {
    const result = await lint(fixture('shop/redis.yaml'));
    expect(result.stdout).toEqual([
      `${fixture('shop/redis.yaml')}:1: error [statefulset-service] at spec.serviceName`,
      `  StatefulSet 'shop/redis' (${fixture('shop/redis.yaml')}:1) has serviceName 'redis', but Service 'shop/redis' (${fixture('shop/redis.yaml')}:24) is not headless (clusterIP: None); its pods get no DNS names`,
      '  fix: Point serviceName at a headless Service (clusterIP: None) whose selector matches the pod template labels.',
      '',
      '1 error, 0 warnings in 2 objects from 1 file (2 documents linted, 0 skipped)',
      '',
    ].join('\n'));
    expect(result.stderr).toEqual('');
    expect(result.status).toEqual(1);
  });

  describe('exit codes', () => {
    test('0 when clean', async () => {
      const result = await lint(fixture('data/postgres.yaml'), '--ignore', 'service-selects-nothing');
      expect(result.stdout).toEqual('no findings in 3 objects from 1 file (3 documents linted, 0 skipped)\n');
      expect(result.status).toEqual(0);
    });

    test('0 for warnings only, 1 with --fail-on warning, 0 again when the rule is ignored', async () => {
      const [lenient, strict, ignored] = await Promise.all([
        lint(fixture('monitoring/exporters.json')),
        lint(fixture('monitoring/exporters.json'), '--fail-on', 'warning'),
        lint(fixture('monitoring/exporters.json'), '--fail-on=warning', '--ignore', 'numeric-target-port-undeclared'),
      ]);
      expect(lenient.stdout).toContain('[numeric-target-port-undeclared]');
      expect(lenient.status).toEqual(0);
      expect(strict.status).toEqual(1);
      expect(ignored.status).toEqual(0);
    });

    test('1 for errors; a template is skipped, not bad input', async () => {
      const result = await lint(fixture('shop'), fixture('data'), fixture('monitoring'), fixture('legacy'), fixture('chart'));
      expect(result.stdout).toContain('9 errors, 3 warnings in 20 objects from 13 files (19 documents linted, 1 skipped)\n');
      expect(result.stderr).toEqual('');
      expect(result.status).toEqual(1);
    });

    test('2 for an unreadable path, and the other paths are still linted', async () => {
      const result = await lint('no/such/dir', fixture('shop/redis.yaml'));
      expect(result.stderr).toEqual("cdk8s-svc lint: cannot read 'no/such/dir' (ENOENT: no such file or directory, stat 'no/such/dir'); give existing files, directories, or - for standard input\n");
      expect(result.stdout).toContain('[statefulset-service]');
      expect(result.status).toEqual(2);
    });

    test('2 for invalid YAML or JSON, with file and line; the text report still has its summary', async () => {
      const result = await lint(fixture('broken'));
      expect(result.stderr).toContain(`'${fixture('broken/bad-indent.yaml')}' line 4, column 9: not valid YAML`);
      expect(result.stderr).toContain(`'${fixture('broken/truncated.json')}' line 10, column 30: not valid JSON`);
      expect(result.stdout).toEqual('no findings in 0 objects from 2 files (0 documents linted, 0 skipped, 2 bad input)\n');
      expect(result.status).toEqual(2);
    });

    test('0 for empty standard input', async () => {
      const result = await lint('-');
      expect(result.stdout).toEqual('no findings in 0 objects from 1 file (0 documents linted, 0 skipped)\n');
      expect(result.status).toEqual(0);
    });

    test.each([
      [[], "cdk8s-svc lint: no path given; give files, directories or - for standard input, e.g. cdk8s-svc lint dist/ (see cdk8s-svc lint --help)"],
      [['x', '--output', 'xml'], "cdk8s-svc lint: --output 'xml' is not a format; use text, json or sarif (see cdk8s-svc lint --help)"],
      [['x', '--fail-on', 'info'], "cdk8s-svc lint: --fail-on 'info' is not a severity; use error or warning (see cdk8s-svc lint --help)"],
      [['x', '--ignore', 'selects-nothing'], `cdk8s-svc lint: --ignore 'selects-nothing' is not a rule; use one of ${RULES.map(rule => rule.id).join(', ')} (see cdk8s-svc lint --help)`],
      [['x', '--fail-on'], 'cdk8s-svc lint: option --fail-on has no value; write for example --fail-on warning (see cdk8s-svc lint --help)'],
      [['x', '--strict'], "cdk8s-svc lint: unknown option '--strict'; the options are --output text|json|sarif, --fail-on error|warning, --ignore <rule>, -n/--namespace <ns> and --help (see cdk8s-svc lint --help)"],
      [['x', '-n'], 'cdk8s-svc lint: option -n has no value; write for example -n shop (see cdk8s-svc lint --help)'],
      [['x', '--namespace', 'Shop'], "cdk8s-svc lint: namespace 'Shop' is not a valid namespace name; use at most 63 characters of [a-z0-9-], starting and ending alphanumeric (DNS-1123 label) (see cdk8s-svc lint --help)"],
      [['x', '-n', 'a', '--namespace=b'], "cdk8s-svc lint: --namespace is given twice ('a', 'b'); give it once (see cdk8s-svc lint --help)"],
    ])('2 for bad arguments: %j', async (args, message) => {
      const result = await lint(...args);
      expect(result.stderr).toEqual(`${message}\n`);
      expect(result.stdout).toEqual('');
      expect(result.status).toEqual(2);
    });
  });

  test('- reads standard input (helm template ... | cdk8s-svc lint -)', async () => {
    const manifests = [
      'apiVersion: v1',
      'kind: Service',
      'metadata: { name: mailer }',
      'spec: { selector: { app: mailer }, ports: [{ port: 25, targetPort: smtp }] }',
      '',
    ].join('\n');
    const result = await cdk8sSvc(['lint', '-', '--output', 'json'], manifests);
    expect(summary(result.stdout)).toEqual(['<stdin>:1 error service-selects-nothing spec.selector']);
    expect(result.status).toEqual(1);
  });

  test('Service spec rules, quoted numbers and the ignore-check annotation (the README opening mistakes)', async () => {
    // GIVEN a quoted targetPort, a nodePort out of range, clusterIP None on a NodePort, and a
    // Service that opts out of service-selects-nothing
    const manifests = [
      'apiVersion: v1',
      'kind: Service',
      'metadata: { name: web }',
      'spec: { selector: { app: web }, ports: [{ port: 80, targetPort: "8080" }] }',
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata: { name: edge }',
      'spec: { type: NodePort, clusterIP: None, selector: { app: web }, ports: [{ port: 80, nodePort: 29999 }] }',
      '---',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: { name: web }',
      'spec: { selector: { matchLabels: { app: web } }, template: { metadata: { labels: { app: web } }, spec: { containers: [{ name: web, image: web, ports: [{ containerPort: 8080 }, { containerPort: 80 }] }] } } }',
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata: { name: mailer, annotations: { ignore-check.cdk8s-service-patterns/service-selects-nothing: "pods in another repo" } }',
      'spec: { selector: { app: mailer }, ports: [{ port: 25 }] }',
      '',
    ].join('\n');
    // WHEN
    const result = await cdk8sSvc(['lint', '-', '--output', 'json'], manifests);
    // THEN
    expect(summary(result.stdout)).toEqual([
      '<stdin>:1 error target-port-invalid spec.ports[0].targetPort',
      '<stdin>:6 error cluster-ip-invalid spec.clusterIP',
      '<stdin>:6 error node-port-out-of-range spec.ports[0].nodePort',
    ]);
    expect(JSON.parse(result.stdout).findings[0].recommendation).toEqual('Unquote it: targetPort: 8080.');
    expect(result.status).toEqual(1);
  });

  test('{{ }} in a rendered file (Prometheus rule annotations) is data: the file is linted, nothing skipped', async () => {
    const result = await lint(fixture('monitoring/alerts.yaml'), '--output', 'json');
    expect(summary(result.stdout)).toEqual([`${fixture('monitoring/alerts.yaml')}:2 error service-selects-nothing spec.selector`]);
    expect(JSON.parse(result.stdout).skipped).toEqual([]);
    expect(JSON.parse(result.stdout).summary).toMatchObject({ files: 1, objects: 2, skipped: 0, badInputs: 0 });
    expect(result.status).toEqual(1);
  });

  describe('never passes by skipping', () => {
    // a Service whose selector matches no pod: the finding each stream below must not hide
    const brokenService = [
      'apiVersion: v1',
      'kind: Service',
      'metadata: { name: alertmanager, namespace: monitoring }',
      'spec: { selector: { app: alertmanager }, ports: [{ port: 9093 }] }',
    ];

    test('template text in a quoted annotation (a PrometheusRule) is data: the Service beside it on stdin is reported (exit 1)', async () => {
      // GIVEN a stream with a PrometheusRule whose annotations use Go template actions (if, end) and the Service
      const stream = [
        'apiVersion: monitoring.coreos.com/v1',
        'kind: PrometheusRule',
        'metadata: { name: instances, namespace: monitoring }',
        'spec:',
        '  groups:',
        '    - name: instances',
        '      rules:',
        '        - alert: InstanceDown',
        '          expr: up == 0',
        '          annotations:',
        '            description: "{{ $labels.instance }} is down"',
        '            summary: \'{{ if eq $labels.severity "page" }}Page: {{ end }}{{ $labels.instance }} down\'',
        '---',
        ...brokenService,
        '',
      ].join('\n');
      // WHEN
      const [json, text] = await Promise.all([
        cdk8sSvc(['lint', '-', '--output', 'json'], stream),
        cdk8sSvc(['lint', '-'], stream),
      ]);
      // THEN
      expect(summary(json.stdout)).toEqual(['<stdin>:14 error service-selects-nothing spec.selector']);
      expect(JSON.parse(json.stdout).summary).toEqual({ files: 1, objects: 2, documents: 2, errors: 1, warnings: 0, skipped: 0, badInputs: 0 });
      expect(json.status).toEqual(1);
      expect(text.stdout).toContain('1 error, 0 warnings in 2 objects from 1 file (2 documents linted, 0 skipped)\n');
      expect(text.status).toEqual(1);
    });

    test('template text in a block scalar (an Alertmanager config in a Secret) is data, also beside an invalid document: the Service is reported', async () => {
      // GIVEN a Secret carrying Alertmanager templates in a block scalar, a document with an unclosed
      // bracket, and the Service
      const stream = [
        'apiVersion: v1',
        'kind: Secret',
        'metadata: { name: alertmanager-config, namespace: monitoring }',
        'stringData:',
        '  alertmanager.yaml: |',
        '    receivers:',
        '      - name: slack',
        '        slack_configs:',
        '          - title: {{ template "slack.default.title" . }}',
        '            text: >-',
        '              {{- range .Alerts }}{{ .Annotations.summary }}{{ end }}',
        '---',
        'kind: ConfigMap',
        'metadata: { name: [broken }',
        '---',
        ...brokenService,
        '',
      ].join('\n');
      // WHEN
      const result = await cdk8sSvc(['lint', '-', '--output', 'json'], stream);
      // THEN the Secret and the Service are linted, the broken document is bad input
      const report = JSON.parse(result.stdout);
      expect(summary(result.stdout)).toEqual(['<stdin>:16 error service-selects-nothing spec.selector']);
      expect(report.skipped).toEqual([]);
      expect(report.errors).toEqual([{ file: '<stdin>', line: 14, message: expect.stringContaining("cdk8s-svc lint: '<stdin>' line 14, column ") }]);
      expect(report.summary).toMatchObject({ objects: 2, documents: 2, skipped: 0, badInputs: 1 });
      expect(result.status).toEqual(2);
    });

    test('a file with a Helm template document and a plain one: the template is skipped with file and line, the Service is reported (exit 1)', async () => {
      // GIVEN one file: a Helm template document, then the broken Service
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lint-command-'));
      try {
        const file = path.join(dir, 'mixed.yaml');
        fs.writeFileSync(file, [
          '{{- if .Values.monitoring.enabled }}',
          'apiVersion: monitoring.coreos.com/v1',
          'kind: ServiceMonitor',
          'metadata:',
          '  name: {{ include "app.fullname" . }}',
          '{{- end }}',
          '---',
          ...brokenService,
          '',
        ].join('\n'));
        // WHEN
        const result = await cdk8sSvc(['lint', file]);
        // THEN
        expect(result.stdout).toContain(`${file}:8: error [service-selects-nothing] at spec.selector`);
        expect(result.stdout).toContain(`cdk8s-svc lint: '${file}' line 1: a template document ('{{- if .Values.monitoring.enabled }}'), skipped; render it first`);
        expect(result.stdout).toContain('1 error, 0 warnings in 1 object from 1 file (1 document linted, 1 skipped)\n');
        expect(result.status).toEqual(1);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    test('an invalid document between two valid ones: bad input (exit 2) with line and column, the others still linted', async () => {
      const stream = ['kind: ConfigMap', 'metadata: { name: a, namespace: monitoring }', '---', 'kind: ConfigMap', 'metadata:', "  name: 'b", '---', ...brokenService, ''].join('\n');
      const result = await cdk8sSvc(['lint', '-'], stream);
      expect(result.stderr).toEqual("cdk8s-svc lint: '<stdin>' line 6, column 11: not valid YAML (Missing closing 'quote); fix the file, only valid YAML and JSON are linted\n");
      expect(result.stdout).toContain('<stdin>:8: error [service-selects-nothing]');
      expect(result.stdout).toContain('1 error, 0 warnings in 2 objects from 1 file (2 documents linted, 0 skipped, 1 bad input)\n');
      expect(result.status).toEqual(2);
    });
  });

  describe('duplicate keys', () => {
    const deployment = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: { name: web }',
      'spec:',
      '  selector: { matchLabels: { app: web } }',
      '  template:',
      '    metadata: { labels: { app: web } }',
      '    spec: { containers: [{ name: web, image: web:1, ports: [{ containerPort: 8080 }] }] }',
      '---',
    ];

    test('read as kubectl reads them (the last wins): a duplicate-key warning with both lines, the Services still checked (was: the file was bad input)', async () => {
      // GIVEN a Service whose selector writes app twice, the last one matching the Deployment
      const stream = [
        ...deployment,
        'apiVersion: v1',
        'kind: Service',
        'metadata: { name: web }',
        'spec:',
        '  selector:',
        '    app: api',
        '    app: web',
        '  ports: [{ port: 80, targetPort: 8080 }]',
        '',
      ].join('\n');
      // WHEN
      const result = await cdk8sSvc(['lint', '-', '--output', 'json'], stream);
      // THEN the selector is app=web: no selects-nothing, one warning
      const report = JSON.parse(result.stdout);
      expect(report.findings).toEqual([{
        rule: 'duplicate-key',
        severity: 'warning',
        message: "Service 'default/web' (<stdin>:10) sets spec.selector.app twice, on lines 15 and 16; kubectl applies the value on line 16 and silently drops the other",
        recommendation: 'Remove the duplicate spec.selector.app, keeping the value you mean (today the one on line 16 applies).',
        resource: { kind: 'Service', name: 'web', namespace: 'default', source: '<stdin>:10' },
        field: 'spec.selector.app',
      }]);
      expect(report.errors).toEqual([]);
      expect(result.stderr).toEqual('');
      expect(result.status).toEqual(0);
    });

    test('the last value is the one checked: a Service whose last selector value matches nothing is reported', async () => {
      const stream = [...deployment, 'apiVersion: v1', 'kind: Service', 'metadata: { name: web }', 'spec:', '  selector: { app: web, app: api }', '  ports: [{ port: 80, targetPort: 8080 }]', ''].join('\n');
      const [lenient, strict] = await Promise.all([
        cdk8sSvc(['lint', '-', '--output', 'json'], stream),
        cdk8sSvc(['lint', '-', '--fail-on', 'warning', '--ignore', 'service-selects-nothing'], stream),
      ]);
      expect(summary(lenient.stdout)).toEqual(['<stdin>:10 error service-selects-nothing spec.selector', '<stdin>:10 warning duplicate-key spec.selector.app']);
      expect(lenient.status).toEqual(1);
      expect(strict.stdout).toContain('[duplicate-key]');
      expect(strict.status).toEqual(1);
    });
  });

  test('Gateway API: a Gateway, HTTPRoutes, a ReferenceGrant and Services (text, json and sarif)', async () => {
    // GIVEN test/fixtures/routes/shop.yaml: a route with a wrong port and an ungranted backend, and
    // a route to a listener the Gateway lacks
    const file = 'test/fixtures/routes/shop.yaml';
    // WHEN
    const [json, text, sarif, ignored] = await Promise.all([
      cdk8sSvc(['lint', file, '--output', 'json']),
      cdk8sSvc(['lint', file]),
      cdk8sSvc(['lint', file, '--output', 'sarif']),
      cdk8sSvc(['lint', file, '--ignore', 'route-backend-missing', '--ignore', 'route-backend-not-granted']),
    ]);
    // THEN
    expect(summary(json.stdout)).toEqual([
      `${file}:64 error route-backend-missing spec.rules[2].backendRefs[0].port`,
      `${file}:64 error route-backend-not-granted spec.rules[3].backendRefs[0].namespace`,
      `${file}:79 warning route-parent-not-admitted spec.parentRefs[0]`,
    ]);
    expect(json.status).toEqual(1);
    expect(text.stdout).toContain(`${file}:79: warning [route-parent-not-admitted] at spec.parentRefs[0]\n  HTTPRoute 'shop/admin' (${file}:79) parentRef spec.parentRefs[0] names Gateway 'infra/edge' (${file}:9), but no listener of it admits the route: it has no listener named 'https' (sectionName); its listeners are http;`);
    expect(text.stdout).toContain("fix: Add a ReferenceGrant in namespace 'data' from {group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop} to {group: \"\", kind: Service, name: reports}");
    const log = JSON.parse(sarif.stdout);
    expect(log.runs[0].results.map((r: any) => [r.ruleId, r.level])).toEqual([
      ['route-backend-missing', 'error'], ['route-backend-not-granted', 'error'], ['route-parent-not-admitted', 'warning'],
    ]);
    expect(log.runs[0].tool.driver.rules.map((r: any) => r.id)).toEqual(expect.arrayContaining(['route-backend-missing', 'route-backend-not-granted', 'route-parent-not-admitted']));
    // a warning alone does not fail the lint
    expect(ignored.status).toEqual(0);
  });

  test('-n/--namespace: objects without metadata.namespace are read as in it (as kubectl apply -n)', async () => {
    // GIVEN the mailer the nightly report (namespace shop) sends through, without a namespace
    const mailer = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: { name: mailer }',
      'spec:',
      '  selector: { matchLabels: { app: mailer } }',
      '  template:',
      '    metadata: { labels: { app: mailer } }',
      '    spec: { containers: [{ name: smtp, image: mailer:1, ports: [{ name: smtp, containerPort: 25 }] }] }',
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata: { name: mailer }',
      'spec: { selector: { app: mailer }, ports: [{ port: 25, targetPort: smtp }] }',
      '',
    ].join('\n');
    // WHEN
    const [inDefault, inShop, short] = await Promise.all([
      cdk8sSvc(['lint', fixture('shop/nightly-report.yaml'), '-', '--output', 'json'], mailer),
      cdk8sSvc(['lint', fixture('shop/nightly-report.yaml'), '-', '--output', 'json', '--namespace', 'shop'], mailer),
      cdk8sSvc(['lint', '-', '-n', 'shop', '--ignore', 'named-target-port-missing'], mailer.replace('targetPort: smtp', 'targetPort: 2525')),
    ]);
    // THEN in default, the report names a missing mailer; in shop, it finds it
    expect(summary(inDefault.stdout)).toEqual([`${fixture('shop/nightly-report.yaml')}:1 warning env-names-missing-service spec.jobTemplate.spec.template.spec.containers[0].env[1].value`]);
    expect(summary(inShop.stdout)).toEqual([]);
    expect(inShop.status).toEqual(0);
    expect(short.stdout).toContain("Service 'shop/mailer' (<stdin>:10) port 25 targets port 2525/TCP");
  });

  test('a directory: node_modules/ and dot-directories are not walked; a BOM is not part of the text', async () => {
    // GIVEN a project with a commented tsconfig.json in node_modules/ and .git/, and a manifest with a BOM
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lint-command-'));
    try {
      for (const sub of ['node_modules/typescript', '.git', 'k8s']) {
        fs.mkdirSync(path.join(dir, sub), { recursive: true });
      }
      fs.writeFileSync(path.join(dir, 'node_modules', 'typescript', 'tsconfig.json'), '{\n  // comments\n  "compilerOptions": {}\n}\n');
      fs.writeFileSync(path.join(dir, '.git', 'config.json'), '{');
      fs.writeFileSync(path.join(dir, 'k8s', 'web.json'), '\uFEFF{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": {"ports": [{"port": 80}]}}');
      // WHEN
      const result = await cdk8sSvc(['lint', '.'], undefined, dir);
      // THEN
      expect(result.stderr).toEqual('');
      expect(result.stdout).toEqual('no findings in 1 object from 1 file (1 document linted, 0 skipped)\n');
      expect(result.status).toEqual(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--help lists the options and the rules; cdk8s-svc --help lists lint', async () => {
    const [help, top] = await Promise.all([lint('--help'), cdk8sSvc(['--help'])]);
    expect(help.stdout).toContain('Usage: cdk8s-svc lint <path>...');
    expect(help.stdout).toMatch(/^ {2}-n, --namespace <ns> +the namespace of objects without metadata.namespace/m);
    expect(help.stdout).toMatch(/ {2}env-names-missing-service +warning +a \*_HOST, \*_ADDR or \*_SERVICE env value/);
    expect(help.status).toEqual(0);
    expect(top.stdout).toMatch(/ {2}lint +check the Service wiring of any manifests/);
  });
});
