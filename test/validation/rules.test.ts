import { Finding, Severity } from 'cdk8s-service-patterns';
import { modelFromManifests } from '../../src/validation/from-manifests';
import { checkWiring, RULES } from '../../src/validation/rules';

// The wiring rules over plain manifests: per rule, a case where it fires and one where it must
// stay silent.

interface PodOptions {
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  readonly ports?: any[];
  readonly env?: any[];
  readonly initContainers?: any[];
  readonly restartPolicy?: string;
}

function podSpec(options: PodOptions): any {
  return {
    ...(options.restartPolicy ? { restartPolicy: options.restartPolicy } : {}),
    ...(options.initContainers ? { initContainers: options.initContainers } : {}),
    containers: [{ name: 'app', image: 'app:1', ports: options.ports, env: options.env }],
  };
}

function workload(kind: string, name: string, options: PodOptions = {}): any {
  const labels = options.labels ?? { app: name };
  const template = { metadata: { labels }, spec: podSpec(options) };
  const spec = kind === 'CronJob'
    ? { schedule: '@daily', jobTemplate: { spec: { template } } }
    : { selector: { matchLabels: labels }, template };
  const apiVersion = kind === 'Job' || kind === 'CronJob' ? 'batch/v1' : 'apps/v1';
  return { apiVersion, kind, metadata: { name, namespace: options.namespace }, spec };
}

function pod(name: string, options: PodOptions = {}): any {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: options.namespace, labels: options.labels ?? { app: name } }, spec: podSpec(options) };
}

function service(name: string, spec: any, namespace?: string): any {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec };
}

function ingress(name: string, backend: any): any {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name },
    spec: { rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } }] },
  };
}

function lint(...manifests: any[]): Finding[] {
  return checkWiring(modelFromManifests(manifests.map((manifest, i) => ({ manifest, source: `test.yaml:${i * 10 + 1}` }))));
}

function rules(findings: Finding[]): string[] {
  return findings.map(finding => finding.rule);
}

const HTTP = [{ containerPort: 8080, name: 'http' }];

