import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseManifestText, readManifestPaths } from '../../src/validation/manifest-reader';

// Reading manifests for the lint: documents, JSON, lists, positions, bad input and templates.
describe('manifest reader', () => {
  const yaml = (inputs: { manifest: any; source?: string }[]) => inputs.map(input => [input.manifest.kind, input.manifest.metadata?.name, input.source]);

  test('reads every document of a YAML stream, with the line each starts on', () => {
    const text = [
      '# a comment',
      'apiVersion: v1',
      'kind: Service',
      'metadata: { name: web }',
      '---',
      '---',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web',
      '',
    ].join('\n');
    const parsed = parseManifestText(text, 'app.yaml', { detectTemplates: true });
    expect(parsed.error).toBeUndefined();
    expect(yaml(parsed.inputs)).toEqual([['Service', 'web', 'app.yaml:2'], ['Deployment', 'web', 'app.yaml:7']]);
  });

  test('flattens kind: List and typed lists (items without kind), each item with its line', () => {
    const text = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '  - apiVersion: v1',
      '    kind: Service',
      '    metadata: { name: a }',
      '  - kind: ServiceList',
      '    items:',
      '      - metadata: { name: b }',
      '',
    ].join('\n');
    expect(yaml(parseManifestText(text, 'list.yaml', { detectTemplates: true }).inputs)).toEqual([['Service', 'a', 'list.yaml:4'], ['Service', 'b', 'list.yaml:9']]);
  });

  test('anchors, aliases and merge keys resolve as Kubernetes reads them', () => {
    const text = [
      'kind: Deployment',
      'metadata: { name: web, labels: &labels { app: web } }',
      'spec:',
      '  template:',
      '    metadata:',
      '      labels:',
      '        <<: *labels',
      '        tier: front',
      '',
    ].join('\n');
    const [input] = parseManifestText(text, 'anchors.yaml', { detectTemplates: true }).inputs;
    expect(input.manifest.spec.template.metadata.labels).toEqual({ app: 'web', tier: 'front' });
  });

  test('reads JSON, with lines', () => {
    const text = JSON.stringify({ kind: 'List', items: [{ kind: 'Service', metadata: { name: 'a' } }, { kind: 'Pod', metadata: { name: 'b' } }] }, undefined, 2);
    expect(yaml(parseManifestText(text, 'list.json', { detectTemplates: true }).inputs)).toEqual([['Service', 'a', 'list.json:4'], ['Pod', 'b', 'list.json:10']]);
  });

  test('invalid YAML: the file, line and column, and the parser\'s reason', () => {
    const parsed = parseManifestText('kind: Service\nmetadata:\n  name: [web\n', 'bad.yaml', { detectTemplates: true });
    expect(parsed.inputs).toEqual([]);
    expect(parsed.error).toEqual({
      file: 'bad.yaml',
      line: 4,
      message: expect.stringMatching(/^cdk8s-svc lint: 'bad.yaml' line 4, column 1: not valid YAML \(.+\); fix the file, only valid YAML and JSON are linted$/),
    });
  });

  test('duplicate keys and tabs as indentation are invalid YAML', () => {
    expect(parseManifestText('kind: Service\nkind: Pod\n', 'dup.yaml', { detectTemplates: true }).error?.message).toContain("'dup.yaml' line 2, column 1: not valid YAML (Map keys must be unique)");
    expect(parseManifestText('kind: Service\nmetadata:\n\tname: x\n', 'tab.yaml', { detectTemplates: true }).error?.line).toEqual(3);
  });

  test.each([
    ['{\n  "kind": "Service",\n}', 3, 1, 'unexpected "}", expected a property name in double quotes'],
    ['{\n  "kind": "Service"\n  "metadata": {}\n}', 3, 3, 'unexpected "\\"", expected \',\' or \'}\''],
    ['[1, 2', 1, 6, 'unexpected end of input, expected \',\' or \']\''],
    ['{"a": tru}', 1, 7, 'unexpected "t", expected a value'],
    ['{"a": "x\\q"}', 1, 10, 'unexpected "q", expected an escape sequence'],
    ['{} {}', 1, 4, 'unexpected "{", expected the end of the document'],
  ])('invalid JSON %j: line %d, column %d', (text, line, column, reason) => {
    expect(parseManifestText(text, 'bad.json', { detectTemplates: true }).error?.message)
      .toEqual(`cdk8s-svc lint: 'bad.json' line ${line}, column ${column}: not valid JSON (${reason}); fix the file, only valid YAML and JSON are linted`);
  });

  test('JSON that YAML would accept (a trailing comma) is still invalid in a .json file', () => {
    expect(parseManifestText('[1, 2,]', 'x.json', { detectTemplates: true }).error).toBeDefined();
    expect(parseManifestText('[1, 2,]', 'x.yaml', { detectTemplates: true }).error).toBeUndefined();
  });

  describe('templates', () => {
    test('a Helm template that is not valid YAML is skipped, naming the first action', () => {
      const text = '{{- if .Values.enabled }}\napiVersion: v1\nkind: Service\n{{- end }}\n';
      const parsed = parseManifestText(text, 'svc.yaml', { detectTemplates: true });
      expect(parsed.error).toBeUndefined();
      expect(parsed.skipped).toEqual({
        file: 'svc.yaml',
        line: 1,
        message: "cdk8s-svc lint: 'svc.yaml' is a template ('{{- if .Values.enabled }}' on line 1), skipped; render it first (helm template, kustomize build) and lint the output",
      });
    });

    test('a template that happens to parse is skipped too', () => {
      const parsed = parseManifestText('kind: Service\nmetadata:\n  name: "{{ .Release.Name }}-web"\n', 'svc.yaml', { detectTemplates: true });
      expect(parsed.skipped?.line).toEqual(3);
      expect(parsed.inputs).toEqual([]);
    });

    test('{{ }} inside a block scalar (a ConfigMap carrying a template) is data, not templating', () => {
      const text = 'kind: ConfigMap\nmetadata:\n  name: alerts\ndata:\n  rule: |\n    summary: {{ $labels.instance }} is down\n';
      const parsed = parseManifestText(text, 'cm.yaml', { detectTemplates: true });
      expect(parsed.skipped).toBeUndefined();
      expect(yaml(parsed.inputs)).toEqual([['ConfigMap', 'alerts', 'cm.yaml:1']]);
    });

    test('{{ }} that is not Helm\'s, in a file that parses, is data: a Prometheus rule is linted, not skipped', () => {
      const text = [
        'apiVersion: monitoring.coreos.com/v1',
        'kind: PrometheusRule',
        'metadata: { name: node }',
        'spec:',
        '  groups:',
        '    - name: node',
        '      rules:',
        '        - alert: InstanceDown',
        '          expr: up == 0',
        '          annotations:',
        '            summary: "Instance {{ $labels.instance }} down"',
        '            description: "{{ $value | humanize }} for {{ printf \\"%s\\" $labels.job }}"',
        '---',
        'apiVersion: argoproj.io/v1alpha1',
        'kind: Workflow',
        'metadata: { generateName: hello- }',
        'spec:',
        '  templates:',
        '    - name: main',
        '      container: { image: alpine, args: ["{{inputs.parameters.message}}"] }',
        '',
      ].join('\n');
      const parsed = parseManifestText(text, 'rules.yaml', { detectTemplates: true });
      expect(parsed.skipped).toBeUndefined();
      expect(parsed.error).toBeUndefined();
      expect(yaml(parsed.inputs)).toEqual([['PrometheusRule', 'node', 'rules.yaml:1'], ['Workflow', undefined, 'rules.yaml:14']]);
    });

    test.each([
      ['{{- .x }}', 'a trim marker'],
      ['{{ .x -}}', 'a trim marker'],
      ['{{ $.Values.image }}', 'a Helm built-in object'],
      ['{{ .Chart.Version }}', 'a Helm built-in object'],
      ['{{ include "web.name" . }}', 'include'],
      ['{{ $name := include "web.name" . }}', 'include, after an assignment'],
      ['{{ .x | default "web" }}', 'default, in a pipeline'],
      ['{{ (tpl .x $) }}', 'tpl, in parentheses'],
      ['{{ end }}', 'end'],
    ])('a file that parses but holds a Helm action (%s: %s) is skipped', action => {
      const parsed = parseManifestText(`kind: Service\nmetadata:\n  name: web\n  annotations:\n    x: '${action}'\n`, 'svc.yaml', { detectTemplates: true });
      expect(parsed.skipped?.message).toContain(`is a template ('${action}' on line 5)`);
      expect(parsed.inputs).toEqual([]);
    });

    test('{{ }} in a file that does not parse is a template, even when it does not look like Helm\'s', () => {
      const parsed = parseManifestText('kind: ConfigMap\nmetadata:\n  name: {{ $labels.x }}-web\n', 'cm.yaml', { detectTemplates: true });
      expect(parsed.error).toBeUndefined();
      expect(parsed.skipped?.message).toContain("is a template ('{{ $labels.x }}' on line 3)");
    });

    test('manifests cdk8s wrote are never templates', () => {
      const parsed = parseManifestText('kind: ConfigMap\nmetadata:\n  name: "{{ x }}"\n', 'chart.k8s.yaml', { detectTemplates: false });
      expect(parsed.skipped).toBeUndefined();
      expect(parsed.inputs).toHaveLength(1);
    });
  });

  describe('paths', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'manifest-reader-'));
    });
    afterEach(() => {
      fs.rmSync(dir, { recursive: true, force: true });
    });

    test('directories are read recursively (*.yaml, *.yml, *.json, in name order), files once, stdin for -', () => {
      // GIVEN
      fs.mkdirSync(path.join(dir, 'b', 'c'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'b', 'c', 'z.yml'), 'kind: Pod\nmetadata: { name: z }\n');
      fs.writeFileSync(path.join(dir, 'b', 'a.json'), '{"kind": "Pod", "metadata": {"name": "a"}}');
      fs.writeFileSync(path.join(dir, 'a.yaml'), 'kind: Pod\nmetadata: { name: first }\n');
      fs.writeFileSync(path.join(dir, 'notes.txt'), 'kind: Pod\n');
      // WHEN
      const read = readManifestPaths([dir, path.join(dir, 'a.yaml'), '-'], () => 'kind: Pod\nmetadata: { name: piped }\n');
      // THEN
      expect(read.errors).toEqual([]);
      expect(read.files).toEqual([path.join(dir, 'a.yaml'), path.join(dir, 'b', 'a.json'), path.join(dir, 'b', 'c', 'z.yml'), '<stdin>']);
      expect(read.inputs.map(input => input.manifest.metadata.name)).toEqual(['first', 'a', 'z', 'piped']);
      expect(read.inputs[3].source).toEqual('<stdin>:1');
    });

    test('directories skip node_modules/ and dot-directories (.git/); paths named explicitly are read', () => {
      // GIVEN a repo with a tsconfig.json with comments in node_modules/ and .git/, and a manifest
      fs.mkdirSync(path.join(dir, 'node_modules', 'pkg'), { recursive: true });
      fs.mkdirSync(path.join(dir, '.git'));
      fs.mkdirSync(path.join(dir, 'k8s'));
      fs.writeFileSync(path.join(dir, 'node_modules', 'pkg', 'tsconfig.json'), '{ // comment\n}');
      fs.writeFileSync(path.join(dir, '.git', 'x.yaml'), 'kind: Pod\nmetadata: { name: git }\n');
      fs.writeFileSync(path.join(dir, 'k8s', 'web.yaml'), 'kind: Pod\nmetadata: { name: web }\n');
      // WHEN
      const walked = readManifestPaths([dir], () => '');
      const named = readManifestPaths([path.join(dir, '.git'), path.join(dir, '.git', 'x.yaml')], () => '');
      // THEN
      expect(walked.errors).toEqual([]);
      expect(walked.files).toEqual([path.join(dir, 'k8s', 'web.yaml')]);
      expect(named.files).toEqual([path.join(dir, '.git', 'x.yaml')]);
      expect(named.inputs.map(input => input.manifest.metadata.name)).toEqual(['git']);
    });

    test('a leading byte order mark is not part of the JSON or YAML', () => {
      fs.writeFileSync(path.join(dir, 'a.json'), '\uFEFF{"kind": "Pod", "metadata": {"name": "a"}}');
      fs.writeFileSync(path.join(dir, 'b.yaml'), '\uFEFFkind: Pod\nmetadata: { name: b }\n');
      const read = readManifestPaths([dir], () => '');
      expect(read.errors).toEqual([]);
      expect(read.inputs.map(input => [input.manifest.kind, input.manifest.metadata.name, input.source])).toEqual([
        ['Pod', 'a', `${path.join(dir, 'a.json')}:1`],
        ['Pod', 'b', `${path.join(dir, 'b.yaml')}:1`],
      ]);
    });

    test('an unreadable path is reported, and the other paths are still read', () => {
      fs.writeFileSync(path.join(dir, 'ok.yaml'), 'kind: Pod\nmetadata: { name: ok }\n');
      const missing = path.join(dir, 'missing.yaml');
      const read = readManifestPaths([missing, path.join(dir, 'ok.yaml')], () => '');
      expect(read.errors).toEqual([{
        file: missing,
        message: `cdk8s-svc lint: cannot read '${missing}' (ENOENT: no such file or directory, stat '${missing}'); give existing files, directories, or - for standard input`,
      }]);
      expect(read.inputs).toHaveLength(1);
    });
  });
});
