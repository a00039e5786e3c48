import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Chart, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ClusterIPService, HeadlessService, NodePortService } from 'cdk8s-service-patterns';
import { newChart, synth } from '../util';

function web(chart: ReturnType<typeof newChart>, ports: kplus.ContainerPort[] = [{ number: 8080, name: 'http' }]) {
  return new kplus.Deployment(chart, 'Web', { containers: [{ image: 'nginx', ports }] });
}

// Cross-object validation at synth: each broken wiring fails with both objects named.
describe('wiring validation at synth', () => {
  test('a correct app passes', () => {
    const chart = newChart();
    const deployment = web(chart);
    new ClusterIPService(chart, 'ByName', { selector: deployment, ports: [{ port: 80, targetPortName: 'http' }] });
    new NodePortService(chart, 'ByNumber', { selector: deployment, ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] });
    // a label query may select pods deployed by another app: not reported
    new ClusterIPService(chart, 'Elsewhere', { selector: kplus.Pods.select(chart, 'Other', { labels: { app: 'other' } }), ports: [{ port: 80 }] });
    expect(() => synth(chart)).not.toThrow();
  });

  test('fails when a selector built from a workload matches no pod template', () => {
    const chart = newChart();
    const deployment = web(chart);
    const service = new ClusterIPService(chart, 'Svc', { selector: deployment, ports: [{ port: 80, targetPort: 8080 }] });
    service.selectLabel('tier', 'front');
    expect(() => synth(chart)).toThrow(new RegExp(
      `Service 'default/${service.name}' \\(test/Svc\\) selects cdk8s.io/metadata.addr=test-Web-[0-9a-f]+,tier=front, but no pod template in namespace 'default' has those labels; its traffic goes nowhere \\[service-selects-nothing\\]`,
    ));
  });

  test('fails when a named targetPort is not declared by the selected pods', () => {
    const chart = newChart();
    const deployment = web(chart);
    const service = new ClusterIPService(chart, 'Svc', { selector: deployment, ports: [{ port: 80, targetPortName: 'web' }] });
    expect(() => synth(chart)).toThrow(
      `Service 'default/${service.name}' (test/Svc) port 80 targets port name 'web', but no container of Deployment 'default/${deployment.name}' (test/Web) declares a TCP port with that name; traffic to those pods fails [named-target-port-missing]`,
    );
  });

  test('fails when a numeric targetPort is not declared by the selected pods', () => {
    const chart = newChart();
    const deployment = web(chart);
    new ClusterIPService(chart, 'Svc', { selector: deployment, ports: [{ port: 80, targetPort: 9090 }] });
    expect(() => synth(chart)).toThrow(/port 80 targets port 9090\/TCP, which no container of Deployment 'default\/test-web-[0-9a-f]+' \(test\/Web\) declares \[numeric-target-port-undeclared\]/);
  });

  test('fails when the protocol of the targetPort differs', () => {
    const chart = newChart();
    const deployment = web(chart, [{ number: 53, protocol: kplus.Protocol.UDP }]);
    new ClusterIPService(chart, 'Svc', { selector: deployment, ports: [{ port: 53 }] });
    expect(() => synth(chart)).toThrow(/targets port 53\/TCP, which no container/);
  });

  test('fails when two Services use one nodePort', () => {
    const chart = newChart();
    const deployment = web(chart);
    const a = new NodePortService(chart, 'A', { selector: deployment, ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] });
    const b = new NodePortService(chart, 'B', { selector: deployment, ports: [{ port: 81, targetPort: 8080, nodePort: 30080 }] });
    expect(() => synth(chart)).toThrow(
      `Service 'default/${b.name}' (test/B) port 81 uses nodePort 30080, which Service 'default/${a.name}' (test/A) port 80 already uses; a node port can serve one Service port [node-port-reused]`,
    );
  });

  test('fails when a StatefulSet serviceName names a Service that is not headless', () => {
    const chart = newChart();
    const service = new ClusterIPService(chart, 'Svc', { ports: [{ port: 5432 }] });
    const sts = new kplus.StatefulSet(chart, 'Db', { containers: [{ image: 'postgres', portNumber: 5432 }], service });
    expect(() => synth(chart)).toThrow(
      `StatefulSet 'default/${sts.name}' (test/Db) has serviceName '${service.name}', but Service 'default/${service.name}' (test/Svc) is not headless (clusterIP: None); its pods get no DNS names [statefulset-service]`,
    );
  });

  test('fails when a StatefulSet serviceName names a headless Service that does not select it', () => {
    const chart = newChart();
    const service = new HeadlessService(chart, 'Svc');
    const sts = new kplus.StatefulSet(chart, 'Db', { containers: [{ image: 'postgres', portNumber: 5432 }], service });
    service.selectLabel('role', 'replica');
    expect(() => synth(chart)).toThrow(
      `StatefulSet 'default/${sts.name}' (test/Db) has serviceName '${service.name}', but Service 'default/${service.name}' (test/Svc) does not select its pods; their DNS records are missing [statefulset-service]`,
    );
  });

  test('a StatefulSet with the cdk8s-plus default headless Service passes', () => {
    const chart = newChart();
    new kplus.StatefulSet(chart, 'Db', { containers: [{ image: 'postgres', portNumber: 5432 }] });
    new HeadlessService(chart, 'Unrelated');
    expect(() => synth(chart)).not.toThrow();
  });

  // Pod labels are read as written only while that is what synth writes (see labelReader).
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

describe('wiring validation runs once per synth', () => {
  test('an app of many charts runs the rules once, and a change afterwards is seen', () => {
    // GIVEN
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'synth-')) });
    const services: ClusterIPService[] = [];
    let reads = 0; // a Lazy pod label is resolved once per model build, and once by its chart's toJson()
    for (let i = 0; i < 5; i++) {
      const chart = new Chart(app, `c${i}`);
      const deployment = new kplus.Deployment(chart, 'Web', { containers: [{ image: 'nginx', portNumber: 80 }] });
      deployment.podMetadata.addLabel('tier', Lazy.any({ produce: () => (i === 0 ? (reads++, 'web') : 'web') }) as unknown as string);
      const service = new ClusterIPService(chart, 'Svc', { selector: deployment, ports: [{ port: 80 }] });
      service.selectLabel('tier', 'web');
      services.push(service);
    }

    // WHEN
    app.synthYaml();

    // THEN: cdk8s validates the app 1 + 5 times; the model was built once (plus the chart's own read)
    expect(reads).toEqual(2);

    // WHEN: a typed Service changes within the same tick
    services[0].bind(81, { name: 'b', targetPort: 9999 });

    // THEN: the next synth checks afresh and fails
    expect(() => app.synthYaml()).toThrow(/port 81 targets port 9999\/TCP/);
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
});