describe('wiring rules', () => {
  test('the rule table: ids, severities', () => {
    expect(RULES.map(rule => [rule.id, rule.severity])).toEqual([
      ['service-selects-nothing', Severity.ERROR],
      ['named-target-port-missing', Severity.ERROR],
      ['numeric-target-port-undeclared', Severity.WARNING],
      ['statefulset-service', Severity.ERROR],
      ['node-port-reused', Severity.ERROR],
      ['externalname-selector', Severity.ERROR],
      ['env-names-missing-service', Severity.WARNING],
      ['ingress-backend-missing', Severity.ERROR],
      ['duplicate-key', Severity.WARNING],
      ['service-name-invalid', Severity.ERROR],
      ['service-type-invalid', Severity.ERROR],
      ['service-ports-missing', Severity.ERROR],
      ['service-port-invalid', Severity.ERROR],
      ['target-port-invalid', Severity.ERROR],
      ['service-port-name-invalid', Severity.ERROR],
      ['service-port-duplicate', Severity.ERROR],
      ['node-port-not-allowed', Severity.ERROR],
      ['node-port-out-of-range', Severity.ERROR],
      ['cluster-ip-invalid', Severity.ERROR],
      ['externalname-invalid', Severity.ERROR],
      ['traffic-policy-invalid', Severity.ERROR],
      ['load-balancer-field-invalid', Severity.ERROR],
      ['session-affinity-invalid', Severity.ERROR],
      ['service-selector-invalid', Severity.ERROR],
      ['duplicate-object', Severity.ERROR],
      ['unknown-ignore-check', Severity.WARNING],
      ['route-backend-missing', Severity.ERROR],
      ['route-backend-not-granted', Severity.ERROR],
      ['route-parent-not-admitted', Severity.WARNING],
    ]);
  });

  describe('service-selects-nothing', () => {
    test('fires when no pod template in the namespace has the labels', () => {
      // GIVEN a Service selecting app=web, and the web pods in another namespace
      const findings = lint(
        service('web', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] }),
        workload('Deployment', 'web', { namespace: 'shop', ports: HTTP }),
      );
      // THEN
      expect(findings).toEqual([{
        rule: 'service-selects-nothing',
        severity: Severity.ERROR,
        message: "Service 'default/web' (test.yaml:1) selects app=web, but no pod template in namespace 'default' has those labels; its traffic goes nowhere",
        recommendation: 'Make the selector match the labels of the pod template it should route to.',
        resource: { kind: 'Service', name: 'web', namespace: 'default', source: 'test.yaml:1', constructPath: undefined },
        field: 'spec.selector',
      }]);
    });

    test('fires when one selector label differs', () => {
      const findings = lint(
        service('web', { selector: { app: 'web', tier: 'front' }, ports: [{ port: 80, targetPort: 8080 }] }),
        workload('Deployment', 'web', { labels: { app: 'web', tier: 'back' }, ports: HTTP }),
      );
      expect(rules(findings)).toEqual(['service-selects-nothing']);
    });

    test.each(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'Rollout'])(
      'stays silent when a %s template matches',
      kind => {
        const target = kind === 'Pod' ? pod('web', { ports: HTTP }) : workload(kind, 'web', { ports: HTTP });
        const headless = service('web-pods', { clusterIP: 'None', selector: { app: 'web' } });
        const findings = lint(service('web', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] }), target, headless);
        expect(rules(findings).filter(rule => rule !== 'statefulset-service')).toEqual([]);
      },
    );

    test('stays silent for a Service without a selector and for ExternalName', () => {
      expect(lint(
        service('manual', { ports: [{ port: 5432 }] }),
        service('external', { type: 'ExternalName', externalName: 'db.example.com' }),
      )).toEqual([]);
    });

    test('selector and label values compare as strings (version: 2 equals "2"; the number itself is service-selector-invalid)', () => {
      expect(rules(lint(
        service('web', { selector: { app: 'web', version: 2 }, ports: [{ port: 80, targetPort: 8080 }] }),
        workload('Deployment', 'web', { labels: { app: 'web', version: '2' }, ports: HTTP }),
      ))).toEqual(['service-selector-invalid']);
    });
  });

  describe('named-target-port-missing', () => {
    test('fires when the selected pods declare no port of that name', () => {
      const findings = lint(
        service('web', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'web' }] }),
        workload('Deployment', 'web', { ports: HTTP }),
      );
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({
        rule: 'named-target-port-missing',
        severity: Severity.ERROR,
        field: 'spec.ports[0].targetPort',
        related: { kind: 'Deployment', name: 'web' },
      });
      expect(findings[0].message).toEqual("Service 'default/web' (test.yaml:1) port 80 targets port name 'web', but no container of Deployment 'default/web' (test.yaml:11) declares a TCP port with that name; traffic to those pods fails");
    });

    test('fires when the name is declared with another protocol', () => {
      const findings = lint(
        service('dns', { selector: { app: 'dns' }, ports: [{ port: 53, targetPort: 'dns' }] }),
        workload('Deployment', 'dns', { ports: [{ containerPort: 53, name: 'dns', protocol: 'UDP' }] }),
      );
      expect(rules(findings)).toEqual(['named-target-port-missing']);
    });

    test('stays silent when a container declares the name', () => {
      expect(lint(
        service('web', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] }),
        workload('Deployment', 'web', { ports: HTTP }),
      )).toEqual([]);
    });

    test('a sidecar (init container with restartPolicy Always) declares ports; a plain init container does not', () => {
      const sidecar = { name: 'proxy', image: 'envoy', restartPolicy: 'Always', ports: [{ containerPort: 9901, name: 'admin' }] };
      const init = { name: 'setup', image: 'busybox', ports: [{ containerPort: 9901, name: 'admin' }] };
      const svc = service('web', { selector: { app: 'web' }, ports: [{ port: 9901, targetPort: 'admin' }] });
      expect(lint(svc, workload('Deployment', 'web', { ports: HTTP, initContainers: [sidecar] }))).toEqual([]);
      expect(rules(lint(svc, workload('Deployment', 'web', { ports: HTTP, initContainers: [init] })))).toEqual(['named-target-port-missing']);
    });

    test('pods that run to completion are not checked when the Service also selects long-running pods', () => {
      // GIVEN a Helm-style test Pod and a migration Job that share the app's labels
      const svc = service('web', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] });
      const testPod = pod('web-test-connection', { labels: { app: 'web' }, restartPolicy: 'Never' });
      const migration = workload('Job', 'web-migrate', { labels: { app: 'web' } });
      // THEN only the Deployment is checked
      expect(lint(svc, workload('Deployment', 'web', { ports: HTTP }), testPod, migration)).toEqual([]);
      // ... and a Service that selects only such pods is still checked
      expect(rules(lint(svc, migration))).toEqual(['named-target-port-missing']);
    });
  });

  describe('numeric-target-port-undeclared', () => {
    test('fires (a warning) when no container declares the number', () => {
      const findings = lint(
        service('web', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 9090 }] }),
        workload('Deployment', 'web', { ports: HTTP }),
      );
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({ rule: 'numeric-target-port-undeclared', severity: Severity.WARNING, field: 'spec.ports[0].targetPort' });
      expect(findings[0].message).toEqual("Service 'default/web' (test.yaml:1) port 80 targets port 9090/TCP, which no container of Deployment 'default/web' (test.yaml:11) declares");
    });

    test('fires when targetPort is omitted and the port number is not declared', () => {
      const findings = lint(service('web', { selector: { app: 'web' }, ports: [{ port: 80 }] }), workload('Deployment', 'web', { ports: HTTP }));
      expect(rules(findings)).toEqual(['numeric-target-port-undeclared']);
    });

    test('stays silent when a container declares the number and protocol', () => {
      expect(lint(
        service('web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'dns', port: 53, protocol: 'UDP' }] }),
        workload('Deployment', 'web', { ports: [...HTTP, { containerPort: 53, protocol: 'UDP' }] }),
      )).toEqual([]);
    });
  });

  describe('statefulset-service', () => {
    const sts = (serviceName?: string) => {
      const manifest = workload('StatefulSet', 'db', { ports: [{ containerPort: 5432 }] });
      return { ...manifest, spec: { ...manifest.spec, serviceName } };
    };

    test('fires when serviceName names no Service', () => {
      const findings = lint(sts('db-headless'));
      expect(findings).toEqual([expect.objectContaining({
        rule: 'statefulset-service',
        field: 'spec.serviceName',
        message: "StatefulSet 'default/db' (test.yaml:1) has serviceName 'db-headless', but there is no Service 'db-headless' in namespace 'default'; its pods get no DNS names",
      })]);
    });

    test('fires when the Service is not headless', () => {
      const findings = lint(sts('db'), service('db', { selector: { app: 'db' }, ports: [{ port: 5432 }] }));
      expect(findings).toEqual([expect.objectContaining({ rule: 'statefulset-service', related: expect.objectContaining({ name: 'db' }) })]);
      expect(findings[0].message).toContain('is not headless (clusterIP: None)');
    });

    test('fires when the headless Service does not select its pods', () => {
      const findings = lint(sts('db'), service('db', { clusterIP: 'None', selector: { app: 'other' } }), workload('Deployment', 'other'));
      expect(rules(findings)).toEqual(['statefulset-service']);
      expect(findings[0].message).toContain('does not select its pods');
    });

    test('fires when the headless Service selects one pod of the set only (a per-pod label)', () => {
      // GIVEN the governing Service selects statefulset.kubernetes.io/pod-name: db-0 (replicas: 2)
      const set = { ...sts('db'), spec: { ...sts('db').spec, replicas: 2 } };
      const only = service('db', { clusterIP: 'None', selector: { 'statefulset.kubernetes.io/pod-name': 'db-0' } });

      // THEN db-1 gets no DNS record
      const findings = lint(set, only);
      expect(rules(findings)).toEqual(['statefulset-service']);
      expect(findings[0].message).toContain('does not select its pods');
    });

    test('fires when serviceName is missing', () => {
      expect(lint(sts(undefined))[0].message).toEqual("StatefulSet 'default/db' (test.yaml:1) has no serviceName; its pods get no DNS names");
    });

    test('stays silent with a headless Service that selects its pods (clusterIP or clusterIPs None)', () => {
      expect(lint(sts('db'), service('db', { clusterIP: 'None', selector: { app: 'db' } }))).toEqual([]);
      expect(lint(sts('db'), service('db', { clusterIP: 'None', clusterIPs: ['None'], selector: { app: 'db' } }))).toEqual([]);
    });
  });

  describe('node-port-reused', () => {
    const nodePortService = (name: string, nodePort: number, protocol?: string) =>
      service(name, { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, nodePort, protocol }] });
    const web = workload('Deployment', 'web', { ports: [...HTTP, { containerPort: 8080, protocol: 'UDP' }] });

    test('fires when two Services use one nodePort, even in different namespaces or protocols', () => {
      const findings = lint(web, nodePortService('a', 30080), nodePortService('b', 30080, 'UDP'));
      expect(findings).toEqual([expect.objectContaining({
        rule: 'node-port-reused',
        field: 'spec.ports[0].nodePort',
        message: "Service 'default/b' (test.yaml:21) port 80 uses nodePort 30080, which Service 'default/a' (test.yaml:11) port 80 already uses; a node port can serve one Service port",
        related: expect.objectContaining({ name: 'a' }),
      })]);
    });

    test('fires when one Service uses a nodePort twice with one protocol', () => {
      const findings = lint(web, service('a', { type: 'NodePort', selector: { app: 'web' }, ports: [
        { name: 'a', port: 80, targetPort: 8080, nodePort: 30080 },
        { name: 'b', port: 81, targetPort: 8080, nodePort: 30080 },
      ] }));
      expect(rules(findings)).toEqual(['node-port-reused']);
    });

    test('fires when one Service uses a nodePort for two port numbers, even with different protocols', () => {
      // GIVEN 53/UDP and 5353/TCP on nodePort 30053: the allocator (initNodePorts) shares a nodePort
      // only between the protocols of one port number, and allocates it again for the second port
      const findings = lint(web, service('dns', { type: 'NodePort', selector: { app: 'web' }, ports: [
        { name: 'dns', port: 53, targetPort: 8080, nodePort: 30053, protocol: 'UDP' },
        { name: 'mdns', port: 5353, targetPort: 8080, nodePort: 30053 },
      ] }));
      expect(findings).toEqual([expect.objectContaining({ rule: 'node-port-reused', field: 'spec.ports[1].nodePort' })]);
    });

    test('stays silent for distinct nodePorts, one nodePort for TCP and UDP of one Service, and one Service defined twice (duplicate-object reports that)', () => {
      expect(lint(web, nodePortService('a', 30080), nodePortService('b', 30081))).toEqual([]);
      expect(lint(web, service('a', { type: 'NodePort', selector: { app: 'web' }, ports: [
        { name: 'tcp', port: 80, targetPort: 8080, nodePort: 30080 },
        { name: 'udp', port: 80, targetPort: 8080, nodePort: 30080, protocol: 'UDP' },
      ] }))).toEqual([]);
      // the same object in two files (an all-in-one manifest next to its parts): applied, it is one
      expect(rules(lint(web, nodePortService('a', 30080), nodePortService('a', 30080)))).toEqual(['duplicate-object']);
    });
  });

  describe('labels the controllers add to the pods (1.27), which Services may select by', () => {
    const job = (name: string, spec: any = {}) => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name, namespace: 'ml' },
      spec: { completionMode: 'Indexed', completions: 2, ...spec, template: { spec: { restartPolicy: 'Never', subdomain: 'workers', containers: [{ name: 'w', image: 'w', ports: [{ containerPort: 29500, name: 'c10d' }] }] } } },
    });
    const headless = (selector: any) => service('workers', { clusterIP: 'None', selector }, 'ml');

    test("a Job's pods: job-name and batch.kubernetes.io/job-name (generateSelector)", () => {
      // GIVEN the headless Service of an Indexed Job, selecting by the label the Job controller adds
      expect(lint(job('train'), headless({ 'job-name': 'train' }))).toEqual([]);
      expect(lint(job('train'), headless({ 'batch.kubernetes.io/job-name': 'train' }))).toEqual([]);
      expect(lint(job('train'), service('rank0', { selector: { 'job-name': 'train' }, ports: [{ port: 29500, targetPort: 'c10d' }] }, 'ml'))).toEqual([]);
    });

    test('fires for another Job name, a manual selector, and the completion-index label (a pod label only from 1.28)', () => {
      expect(rules(lint(job('train'), headless({ 'job-name': 'eval' })))).toEqual(['service-selects-nothing']);
      expect(rules(lint(job('train', { manualSelector: true, selector: { matchLabels: { app: 'x' } } }), headless({ 'job-name': 'train' })))).toEqual(['service-selects-nothing']);
      expect(rules(lint(job('train'), headless({ 'job-name': 'train', 'batch.kubernetes.io/job-completion-index': '0' })))).toEqual(['service-selects-nothing']);
    });

    test("a StatefulSet's pods: statefulset.kubernetes.io/pod-name, one per ordinal", () => {
      const sts = (spec: any) => {
        const manifest = workload('StatefulSet', 'kafka', { ports: [{ containerPort: 9094, name: 'external' }] });
        return { ...manifest, spec: { ...manifest.spec, serviceName: 'kafka-headless', ...spec } };
      };
      const governing = service('kafka-headless', { clusterIP: 'None', selector: { app: 'kafka' } });
      const perPod = (pod_: string, targetPort = 'external') =>
        service(`${pod_}-external`, { type: 'LoadBalancer', selector: { 'app': 'kafka', 'statefulset.kubernetes.io/pod-name': pod_ }, ports: [{ port: 9094, targetPort }] });
      // GIVEN per-pod Services (external access to each broker)
      expect(lint(sts({ replicas: 3 }), governing, perPod('kafka-0'), perPod('kafka-2'))).toEqual([]);
      expect(lint(sts({}), governing, perPod('kafka-0'))).toEqual([]); // replicas defaults to 1
      expect(lint(sts({ replicas: 2, ordinals: { start: 1 } }), governing, perPod('kafka-2'))).toEqual([]);
      // THEN a pod beyond the replicas, or of another StatefulSet, is selected by nothing
      expect(rules(lint(sts({ replicas: 3 }), governing, perPod('kafka-3')))).toEqual(['service-selects-nothing']);
      expect(rules(lint(sts({ replicas: 2, ordinals: { start: 1 } }), governing, perPod('kafka-0')))).toEqual(['service-selects-nothing']);
      // ... and the pods' ports are checked through the per-pod label
      expect(rules(lint(sts({ replicas: 3 }), governing, perPod('kafka-1', 'broker')))).toEqual(['named-target-port-missing']);
    });
  });

  describe('pods that prometheus-operator runs for its resources', () => {
    const prometheus = (spec: any = {}, apiVersion = 'monitoring.coreos.com/v1', kind = 'Prometheus') => ({
      apiVersion,
      kind,
      metadata: { name: 'k8s', namespace: 'monitoring' },
      spec: { replicas: 2, podMetadata: { labels: { 'app.kubernetes.io/part-of': 'kube-prometheus' } }, ...spec },
    });
    const svc = (selector: any, ports: any[] = [{ name: 'web', port: 9090, targetPort: 'web' }]) =>
      service('prometheus-k8s', { selector, ports }, 'monitoring');

    test('a Service selecting them by spec.podMetadata.labels or by the labels the operator sets stays silent', () => {
      // kube-prometheus (podMetadata labels), kube-prometheus-stack (operator labels), older operators (app, prometheus)
      expect(lint(prometheus(), svc({ 'app.kubernetes.io/part-of': 'kube-prometheus' }, [
        { name: 'web', port: 9090, targetPort: 'web' }, { name: 'reloader-web', port: 8080, targetPort: 'reloader-web' },
      ]))).toEqual([]);
      expect(lint(prometheus(), svc({ 'app.kubernetes.io/name': 'prometheus', 'operator.prometheus.io/name': 'k8s' }))).toEqual([]);
      expect(lint(prometheus(), svc({ app: 'prometheus', prometheus: 'k8s' }))).toEqual([]);
      expect(lint(prometheus({ shards: 2 }), svc({ 'operator.prometheus.io/name': 'k8s', 'operator.prometheus.io/shard': '1' }))).toEqual([]);
      expect(lint(prometheus({ thanos: {} }), svc({ prometheus: 'k8s' }, [{ name: 'grpc', port: 10901, targetPort: 'grpc' }]))).toEqual([]);
      expect(lint(prometheus({ containers: [{ name: 'oauth-proxy', ports: [{ containerPort: 9091, name: 'proxy' }] }] }),
        svc({ prometheus: 'k8s' }, [{ name: 'proxy', port: 9091, targetPort: 'proxy' }]))).toEqual([]);
    });

    test('an Alertmanager and a ThanosRuler likewise', () => {
      const am = { apiVersion: 'monitoring.coreos.com/v1', kind: 'Alertmanager', metadata: { name: 'main', namespace: 'monitoring' }, spec: { replicas: 3 } };
      const ruler = { apiVersion: 'monitoring.coreos.com/v1', kind: 'ThanosRuler', metadata: { name: 'rules', namespace: 'monitoring' }, spec: {} };
      expect(lint(am, service('alertmanager-main', { selector: { alertmanager: 'main', app: 'alertmanager' }, ports: [
        { name: 'web', port: 9093, targetPort: 'web' }, { name: 'mesh', port: 9094, targetPort: 'mesh-udp', protocol: 'UDP' },
      ] }, 'monitoring'))).toEqual([]);
      expect(lint(ruler, service('thanos-ruler', { selector: { 'app.kubernetes.io/name': 'thanos-ruler', 'thanos-ruler': 'rules' }, ports: [
        { name: 'grpc', port: 10901, targetPort: 'grpc' },
      ] }, 'monitoring'))).toEqual([]);
    });

    test('fires on a selector label or a port name they do not have, and ignores look-alike kinds of other groups', () => {
      expect(rules(lint(prometheus(), svc({ 'app.kubernetes.io/name': 'prometheus', 'operator.prometheus.io/name': 'k8s-typo' })))).toEqual(['service-selects-nothing']);
      expect(rules(lint(prometheus(), svc({ 'app.kubernetes.io/part-of': 'kube-prometheus' }, [{ name: 'web', port: 9090, targetPort: 'webui' }])))).toEqual(['named-target-port-missing']);
      expect(lint(prometheus(), svc({ prometheus: 'k8s' }, [{ name: 'web', port: 9090, targetPort: 'webui' }]))[0].message)
        .toContain("no container of Prometheus 'monitoring/k8s' (test.yaml:1) declares a TCP port with that name");
      // a Prometheus of another group gets none of prometheus-operator's labels (a selector naming it by a key
      // tied to it, such as `prometheus: k8s`, is the fallback's: operator-pods.test.ts)
      const lookAlike = svc({ 'app.kubernetes.io/name': 'prometheus', 'operator.prometheus.io/name': 'k8s' });
      expect(rules(lint(prometheus({}, 'monitoring.example.com/v1'), lookAlike))).toEqual(['service-selects-nothing']);
    });
  });

  describe('externalname-selector', () => {
    test('fires on an ExternalName Service with a selector', () => {
      const findings = lint(service('db', { type: 'ExternalName', externalName: 'db.example.com', selector: { app: 'db' } }));
      expect(findings).toEqual([expect.objectContaining({
        rule: 'externalname-selector',
        severity: Severity.ERROR,
        field: 'spec.selector',
        message: "Service 'default/db' (test.yaml:1) is an ExternalName Service with selector app=db; Kubernetes ignores it and creates no endpoints",
      })]);
    });

    test('stays silent without a selector', () => {
      expect(lint(service('db', { type: 'ExternalName', externalName: 'db.example.com', ports: [{ port: 5432 }] }))).toEqual([]);
    });
  });

  describe('env-names-missing-service', () => {
    const client = (env: Record<string, string>, namespace?: string) =>
      workload('Deployment', 'client', { namespace, env: Object.entries(env).map(([name, value]) => ({ name, value })) });
    const db = service('db', { selector: { app: 'db' }, ports: [{ port: 5432 }] }, 'data');
    const dbPods = workload('Deployment', 'db', { namespace: 'data', ports: [{ containerPort: 5432 }] });

    test.each([
      ['DB_HOST', 'postgres'],
      ['DB_HOST', 'postgres:5432'],
      ['DB_ADDR', 'postgres.data'],
      ['CACHE_SERVICE', 'redis.data.svc'],
      ['DB_HOST', 'postgres.data.svc.cluster.local:5432'],
    ])('fires for %s=%s when the Service is not in the input', (name, value) => {
      const findings = lint(client({ [name]: value }), db, dbPods);
      expect(findings).toEqual([expect.objectContaining({
        rule: 'env-names-missing-service',
        severity: Severity.WARNING,
        field: 'spec.template.spec.containers[0].env[0].value',
        resource: expect.objectContaining({ kind: 'Deployment', name: 'client' }),
      })]);
    });

    test('names the variable and the missing Service', () => {
      expect(lint(client({ DB_HOST: 'postgres:5432' }))[0].message).toEqual(
        "Deployment 'default/client' (test.yaml:1) sets DB_HOST=postgres:5432, but there is no Service 'postgres' in namespace 'default' in the input",
      );
    });

    test('reads init containers too', () => {
      const manifest = workload('Deployment', 'client', { initContainers: [{ name: 'wait', image: 'busybox', env: [{ name: 'DB_HOST', value: 'postgres' }] }] });
      expect(lint(manifest)[0].field).toEqual('spec.template.spec.initContainers[0].env[0].value');
    });

    test.each([
      ['DB_HOST', 'db.data'],
      ['DB_HOST', 'db.data.svc.cluster.local:5432'],
      ['DB_HOST', 'db.example.com'], // other dots: external
      ['DB_HOST', 'postgres.example'], // a namespace the input does not use: external
      ['DB_HOST', '10.0.0.7'],
      ['DB_HOST', 'localhost'],
      ['DB_USER', 'postgres'], // not a host variable
      ['API_HOST', 'kubernetes'],
      ['DNS_HOST', 'kube-dns.kube-system'],
      ['VERIFY_HOST', 'false'],
      ['DD_SERVICE', 'client'], // the pods name themselves (tracing tags)
      ['DB_HOST', '$(DB_SERVICE_NAME)'],
    ])('stays silent for %s=%s', (name, value) => {
      expect(lint(client({ [name]: value }), db, dbPods)).toEqual([]);
    });

    test('a Service of the same name in another namespace does not count', () => {
      expect(rules(lint(client({ DB_HOST: 'db' }), db, dbPods))).toEqual(['env-names-missing-service']);
    });
  });

  describe('ingress-backend-missing', () => {
    const web = workload('Deployment', 'web', { ports: HTTP });
    const webService = service('web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] });

    test('fires when the Service is not in the input', () => {
      const findings = lint(web, webService, ingress('shop', { service: { name: 'api', port: { number: 80 } } }));
      expect(findings).toEqual([expect.objectContaining({
        rule: 'ingress-backend-missing',
        field: 'spec.rules[0].http.paths[0].backend.service.name',
        message: "Ingress 'default/shop' (test.yaml:21) routes to Service 'api', which is not in namespace 'default' of the input",
      })]);
    });

    test('fires when the Service has no such port number or name', () => {
      const byNumber = lint(web, webService, ingress('shop', { service: { name: 'web', port: { number: 8080 } } }));
      expect(byNumber).toEqual([expect.objectContaining({
        rule: 'ingress-backend-missing',
        field: 'spec.rules[0].http.paths[0].backend.service.port',
        message: "Ingress 'default/shop' (test.yaml:21) routes to port 8080 of Service 'default/web' (test.yaml:11), which has ports 80 (http)",
      })]);
      const byName = lint(web, webService, ingress('shop', { service: { name: 'web', port: { name: 'https' } } }));
      expect(byName[0].message).toContain('routes to port name "https" of Service');
    });

    test('reads v1beta1 backends and the default backend', () => {
      const legacy = {
        apiVersion: 'extensions/v1beta1',
        kind: 'Ingress',
        metadata: { name: 'legacy' },
        spec: {
          backend: { serviceName: 'missing', servicePort: 80 },
          rules: [{ http: { paths: [{ backend: { serviceName: 'web', servicePort: 'http' } }, { backend: { serviceName: 'web', servicePort: 443 } }] } }],
        },
      };
      const findings = lint(web, webService, legacy);
      expect(findings.map(finding => finding.field)).toEqual(['spec.backend.serviceName', 'spec.rules[0].http.paths[1].backend.servicePort']);
    });

    test('stays silent on the port of an ExternalName Service, or of a Service without ports: the controller takes it from the Ingress', () => {
      const external = service('payments', { type: 'ExternalName', externalName: 'payments.example.net' });
      const portless = service('legacy', { type: 'ClusterIP', clusterIP: 'None' });
      expect(lint(external, ingress('a', { service: { name: 'payments', port: { number: 443 } } }))).toEqual([]);
      expect(lint(external, ingress('b', { service: { name: 'payments', port: { name: 'https' } } }))).toEqual([]);
      expect(lint(portless, ingress('c', { service: { name: 'legacy', port: { number: 8080 } } }))).toEqual([]);
      // a missing Service is still reported
      expect(rules(lint(external, ingress('d', { service: { name: 'payment', port: { number: 443 } } })))).toEqual(['ingress-backend-missing']);
    });

    test('stays silent when the Service and port exist (number, name, or a number written as a string)', () => {
      expect(lint(web, webService, ingress('a', { service: { name: 'web', port: { number: 80 } } }))).toEqual([]);
      expect(lint(web, webService, ingress('b', { service: { name: 'web', port: { name: 'http' } } }))).toEqual([]);
      expect(lint(web, webService, { apiVersion: 'extensions/v1beta1', kind: 'Ingress', metadata: { name: 'c' }, spec: { backend: { serviceName: 'web', servicePort: '80' } } })).toEqual([]);
    });
  });

  describe('kinds are matched with their API group', () => {
    test('a Knative Service is a workload (its env is checked), not a core Service', () => {
      // GIVEN a Knative Service whose env names a Service that is not in the input
      const knative = {
        apiVersion: 'serving.knative.dev/v1',
        kind: 'Service',
        metadata: { name: 'hello', namespace: 'shop' },
        spec: { template: { metadata: { labels: { app: 'hello' } }, spec: { containers: [{ image: 'hello:1', env: [{ name: 'DB_HOST', value: 'postgres' }] }] } } },
      };
      // WHEN
      const findings = lint(knative, { ...ingress('web', { service: { name: 'hello', port: { number: 80 } } }), metadata: { name: 'web', namespace: 'shop' } });
      // THEN the warning is reported on it, and an Ingress to 'hello' in its namespace finds no core Service
      expect(findings).toEqual([
        expect.objectContaining({
          rule: 'env-names-missing-service',
          resource: expect.objectContaining({ kind: 'Service', name: 'hello', namespace: 'shop', source: 'test.yaml:1' }),
          field: 'spec.template.spec.containers[0].env[0].value',
        }),
        expect.objectContaining({ rule: 'ingress-backend-missing', field: 'spec.rules[0].http.paths[0].backend.service.name' }),
      ]);
      // and it is drawn as the pods Knative runs: the template's labels and Knative's, ports not all known (queue-proxy)
      const model = modelFromManifests([{ manifest: knative }]);
      expect(model.services).toEqual([]);
      expect(model.podTemplates.map(template => [template.ref.kind, template.ref.name, template.labels, template.portsUnknown])).toEqual([
        ['Service', 'hello', { 'app': 'hello', 'serving.knative.dev/service': 'hello', 'serving.knative.dev/configuration': 'hello' }, true],
      ]);
    });

    test('core kinds need their group: v1 Service and Pod, apps Deployment, batch Job, networking.k8s.io or extensions Ingress', () => {
      const web = workload('Deployment', 'web', { ports: HTTP });
      const webService = service('web', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] });
      const model = modelFromManifests([
        { manifest: { ...webService, apiVersion: 'example.com/v1' } },
        { manifest: { ...pod('p'), apiVersion: 'example.com/v1' } },
        { manifest: { ...web, apiVersion: 'example.com/v1', spec: { ...web.spec, template: undefined } } },
        { manifest: { ...workload('Job', 'j'), apiVersion: 'apps/v1', spec: {} } },
        { manifest: { ...ingress('i', { service: { name: 'web', port: { number: 80 } } }), apiVersion: 'traefik.io/v1alpha1' } },
        { manifest: { ...webService, apiVersion: undefined } },
      ].map(input => ({ ...input, source: 'x.yaml:1' })));
      expect({ ...model, objects: undefined, operatorResources: undefined }).toEqual({ podTemplates: [], services: [], statefulSets: [], ingresses: [], routes: [], gateways: [], referenceGrants: [], namespaces: [], objects: undefined, operatorResources: undefined });
      // the custom resources may run pods through an operator (the fallback of service-selects-nothing); traefik.io configures a proxy
      expect(model.operatorResources!.map(resource => `${resource.group} ${resource.ref.kind} ${resource.name}`)).toEqual([
        'example.com Service web', 'example.com Pod p', 'example.com Deployment web',
      ]);
      const legacy = modelFromManifests([
        { manifest: { ...web, apiVersion: 'extensions/v1beta1' } },
        { manifest: { ...workload('StatefulSet', 's'), apiVersion: 'apps/v1beta2' } },
        { manifest: { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'rc' }, spec: { template: { spec: { containers: [] } } } } },
      ]);
      expect(legacy.podTemplates.map(template => template.ref.name)).toEqual(['web', 's', 'rc']);
      expect(legacy.statefulSets).toHaveLength(1);
    });
  });

  describe('defaultNamespace', () => {
    test('objects without metadata.namespace are read as in it; default is default', () => {
      const objects = [{ manifest: service('web', {}) }, { manifest: service('api', {}, 'shop') }];
      expect(modelFromManifests(objects).services.map(s => s.ref.namespace)).toEqual(['default', 'shop']);
      expect(modelFromManifests(objects, { defaultNamespace: 'prod' }).services.map(s => s.ref.namespace)).toEqual(['prod', 'shop']);
    });
  });

  test('objects of other kinds, and non-objects, are ignored', () => {
    expect(lint(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { DB_HOST: 'missing' } },
      'a string',
      null,
      { kind: 'Service' },
    )).toEqual([]);
  });
});
