import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ApiObject, App, Chart, Include, JsonPatch, Lazy, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ClusterIPService, HeadlessService, NodePortService, ServiceWiringCheck, Severity } from 'cdk8s-service-patterns';
import { newChart, synth } from '../util';

function web(chart: Chart, ports: kplus.ContainerPort[] = [{ number: 8080, name: 'http' }]) {
  return new kplus.Deployment(chart, 'Web', { containers: [{ image: 'nginx', ports }] });
}

function tmpApp(): App {
  return new App({ outdir: mkdtempSync(join(tmpdir(), 'synth-')) });
}

// Cross-object validation at synth: each broken wiring fails with both objects named, tagged with
// the chart of the object in error.
describe('wiring validation at synth', () => {
  test('a correct app passes', () => {
    const chart = newChart();
    const deployment = web(chart);
    new ClusterIPService(chart, 'ByName', { selector: deployment, ports: [{ port: 80, targetPortName: 'http' }] });
    new NodePortService(chart, 'ByNumber', { selector: deployment, ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] });
    expect(() => synth(chart)).not.toThrow();
  });

  test('fails when a selector built from a workload matches no pod template', () => {
    const chart = newChart();
    const deployment = web(chart);
    const service = new ClusterIPService(chart, 'Svc', { selector: deployment, ports: [{ port: 80, targetPort: 8080 }] });
    service.selectLabel('tier', 'front');
    expect(() => synth(chart)).toThrow(new RegExp(
      `\\[test\\] Service 'default/${service.name}' \\(test/Svc\\) selects cdk8s.io/metadata.addr=test-Web-[0-9a-f]+,tier=front, but no pod template in namespace 'default' has those labels; its traffic goes nowhere.*\\[service-selects-nothing\\]`,
    ));
  });

  test('fails when a label query matches no pod of the app, as the lint of its YAML does', () => {
    // GIVEN pods deployed by another app
    const chart = newChart();
    new ClusterIPService(chart, 'Elsewhere', { selector: kplus.Pods.select(chart, 'Other', { labels: { app: 'other' } }), ports: [{ port: 80 }] });
    // THEN
    expect(() => synth(chart)).toThrow(/selects app=other, but no pod template.*\[service-selects-nothing\]/);
  });

  test('fails when a named targetPort is not declared by the selected pods', () => {
    const chart = newChart();
    const deployment = web(chart);
    const service = new ClusterIPService(chart, 'Svc', { selector: deployment, ports: [{ port: 80, targetPortName: 'web' }] });
    expect(() => synth(chart)).toThrow(
      `[test] Service 'default/${service.name}' (test/Svc) port 80 targets port name 'web', but no container of Deployment 'default/${deployment.name}' (test/Web) declares a TCP port with that name; traffic to those pods fails`,
    );
  });

  test('a numeric targetPort no container declares is a warning, as in the lint: synth passes and says so', () => {
    // GIVEN
    const app = tmpApp();
    const chart = new Chart(app, 'test');
    new ClusterIPService(chart, 'Svc', { selector: web(chart), ports: [{ port: 80, targetPort: 9090 }] });
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      // WHEN
      app.synth();
      // THEN: written once, although cdk8s validates the app twice
      const written = stderr.mock.calls.map(call => String(call[0])).filter(text => text.includes('[numeric-target-port-undeclared]'));
      expect(written).toHaveLength(1);
      expect(written[0]).toMatch(/^ServiceWiringCheck: warning: Service 'default\/test-svc-c8[0-9a-f]+' \(test\/Svc\) port 80 targets port 9090\/TCP, which no container of Deployment/);
    } finally {
      stderr.mockRestore();
    }
    expect(ServiceWiringCheck.of(app).findings.map(f => [f.rule, f.severity])).toEqual([['numeric-target-port-undeclared', Severity.WARNING]]);
  });

  test('fails when the protocol of the targetPort differs and the severity is raised', () => {
    const chart = newChart();
    const deployment = web(chart, [{ number: 53, protocol: kplus.Protocol.UDP }]);
    new ClusterIPService(chart, 'Svc', { selector: deployment, ports: [{ port: 53 }] });
    expect(() => synth(chart)).not.toThrow();
    ServiceWiringCheck.of(chart).setSeverity('numeric-target-port-undeclared', Severity.ERROR);
    expect(() => synth(chart)).toThrow(/targets port 53\/TCP, which no container/);
  });

  test('fails when two Services use one nodePort', () => {
    const chart = newChart();
    const deployment = web(chart);
    const a = new NodePortService(chart, 'A', { selector: deployment, ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] });
    const b = new NodePortService(chart, 'B', { selector: deployment, ports: [{ port: 81, targetPort: 8080, nodePort: 30080 }] });
    expect(() => synth(chart)).toThrow(
      `Service 'default/${b.name}' (test/B) port 81 uses nodePort 30080, which Service 'default/${a.name}' (test/A) port 80 already uses; a node port can serve one Service port`,
    );
  });

  test('fails when a StatefulSet serviceName names a Service that is not headless', () => {
    const chart = newChart();
    const service = new ClusterIPService(chart, 'Svc', { ports: [{ port: 5432 }] });
    const sts = new kplus.StatefulSet(chart, 'Db', { containers: [{ image: 'postgres', portNumber: 5432 }], service });
    expect(() => synth(chart)).toThrow(
      `StatefulSet 'default/${sts.name}' (test/Db) has serviceName '${service.name}', but Service 'default/${service.name}' (test/Svc) is not headless (clusterIP: None); its pods get no DNS names`,
    );
  });

  test('fails when a StatefulSet serviceName names a headless Service that does not select it', () => {
    const chart = newChart();
    const service = new HeadlessService(chart, 'Svc');
    const sts = new kplus.StatefulSet(chart, 'Db', { containers: [{ image: 'postgres', portNumber: 5432 }], service });
    service.selectLabel('role', 'replica');
    expect(() => synth(chart)).toThrow(
      `StatefulSet 'default/${sts.name}' (test/Db) has serviceName '${service.name}', but Service 'default/${service.name}' (test/Svc) does not select its pods; their DNS records are missing`,
    );
  });

  test('a StatefulSet with the cdk8s-plus default headless Service passes', () => {
    const chart = newChart();
    new kplus.StatefulSet(chart, 'Db', { containers: [{ image: 'postgres', portNumber: 5432 }] });
    const unrelated = new HeadlessService(chart, 'Unrelated');
    unrelated.selectLabel('app', 'db');
    new kplus.Deployment(chart, 'Other', { containers: [{ image: 'busybox' }], podMetadata: { labels: { app: 'db' } } });
    expect(() => synth(chart)).not.toThrow();
  });

  test('pod labels are compared as synthesized: a Lazy label value', () => {
    const chart = newChart();
    const deployment = web(chart);
    deployment.podMetadata.addLabel('tier', Lazy.any({ produce: () => 'front' }) as unknown as string);
    const service = new ClusterIPService(chart, 'Svc', { selector: deployment, ports: [{ port: 80, targetPortName: 'http' }] });
    service.selectLabel('tier', 'front');
    expect(() => synth(chart)).not.toThrow();
  });

  test('pod labels are compared as synthesized: an app resolver that rewrites them', () => {
    const app = new App({
      outdir: 'unused',
      resolvers: [{ resolve: context => (context.value === 'draft' ? context.replaceValue('front') : undefined) }],
    });
    const chart = new Chart(app, 'test');
    const deployment = web(chart);
    deployment.podMetadata.addLabel('tier', 'draft');
    const service = new ClusterIPService(chart, 'Svc', { selector: deployment, ports: [{ port: 80, targetPortName: 'http' }] });
    service.selectLabel('tier', 'front');
    expect(() => synth(chart)).not.toThrow();
  });
});

