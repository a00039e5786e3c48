import { ObjectRef } from './finding';
import { ContainerPortInfo, OperatorResourceInfo, PodTemplateInfo } from './model';
import { hasLabel, PodTemplateIndex } from './wiring-index';
import { isObject, stringMap, valueAt } from './json-value';

// The pods operators run for custom resources of the input: Services users write often select
// them (a NodePort for a Strimzi Kafka, a read-only Service for a CloudNativePG cluster). Two
// levels of knowledge:
// - OPERATORS, a small table of well-known operators: the labels (and, when known, the ports)
//   their pods carry, as functions of the resource's name and spec, read from each operator's
//   source. The pods become pod templates, so a selector is matched exactly.
// - OperatorPodIndex: a conservative fallback for other operators, when a selector matches no pod
//   template: a custom resource in the Service's namespace whose name a selector label carries,
//   under a key tied to that resource, is taken to run the selected pods.

type Spec = Record<string, any>;

/** The string map at `path` of `value` (labels), `{}` when absent. */
function labelsAt(value: unknown, ...path: string[]): Record<string, string> {
  return stringMap(valueAt(value, path));
}

/** A TCP container port. */
function tcp(name: string | undefined, containerPort: number): ContainerPortInfo {
  return { name, containerPort, protocol: 'TCP' };
}

/**
 * One kind of pod an operator runs for a resource.
 * @internal
 */
export interface OperatorPods {
  readonly labels: Record<string, string>;
  /** Labels whose value differs from pod to pod (a role: `primary` or `replica`). */
  readonly perPodLabels?: Record<string, string[]>;
  /** The ports the operator gives its containers; undefined when they are not known. */
  readonly ports?: ContainerPortInfo[];
  /** A pod spec of the resource whose containers are merged into the operator's (their ports count too). */
  readonly podSpec?: unknown;
  /** Where `podSpec` is in the resource, less its last `spec.` (`spec.template.`), when its containers' env is checked too. */
  readonly podSpecField?: string;
  /** See `PodTemplateInfo.openLabels`. */
  readonly openLabels: string[];
}

type OperatorPodsOf = (name: string, spec: Spec, metadata: Spec) => OperatorPods[];

/** Labels the StatefulSet and Deployment controllers add to the pods operators create through them. */
export const CONTROLLER_OPEN_LABELS = ['controller-revision-hash', 'statefulset.kubernetes.io/pod-name', 'pod-template-hash'];

/**
 * ECK (cloud-on-k8s), pkg/controller/elasticsearch/label NewPodLabels and nodespec
 * getDefaultContainerPorts: `https` (or `http` when TLS is off) 9200 and `transport` 9300.
 */
function eckScheme(spec: Spec): string {
  // pkg/apis/common/v1 TLSOptions.Enabled: selfSignedCertificate nil, or not disabled, or a certificate secret
  const tls = valueAt(spec, ['http', 'tls']);
  const disabled = valueAt(tls, ['selfSignedCertificate', 'disabled']) === true;
  const certificate = valueAt(tls, ['certificate', 'secretName']);
  return !disabled || (typeof certificate === 'string' && certificate !== '') ? 'https' : 'http';
}

const ECK_NODE_ROLES = ['master', 'data', 'ingest', 'ml', 'transform', 'remote_cluster_client', 'voting_only'];

const elasticsearch: OperatorPodsOf = (name, spec) => {
  const scheme = eckScheme(spec);
  const nodeSets: Spec[] = Array.isArray(spec.nodeSets) ? spec.nodeSets.filter(isObject) : [];
  return (nodeSets.length > 0 ? nodeSets : [{}]).map(set => ({
    labels: {
      ...labelsAt(set, 'podTemplate', 'metadata', 'labels'),
      'common.k8s.elastic.co/type': 'elasticsearch',
      'elasticsearch.k8s.elastic.co/cluster-name': name,
      'elasticsearch.k8s.elastic.co/http-scheme': scheme,
      // esv1.StatefulSet: <cluster>-es-<nodeSet>
      ...(typeof set.name === 'string' ? { 'elasticsearch.k8s.elastic.co/statefulset-name': `${name}-es-${set.name}` } : {}),
    },
    // node.roles of each node set are in its config: each role label may be true or false
    perPodLabels: Object.fromEntries(ECK_NODE_ROLES.map(role => [`elasticsearch.k8s.elastic.co/node-${role}`, ['true', 'false']])),
    ports: [tcp(scheme, 9200), tcp('transport', 9300)],
    podSpec: valueAt(set, ['podTemplate', 'spec']),
    openLabels: ['elasticsearch.k8s.elastic.co/', 'common.k8s.elastic.co/', ...CONTROLLER_OPEN_LABELS],
  }));
};

