import { Finding } from 'cdk8s-service-patterns';
import { modelFromManifests } from '../../src/validation/from-manifests';
import { checkWiring } from '../../src/validation/rules';

// Services selecting pods that operators run for custom resources of the input: the operators of
// the table (labels and ports as their source sets them), the open labels controllers set with
// values the manifests do not show, and the fallback for other operators (a custom resource the
// selector names by a key tied to it).

function lint(...manifests: any[]): Finding[] {
  return checkWiring(modelFromManifests(manifests.map((manifest, i) => ({ manifest, source: `test.yaml:${i * 10 + 1}` }))));
}

function rules(findings: Finding[]): string[] {
  return findings.map(finding => finding.rule);
}

function resource(apiVersion: string, kind: string, name: string, spec: any = {}, metadata: any = {}): any {
  return { apiVersion, kind, metadata: { name, namespace: 'data', ...metadata }, spec };
}

function service(selector: Record<string, string>, ports: any[] = [{ name: 'tcp', port: 5432 }], name = 'user-service', namespace = 'data'): any {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { selector, ports } };
}

describe('pods of the operators the lint knows', () => {
  describe('ECK Elasticsearch and Kibana', () => {
    const es = (spec: any = {}) => resource('elasticsearch.k8s.elastic.co/v1', 'Elasticsearch', 'logs', {
      version: '8.11.1',
      nodeSets: [
        { name: 'masters', count: 3, config: { 'node.roles': ['master'] } },
        { name: 'hot', count: 2, podTemplate: { metadata: { labels: { team: 'obs' } } } },
      ],
      ...spec,
    });
    const kibana = (spec: any = {}) => resource('kibana.k8s.elastic.co/v1', 'Kibana', 'logs', { version: '8.11.1', count: 1, ...spec });

    test('a Service selecting them by the operator\'s labels, a node set\'s or its pod template\'s stays silent', () => {
      expect(lint(es(), service({ 'elasticsearch.k8s.elastic.co/cluster-name': 'logs' }, [{ port: 9200, targetPort: 'https' }]))).toEqual([]);
      expect(lint(es(), service({ 'elasticsearch.k8s.elastic.co/cluster-name': 'logs', 'elasticsearch.k8s.elastic.co/node-master': 'true' },
        [{ name: 'transport', port: 9300, targetPort: 'transport' }, { name: 'https', port: 9200 }]))).toEqual([]);
      expect(lint(es(), service({ 'elasticsearch.k8s.elastic.co/statefulset-name': 'logs-es-hot', 'team': 'obs' }, [{ port: 9200 }]))).toEqual([]);
      expect(lint(kibana(), service({ 'kibana.k8s.elastic.co/name': 'logs', 'common.k8s.elastic.co/type': 'kibana' }, [{ port: 443, targetPort: 'https' }]))).toEqual([]);
    });

    test('the HTTP port is named https, or http when TLS is off (TLSOptions.Enabled)', () => {
      const http = service({ 'elasticsearch.k8s.elastic.co/cluster-name': 'logs' }, [{ port: 9200, targetPort: 'http' }]);
      expect(rules(lint(es(), http))).toEqual(['named-target-port-missing']);
      expect(lint(es({ http: { tls: { selfSignedCertificate: { disabled: true } } } }), http)).toEqual([]);
      // a certificate of the user's turns TLS on again
      expect(rules(lint(es({ http: { tls: { selfSignedCertificate: { disabled: true }, certificate: { secretName: 'tls' } } } }), http)))
        .toEqual(['named-target-port-missing']);
      const kibanaHttp = service({ 'kibana.k8s.elastic.co/name': 'logs' }, [{ port: 80, targetPort: 'http' }]);
      expect(rules(lint(kibana(), kibanaHttp))).toEqual(['named-target-port-missing']);
      expect(lint(kibana({ http: { tls: { selfSignedCertificate: { disabled: true } } } }), kibanaHttp)).toEqual([]);
    });

    test('fires once for a cluster of several node sets, naming the Elasticsearch resource', () => {
      const findings = lint(es(), service({ 'elasticsearch.k8s.elastic.co/cluster-name': 'logs' }, [{ port: 9200, targetPort: 'rest' }]));
      expect(findings.map(finding => finding.message)).toEqual([
        "Service 'data/user-service' (test.yaml:11) port 9200 targets port name 'rest', but no container of Elasticsearch 'data/logs' (test.yaml:1) declares a TCP port with that name; traffic to those pods fails",
      ]);
    });

    test('fires for another cluster name or a role value that is not true or false', () => {
      expect(rules(lint(es(), service({ 'elasticsearch.k8s.elastic.co/cluster-name': 'log' })))).toEqual(['service-selects-nothing']);
      expect(rules(lint(es(), service({ 'elasticsearch.k8s.elastic.co/cluster-name': 'logs', 'elasticsearch.k8s.elastic.co/node-data': 'yes' }))))
        .toEqual(['service-selects-nothing']);
    });
  });

  describe('Strimzi', () => {
    const kafka = (listeners: any) => resource('kafka.strimzi.io/v1beta2', 'Kafka', 'events', {
      kafka: { replicas: 3, listeners, template: { pod: { metadata: { labels: { tier: 'streaming' } } } } },
      zookeeper: { replicas: 3 },
      entityOperator: { topicOperator: {} },
    }, { labels: { 'app.kubernetes.io/name': 'ignored', 'cost-center': 'ops' } });
    const listeners = [
      { name: 'plain', port: 9092, type: 'internal', tls: false },
      { name: 'external', port: 9094, type: 'nodeport', tls: false },
      { name: 'internal2', port: 9095, type: 'internal', tls: true },
    ];
    const brokers = { 'strimzi.io/cluster': 'events', 'strimzi.io/kind': 'Kafka', 'strimzi.io/name': 'events-kafka' };

    test('the brokers carry the default labels (generateDefaultLabels), the resource\'s own and the pod template\'s', () => {
      expect(lint(kafka(listeners), service(brokers, [{ port: 9092, targetPort: 'tcp-clients' }]))).toEqual([]);
      expect(lint(kafka(listeners), service({ 'app.kubernetes.io/instance': 'events', 'app.kubernetes.io/name': 'kafka', 'tier': 'streaming' },
        [{ name: 'a', port: 9094, targetPort: 'tcp-external' }, { name: 'b', port: 9095, targetPort: 'tcp-internal2' }]))).toEqual([]);
      expect(lint(kafka(listeners), service({ 'strimzi.io/cluster': 'events', 'cost-center': 'ops', 'app.kubernetes.io/part-of': 'strimzi-events' }, [{ port: 9090 }]))).toEqual([]);
      // the v1beta1 map of listeners: plain, tls and external on their fixed ports
      expect(lint(kafka({ plain: {}, tls: {} }), service(brokers, [{ port: 9093, targetPort: 'tcp-clientstls' }]))).toEqual([]);
    });

    test('fires on a port name no listener has, and on a component name that is not theirs', () => {
      expect(rules(lint(kafka(listeners), service(brokers, [{ port: 9093, targetPort: 'tcp-clientstls' }])))).toEqual(['named-target-port-missing']);
      expect(rules(lint(kafka(listeners), service({ ...brokers, 'strimzi.io/name': 'events-broker' })))).toEqual(['service-selects-nothing']);
      // the resource's app.kubernetes.io labels other than part-of do not reach the pods
      expect(rules(lint(kafka(listeners), service({ 'strimzi.io/cluster': 'events', 'app.kubernetes.io/name': 'ignored' })))).toEqual(['service-selects-nothing']);
    });

    test('ZooKeeper, the entity operator, KafkaConnect and node pools: labels known, ports not (no port findings)', () => {
      expect(lint(kafka(listeners), service({ 'strimzi.io/name': 'events-zookeeper' }, [{ port: 2181, targetPort: 'whatever' }]))).toEqual([]);
      expect(lint(kafka(listeners), service({ 'strimzi.io/name': 'events-entity-operator' }, [{ port: 8080 }]))).toEqual([]);
      const connect = resource('kafka.strimzi.io/v1beta2', 'KafkaConnect', 'debezium', { replicas: 2 });
      expect(lint(connect, service({ 'strimzi.io/cluster': 'debezium', 'strimzi.io/kind': 'KafkaConnect', 'strimzi.io/name': 'debezium-connect' },
        [{ port: 8083, targetPort: 'rest-api' }]))).toEqual([]);
      const pool = resource('kafka.strimzi.io/v1beta2', 'KafkaNodePool', 'brokers', { roles: ['broker'], replicas: 3 }, { labels: { 'strimzi.io/cluster': 'events' } });
      expect(lint(pool, service({ 'strimzi.io/cluster': 'events', 'strimzi.io/pool-name': 'brokers' }, [{ port: 9094 }]))).toEqual([]);
      expect(rules(lint(pool, service({ 'strimzi.io/cluster': 'events', 'strimzi.io/pool-name': 'controllers' })))).toEqual(['service-selects-nothing']);
    });

    test('labels of strimzi.io/ the table does not list (broker-role, pod-name) may have any value; KafkaTopics run no pods', () => {
      expect(lint(kafka(listeners), service({ ...brokers, 'strimzi.io/broker-role': 'true' }, [{ port: 9092 }]))).toEqual([]);
      const topic = resource('kafka.strimzi.io/v1beta2', 'KafkaTopic', 'orders', { partitions: 3 }, { labels: { 'strimzi.io/cluster': 'events' } });
      expect(rules(lint(topic, service({ 'strimzi.io/cluster': 'events' })))).toEqual(['service-selects-nothing']);
      expect(rules(lint(topic, service({ 'strimzi.io/topic': 'orders' })))).toEqual(['service-selects-nothing']);
    });

    test('a per-broker Service selecting by open labels alone (pod-name, strimzi.io/pod-name) stays silent', () => {
      expect(lint(kafka(listeners), service({ 'statefulset.kubernetes.io/pod-name': 'events-kafka-0' }, [{ port: 9094 }]))).toEqual([]);
      expect(lint(kafka(listeners), service({ 'strimzi.io/pod-name': 'events-kafka-1' }, [{ port: 9094 }]))).toEqual([]);
    });
  });

  describe('CloudNativePG', () => {
    const cluster = resource('postgresql.cnpg.io/v1', 'Cluster', 'orders', { instances: 3, inheritedMetadata: { labels: { app: 'orders-db' } } });

    test('instances by cluster, role (cnpg.io/instanceRole, role) and inherited labels; ports postgresql, metrics, status', () => {
      expect(lint(cluster, service({ 'cnpg.io/cluster': 'orders', 'cnpg.io/instanceRole': 'replica' }, [{ port: 5432, targetPort: 'postgresql' }]))).toEqual([]);
      expect(lint(cluster, service({ 'cnpg.io/cluster': 'orders', 'role': 'primary' }, [{ port: 9187, targetPort: 'metrics' }]))).toEqual([]);
      expect(lint(cluster, service({ app: 'orders-db' }, [{ port: 8000, targetPort: 'status' }]))).toEqual([]);
      expect(lint(cluster, service({ 'cnpg.io/cluster': 'orders', 'cnpg.io/instanceName': 'orders-4' }, [{ port: 5432 }]))).toEqual([]);
      // an instance alone, by its open label
      expect(lint(cluster, service({ 'cnpg.io/instanceName': 'orders-1' }, [{ port: 5432 }]))).toEqual([]);
    });

    test('fires on a role they never have, and on a port they do not declare', () => {
      expect(rules(lint(cluster, service({ 'cnpg.io/cluster': 'orders', 'role': 'standby' })))).toEqual(['service-selects-nothing']);
      expect(rules(lint(cluster, service({ 'cnpg.io/cluster': 'orders' }, [{ port: 5432, targetPort: 'postgres' }])))).toEqual(['named-target-port-missing']);
      expect(rules(lint(cluster, service({ 'cnpg.io/cluster': 'orders' }, [{ port: 6432 }])))).toEqual(['numeric-target-port-undeclared']);
    });

    test('a Pooler\'s PgBouncer pods, with its template\'s labels and containers', () => {
      const pooler = resource('postgresql.cnpg.io/v1', 'Pooler', 'orders-rw', {
        cluster: { name: 'orders' },
        type: 'rw',
        template: { metadata: { labels: { tier: 'db' } }, spec: { containers: [{ name: 'exporter', ports: [{ name: 'extra', containerPort: 9999 }] }] } },
      });
      expect(lint(pooler, service({ 'cnpg.io/poolerName': 'orders-rw', 'tier': 'db' }, [{ name: 'a', port: 5432, targetPort: 'pgbouncer' }, { name: 'b', port: 9999, targetPort: 'extra' }]))).toEqual([]);
      expect(rules(lint(pooler, service({ 'cnpg.io/poolerName': 'orders-ro' })))).toEqual(['service-selects-nothing']);
    });
  });

  describe('Zalando postgres-operator', () => {
    const pg = (spec: any = {}) => resource('acid.zalan.do/v1', 'postgresql', 'acid-billing', { teamId: 'acid', numberOfInstances: 2, ...spec });

    test('Spilo pods: application, cluster-name, team, spilo-role; ports 5432, 8008, 8080 and the sidecars\'', () => {
      expect(lint(pg(), service({ 'application': 'spilo', 'cluster-name': 'acid-billing', 'spilo-role': 'replica' }, [{ port: 5432 }]))).toEqual([]);
      expect(lint(pg({ sidecars: [{ name: 'exporter', ports: [{ name: 'exporter', containerPort: 9187 }] }] }),
        service({ 'cluster-name': 'acid-billing', 'team': 'acid' }, [{ port: 9187, targetPort: 'exporter' }]))).toEqual([]);
      expect(rules(lint(pg(), service({ 'cluster-name': 'acid-billing' }, [{ port: 5432, targetPort: 'postgresql' }])))).toEqual(['named-target-port-missing']);
      expect(rules(lint(pg(), service({ 'cluster-name': 'acid-billing', 'spilo-role': 'leader' })))).toEqual(['service-selects-nothing']);
    });

    test('the connection poolers when enabled', () => {
      const pooler = service({ 'application': 'db-connection-pooler', 'connection-pooler': 'acid-billing-pooler' });
      expect(rules(lint(pg(), pooler))).toEqual(['service-selects-nothing']);
      expect(lint(pg({ enableConnectionPooler: true }), pooler)).toEqual([]);
      expect(lint(pg({ enableReplicaConnectionPooler: true }), service({ 'connection-pooler': 'acid-billing-pooler-repl' }))).toEqual([]);
    });
  });

  describe('RabbitMQ, MongoDB community, KubeVirt, Knative, OpenShift', () => {
    test('a RabbitmqCluster\'s pods (app.kubernetes.io/name) and their ports', () => {
      const rabbit = resource('rabbitmq.com/v1beta1', 'RabbitmqCluster', 'broker', { replicas: 3 });
      expect(lint(rabbit, service({ 'app.kubernetes.io/name': 'broker', 'app.kubernetes.io/component': 'rabbitmq' },
        [{ name: 'amqp', port: 5672, targetPort: 'amqp' }, { name: 'ui', port: 80, targetPort: 'management' }]))).toEqual([]);
      expect(rules(lint(rabbit, service({ 'app.kubernetes.io/name': 'broker' }, [{ port: 5672, targetPort: 'amqp-tls' }])))).toEqual(['named-target-port-missing']);
      // a Queue is configuration
      const queue = resource('rabbitmq.com/v1beta1', 'Queue', 'telemetry', { rabbitmqClusterReference: { name: 'broker' } });
      expect(rules(lint(queue, service({ 'app.kubernetes.io/name': 'telemetry' })))).toEqual(['service-selects-nothing']);
    });

    test('MongoDBCommunity: app <name>-svc', () => {
      const mongo = resource('mongodbcommunity.mongodb.com/v1', 'MongoDBCommunity', 'mongo', { members: 3, type: 'ReplicaSet' });
      expect(lint(mongo, service({ app: 'mongo-svc' }, [{ port: 27017, targetPort: 'mongodb' }]))).toEqual([]);
      expect(rules(lint(mongo, service({ app: 'mongo' })))).toEqual(['service-selects-nothing']);
    });

    test('a KubeVirt VirtualMachine\'s launcher pod: its template\'s labels, any port', () => {
      const vm = resource('kubevirt.io/v1', 'VirtualMachine', 'agent', { template: { metadata: { labels: { special: 'key' } }, spec: { domain: {} } } });
      expect(lint(vm, service({ special: 'key' }, [{ port: 22 }]))).toEqual([]);
      expect(lint(vm, service({ 'vm.kubevirt.io/name': 'agent' }, [{ port: 3389, targetPort: 'rdp' }]))).toEqual([]);
      expect(rules(lint(vm, service({ special: 'other' })))).toEqual(['service-selects-nothing']);
    });

    test('a Knative Service\'s pods carry Knative\'s labels; their ports are the queue-proxy\'s', () => {
      const ksvc = resource('serving.knative.dev/v1', 'Service', 'hello', { template: { spec: { containers: [{ image: 'hello' }] } } });
      expect(lint(ksvc, service({ 'serving.knative.dev/service': 'hello' }, [{ port: 80, targetPort: 8012 }]))).toEqual([]);
    });

    test('an OpenShift DeploymentConfig\'s pods carry deploymentconfig (and deployment, <name>-<version>)', () => {
      const dc = { ...resource('apps.openshift.io/v1', 'DeploymentConfig', 'frontend'), spec: { template: { metadata: { labels: { app: 'frontend' } }, spec: { containers: [{ name: 'web', ports: [{ containerPort: 8080 }] }] } } } };
      expect(lint(dc, service({ deploymentconfig: 'frontend' }, [{ port: 8080 }]))).toEqual([]);
      expect(lint(dc, service({ deploymentconfig: 'frontend', deployment: 'frontend-3' }, [{ port: 8080 }]))).toEqual([]);
      expect(rules(lint(dc, service({ deploymentconfig: 'backend' })))).toEqual(['service-selects-nothing']);
      // the ports of its template are checked as a Deployment's
      expect(rules(lint(dc, service({ deploymentconfig: 'frontend' }, [{ port: 9090 }])))).toEqual(['numeric-target-port-undeclared']);
    });
  });
});