describe('synth judges what is written', () => {
  test('a JSON patch that adds the named container port makes the Service valid', () => {
    // GIVEN a Service targeting port name 'metrics', which the container does not declare
    const chart = newChart();
    const deployment = web(chart);
    new ClusterIPService(chart, 'Svc', { selector: deployment, ports: [{ port: 9100, targetPortName: 'metrics' }] });
    expect(() => synth(chart)).toThrow(/\[named-target-port-missing\]/);
    // WHEN an escape hatch adds it
    ApiObject.of(deployment).addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/ports/-', { containerPort: 9100, name: 'metrics' }));
    // THEN
    expect(() => synth(chart)).not.toThrow();
  });

  test('fails when a JSON patch changes a selector to match nothing', () => {
    const chart = newChart();
    const deployment = web(chart);
    const service = new ClusterIPService(chart, 'Svc', { selector: deployment, ports: [{ port: 80, targetPortName: 'http' }] });
    expect(() => synth(chart)).not.toThrow();
    ApiObject.of(service).addJsonPatch(JsonPatch.replace('/spec/selector', { app: 'gone' }));
    expect(() => synth(chart)).toThrow(/selects app=gone, but no pod template.*\[service-selects-nothing\]/);
  });

  test('Included objects and plain ApiObjects count', () => {
    // GIVEN a Deployment from a YAML file and a Service as a plain ApiObject, beside a typed Service
    const dir = mkdtempSync(join(tmpdir(), 'include-'));
    const file = join(dir, 'api.yaml');
    writeFileSync(file, [
      'apiVersion: apps/v1', 'kind: Deployment', 'metadata: { name: api }', 'spec:', '  selector: { matchLabels: { app: api } }',
      '  template:', '    metadata: { labels: { app: api } }', '    spec: { containers: [ { name: api, image: api, ports: [ { containerPort: 8080, name: http } ] } ] }', '',
    ].join('\n'));
    const chart = newChart();
    new Include(chart, 'Api', { url: file });
    const typed = new ClusterIPService(chart, 'Typed', { ports: [{ port: 80, targetPortName: 'http' }] });
    typed.selectLabel('app', 'api');
    new ApiObject(chart, 'Plain', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'plain' },
      spec: { selector: { app: 'api' }, ports: [{ port: 80, targetPort: 'grpc' }] },
    });
    // THEN the typed Service is served by the included pods; the plain one targets a port they lack
    expect(() => synth(chart)).toThrow(/Service 'default\/plain' \(test\/Plain\) port 80 targets port name 'grpc', but no container of Deployment 'default\/api' \(test\/Api\/api-deployment\) declares a TCP port with that name/);
  });

  test('a container port added between two synths changes the verdict', () => {
    const chart = newChart();
    const deployment = web(chart);
    new ClusterIPService(chart, 'Svc', { selector: deployment, ports: [{ port: 9100, targetPortName: 'metrics' }] });
    expect(() => Testing.synth(chart)).toThrow(/\[named-target-port-missing\]/);
    deployment.containers[0].addPort({ number: 9100, name: 'metrics' });
    expect(() => Testing.synth(chart)).not.toThrow();
  });

  test('fails when bind() on a plain kplus Service targets a port no pod declares', () => {
    const chart = newChart();
    const deployment = web(chart);
    new ClusterIPService(chart, 'Typed', { selector: deployment, ports: [{ port: 80, targetPortName: 'http' }] });
    const plain = new kplus.Service(chart, 'Plain', { selector: deployment, ports: [{ port: 81, targetPort: 8080 }] });
    expect(() => Testing.synth(chart)).not.toThrow();
    plain.bind(82, { name: 'admin', targetPort: 9999 });
    ServiceWiringCheck.of(chart).setSeverity('numeric-target-port-undeclared', Severity.ERROR);
    expect(() => Testing.synth(chart)).toThrow(/port 82 targets port 9999\/TCP/);
  });

  test('each message is tagged with the chart of the object in error', () => {
    // GIVEN the app's first typed Service in chart 'front', the broken Service in chart 'back'
    const app = tmpApp();
    const front = new Chart(app, 'front');
    new ClusterIPService(front, 'Ok', { selector: web(front), ports: [{ port: 80, targetPortName: 'http' }] });
    const back = new Chart(app, 'back');
    new ClusterIPService(back, 'Broken', { selector: web(back), ports: [{ port: 80, targetPortName: 'nope' }] });
    // THEN
    expect(() => app.synth()).toThrow(/\n {2}\[back\] Service 'default\/back-broken-c8[0-9a-f]+' \(back\/Broken\) port 80 targets port name 'nope'/);
  });

  test('one synth of an app of many charts resolves each object once and runs the rules once', () => {
    // GIVEN
    const app = tmpApp();
    const services: ClusterIPService[] = [];
    let reads = 0;
    for (let i = 0; i < 5; i++) {
      const chart = new Chart(app, `c${i}`);
      const deployment = new kplus.Deployment(chart, 'Web', { containers: [{ image: 'nginx', portNumber: 80 }] });
      deployment.podMetadata.addLabel('tier', Lazy.any({ produce: () => (i === 0 ? (reads++, 'web') : 'web') }) as unknown as string);
      const service = new ClusterIPService(chart, 'Svc', { selector: deployment, ports: [{ port: 80 }] });
      service.selectLabel('tier', 'web');
      services.push(service);
    }

    // WHEN
    const yaml = app.synthYaml();

    // THEN cdk8s validates the app 1 + 5 times; the written YAML reuses the check's JSON
    expect(reads).toEqual(1);
    expect(yaml).toContain('tier: web');

    // WHEN a typed Service changes within the same tick
    services[0].addPort({ port: 81, name: 'b', targetPortName: 'nope' });

    // THEN the next synth checks afresh and fails
    expect(() => app.synthYaml()).toThrow(/port 81 targets port name 'nope'/);
    // and an object resolved after a synth is resolved afresh
    reads = 0;
    ApiObject.of(services[0]).toJson();
    ApiObject.of(app.charts[0].node.findChild('Web')).toJson();
    expect(reads).toEqual(1);
  });

  test('a construct added within the same tick is seen', () => {
    const chart = newChart();
    const deployment = web(chart);
    new ClusterIPService(chart, 'Svc', { selector: deployment, ports: [{ port: 80, targetPortName: 'http' }] });
    expect(() => synth(chart)).not.toThrow();
    new NodePortService(chart, 'A', { selector: deployment, ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] });
    new NodePortService(chart, 'B', { selector: deployment, ports: [{ port: 81, targetPort: 8080, nodePort: 30080 }] });
    expect(() => synth(chart)).toThrow(/\[node-port-reused\]/);
  });

  test('App.synth() writes the manifests it checked', () => {
    const app = tmpApp();
    const chart = new Chart(app, 'test');
    const deployment = web(chart);
    new ClusterIPService(chart, 'Svc', { selector: deployment, ports: [{ port: 80, targetPortName: 'http' }] });
    const expected = Testing.synth(chart);
    app.synth();
    const written = app.synthYaml();
    expect(written).toContain(`name: ${deployment.name}`);
    expect(Testing.synth(chart)).toEqual(expected);
  });

  test.each([false, true])('the checked app writes its charts and objects in the order cdk8s writes them (dependencies: %s)', withDependencies => {
    // GIVEN the same objects in an app with the check and in a plain cdk8s app: charts whose ids
    // are numbers (a plain object lists those keys first), and optionally dependencies that reorder
    // objects and charts, and a nested chart (its parent depends on it)
    const build = (app: App) => {
      const plain = new Chart(app, 'plain');
      for (const id of ['b', 'a', 'c']) {
        new kplus.ConfigMap(plain, id, { data: { id } });
      }
      web(plain);
      for (const id of ['2', '10', '1']) {
        new kplus.ConfigMap(new Chart(app, id), 'config');
      }
      const ordered = new Chart(app, 'ordered');
      const first = new kplus.ConfigMap(ordered, 'first');
      const second = new kplus.ConfigMap(ordered, 'second');
      const third = new ApiObject(ordered, 'third', { apiVersion: 'v1', kind: 'Secret' });
      if (withDependencies) {
        first.node.addDependency(third);
        second.node.addDependency(first);
        new kplus.ConfigMap(new Chart(ordered, 'nested'), 'inner');
        plain.addDependency(app.node.findChild('1'));
      }
    };
    const checked = Testing.app();
    ServiceWiringCheck.of(checked);
    build(checked);
    const unchecked = Testing.app();
    build(unchecked);

    // WHEN
    const yaml = checked.synthYaml();

    // THEN
    expect(yaml).toEqual(unchecked.synthYaml());
  });
});

