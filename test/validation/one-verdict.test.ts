import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Include, JsonPatch, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ClusterIPService, HttpRoute, NodePortService, ServiceWiringCheck, Severity } from 'cdk8s-service-patterns';
import { dispatch } from '../../src/cli/dispatch';
import { LINT_COMMAND } from '../../src/cli/lint-command';
import { ServiceWiringValidation } from '../../src/validation/service-wiring-validation';

// One engine, one verdict: for apps whose objects come from typed Services, plain cdk8s-plus
// objects, escape-hatch patches, `Include`d YAML and plain ApiObjects, the synth-time check, the
// validation plugin (over the files `App.synth()` writes) and `cdk8s-svc lint` (over the same YAML)
// report the same findings.

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'one-verdict-'));

function web(chart: Chart, ports: kplus.ContainerPort[] = [{ number: 8080, name: 'http' }]): kplus.Deployment {
  return new kplus.Deployment(chart, 'Web', { containers: [{ image: 'nginx', ports }] });
}

function includeYaml(chart: Chart, id: string, objects: object[]): void {
  const file = path.join(tmp(), `${id}.yaml`);
  fs.writeFileSync(file, Yaml.stringify(...objects));
  new Include(chart, id, { url: file });
}

const CASES: [string, (chart: Chart) => void, string[]][] = [
  ['a label query that matches no pod', chart => {
    new ClusterIPService(chart, 'Svc', { selector: kplus.Pods.select(chart, 'Other', { labels: { app: 'other' } }), ports: [{ port: 80 }] });
  }, ['service-selects-nothing']],
  ['a named targetPort a JSON patch adds', chart => {
    const deployment = web(chart);
    new ClusterIPService(chart, 'Svc', { selector: deployment, ports: [{ port: 9100, targetPortName: 'metrics' }] });
    ApiObject.of(deployment).addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/ports/-', { containerPort: 9100, name: 'metrics' }));
  }, []],
  ['a selector a JSON patch breaks', chart => {
    const service = new ClusterIPService(chart, 'Svc', { selector: web(chart), ports: [{ port: 80, targetPortName: 'http' }] });
    ApiObject.of(service).addJsonPatch(JsonPatch.replace('/spec/selector', { app: 'gone' }));
  }, ['service-selects-nothing']],
  ['a nodePort a JSON patch moves out of range', chart => {
    const service = new NodePortService(chart, 'Svc', { selector: web(chart), ports: [{ port: 80, targetPortName: 'http', nodePort: 30080 }] });
    ApiObject.of(service).addJsonPatch(JsonPatch.replace('/spec/ports/0/nodePort', 29999));
  }, ['node-port-out-of-range']],
  ['clusterIP None on a NodePort, as a plain ApiObject', chart => {
    web(chart);
    new ApiObject(chart, 'Plain', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'plain' }, spec: { type: 'NodePort', clusterIP: 'None', selector: { app: 'web' }, ports: [{ port: 80 }] } });
    new kplus.Deployment(chart, 'Labelled', { containers: [{ image: 'nginx', portNumber: 80 }], podMetadata: { labels: { app: 'web' } } });
    ServiceWiringCheck.of(chart); // no typed Service: the app asks for the check
  }, ['cluster-ip-invalid']],
  ['an ExternalName with a selector, Included', chart => {
    includeYaml(chart, 'Db', [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'db' }, spec: { type: 'ExternalName', externalName: 'db.example.com', selector: { app: 'db' } } }]);
    ServiceWiringCheck.of(chart);
  }, ['externalname-selector']],
  ['a quoted numeric targetPort', chart => {
    new kplus.Deployment(chart, 'Labelled', { containers: [{ image: 'nginx', portNumber: 8080 }], podMetadata: { labels: { app: 'web' } } });
    new ApiObject(chart, 'Plain', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'plain' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: '8080' }] } });
    ServiceWiringCheck.of(chart);
  }, ['target-port-invalid']],
  ['two objects with one name', chart => {
    const deployment = web(chart);
    new ClusterIPService(chart, 'A', { metadata: { name: 'web' }, selector: deployment, ports: [{ port: 80, targetPortName: 'http' }] });
    new ApiObject(chart, 'B', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { x: 'y' }, ports: [{ port: 81 }] } });
  }, ['duplicate-object', 'service-selects-nothing']],
  ['an HTTPRoute whose backend port a JSON patch breaks, and a Gateway that does not admit it', chart => {
    const service = new ClusterIPService(chart, 'Svc', { selector: web(chart), ports: [{ port: 80, targetPortName: 'http' }] });
    new ApiObject(chart, 'Gateway', {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'edge' },
      spec: { gatewayClassName: 'envoy', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', hostname: 'blog.example.com' }] },
    });
    const route = new HttpRoute(chart, 'Route', { parentRefs: [{ name: 'edge' }], hostnames: ['shop.example.com'], rules: [{ backends: [{ service }] }] });
    ApiObject.of(route).addJsonPatch(JsonPatch.replace('/spec/rules/0/backendRefs/0/port', 8080));
  }, ['route-backend-missing']],
  ['a finding silenced by its annotation', chart => {
    new ClusterIPService(chart, 'Svc', {
      metadata: { annotations: { 'ignore-check.cdk8s-service-patterns/service-selects-nothing': 'pods come from the legacy Helm release' } },
      selector: kplus.Pods.select(chart, 'Other', { labels: { app: 'other' } }),
      ports: [{ port: 80 }],
    });
  }, []],
];