describe('labels controllers set with values the manifests do not show', () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'data' },
    spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', ports: [{ name: 'http', containerPort: 8080 }] }] } } },
  };

  test('pod-template-hash (a `kubectl get -o yaml` export, an Argo Rollouts Service) matches any value, with the rest of the selector', () => {
    expect(lint(deployment, service({ 'app': 'web', 'pod-template-hash': '7d4b9c8f5' }, [{ port: 80, targetPort: 'http' }]))).toEqual([]);
    const rollout = { ...deployment, apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' };
    expect(lint(rollout, service({ 'app': 'web', 'rollouts-pod-template-hash': '6c9f8d' }, [{ port: 80, targetPort: 'http' }]))).toEqual([]);
    // the rest must match, and the key is open only where the controller sets it
    expect(rules(lint(deployment, service({ 'app': 'api', 'pod-template-hash': '7d4b9c8f5' })))).toEqual(['service-selects-nothing']);
    expect(rules(lint({ ...deployment, kind: 'DaemonSet' }, service({ 'app': 'web', 'pod-template-hash': '7d4b9c8f5' })))).toEqual(['service-selects-nothing']);
    expect(lint({ ...deployment, kind: 'DaemonSet' }, service({ 'app': 'web', 'controller-revision-hash': '5f6d8' }, [{ port: 80, targetPort: 'http' }]))).toEqual([]);
  });
});