describe('ServiceWiringCheck configuration', () => {
  test('disableRule turns a rule off for the app', () => {
    const chart = newChart();
    new ClusterIPService(chart, 'Elsewhere', { selector: kplus.Pods.select(chart, 'Other', { labels: { app: 'other' } }), ports: [{ port: 80 }] });
    ServiceWiringCheck.of(chart).disableRule('service-selects-nothing');
    expect(() => synth(chart)).not.toThrow();
  });

  test('the app context sets rule levels without code in the charts', () => {
    // GIVEN
    const app = Testing.app();
    app.node.setContext(ServiceWiringCheck.RULES_CONTEXT, { 'service-selects-nothing': 'off', 'numeric-target-port-undeclared': 'error' });
    const chart = new Chart(app, 'test');
    new ClusterIPService(chart, 'Elsewhere', { selector: kplus.Pods.select(chart, 'Other', { labels: { app: 'other' } }), ports: [{ port: 80 }] });
    new ClusterIPService(chart, 'Svc', { selector: web(chart), ports: [{ port: 80, targetPort: 9090 }] });
    // THEN
    expect(() => synth(chart)).toThrow(/targets port 9090\/TCP.*\[numeric-target-port-undeclared\]/);
    expect(() => synth(chart)).not.toThrow(/service-selects-nothing/);
  });

  test('failOn(WARNING) fails synth on warnings', () => {
    const chart = newChart();
    new ClusterIPService(chart, 'Svc', { selector: web(chart), ports: [{ port: 80, targetPort: 9090 }] });
    ServiceWiringCheck.of(chart).failOn(Severity.WARNING);
    expect(() => synth(chart)).toThrow(/\[numeric-target-port-undeclared\]/);
  });

  test('fails when a rule id is unknown', () => {
    const chart = newChart();
    expect(() => ServiceWiringCheck.of(chart).disableRule('selects-nothing')).toThrow(/disableRule\('selects-nothing'\) names no rule; use one of service-selects-nothing, /);
    const app = Testing.app();
    app.node.setContext(ServiceWiringCheck.RULES_CONTEXT, { 'service-selects-nothing': 'ignore' });
    const other = new Chart(app, 'test');
    new ClusterIPService(other, 'Svc', { selector: web(other), ports: [{ port: 80, targetPortName: 'http' }] });
    expect(() => synth(other)).toThrow(/context 'cdk8s-service-patterns\/rules'.service-selects-nothing is "ignore"; use error, warning, off/);
  });

  test('any app can have the check, without typed Services', () => {
    const chart = newChart();
    const deployment = web(chart);
    new kplus.Service(chart, 'Plain', { selector: deployment, ports: [{ port: 80, targetPort: 8080 }] });
    deployment.podMetadata.addLabel('x', 'y');
    new kplus.Service(chart, 'Broken', { ports: [{ port: 80 }] }).selectLabel('app', 'nothing');
    expect(() => synth(chart)).not.toThrow();
    ServiceWiringCheck.of(chart);
    expect(() => synth(chart)).toThrow(/selects app=nothing/);
  });
});
