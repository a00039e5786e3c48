import { Finding, Severity } from 'cdk8s-service-patterns';
import { runRules } from '../../src/validation/engine';

// runRules, the one entry point of synth, the plugin and the lint: the rules over every object of
// the input (duplicate-object), nodePort 0, and the per-object opt-out annotation.

function deployment(name: string, metadata: any = {}): any {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...metadata },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'app', ports: [{ containerPort: 8080, name: 'http' }] }] } } },
  };
}

function service(name: string, spec: any, metadata: any = {}): any {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, ...metadata }, spec };
}

function lint(...manifests: any[]): Finding[] {
  return runRules(manifests.map((manifest, i) => ({ manifest, source: `all.yaml:${i * 10 + 1}` })));
}

function rules(findings: Finding[]): string[] {
  return findings.map(finding => finding.rule);
}

const WEB = { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] };

describe('runRules', () => {
  describe('duplicate-object', () => {
    test('fails when two objects share API group, kind, namespace and name, naming both', () => {
      // GIVEN one ConfigMap twice (the second replaces the first on apply)
      const config = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: { a: '1' } };
      // WHEN
      const findings = lint(config, { ...config, data: { a: '2' } });
      // THEN
      expect(findings).toEqual([{
        rule: 'duplicate-object',
        severity: Severity.ERROR,
        message: "ConfigMap 'shop/settings' (all.yaml:11) has the same API group (core), kind, namespace and name as ConfigMap 'shop/settings' (all.yaml:1); applied, the second silently replaces the first",
        recommendation: 'Rename one of them, or remove the duplicate.',
        resource: expect.objectContaining({ kind: 'ConfigMap', name: 'settings', source: 'all.yaml:11' }),
        field: 'metadata.name',
        related: expect.objectContaining({ source: 'all.yaml:1' }),
      }]);
    });

    test('names both construct paths at synth', () => {
      const inputs = [
        { manifest: deployment('web'), constructPath: 'shop/Web' },
        { manifest: deployment('web'), constructPath: 'shop/Copy' },
      ];
      const findings = runRules(inputs).filter(finding => finding.rule === 'duplicate-object');
      expect(findings.map(finding => finding.message)).toEqual([
        "Deployment 'default/web' (shop/Copy) has the same API group (apps), kind, namespace and name as Deployment 'default/web' (shop/Web); applied, the second silently replaces the first",
      ]);
    });

    test('compares cluster-scoped kinds without their namespace, and objects without one in the default namespace', () => {
      const role = (namespace?: string) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader', namespace } });
      expect(rules(lint(role(), role('shop')))).toEqual(['duplicate-object']);
      expect(rules(lint(deployment('web'), deployment('web', { namespace: 'default' })))).toContain('duplicate-object');
    });

    test('stays silent for other groups, kinds, namespaces or names, and for generateName', () => {
      const legacy = { ...deployment('web'), apiVersion: 'extensions/v1beta1' };
      const job = (metadata: any) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata, spec: { template: { spec: { containers: [], restartPolicy: 'Never' } } } });
      expect(rules(lint(deployment('web'), legacy)).filter(rule => rule === 'duplicate-object')).toEqual([]);
      expect(rules(lint(deployment('web'), service('web', WEB), deployment('web', { namespace: 'shop' }), deployment('api')))).not.toContain('duplicate-object');
      expect(rules(lint(job({ generateName: 'migrate-' }), job({ generateName: 'migrate-' })))).toEqual([]);
    });
  });

  describe('nodePort 0', () => {
    test('lets the cluster allocate: no node-port-reused, node-port-not-allowed or node-port-out-of-range', () => {
      const nodePort = (name: string, type: string) => service(name, { type, selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http', nodePort: 0 }] });
      expect(lint(deployment('web'), nodePort('a', 'NodePort'), nodePort('b', 'NodePort'), nodePort('c', 'LoadBalancer'), nodePort('d', 'ClusterIP'))).toEqual([]);
    });
  });

  describe('the ignore-check.cdk8s-service-patterns/<rule> annotation', () => {
    test('silences that rule on that object only', () => {
      // GIVEN two Services that select nothing, one of them annotated
      const annotations = { 'ignore-check.cdk8s-service-patterns/service-selects-nothing': 'pods come from another repo' };
      const findings = lint(service('a', { selector: { app: 'elsewhere' }, ports: [{ port: 80 }] }, { annotations }), service('b', { selector: { app: 'elsewhere' }, ports: [{ port: 80 }] }));
      // THEN only the other one is reported
      expect(findings.map(finding => [finding.rule, finding.resource.name])).toEqual([['service-selects-nothing', 'b']]);
    });

    test('silences only the rule it names', () => {
      const annotations = { 'ignore-check.cdk8s-service-patterns/node-port-out-of-range': 'legacy cluster' };
      const findings = lint(service('a', { type: 'NodePort', clusterIP: 'None', ports: [{ port: 80, nodePort: 8080 }] }, { annotations }));
      expect(rules(findings)).toEqual(['cluster-ip-invalid']);
    });

    test('fails (a warning) when the annotation names no rule, suggesting the one meant', () => {
      const annotations = { 'ignore-check.cdk8s-service-patterns/service-selects-nothin': 'typo' };
      const findings = lint(service('a', { selector: { app: 'elsewhere' }, ports: [{ port: 80 }] }, { annotations }));
      expect(findings).toEqual([
        expect.objectContaining({ rule: 'service-selects-nothing' }),
        expect.objectContaining({
          rule: 'unknown-ignore-check',
          severity: Severity.WARNING,
          message: "Service 'default/a' (all.yaml:1) has annotation ignore-check.cdk8s-service-patterns/service-selects-nothin, but there is no rule 'service-selects-nothin', so it silences nothing (did you mean 'service-selects-nothing'?)",
          recommendation: 'Write ignore-check.cdk8s-service-patterns/service-selects-nothing, or remove the annotation.',
          field: "metadata.annotations['ignore-check.cdk8s-service-patterns/service-selects-nothin']",
        }),
      ]);
    });

    test('works on any kind of object, and the ignore option still applies app-wide', () => {
      const client = { ...deployment('client'), metadata: { name: 'client', annotations: { 'ignore-check.cdk8s-service-patterns/env-names-missing-service': 'external cache' } } };
      client.spec.template.spec.containers[0].env = [{ name: 'CACHE_HOST', value: 'redis' }];
      expect(lint(client)).toEqual([]);
      const annotations = { 'ignore-check.cdk8s-service-patterns/no-such-rule': '' };
      expect(runRules([{ manifest: deployment('web', { annotations }) }], { ignore: new Set(['unknown-ignore-check']) })).toEqual([]);
    });
  });
});