/** pkg/controller/kibana NewPodTemplateSpec: port `https` (or `http`) 5601. */
const kibana: OperatorPodsOf = (name, spec) => [{
  labels: { ...labelsAt(spec, 'podTemplate', 'metadata', 'labels'), 'common.k8s.elastic.co/type': 'kibana', 'kibana.k8s.elastic.co/name': name },
  ports: [tcp(eckScheme(spec), 5601)],
  podSpec: valueAt(spec, ['podTemplate', 'spec']),
  openLabels: ['kibana.k8s.elastic.co/', 'common.k8s.elastic.co/', ...CONTROLLER_OPEN_LABELS],
}];

/**
 * Strimzi, operator-common Labels.generateDefaultLabels: the resource's own labels (less
 * app.kubernetes.io/* other than part-of), strimzi.io/cluster, kind, name (`<cluster>-kafka`, ...)
 * and component-type, app.kubernetes.io/name (the component type; `strimzi` in older releases),
 * instance, part-of (`strimzi-<cluster>`) and managed-by.
 */
function strimziPods(cluster: string, kind: string, component: string, type: string | undefined, metadata: Spec, template: unknown, ports?: ContainerPortInfo[]): OperatorPods {
  const own = Object.fromEntries(Object.entries(labelsAt(metadata, 'labels'))
    .filter(([key]) => !/^app\.kubernetes\.io\/(?!part-of)/.test(key) && !key.startsWith('kustomize.toolkit.fluxcd.io')));
  return {
    labels: {
      ...own,
      ...labelsAt(template, 'pod', 'metadata', 'labels'),
      'strimzi.io/cluster': cluster,
      'strimzi.io/kind': kind,
      'strimzi.io/name': component,
      'app.kubernetes.io/instance': cluster,
      'app.kubernetes.io/part-of': `strimzi-${cluster}`,
      'app.kubernetes.io/managed-by': 'strimzi-cluster-operator',
    },
    ...(type !== undefined ? { perPodLabels: { 'app.kubernetes.io/name': [type, 'strimzi'] } } : {}),
    ports,
    openLabels: ['strimzi.io/', ...(type === undefined ? ['app.kubernetes.io/name'] : []), ...CONTROLLER_OPEN_LABELS],
  };
}

/** cluster-operator ListenersUtils.backwardsCompatiblePortName, over spec.kafka.listeners (a list; a map before v1beta2). */
function strimziListenerPorts(listeners: unknown): ContainerPortInfo[] {
  if (Array.isArray(listeners)) {
    return listeners.filter(isObject).filter(l => typeof l.port === 'number' && typeof l.name === 'string').map(l => {
      const internal = l.type === 'internal';
      const name = l.port === 9092 && l.name === 'plain' && internal ? 'tcp-clients'
        : l.port === 9093 && l.name === 'tls' && internal ? 'tcp-clientstls'
          : l.port === 9094 && l.name === 'external' ? 'tcp-external'
            : `tcp-${l.name}`;
      return tcp(name, l.port);
    });
  }
  const legacy: [string, string, number][] = [['plain', 'tcp-clients', 9092], ['tls', 'tcp-clientstls', 9093], ['external', 'tcp-external', 9094]];
  return isObject(listeners) ? legacy.filter(([key]) => key in listeners).map(([, name, port]) => tcp(name, port)) : [];
}

const kafka: OperatorPodsOf = (name, spec, metadata) => {
  const brokerPorts = [
    ...strimziListenerPorts(valueAt(spec, ['kafka', 'listeners'])),
    // control plane, replication, the Kafka agent, metrics and JMX (the last three when enabled)
    tcp('tcp-ctrlplane', 9090), tcp('tcp-replication', 9091), tcp('tcp-kafkaagent', 8443), tcp('tcp-prometheus', 9404), tcp('tcp-jmx', 9999),
  ];
  const pods = [strimziPods(name, 'Kafka', `${name}-kafka`, 'kafka', metadata, valueAt(spec, ['kafka', 'template']), brokerPorts)];
  const components: [string, string, string][] = [
    ['zookeeper', 'zookeeper', 'zookeeper'],
    ['entityOperator', 'entity-operator', 'entity-operator'],
    ['kafkaExporter', 'kafka-exporter', 'kafka-exporter'],
    ['cruiseControl', 'cruise-control', 'cruise-control'],
  ];
  for (const [field, suffix, type] of components) {
    if (isObject(spec[field])) {
      pods.push(strimziPods(name, 'Kafka', `${name}-${suffix}`, type, metadata, valueAt(spec, [field, 'template'])));
    }
  }
  return pods;
};

