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
    expect(parsed.errors).toEqual([]);
    expect(yaml(parsed.inputs)).toEqual([['Service', 'web', 'app.yaml:2'], ['Deployment', 'web', 'app.yaml:7']]);
    expect(parsed.documents).toEqual(2);
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

  test('invalid YAML: the file, line and column (an early end where the text ends), and the parser\'s reason', () => {
    const parsed = parseManifestText('kind: Service\nmetadata:\n  name: [web\n', 'bad.yaml', { detectTemplates: true });
    expect(parsed.inputs).toEqual([]);
    expect(parsed.documents).toEqual(0);
    expect(parsed.errors).toEqual([{
      file: 'bad.yaml',
      line: 3,
      message: expect.stringMatching(/^cdk8s-svc lint: 'bad.yaml' line 3, column 13: not valid YAML \(.+\); fix the file, only valid YAML and JSON are linted$/),
    }]);
  });

  test('tabs as indentation are invalid YAML', () => {
    expect(parseManifestText('kind: Service\nmetadata:\n\tname: x\n', 'tab.yaml', { detectTemplates: true }).errors[0]?.line).toEqual(3);
  });

  test('an invalid document between two valid ones: reported with line and column, the others read', () => {
    // GIVEN an unclosed quote, which YAML would otherwise read on into the next documents
    const text = [
      'kind: Service',
      'metadata: { name: first }',
      '---',
      'kind: Service',
      'metadata:',
      '  name: "broken',
      '---',
      'kind: Service',
      'metadata: { name: last }',
      '',
    ].join('\n');
    // WHEN
    const parsed = parseManifestText(text, 'svc.yaml', { detectTemplates: true });
    // THEN
    expect(yaml(parsed.inputs)).toEqual([['Service', 'first', 'svc.yaml:1'], ['Service', 'last', 'svc.yaml:8']]);
    expect(parsed.errors.map(error => error.message)).toEqual([
      "cdk8s-svc lint: 'svc.yaml' line 6, column 16: not valid YAML (Missing closing \"quote); fix the file, only valid YAML and JSON are linted",
    ]);
    expect(parsed.documents).toEqual(2);
  });

  describe('duplicate keys', () => {
    test('are read as kubectl reads them (the last value wins), each with the lines of its occurrences (was: the file was invalid)', () => {
      // GIVEN a selector and a port with a key written twice, a label key written twice in a flow mapping
      const text = [
        'apiVersion: v1',
        'kind: Service',
        'metadata:',
        '  name: web',
        '  labels: { app.kubernetes.io/name: a, "app.kubernetes.io/name": b }',
        'spec:',
        '  selector:',
        '    app: api',
        '    tier: front',
        '    app: web',
        '  ports:',
        '    - port: 80',
        '      port: 81',
        '      port: 8080',
        '',
      ].join('\n');
      // WHEN
      const parsed = parseManifestText(text, 'svc.yaml', { detectTemplates: true });
      // THEN
      expect(parsed.errors).toEqual([]);
      const [input] = parsed.inputs;
      expect(input.manifest.spec.selector).toEqual({ app: 'web', tier: 'front' });
      expect(input.manifest.spec.ports).toEqual([{ port: 8080 }]);
      expect(input.manifest.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'b' });
      expect(input.duplicateKeys).toEqual([
        { field: 'metadata.labels["app.kubernetes.io/name"]', lines: [5, 5] },
        { field: 'spec.selector.app', lines: [8, 10] },
        { field: 'spec.ports[0].port', lines: [12, 13, 14] },
      ]);
    });

    test('in a List item, paths and lines are the item\'s; objects without duplicates carry none', () => {
      const text = 'kind: List\nitems:\n  - kind: Service\n    metadata: { name: a }\n    spec: { type: ClusterIP, type: NodePort }\n  - kind: Service\n    metadata: { name: b }\n';
      const parsed = parseManifestText(text, 'list.yaml', { detectTemplates: true });
      expect(parsed.inputs.map(input => input.duplicateKeys)).toEqual([[{ field: 'spec.type', lines: [5, 5] }], undefined]);
      expect(parsed.inputs[0].manifest.spec.type).toEqual('NodePort');
    });

    test('merge keys (<<) are not duplicates of the keys they merge', () => {
      const text = 'kind: Pod\nmetadata:\n  name: a\n  labels:\n    <<: { app: x }\n    app: web\n';
      const parsed = parseManifestText(text, 'pod.yaml', { detectTemplates: true });
      expect(parsed.inputs[0].manifest.metadata.labels).toEqual({ app: 'web' });
      expect(parsed.inputs[0].duplicateKeys).toBeUndefined();
    });

    test('in JSON too (JSON.parse and kubectl keep the last value)', () => {
      const parsed = parseManifestText('{"kind": "Pod",\n "metadata": {"name": "a",\n "name": "b"}}', 'pod.json', { detectTemplates: true });
      expect(parsed.inputs[0].manifest.metadata.name).toEqual('b');
      expect(parsed.inputs[0].duplicateKeys).toEqual([{ field: 'metadata.name', lines: [2, 3] }]);
    });
  });

  test.each([
    ['{\n  "kind": "Service",\n}', 3, 1, 'unexpected "}", expected a property name in double quotes'],
    ['{\n  "kind": "Service"\n  "metadata": {}\n}', 3, 3, 'unexpected "\\"", expected \',\' or \'}\''],
    ['[1, 2', 1, 6, 'unexpected end of input, expected \',\' or \']\''],
    ['{"a": tru}', 1, 7, 'unexpected "t", expected a value'],
    ['{"a": "x\\q"}', 1, 10, 'unexpected "q", expected an escape sequence'],
    ['{} {}', 1, 4, 'unexpected "{", expected the end of the document'],
  ])('invalid JSON %j: line %d, column %d', (text, line, column, reason) => {
    expect(parseManifestText(text, 'bad.json', { detectTemplates: true }).errors[0]?.message)
      .toEqual(`cdk8s-svc lint: 'bad.json' line ${line}, column ${column}: not valid JSON (${reason}); fix the file, only valid YAML and JSON are linted`);
  });

  test('JSON that YAML would accept (a trailing comma) is still invalid in a .json file', () => {
    expect(parseManifestText('[1, 2,]', 'x.json', { detectTemplates: true }).errors).toHaveLength(1);
    expect(parseManifestText('[1, 2,]', 'x.yaml', { detectTemplates: true }).errors).toEqual([]);
  });

  describe('templates', () => {
    const skip = (file: string, line: number, action: string) => ({
      file,
      line,
      message: `cdk8s-svc lint: '${file}' line ${line}: a template document ('${action}'), skipped; render it first (helm template, kustomize build) and lint the output`,
    });

    test('a Helm template document that is not valid YAML is skipped, naming its first action and line', () => {
      const text = '{{- if .Values.enabled }}\napiVersion: v1\nkind: Service\n{{- end }}\n';
      const parsed = parseManifestText(text, 'svc.yaml', { detectTemplates: true });
      expect(parsed.errors).toEqual([]);
      expect(parsed.skipped).toEqual([skip('svc.yaml', 1, '{{- if .Values.enabled }}')]);
      expect(parsed.documents).toEqual(0);
    });

    test('skipping is per document: a template document is skipped, the plain documents of the file are read', () => {
      // GIVEN a Helm template document between two plain ones
      const text = [
        'apiVersion: v1',
        'kind: Service',
        'metadata: { name: before }',
        '---',
        'apiVersion: v1',
        'kind: Service',
        'metadata:',
        '  name: {{ include "web.fullname" . }}',
        '  labels:',
        '    {{- include "web.labels" . | nindent 4 }}',
        '---',
        'apiVersion: v1',
        'kind: Service',
        'metadata: { name: after }',
        '',
      ].join('\n');
      // WHEN
      const parsed = parseManifestText(text, 'mixed.yaml', { detectTemplates: true });
      // THEN
      expect(yaml(parsed.inputs)).toEqual([['Service', 'before', 'mixed.yaml:1'], ['Service', 'after', 'mixed.yaml:12']]);
      expect(parsed.skipped).toEqual([skip('mixed.yaml', 8, '{{ include "web.fullname" . }}')]);
      expect(parsed.errors).toEqual([]);
      expect(parsed.documents).toEqual(2);
    });

    test.each([
      ['an unquoted action as a value', 'kind: Service\nmetadata:\n  name: {{ .Values.name }}\n', 3, '{{ .Values.name }}'],
      ['an unquoted action as a key', 'kind: ConfigMap\ndata:\n  {{ .Values.key }}: x\n', 3, '{{ .Values.key }}'],
      ['an unquoted action before text', 'kind: Service\nmetadata:\n  name: {{ .Release.Name }}-web\n', 3, '{{ .Release.Name }}'],
      ['an action on a line of its own', 'kind: Service\nmetadata:\n  name: web\n{{- if .Values.x }}\nspec: {}\n{{- end }}\n', 4, '{{- if .Values.x }}'],
      ['an end on a line of its own', 'kind: Service\nmetadata:\n  name: web\n{{ end }}\n', 4, '{{ end }}'],
      ['a flow sequence item', 'kind: Pod\nspec:\n  args: [{{ .Values.arg }}]\n', 3, '{{ .Values.arg }}'],
      ['unquoted action text that is not Helm\'s', 'kind: ConfigMap\nmetadata:\n  name: {{ $labels.x }}-web\n', 3, '{{ $labels.x }}'],
      ['a Helm object inside a plain scalar', 'kind: Service\nmetadata:\n  name: web-{{ .Values.x }}\n', 3, '{{ .Values.x }}'],
      ['a Helm function inside a plain scalar', 'kind: Service\nmetadata:\n  name: web-{{ include "x" . }}\n', 3, '{{ include "x" . }}'],
      ['an assignment inside a plain scalar', 'kind: Service\nmetadata:\n  name: web-{{ $n := include "x" . }}\n', 3, '{{ $n := include "x" . }}'],
      ['a pipeline inside a plain scalar', 'kind: Service\nmetadata:\n  name: web-{{ .name | default "x" }}\n', 3, '{{ .name | default "x" }}'],
    ])('template syntax in the YAML structure makes a template: %s', (_what, text, line, action) => {
      const parsed = parseManifestText(text, 't.yaml', { detectTemplates: true });
      expect(parsed.skipped).toEqual([skip('t.yaml', line, action)]);
      expect(parsed.inputs).toEqual([]);
      expect(parsed.errors).toEqual([]);
    });

    test.each([
      ['double-quoted', 'x: "{{ .Values.x }}"'],
      ['single-quoted', "x: '{{- include \"web.name\" . | nindent 4 }}'"],
      ['a literal block scalar', 'x: |\n      {{- if .Values.x }}\n      summary: {{ $labels.instance }} is down\n      {{- end }}'],
      ['a folded block scalar with a header comment', 'x: >-  # Alertmanager text\n      {{ range .Alerts }}{{ .Annotations.summary }}{{ end }}'],
      ['a plain scalar, with Go template text that is not Helm\'s', 'x: Pod {{ $labels.namespace }}/{{ $labels.pod }} is {{ if gt $value 1.0 }}down{{ end }} {{- template "t" . }}'],
      ['a comment', 'x: y # {{ .Values.x }}'],
    ])('template text in a string value is data, never a template (even Helm\'s; was: the file was skipped): %s', (_what, annotation) => {
      const text = `kind: Service\nmetadata:\n  name: web\n  annotations:\n    ${annotation}\n`;
      const parsed = parseManifestText(text, 'svc.yaml', { detectTemplates: true });
      expect(parsed.skipped).toEqual([]);
      expect(parsed.errors).toEqual([]);
      expect(yaml(parsed.inputs)).toEqual([['Service', 'web', 'svc.yaml:1']]);
    });

    test('a Helm action in a quoted name is data: the document is linted (was: skipped as a template that parses)', () => {
      const parsed = parseManifestText('kind: Service\nmetadata:\n  name: "{{ .Release.Name }}-web"\n', 'svc.yaml', { detectTemplates: true });
      expect(parsed.skipped).toEqual([]);
      expect(parsed.inputs[0].manifest.metadata.name).toEqual('{{ .Release.Name }}-web');
    });

    test('{{ }} inside a block scalar (a ConfigMap carrying a template) is data, not templating', () => {
      const text = 'kind: ConfigMap\nmetadata:\n  name: alerts\ndata:\n  rule: |\n    summary: {{ $labels.instance }} is down\n';
      const parsed = parseManifestText(text, 'cm.yaml', { detectTemplates: true });
      expect(parsed.skipped).toEqual([]);
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
      expect(parsed.skipped).toEqual([]);
      expect(parsed.errors).toEqual([]);
      expect(yaml(parsed.inputs)).toEqual([['PrometheusRule', 'node', 'rules.yaml:1'], ['Workflow', undefined, 'rules.yaml:14']]);
    });

    test('manifests cdk8s wrote are never templates', () => {
      const parsed = parseManifestText('kind: ConfigMap\nmetadata:\n  name: "{{ x }}"\ndata: {{ x }}\n', 'chart.k8s.yaml', { detectTemplates: false });
      expect(parsed.skipped).toEqual([]);
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

    test('standard input is read as a file: per document, with counts of documents linted and skipped', () => {
      // GIVEN a stream (helm template output gone wrong): a template document, a Service, an empty document
      const stream = '{{- if .Values.x }}\nkind: ServiceMonitor\n{{- end }}\n---\nkind: Service\nmetadata: { name: web }\n---\n# only a comment\n';
      fs.writeFileSync(path.join(dir, 'same.yaml'), stream);
      // WHEN
      const piped = readManifestPaths(['-'], () => stream);
      const file = readManifestPaths([path.join(dir, 'same.yaml')], () => '');
      // THEN
      expect(piped.inputs.map(input => input.source)).toEqual(['<stdin>:5']);
      expect(piped.documents).toEqual(1);
      expect(piped.skipped.map(skip => [skip.file, skip.line])).toEqual([['<stdin>', 1]]);
      expect(piped.errors).toEqual([]);
      expect(file.documents).toEqual(1);
      expect(file.skipped.map(skip => skip.message.replace(path.join(dir, 'same.yaml'), '<stdin>'))).toEqual(piped.skipped.map(skip => skip.message));
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
