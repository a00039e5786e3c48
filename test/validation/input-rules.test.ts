import { Severity } from 'cdk8s-service-patterns';
import { runRules } from '../../src/validation/engine';
import { ManifestInput } from '../../src/validation/from-manifests';

// The input rules: what the manifest reader saw in the text of an object, reported by the engine.

const service: ManifestInput = {
  manifest: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { ports: [{ port: 80 }] } },
  source: 'web.yaml:1',
};

describe('duplicate-key', () => {
  test('fails when an object writes a key twice: a warning naming the object, the field and both lines', () => {
    // GIVEN a Service whose YAML wrote spec.type on lines 6 and 9
    const input = { ...service, duplicateKeys: [{ field: 'spec.type', lines: [6, 9] }] };
    // WHEN
    const findings = runRules([input]);
    // THEN
    expect(findings).toEqual([{
      rule: 'duplicate-key',
      severity: Severity.WARNING,
      message: "Service 'shop/web' (web.yaml:1) sets spec.type twice, on lines 6 and 9; kubectl applies the value on line 9 and silently drops the other",
      recommendation: 'Remove the duplicate spec.type, keeping the value you mean (today the one on line 9 applies).',
      resource: { kind: 'Service', name: 'web', namespace: 'shop', source: 'web.yaml:1' },
      field: 'spec.type',
    }]);
  });

  test('three times: every line, the last one applies', () => {
    const input = { ...service, duplicateKeys: [{ field: 'metadata.labels.app', lines: [3, 4, 5] }] };
    expect(runRules([input])[0].message).toContain('sets metadata.labels.app 3 times, on lines 3, 4 and 5; kubectl applies the value on line 5 and silently drops the others');
  });

  test('objects of any kind, in the default namespace of the run; ignored like any rule', () => {
    const configMap: ManifestInput = { manifest: { kind: 'ConfigMap', metadata: { name: 'cfg' } }, source: 'cm.yaml:1', duplicateKeys: [{ field: 'data.a', lines: [4, 5] }] };
    expect(runRules([configMap], { defaultNamespace: 'shop' }).map(finding => finding.resource)).toEqual([{ kind: 'ConfigMap', name: 'cfg', namespace: 'shop', source: 'cm.yaml:1' }]);
    expect(runRules([configMap], { ignore: new Set(['duplicate-key']) })).toEqual([]);
  });

  test('stays silent on objects without duplicate keys', () => {
    expect(runRules([service])).toEqual([]);
    expect(runRules([{ ...service, duplicateKeys: [] }])).toEqual([]);
  });
});