/** A KafkaNodePool's pods: the Kafka brokers and controllers of its cluster (KafkaPool), `strimzi.io/pool-name` set. */
const kafkaNodePool: OperatorPodsOf = (name, spec, metadata) => {
  const cluster = labelsAt(metadata, 'labels')['strimzi.io/cluster'];
  if (cluster === undefined || cluster === '') {
    return [];
  }
  const pods = strimziPods(cluster, 'Kafka', `${cluster}-kafka`, 'kafka', metadata, spec.template);
  return [{ ...pods, labels: { ...pods.labels, 'strimzi.io/pool-name': name } }];
};

const strimziComponent = (suffix: string): OperatorPodsOf => (name, spec, metadata) =>
  [strimziPods(name, String(metadata.kind ?? ''), `${name}-${suffix}`, undefined, metadata, spec.template)];

/**
 * CloudNativePG, pkg/specs/pods.go: cnpg.io/cluster, cnpg.io/instanceName, cnpg.io/podRole
 * `instance`; the instance manager sets cnpg.io/instanceRole and (deprecated) role to `primary`
 * or `replica`. Ports `postgresql` 5432, `metrics` 9187, `status` 8000. The cluster's own labels
 * reach the pods when the operator's inheritance settings name them (not in the manifests).
 */
const cnpgCluster: OperatorPodsOf = (name, spec, metadata) => [{
  labels: {
    ...labelsAt(metadata, 'labels'),
    ...labelsAt(spec, 'inheritedMetadata', 'labels'),
    'cnpg.io/cluster': name,
    'cnpg.io/podRole': 'instance',
  },
  perPodLabels: { 'cnpg.io/instanceRole': ['primary', 'replica'], 'role': ['primary', 'replica'] },
  ports: [tcp('postgresql', 5432), tcp('metrics', 9187), tcp('status', 8000)],
  // the instance names (<cluster>-<serial>) and the deprecated `postgresql` label (the instance name)
  openLabels: ['cnpg.io/', 'postgresql'],
}];

/** pkg/specs/pgbouncer/deployments.go: cnpg.io/poolerName, ports `pgbouncer` 5432 and `metrics` 9127, spec.template merged. */
const cnpgPooler: OperatorPodsOf = (name, spec) => {
  const cluster = valueAt(spec, ['cluster', 'name']);
  return [{
    labels: {
      ...labelsAt(spec, 'template', 'metadata', 'labels'),
      'cnpg.io/poolerName': name,
      'cnpg.io/podRole': 'pooler',
      ...(typeof cluster === 'string' ? { 'cnpg.io/cluster': cluster } : {}),
    },
    ports: [tcp('pgbouncer', 5432), tcp('metrics', 9127)],
    podSpec: valueAt(spec, ['template', 'spec']),
    openLabels: ['cnpg.io/', ...CONTROLLER_OPEN_LABELS],
  }];
};

/**
 * Zalando postgres-operator, pkg/cluster labelsSet and generateContainer: the cluster labels
 * (`application: spilo` by default), `cluster-name` (the resource's name), `team`, the labels the
 * operator's inherited_labels setting names (of the resource's own), Patroni's `spilo-role`
 * (master or replica; `primary` in recent Patroni). Container ports 8008, 5432 and 8080
 * (unnamed), and the sidecars'. Connection poolers: `application: db-connection-pooler`,
 * `connection-pooler: <cluster>-pooler[-repl]` (their ports are not known).
 */
const zalandoPostgresql: OperatorPodsOf = (name, spec, metadata) => {
  const team: Record<string, string> = typeof spec.teamId === 'string' ? { team: spec.teamId } : {};
  const pods: OperatorPods[] = [{
    labels: { ...labelsAt(metadata, 'labels'), 'application': 'spilo', 'cluster-name': name, ...team },
    perPodLabels: { 'spilo-role': ['master', 'primary', 'replica'] },
    ports: [tcp(undefined, 8008), tcp(undefined, 5432), tcp(undefined, 8080)],
    podSpec: { containers: spec.sidecars },
    openLabels: CONTROLLER_OPEN_LABELS,
  }];
  const pooler = (enabled: unknown, role: string, suffix: string) => {
    if (enabled === true || (enabled === undefined && role === 'master' && isObject(spec.connectionPooler))) {
      pods.push({
        labels: { ...labelsAt(metadata, 'labels'), 'application': 'db-connection-pooler', 'cluster-name': name, 'connection-pooler': `${name}-${suffix}`, ...team },
        perPodLabels: { 'spilo-role': [role] },
        openLabels: ['connection-pooler-name', 'role', ...CONTROLLER_OPEN_LABELS],
      });
    }
  };
  pooler(spec.enableConnectionPooler, 'master', 'pooler');
  pooler(spec.enableReplicaConnectionPooler, 'replica', 'pooler-repl');
  return pods;
};

