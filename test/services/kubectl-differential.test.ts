import { execFileSync } from 'child_process';
import * as kplus from 'cdk8s-plus-27';
import { ClusterIPService, ExternalNameService, HeadlessService, NodePortService, ServiceShorthand } from 'cdk8s-service-patterns';
import { findOne, newChart, serviceOnlyChart, synth } from '../util';

// Compares our Services with what `kubectl create service` emits offline for the same input.
// Names, labels and selectors differ by design (kubectl always adds app=<name>, even on
// ExternalName, which we forbid); type, ports, clusterIP and externalName must agree.

function kubectl(...args: string[]): any {
  return JSON.parse(execFileSync('kubectl', ['create', 'service', ...args, '--dry-run=client', '-o', 'json'], { encoding: 'utf8' }));
}

/** The fields compared, with Kubernetes' defaults filled in (protocol TCP, targetPort = port). */
function essentials(service: any) {
  return {
    type: service.spec.type,
    clusterIP: service.spec.clusterIP,
    externalName: service.spec.externalName,
    ports: (service.spec.ports ?? []).map((p: any) => ({
      port: p.port,
      targetPort: p.targetPort ?? p.port,
      nodePort: p.nodePort,
      protocol: p.protocol ?? 'TCP',
    })),
  };
}

describe('kubectl differential', () => {
  test('ClusterIP', () => {
    const chart = newChart();
    new ClusterIPService(chart, 'S', { metadata: { name: 'web' }, ports: [{ port: 80, targetPort: 8080 }] });
    expect(essentials(findOne(synth(chart), 'Service', 'web'))).toEqual(essentials(kubectl('clusterip', 'web', '--tcp=80:8080')));
  });

  test('ClusterIP with two ports', () => {
    const chart = newChart();
    new ClusterIPService(chart, 'S', {
      metadata: { name: 'web' },
      ports: [{ port: 80, targetPort: 8080, name: 'a' }, { port: 443, targetPort: 8443, name: 'b' }],
    });
    expect(essentials(findOne(synth(chart), 'Service', 'web'))).toEqual(essentials(kubectl('clusterip', 'web', '--tcp=80:8080,443:8443')));
  });

  test('headless', () => {
    const chart = newChart();
    new HeadlessService(chart, 'S', { metadata: { name: 'db' } });
    expect(essentials(findOne(synth(chart), 'Service', 'db'))).toEqual(essentials(kubectl('clusterip', 'db', '--clusterip=None')));
  });

  test('NodePort with a fixed nodePort', () => {
    const chart = newChart();
    new NodePortService(chart, 'S', { metadata: { name: 'web' }, ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] });
    expect(essentials(findOne(synth(chart), 'Service', 'web')))
      .toEqual(essentials(kubectl('nodeport', 'web', '--tcp=80:8080', '--node-port=30080')));
  });

  test('ExternalName', () => {
    const chart = newChart();
    new ExternalNameService(chart, 'S', { metadata: { name: 'db' }, externalName: 'db.example.com' });
    const ours = findOne(synth(chart), 'Service', 'db');
    expect(essentials(ours)).toEqual(essentials(kubectl('externalname', 'db', '--external-name=db.example.com')));
    expect(ours.spec.selector).toBeUndefined();
  });

  test('UDP protocol', () => {
    const chart = newChart();
    new ClusterIPService(chart, 'S', { metadata: { name: 'dns' }, ports: [{ port: 53, protocol: kplus.Protocol.UDP }] });
    const theirs = kubectl('clusterip', 'dns', '--tcp=53:53');
    theirs.spec.ports[0].protocol = 'UDP'; // kubectl create service has no protocol flag
    expect(essentials(findOne(synth(chart), 'Service', 'dns'))).toEqual(essentials(theirs));
  });
});

// Every shorthand form that kubectl create service can express, against what kubectl emits for
// it: the whole spec, port names included (kubectl names a port by its --tcp value with ':' made
// '-'), and the selector app=<name> (which kubectl always sets; ExternalName is compared without
// it: we forbid a selector there).
describe('kubectl differential: the shorthand', () => {
  const FORMS: [string[], string[]][] = [
    [['80'], ['clusterip', 'web', '--tcp=80']],
    [['80:8080'], ['clusterip', 'web', '--tcp=80:8080']],
    [['80:80'], ['clusterip', 'web', '--tcp=80:80']],
    [['80:http'], ['clusterip', 'web', '--tcp=80:http']],
    [['80', '443:8443', '9090:metrics'], ['clusterip', 'web', '--tcp=80,443:8443,9090:metrics']],
    [['#'], ['clusterip', 'web', '--clusterip=None']],
    [['#5432'], ['clusterip', 'web', '--clusterip=None', '--tcp=5432']],
    [['#80:8080', '#443'], ['clusterip', 'web', '--clusterip=None', '--tcp=80:8080,443']],
    [['!80'], ['nodeport', 'web', '--tcp=80']],
    [['!80:8080'], ['nodeport', 'web', '--tcp=80:8080']],
    [['!30080:80:8080'], ['nodeport', 'web', '--tcp=80:8080', '--node-port=30080']],
    [['!30080:80'], ['nodeport', 'web', '--tcp=30080:80']],
    [['^80'], ['loadbalancer', 'web', '--tcp=80']],
    [['^80:8080', '^443:https'], ['loadbalancer', 'web', '--tcp=80:8080,443:https']],
    [['@db.example.com'], ['externalname', 'web', '--external-name=db.example.com']],
  ];

  test.each(FORMS)('%j is kubectl create service %j', (entries, args) => {
    // GIVEN
    const chart = serviceOnlyChart();
    const external = entries[0].startsWith('@');
    const selector = external ? undefined : kplus.Pods.select(chart, 'Pods', { labels: { app: 'web' } });

    // WHEN
    ServiceShorthand.create(chart, 'Service', { metadata: { name: 'web' }, entries, selector });

    // THEN
    const theirs = kubectl(...args);
    if (external) {
      delete theirs.spec.selector;
    }
    expect(findOne(synth(chart), 'Service', 'web').spec).toEqual(theirs.spec);
  });
});