/** `rule severity kind/name` of each finding, sorted. */
function keys(findings: { rule: string; severity: string; resource: { kind: string; name: string } }[]): string[] {
  return findings.map(f => `${f.rule} ${f.severity} ${f.resource.kind}/${f.resource.name}`).sort();
}

describe('one verdict at synth, in the plugin and in the lint', () => {
  test.each(CASES)('%s', async (_name, build, errorRules) => {
    // GIVEN
    const outdir = tmp();
    const app = new App({ outdir });
    const chart = new Chart(app, 'test');
    build(chart);

    // WHEN synthesized
    let synthError: string | undefined;
    try {
      app.synth();
    } catch (error) {
      synthError = String(error);
    }
    const synthFindings = keys(ServiceWiringCheck.of(app).findings);

    // THEN synth fails exactly on the expected error rules
    const failed = [...new Set(ServiceWiringCheck.of(app).findings.filter(f => f.severity === Severity.ERROR).map(f => f.rule))].sort();
    expect(failed).toEqual(errorRules);
    expect(synthError !== undefined).toBe(errorRules.length > 0);
    for (const rule of errorRules) {
      expect(synthError).toContain(`[${rule}]`);
    }

    // WHEN the same objects are linted as YAML (written by App.synth() when it passed)
    const file = path.join(outdir, 'test.k8s.yaml');
    if (synthError !== undefined) {
      fs.writeFileSync(file, Yaml.stringify(...app.node.findAll().filter(ApiObject.isApiObject).map(o => o.toJson())));
    }
    const out: string[] = [];
    dispatch(['lint', file, '--output', 'json'], [LINT_COMMAND], { stdout: text => out.push(text), stderr: () => undefined });
    // THEN the lint reports the same findings
    expect(keys(JSON.parse(out.join('')).findings)).toEqual(synthFindings);

    // WHEN the validation plugin checks the file
    const violations: { ruleName: string; violatingResources: unknown[] }[] = [];
    let status = '';
    await new ServiceWiringValidation().validate({
      manifests: [file],
      report: { addViolation: v => violations.push(v), submit: s => (status = s) },
    });
    // THEN it reports the same rules and fails on the same errors
    expect(violations.map(v => v.ruleName).sort()).toEqual([...new Set(synthFindings.map(k => k.split(' ')[0]))].sort());
    expect(status).toEqual(errorRules.length > 0 ? 'failure' : 'success');
  });
});

describe('the mistakes the README opens with', () => {
  test('cdk8s-svc lint catches every one of them', () => {
    // GIVEN one manifest per mistake, beside a Deployment serving http on 8080
    const deployment = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 8080, name: 'http' }] }] } } },
    };
    const service = (name: string, spec: object) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec });
    const file = path.join(tmp(), 'mistakes.yaml');
    fs.writeFileSync(file, Yaml.stringify(
      deployment,
      service('selects-no-pod', { selector: { app: 'wbe' }, ports: [{ port: 80, targetPort: 8080 }] }),
      service('no-container-port', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'metrics' }] }),
      service('node-port-range', { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, nodePort: 29999 }] }),
      service('headless-node-port', { type: 'NodePort', clusterIP: 'None', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] }),
      service('external-with-selector', { type: 'ExternalName', externalName: 'db.example.com', selector: { app: 'web' } }),
    ));
    // WHEN
    const out: string[] = [];
    const status = dispatch(['lint', file, '--output', 'json'], [LINT_COMMAND], { stdout: text => out.push(text), stderr: () => undefined });
    // THEN
    expect(status).toEqual(1);
    expect(JSON.parse(out.join('')).findings.map((f: any) => `${f.resource.name} ${f.rule} ${f.severity}`)).toEqual([
      'selects-no-pod service-selects-nothing error',
      'no-container-port named-target-port-missing error',
      'node-port-range node-port-out-of-range error',
      'headless-node-port cluster-ip-invalid error',
      'external-with-selector externalname-selector error',
    ]);
  });
});