/**
 * RabbitMQ cluster-operator, internal/metadata Label and internal/resource/statefulset.go:
 * app.kubernetes.io/name (the resource's name), component `rabbitmq`, part-of `rabbitmq`
 * (`pivotal-rabbitmq` before 1.0), the resource's own labels, and the override's pod labels.
 * Ports: epmd 4369, amqp 5672, management 15672 (`http` in early releases), prometheus 15692,
 * and those of plugins and TLS, which the operator opens from the plugin list and the TLS settings.
 */
const rabbitmqCluster: OperatorPodsOf = (name, spec, metadata) => {
  const template = valueAt(spec, ['override', 'statefulSet', 'spec', 'template']);
  return [{
    labels: {
      ...labelsAt(metadata, 'labels'),
      ...labelsAt(template, 'metadata', 'labels'),
      'app.kubernetes.io/name': name,
      'app.kubernetes.io/component': 'rabbitmq',
    },
    perPodLabels: { 'app.kubernetes.io/part-of': ['rabbitmq', 'pivotal-rabbitmq'] },
    ports: [
      tcp('epmd', 4369), tcp('amqp', 5672), tcp('management', 15672), tcp('http', 15672), tcp('prometheus', 15692),
      tcp('amqps', 5671), tcp('management-tls', 15671), tcp('prometheus-tls', 15691),
      tcp('stream', 5552), tcp('streams', 5551), tcp('mqtt', 1883), tcp('mqtts', 8883), tcp('web-mqtt', 15675), tcp('web-mqtt-tls', 15676),
      tcp('stomp', 61613), tcp('stomps', 61614), tcp('web-stomp', 15674), tcp('web-stomp-tls', 15673),
    ],
    podSpec: valueAt(template, ['spec']),
    openLabels: CONTROLLER_OPEN_LABELS,
  }];
};

/** MongoDB community operator, controllers/construct: pod label `app: <serviceName>` (`<name>-svc` unless spec.statefulSet overrides it). */
const mongodbCommunity: OperatorPodsOf = (name, spec) => {
  const override = valueAt(spec, ['statefulSet', 'spec', 'serviceName']);
  return [{
    labels: labelsAt(spec, 'statefulSet', 'spec', 'template', 'metadata', 'labels'),
    perPodLabels: { app: typeof override === 'string' && override !== '' ? [override, `${name}-svc`] : [`${name}-svc`] },
    openLabels: CONTROLLER_OPEN_LABELS,
  }];
};

/**
 * KubeVirt: a VM's virt-launcher pod carries its template's labels, `kubevirt.io: virt-launcher`,
 * `vm.kubevirt.io/name` and kubevirt.io/* labels of its own; the guest may listen on any port.
 */
const KUBEVIRT_OPEN = ['kubevirt.io/', 'vm.kubevirt.io/'];
const virtualMachine: OperatorPodsOf = (name, spec) => [{
  labels: { ...labelsAt(spec, 'template', 'metadata', 'labels'), 'kubevirt.io': 'virt-launcher', 'vm.kubevirt.io/name': name },
  openLabels: KUBEVIRT_OPEN,
}];
const virtualMachineInstance: OperatorPodsOf = (_name, _spec, metadata) => [{
  labels: { ...labelsAt(metadata, 'labels'), 'kubevirt.io': 'virt-launcher' },
  openLabels: KUBEVIRT_OPEN,
}];
const virtualMachineReplicaSet: OperatorPodsOf = (_name, spec) => [{
  labels: { ...labelsAt(spec, 'template', 'metadata', 'labels'), 'kubevirt.io': 'virt-launcher' },
  openLabels: KUBEVIRT_OPEN,
}];

/**
 * Knative Serving: a revision's pods carry its template's labels, serving.knative.dev/service,
 * configuration and revision, and `app` (the revision's name) unless set; their ports are the
 * queue-proxy's and the user container's (8080 unless declared).
 */