describe('the fallback for other operators: a custom resource the selector names', () => {
  test('by a key of its API group\'s domain (Crunchy PGO, MinIO, Vitess), with its name or <name>-<suffix>', () => {
    const hippo = resource('postgres-operator.crunchydata.com/v1beta1', 'PostgresCluster', 'hippo', { postgresVersion: 16 });
    expect(lint(hippo, service({ 'postgres-operator.crunchydata.com/cluster': 'hippo', 'postgres-operator.crunchydata.com/role': 'master' }))).toEqual([]);
    const tenant = resource('minio.min.io/v2', 'Tenant', 'media', { pools: [{ name: 'pool-0', servers: 4 }] });
    expect(lint(tenant, service({ 'v1.min.io/tenant': 'media' }, [{ port: 80, targetPort: 9000 }]))).toEqual([]);
    const vitess = resource('planetscale.com/v2', 'VitessCluster', 'commerce');
    expect(lint(vitess, service({ 'planetscale.com/cluster': 'commerce', 'planetscale.com/component': 'vtgate' }))).toEqual([]);
    expect(lint(vitess, service({ 'planetscale.com/component': 'vtgate', 'planetscale.com/cell': 'commerce-zone1' }))).toEqual([]);
  });

  test('by a key named after its kind, or an instance key (app, app.kubernetes.io/instance, ...)', () => {
    const redis = resource('databases.example.io/v1', 'Redis', 'sessions');
    expect(lint(redis, service({ redis: 'sessions' }))).toEqual([]);
    const flink = resource('flink.apache.org/v1beta1', 'FlinkDeployment', 'fraud', { job: { jarURI: 'local:///opt/flink/job.jar' } });
    expect(lint(flink, service({ app: 'fraud', component: 'jobmanager' }, [{ port: 8081, targetPort: 'rest' }]))).toEqual([]);
    const percona = resource('pxc.percona.com/v1', 'PerconaXtraDBCluster', 'cluster1');
    expect(lint(percona, service({ 'app.kubernetes.io/instance': 'cluster1', 'app.kubernetes.io/component': 'haproxy' }))).toEqual([]);
    const redisStandalone = resource('redis.redis.opstreelabs.in/v1beta2', 'Redis', 'cache');
    expect(lint(redisStandalone, service({ app: 'cache', role: 'standalone' }))).toEqual([]);
    // only a key of its domain names a component of it: app=cache-api is not the cache's
    expect(rules(lint(redisStandalone, service({ app: 'cache-api' })))).toEqual(['service-selects-nothing']);
    expect(rules(lint(redisStandalone, service({ redis: 'cache-0' })))).toEqual(['service-selects-nothing']);
  });

  test('a Flux HelmRelease: the release name and namespace its chart\'s pods carry', () => {
    const release = (spec: any) => resource('helm.toolkit.fluxcd.io/v2beta1', 'HelmRelease', 'grafana', { chart: { spec: { chart: 'grafana' } }, ...spec });
    expect(lint(release({}), service({ 'app.kubernetes.io/name': 'grafana', 'app.kubernetes.io/instance': 'grafana' }))).toEqual([]);
    expect(lint(release({}), service({ app: 'grafana-web', release: 'grafana' }))).toEqual([]);
    expect(lint(release({ targetNamespace: 'monitoring' }), service({ 'app.kubernetes.io/instance': 'monitoring-grafana' }, undefined, 'svc', 'monitoring'))).toEqual([]);
    expect(lint(release({ releaseName: 'dashboards' }), service({ 'app.kubernetes.io/instance': 'dashboards' }))).toEqual([]);
    expect(rules(lint(release({ targetNamespace: 'monitoring' }), service({ 'app.kubernetes.io/instance': 'grafana' })))).toEqual(['service-selects-nothing']);
  });

  test('fires when the resource is in another namespace, has another name, or the key does not tie to it', () => {
    const hippo = resource('postgres-operator.crunchydata.com/v1beta1', 'PostgresCluster', 'hippo');
    expect(rules(lint(hippo, service({ 'postgres-operator.crunchydata.com/cluster': 'hippo' }, undefined, 'svc', 'other')))).toEqual(['service-selects-nothing']);
    expect(rules(lint(hippo, service({ 'postgres-operator.crunchydata.com/cluster': 'hippos' })))).toEqual(['service-selects-nothing']);
    expect(rules(lint(hippo, service({ 'postgres-operator.crunchydata.com/cluster': 'hip' })))).toEqual(['service-selects-nothing']);
    expect(rules(lint(hippo, service({ tier: 'hippo' })))).toEqual(['service-selects-nothing']);
    expect(rules(lint(hippo, service({ 'example.com/cluster': 'hippo' })))).toEqual(['service-selects-nothing']);
    // domains many owners share tie nothing
    const shared = resource('foo.github.io/v1', 'Thing', 'hippo');
    expect(rules(lint(shared, service({ 'bar.github.io/cluster': 'hippo' })))).toEqual(['service-selects-nothing']);
  });

  test('a ServiceMonitor, Certificate or ScaledObject named like the app does not hide a Service that selects nothing', () => {
    const objects = [
      resource('monitoring.coreos.com/v1', 'ServiceMonitor', 'web', { selector: { matchLabels: { app: 'web' } }, endpoints: [{ port: 'http' }] }),
      resource('monitoring.coreos.com/v1', 'PodMonitor', 'web'),
      resource('monitoring.coreos.com/v1', 'PrometheusRule', 'web'),
      resource('cert-manager.io/v1', 'Certificate', 'web', { secretName: 'web-tls' }),
      resource('keda.sh/v1alpha1', 'ScaledObject', 'web', { scaleTargetRef: { name: 'web' } }),
      resource('external-secrets.io/v1beta1', 'ExternalSecret', 'web'),
      resource('bitnami.com/v1alpha1', 'SealedSecret', 'web'),
      resource('networking.istio.io/v1beta1', 'VirtualService', 'web'),
      resource('traefik.io/v1alpha1', 'IngressRoute', 'web'),
      resource('gateway.networking.k8s.io/v1', 'HTTPRoute', 'web'),
      resource('argoproj.io/v1alpha1', 'Application', 'web'),
      resource('kyverno.io/v1', 'Policy', 'web'),
      resource('cilium.io/v2', 'CiliumNetworkPolicy', 'web'),
      resource('autoscaling.k8s.io/v1', 'VerticalPodAutoscaler', 'web'),
    ];
    const findings = lint(...objects, service({ 'app': 'web', 'app.kubernetes.io/instance': 'web' }, [{ port: 80, targetPort: 'http' }], 'web'));
    expect(rules(findings)).toEqual(['service-selects-nothing']);
    expect(findings[0].message).toContain("selects app=web,app.kubernetes.io/instance=web, but no pod template in namespace 'data' has those labels");
  });

  test('a SparkApplication (sparkoperator.k8s.io, an operator\'s group under k8s.io) names its driver', () => {
    const spark = resource('sparkoperator.k8s.io/v1beta2', 'SparkApplication', 'etl', { type: 'Scala', mode: 'cluster' });
    expect(lint(spark, service({ 'sparkoperator.k8s.io/app-name': 'etl', 'spark-role': 'driver' }, [{ port: 4040 }]))).toEqual([]);
  });

  // (how the rules scale is measured by npm run bench:lint, not timed here)
  test('at scale: 10,000 Services next to 5,000 custom resources and 5,000 Deployments, one finding per Service that selects nothing', () => {
    const manifests: any[] = [];
    for (let i = 0; i < 5000; i++) {
      manifests.push(resource('example.com/v1', 'Widget', `widget-${i}`));
      manifests.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `web-${i}`, namespace: 'data' }, spec: { template: { metadata: { labels: { tier: 'web' } }, spec: { containers: [] } } } });
      // one names no pods (an open label, and an app no template has), one names a Widget
      manifests.push(service({ 'tier': 'web', 'pod-template-hash': 'x', 'app': `nothing-${i}` }, [{ port: 80 }], `svc-${i}`));
      manifests.push(service({ 'example.com/widget': `widget-${i}-api` }, [{ port: 80 }], `api-${i}`));
    }
    const findings = lint(...manifests);
    expect(findings.filter(finding => finding.rule === 'service-selects-nothing').map(finding => finding.resource.name))
      .toEqual(Array.from({ length: 5000 }, (_, i) => `svc-${i}`));
  });
});