const knative = (own: (name: string) => Record<string, string>, templated: boolean): OperatorPodsOf => (name, spec, metadata) => [{
  labels: { ...(templated ? labelsAt(spec, 'template', 'metadata', 'labels') : labelsAt(metadata, 'labels')), ...own(name) },
  // the user's containers: their env is checked (env-names-missing-service), their ports are not all
  podSpec: templated ? valueAt(spec, ['template', 'spec']) : spec,
  podSpecField: templated ? 'spec.template.' : '',
  openLabels: ['serving.knative.dev/', 'app', ...CONTROLLER_OPEN_LABELS],
}];

/** Beyond this many replicas or shards, pod names are not listed (a selector naming one is not checked against them). @internal */
export const MAX_LISTED_PODS = 10000;

/** prometheus-operator's spec.portName, the name of the web port (default web). */
function prometheusPortName(spec: Spec): string {
  return typeof spec.portName === 'string' && spec.portName !== '' ? spec.portName : 'web';
}

/**
 * The pods prometheus-operator runs for a Prometheus, PrometheusAgent, Alertmanager or
 * ThanosRuler, through a StatefulSet it creates (not in the manifests): the labels it gives them
 * (`own`, besides spec.podMetadata.labels), the ports of its containers (`ports`), as its
 * makeStatefulSetSpec functions set them, and for Prometheus and PrometheusAgent one
 * `operator.prometheus.io/shard` per shard; spec.containers are merged into the operator's (by
 * name), so their ports count too. Labels of earlier operator versions (app: prometheus) are
 * included, so a Service written for either matches.
 */
const prometheusOperator = (own: (name: string) => Record<string, string>, ports: (spec: Spec) => ContainerPortInfo[], sharded: boolean): OperatorPodsOf => (name, spec) => {
  const shards = Number.isInteger(spec.shards) && spec.shards > 1 ? Math.min(spec.shards, MAX_LISTED_PODS) : 1;
  return [{
    labels: { ...labelsAt(spec, 'podMetadata', 'labels'), ...own(name) },
    ...(sharded ? { perPodLabels: { 'operator.prometheus.io/shard': Array.from({ length: shards }, (_, i) => String(i)) } } : {}),
    ports: ports(spec),
    podSpec: { containers: spec.containers },
    openLabels: ['operator.prometheus.io/', ...CONTROLLER_OPEN_LABELS],
  }];
};

/**
 * The operators whose pods are known, by API group and kind. A group marked closed has no other
 * kinds that run pods (a KafkaTopic, a CNPG Backup): its other resources explain no Service.
 */
const OPERATORS = new Map<string, { readonly closed: boolean; readonly kinds: Map<string, OperatorPodsOf> }>([
  ['monitoring.coreos.com', {
    // its other kinds (ServiceMonitor, PrometheusRule, ...) configure and run no pods
    closed: true,
    kinds: new Map([
      ['Prometheus', prometheusOperator(
        name => ({ 'app': 'prometheus', 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/managed-by': 'prometheus-operator', 'app.kubernetes.io/instance': name, 'prometheus': name, 'operator.prometheus.io/name': name }),
        spec => [tcp(prometheusPortName(spec), 9090), tcp('reloader-web', 8080), ...(isObject(spec.thanos) ? [tcp('http', 10902), tcp('grpc', 10901)] : [])],
        true)],
      ['PrometheusAgent', prometheusOperator(
        name => ({ 'app.kubernetes.io/name': 'prometheus-agent', 'app.kubernetes.io/managed-by': 'prometheus-operator', 'app.kubernetes.io/instance': name, 'operator.prometheus.io/name': name }),
        spec => [tcp(prometheusPortName(spec), 9090), tcp('reloader-web', 8080)],
        true)],
      ['Alertmanager', prometheusOperator(
        name => ({ 'app': 'alertmanager', 'app.kubernetes.io/name': 'alertmanager', 'app.kubernetes.io/managed-by': 'prometheus-operator', 'app.kubernetes.io/instance': name, 'alertmanager': name }),
        spec => [tcp(prometheusPortName(spec), 9093), tcp('mesh-tcp', 9094), { name: 'mesh-udp', containerPort: 9094, protocol: 'UDP' }, tcp('reloader-web', 8080)],
        false)],
      ['ThanosRuler', prometheusOperator(
        name => ({ 'app.kubernetes.io/name': 'thanos-ruler', 'app.kubernetes.io/managed-by': 'prometheus-operator', 'app.kubernetes.io/instance': name, 'thanos-ruler': name }),
        spec => [tcp('grpc', 10901), tcp(prometheusPortName(spec), 10902), tcp('reloader-web', 8080)],
        false)],
    ]),
  }],
  ['elasticsearch.k8s.elastic.co', { closed: true, kinds: new Map([['Elasticsearch', elasticsearch]]) }],
  ['kibana.k8s.elastic.co', { closed: true, kinds: new Map([['Kibana', kibana]]) }],
  ['kafka.strimzi.io', {
    closed: true,
    kinds: new Map([
      ['Kafka', kafka],
      ['KafkaNodePool', kafkaNodePool],
      ['KafkaConnect', strimziComponent('connect')],
      ['KafkaMirrorMaker2', strimziComponent('mirrormaker2')],
      ['KafkaMirrorMaker', strimziComponent('mirror-maker')],
      ['KafkaBridge', strimziComponent('bridge')],
    ]),
  }],
  ['postgresql.cnpg.io', { closed: true, kinds: new Map([['Cluster', cnpgCluster], ['Pooler', cnpgPooler]]) }],
  ['acid.zalan.do', { closed: true, kinds: new Map([['postgresql', zalandoPostgresql]]) }],
  ['rabbitmq.com', { closed: true, kinds: new Map([['RabbitmqCluster', rabbitmqCluster]]) }],
  ['mongodbcommunity.mongodb.com', { closed: true, kinds: new Map([['MongoDBCommunity', mongodbCommunity]]) }],
  ['kubevirt.io', {
    closed: false,
    kinds: new Map([['VirtualMachine', virtualMachine], ['VirtualMachineInstance', virtualMachineInstance], ['VirtualMachineInstanceReplicaSet', virtualMachineReplicaSet]]),
  }],
  ['serving.knative.dev', {
    closed: true,
    kinds: new Map([
      ['Service', knative(name => ({ 'serving.knative.dev/service': name, 'serving.knative.dev/configuration': name }), true)],
      ['Configuration', knative(name => ({ 'serving.knative.dev/configuration': name }), true)],
      ['Revision', knative(name => ({ 'serving.knative.dev/revision': name }), false)],
    ]),
  }],
]);

/**
 * The pods the operator of a well-known group runs for `kind` `name`: undefined when the group is
 * not in the table, `[]` for a kind of it that runs none.
 * @internal
 */
export function operatorPods(group: string, kind: string, name: string, metadata: Spec, spec: Spec): OperatorPods[] | undefined {
  const pods = OPERATORS.get(group)?.kinds.get(kind);
  return pods === undefined ? undefined : pods(name, spec, { ...metadata, kind });
}

/** Built-in Kubernetes groups (`*.k8s.io` are Kubernetes SIG groups), whose kinds run no operator's pods. */
function builtInGroup(group: string): boolean {
  if (OPERATOR_GROUPS_OF_K8S_IO.has(group)) {
    return false;
  }
  return BUILT_IN_GROUPS.has(group) || group.endsWith('.k8s.io') || group.endsWith('.x-k8s.io') || group === 'x-k8s.io';
}

/** The built-in groups without a `.k8s.io` suffix. */
const BUILT_IN_GROUPS = new Set(['', 'apps', 'batch', 'extensions', 'policy', 'autoscaling', 'k8s.io']);

/** Operators of Kubernetes SIGs and projects that serve a `*.k8s.io` group and run pods. */
const OPERATOR_GROUPS_OF_K8S_IO = new Set(['sparkoperator.k8s.io']);

/**
 * Groups whose resources configure other software and run no pods of their own (certificates,
 * routing, policies, monitoring targets, secrets, GitOps sources); `*.` entries match subdomains.
 */
const CONFIGURATION_GROUPS = [
  'cert-manager.io', '*.cert-manager.io', '*.istio.io', 'traefik.io', 'traefik.containo.us', 'hub.traefik.io',
  'keda.sh', '*.keda.sh', 'external-secrets.io', '*.external-secrets.io', 'bitnami.com', 'kyverno.io', '*.kyverno.io', 'wgpolicyk8s.io',
  'cilium.io', 'projectcalico.org', '*.projectcalico.org', 'linkerd.io', '*.linkerd.io', '*.smi-spec.io', 'getambassador.io',
  '*.konghq.com', 'velero.io', '*.gatekeeper.sh', 'source.toolkit.fluxcd.io', 'kustomize.toolkit.fluxcd.io', 'notification.toolkit.fluxcd.io',
  'image.toolkit.fluxcd.io', 'secrets.hashicorp.com', 'metallb.io', 'karpenter.sh', '*.k8s.aws', 'networking.gke.io', 'cloud.google.com',
  'policy.sigstore.dev', 'route.openshift.io', 'image.openshift.io', 'template.openshift.io', 'security.openshift.io', 'config.openshift.io',
  'operator.openshift.io', 'build.openshift.io', 'quota.openshift.io', 'project.openshift.io', 'user.openshift.io', 'oauth.openshift.io',
  'authorization.openshift.io', 'network.openshift.io', 'operators.coreos.com', 'gateway.envoyproxy.io', 'chaos-mesh.org', 'litmuschaos.io',
];

/** Kinds of groups that also run pods (a Rollout, a Grafana) that configure and run none. */
const CONFIGURATION_KINDS = new Map<string, Set<string>>([
  ['argoproj.io', new Set(['Application', 'AppProject', 'ApplicationSet', 'AnalysisTemplate', 'ClusterAnalysisTemplate', 'AnalysisRun',
    'WorkflowTemplate', 'ClusterWorkflowTemplate', 'WorkflowEventBinding', 'WorkflowTaskSet', 'WorkflowTaskResult', 'WorkflowArtifactGCTask'])],
  ['grafana.integreatly.org', new Set(['GrafanaDashboard', 'GrafanaDatasource', 'GrafanaFolder', 'GrafanaAlertRuleGroup', 'GrafanaContactPoint',
    'GrafanaNotificationPolicy', 'GrafanaNotificationTemplate', 'GrafanaMuteTiming', 'GrafanaLibraryPanel'])],
]);

/** CONFIGURATION_GROUPS: the exact groups, and the suffixes (`.istio.io`) of the `*.` entries. */
const CONFIGURATION_GROUP_NAMES = new Set(CONFIGURATION_GROUPS.filter(entry => !entry.startsWith('*.')));
const CONFIGURATION_GROUP_SUFFIXES = CONFIGURATION_GROUPS.filter(entry => entry.startsWith('*.')).map(entry => entry.slice(1));

function configurationGroup(group: string): boolean {
  return CONFIGURATION_GROUP_NAMES.has(group) || CONFIGURATION_GROUP_SUFFIXES.some(suffix => group.endsWith(suffix));
}

/**
 * The custom resource `ref` as a possible runner of pods the input does not show, for the
 * fallback; undefined for built-in and configuration-only groups and kinds, and for the groups
 * of the operator table (whose pods are known).
 * @internal
 */
export function operatorResource(ref: ObjectRef, group: string, spec: Spec): OperatorResourceInfo | undefined {
  if (ref.name === '' || builtInGroup(group) || configurationGroup(group) || CONFIGURATION_KINDS.get(group)?.has(ref.kind)) {
    return undefined;
  }
  const known = OPERATORS.get(group);
  if (known !== undefined && (known.closed || known.kinds.has(ref.kind))) {
    return undefined;
  }
  if (group === 'helm.toolkit.fluxcd.io' && ref.kind === 'HelmRelease') {
    // Flux installs the chart as release spec.releaseName (default [<targetNamespace>-]<name>)
    // in spec.targetNamespace; charts label their pods app.kubernetes.io/instance (or release)
    const target = typeof spec.targetNamespace === 'string' && spec.targetNamespace !== '' ? spec.targetNamespace : undefined;
    const release = typeof spec.releaseName === 'string' && spec.releaseName !== '' ? spec.releaseName : target !== undefined ? `${target}-${ref.name}` : ref.name;
    return { ref, group, namespace: target ?? ref.namespace, name: release, keys: ['release'] };
  }
  return { ref, group, namespace: ref.namespace, name: ref.name };
}

/** Label keys that name an application instance, which operators commonly set to the resource's name. */
const INSTANCE_KEYS = new Set(['app.kubernetes.io/instance', 'app.kubernetes.io/name', 'cluster-name', 'app', 'instance']);

/** Domain suffixes many owners share: a key prefix and a group under one of them are not tied by it. */
const SHARED_DOMAINS = new Set(['k8s.io', 'kubernetes.io', 'x-k8s.io', 'github.io', 'github.com', 'gitlab.io', 'example.com', 'example.org', 'cluster.local']);

/** Whether label key prefix `prefix` (`strimzi.io`) and API group `group` (`kafka.strimzi.io`) share their domain. */
function sameDomain(prefix: string, group: string): boolean {
  if (prefix === group || group.endsWith(`.${prefix}`) || prefix.endsWith(`.${group}`)) {
    return true;
  }
  const domain = (name: string) => name.split('.').slice(-2).join('.');
  const shared = domain(prefix);
  return shared.includes('.') && shared === domain(group) && !SHARED_DOMAINS.has(shared);
}

/**
 * Whether label `key` names resource `resource` when its value is the resource's name (`exact`),
 * or `<name>-<suffix>` (a component of it: `strimzi.io/name: events-kafka`), which only a key of
 * the resource's own domain ties (`app: web-api` is not a component of a resource named web).
 */
function keyTiesTo(key: string, resource: OperatorResourceInfo, exact: boolean): boolean {
  const slash = key.indexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const namePart = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && sameDomain(prefix, resource.group)) {
    return true;
  }
  return exact && (namePart === resource.ref.kind.toLowerCase() || INSTANCE_KEYS.has(key) || (resource.keys?.includes(key) ?? false));
}

/**
 * Finds what runs the pods a selector selects, when no pod template of the input matches it:
 * operator pods matched through their open labels, or a custom resource the selector names.
 * Linear: resources are indexed by namespace and name; open templates by label.
 * @internal
 */
export class OperatorPodIndex {
  private readonly open: PodTemplateIndex;
  private readonly openKeys = new Set<string>();
  private readonly openPrefixes = new Set<string>();
  private readonly resources = new Map<string, Map<string, OperatorResourceInfo[]>>();

  constructor(templates: PodTemplateInfo[], resources: OperatorResourceInfo[]) {
    const open = templates.filter(template => (template.openLabels?.length ?? 0) > 0);
    this.open = new PodTemplateIndex(open);
    for (const template of open) {
      for (const label of template.openLabels!) {
        (label.endsWith('/') ? this.openPrefixes : this.openKeys).add(label);
      }
    }
    for (const resource of resources) {
      let byName = this.resources.get(resource.namespace);
      if (byName === undefined) {
        byName = new Map();
        this.resources.set(resource.namespace, byName);
      }
      const list = byName.get(resource.name);
      if (list === undefined) {
        byName.set(resource.name, [resource]);
      } else {
        list.push(resource);
      }
    }
  }

  /** The object whose pods `selector` may select in `namespace` although no pod template has all its labels; undefined if none. */
  public explain(namespace: string, selector: Record<string, string>): ObjectRef | undefined {
    return this.openTemplate(namespace, selector)?.ref ?? this.namedResource(namespace, selector)?.ref;
  }

  private isOpen(key: string): boolean {
    if (this.openKeys.has(key)) {
      return true;
    }
    const slash = key.indexOf('/');
    return slash >= 0 && this.openPrefixes.has(key.slice(0, slash + 1));
  }

  /** A template with open labels that carries every pair of the selector, or leaves its key open. */
  private openTemplate(namespace: string, selector: Record<string, string>): PodTemplateInfo | undefined {
    const pairs = Object.entries(selector);
    if (!pairs.some(([key]) => this.isOpen(key))) {
      return undefined;
    }
    // a key no template leaves open must be matched exactly: its templates are the candidates;
    // with every key open (a per-pod NodePort Service: statefulset.kubernetes.io/pod-name), every
    // template of the namespace with open labels is
    const exact = pairs.filter(([key]) => !this.isOpen(key));
    const candidates = this.open.selectAll(namespace, Object.fromEntries(exact));
    return candidates.find(template => pairs.every(([key, value]) => hasLabel(template, key, value) || leavesOpen(template, key)));
  }

  /** A custom resource in the namespace that a selector label names (its name, or `<name>-<suffix>` under a key of its domain). */
  private namedResource(namespace: string, selector: Record<string, string>): OperatorResourceInfo | undefined {
    const byName = this.resources.get(namespace);
    if (byName === undefined) {
      return undefined;
    }
    for (const [key, value] of Object.entries(selector)) {
      const names = [value];
      for (let dash = value.indexOf('-'); dash > 0; dash = value.indexOf('-', dash + 1)) {
        names.push(value.slice(0, dash));
      }
      for (const name of names) {
        const found = byName.get(name)?.find(resource => keyTiesTo(key, resource, name === value));
        if (found !== undefined) {
          return found;
        }
      }
    }
    return undefined;
  }
}

/** Whether the template's pods may carry `key` with any value: an open label the template does not set. */
function leavesOpen(template: PodTemplateInfo, key: string): boolean {
  if (key in template.labels || (template.perPodLabels !== undefined && key in template.perPodLabels)) {
    return false;
  }
  const slash = key.indexOf('/');
  return (template.openLabels ?? []).some(label => label === key || (slash >= 0 && label === key.slice(0, slash + 1)));
}
