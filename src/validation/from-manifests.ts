import { ObjectRef } from './finding';
import { gatewayInfo, GATEWAY_API_GROUP, namespaceInfo, referenceGrantInfo, routeInfo, ROUTE_KINDS } from './gateway-api-manifests';
import { ContainerPortInfo, EnvInfo, IngressBackendInfo, IngressInfo, ObjectInfo, OperatorResourceInfo, PodTemplateInfo, ServiceInfo, ServicePortInfo, StatefulSetInfo, WiringModel } from './model';
import { MAX_LISTED_PODS, operatorPods, operatorResource } from './operator-pods';
import { append, EMPTY, isObject, stringMap, valueAt } from './json-value';

// Builds the wiring model from plain manifest objects (what cdk8s writes, or any YAML/JSON).

/** @internal */
export interface ManifestInput {
  readonly manifest: any;
  readonly source?: string;
  readonly constructPath?: string;
  /**
   * The keys the object's YAML writes more than once (the reader kept the last value, as kubectl does).
   * @default - none
   */
  readonly duplicateKeys?: DuplicateKey[];
}

/**
 * A mapping key written more than once in one object.
 * @internal
 */
export interface DuplicateKey {
  /** The field path of the key, e.g. `spec.selector.app`. */
  readonly field: string;
  /** The 1-based line of each occurrence, in order; the last one's value is kept. */
  readonly lines: number[];
}

/** A kind of workload: the API groups it is served from, and where its pod template lives. */
interface WorkloadKind {
  readonly groups: string[];
  /** The path of the pod template in the object. */
  readonly template: string[];
  /** The same path as the start of a field name, e.g. `spec.template.`. */
  readonly field: string;
}

function workloadKind(groups: string[], template: string[]): WorkloadKind {
  return { groups, template, field: `${template.join('.')}.` };
}

/** The built-in workloads. */
const WORKLOADS = new Map<string, WorkloadKind>([
  ['Deployment', workloadKind(['apps', 'extensions'], ['spec', 'template'])],
  ['StatefulSet', workloadKind(['apps', 'extensions'], ['spec', 'template'])],
  ['DaemonSet', workloadKind(['apps', 'extensions'], ['spec', 'template'])],
  ['ReplicaSet', workloadKind(['apps', 'extensions'], ['spec', 'template'])],
  ['ReplicationController', workloadKind([''], ['spec', 'template'])],
  ['Job', workloadKind(['batch'], ['spec', 'template'])],
  ['CronJob', workloadKind(['batch'], ['spec', 'jobTemplate', 'spec', 'template'])],
]);

/** A custom workload (Argo Rollouts, a Knative Service, ...): its pod template in spec.template. */
const CUSTOM_WORKLOAD = workloadKind([], ['spec', 'template']);

/** The API group of an apiVersion: `apps/v1` is `apps`, `v1` is the core group `''`. */
function apiGroup(apiVersion: unknown): string | undefined {
  if (typeof apiVersion !== 'string') {
    return undefined;
  }
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/**
 * `value` as a string map (labels, a selector): `value` itself when it is a plain map of strings
 * (what cdk8s writes, and most YAML), else a copy with each value as the API server decodes it.
 * The model only reads it.
 */
function readStringMap(value: unknown): Record<string, string> | undefined {
  if (!isObject(value)) {
    return undefined;
  }
  for (const k in value) {
    if (typeof value[k] !== 'string' || !Object.prototype.hasOwnProperty.call(value, k)) {
      return stringMap(value);
    }
  }
  return value;
}

/** The prefix of the annotation that silences one rule on one object (kube-linter's convention). */
export const IGNORE_CHECK_PREFIX = 'ignore-check.cdk8s-service-patterns/';


function ignoreChecks(metadata: Record<string, any>): readonly string[] {
  const annotations = metadata.annotations;
  if (!isObject(annotations)) {
    return EMPTY;
  }
  let rules: string[] | undefined;
  for (const key in annotations) {
    if (key.startsWith(IGNORE_CHECK_PREFIX) && Object.prototype.hasOwnProperty.call(annotations, key)) {
      (rules ??= []).push(key.slice(IGNORE_CHECK_PREFIX.length));
    }
  }
  return rules ?? EMPTY;
}

/** Labels a controller adds to the pods of a template: fixed ones, and ones with a value per pod. */
interface ControllerLabels {
  /** Added where the template does not set the key. */
  readonly labels?: Record<string, string>;
  readonly perPodLabels?: Record<string, string[]>;
  /** Labels it sets with values the manifests do not tell (see `PodTemplateInfo.openLabels`). */
  readonly openLabels?: string[];
}

/** The container lists of a pod spec. */
const CONTAINER_LISTS = ['initContainers', 'containers'];

/** Shared by the controllers that add no labels (most of them). */
const NO_CONTROLLER_LABELS: ControllerLabels = Object.freeze({});

function podTemplate(ref: ObjectRef, metadata: unknown, spec: unknown, prefix: string, runsToCompletion: boolean, added: ControllerLabels = NO_CONTROLLER_LABELS): PodTemplateInfo {
  let ports: ContainerPortInfo[] | undefined;
  let env: EnvInfo[] | undefined;
  const podSpec = isObject(spec) ? spec : {};
  // indexed loops, here and in the other per-object code of the model: a synth runs it once, and
  // cold code allocates an iterator (and a result per element) for each for...of
  for (let l = 0; l < CONTAINER_LISTS.length; l++) {
    const list = CONTAINER_LISTS[l];
    const containers: unknown = podSpec[list];
    if (!Array.isArray(containers)) {
      continue;
    }
    for (let c = 0; c < containers.length; c++) {
      const container: unknown = containers[c];
      if (!isObject(container)) {
        continue;
      }
      // Services reach app containers, and init containers that keep running (sidecars).
      const serving = list === 'containers' || container.restartPolicy === 'Always';
      const containerPorts: unknown = container.ports;
      if (serving && Array.isArray(containerPorts)) {
        for (let p = 0; p < containerPorts.length; p++) {
          const port: unknown = containerPorts[p];
          if (isObject(port) && typeof port.containerPort === 'number') {
            ports = append(ports, { name: typeof port.name === 'string' ? port.name : undefined, containerPort: port.containerPort, protocol: port.protocol ?? 'TCP' });
          }
        }
      }
      const variables: unknown = container.env;
      if (Array.isArray(variables)) {
        for (let e = 0; e < variables.length; e++) {
          const variable: unknown = variables[e];
          if (isObject(variable) && typeof variable.name === 'string' && typeof variable.value === 'string') {
            env = append(env, { name: variable.name, value: variable.value, field: `${prefix}spec.${list}[${c}].env[${e}].value` });
          }
        }
      }
    }
  }
  return {
    ref,
    // the template's own labels over the ones its controller adds
    labels: added.labels === undefined
      ? readStringMap(isObject(metadata) ? metadata.labels : undefined) ?? {}
      : stringMap(isObject(metadata) ? metadata.labels : undefined, stringMap(added.labels)),
    perPodLabels: added.perPodLabels,
    openLabels: added.openLabels,
    ports: ports ?? EMPTY,
    env: env ?? EMPTY,
    runsToCompletion: runsToCompletion || (podSpec.restartPolicy !== undefined && podSpec.restartPolicy !== 'Always'),
  };
}


/**
 * The labels the built-in controllers of Kubernetes 1.27 add to the pods of a workload, which
 * Services may select by (the labels 1.28 added, such as batch.kubernetes.io/job-completion-index
 * and apps.kubernetes.io/pod-index, are not there yet).
 */
function controllerLabels(kind: string, name: unknown, spec: Record<string, any>): ControllerLabels {
  if (typeof name !== 'string' || name === '') {
    return NO_CONTROLLER_LABELS;
  }
  // The hashes and uids controllers add (pkg/controller: pod-template-hash of a Deployment's
  // ReplicaSet, controller-revision-hash, a Job's controller-uid) are open: their values are not
  // in the manifests (a `kubectl get -o yaml` export may show them in a selector).
  if (kind === 'Job' && spec.manualSelector !== true) {
    // pkg/registry/batch/job/strategy.go generateSelector: job-name and (1.27) batch.kubernetes.io/job-name, unless set
    return { labels: { 'job-name': name, 'batch.kubernetes.io/job-name': name }, openLabels: ['controller-uid', 'batch.kubernetes.io/controller-uid'] };
  }
  if (kind === 'CronJob') {
    // each Job is named <cronjob>-<scheduled time>
    return { openLabels: ['job-name', 'batch.kubernetes.io/job-name', 'controller-uid', 'batch.kubernetes.io/controller-uid'] };
  }
  if (kind === 'StatefulSet') {
    // pkg/controller/statefulset initIdentity: statefulset.kubernetes.io/pod-name is the pod's name,
    // <name>-<ordinal>, ordinals from spec.ordinals.start (StatefulSetStartOrdinal, beta in 1.27)
    const replicas = Number.isInteger(spec.replicas) && spec.replicas >= 0 ? Math.min(spec.replicas, MAX_LISTED_PODS) : 1;
    const start = isObject(spec.ordinals) && Number.isInteger(spec.ordinals.start) && spec.ordinals.start >= 0 ? spec.ordinals.start : 0;
    return {
      perPodLabels: { 'statefulset.kubernetes.io/pod-name': Array.from({ length: replicas }, (_, i) => `${name}-${start + i}`) },
      openLabels: ['controller-revision-hash'],
    };
  }
  if (kind === 'Deployment') {
    return DEPLOYMENT_LABELS;
  }
  if (kind === 'DaemonSet') {
    return DAEMON_SET_LABELS;
  }
  return NO_CONTROLLER_LABELS;
}

/** What the Deployment and DaemonSet controllers add, shared (the rules only read it). */
const DEPLOYMENT_LABELS: ControllerLabels = Object.freeze({ openLabels: Object.freeze(['pod-template-hash']) as string[] });
const DAEMON_SET_LABELS: ControllerLabels = Object.freeze({ openLabels: Object.freeze(['controller-revision-hash', 'pod-template-generation']) as string[] });

/**
 * Labels the controllers of custom workloads add: OpenShift's `deploymentconfig` (the
 * DeploymentConfig's name) and `deployment` (its ReplicationController, `<name>-<version>`),
 * openshift/api apps/v1 DeploymentConfigLabel and DeploymentLabel; Argo Rollouts'
 * rollouts-pod-template-hash, which its controller also adds to the selectors of the Services it manages.
 */
function customControllerLabels(group: string | undefined, kind: string, name: unknown): ControllerLabels {
  if (kind === 'DeploymentConfig' && (group === 'apps.openshift.io' || group === '') && typeof name === 'string' && name !== '') {
    return { labels: { deploymentconfig: name }, openLabels: ['deployment'] };
  }
  if (kind === 'Rollout' && group === 'argoproj.io') {
    return { openLabels: ['rollouts-pod-template-hash'] };
  }
  return NO_CONTROLLER_LABELS;
}

/** A port number written as a string (`servicePort: "80"`) is a number to ingress controllers. */
function portOf(value: unknown): number | string | undefined {
  if (typeof value === 'string' && /^[0-9]+$/.test(value)) {
    return Number(value);
  }
  return typeof value === 'number' || typeof value === 'string' ? value : undefined;
}

function ingressBackends(spec: unknown): IngressBackendInfo[] {
  const backends: IngressBackendInfo[] = [];
  const add = (backend: unknown, field: string) => {
    if (!isObject(backend)) {
      return;
    }
    if (isObject(backend.service) && typeof backend.service.name === 'string') { // networking.k8s.io/v1
      const port = isObject(backend.service.port) ? portOf(backend.service.port.number ?? backend.service.port.name) : undefined;
      backends.push({ service: backend.service.name, port, nameField: `${field}.service.name`, portField: `${field}.service.port` });
    } else if (typeof backend.serviceName === 'string') { // extensions/v1beta1, networking.k8s.io/v1beta1
      backends.push({ service: backend.serviceName, port: portOf(backend.servicePort), nameField: `${field}.serviceName`, portField: `${field}.servicePort` });
    }
  };
  if (!isObject(spec)) {
    return backends;
  }
  add(spec.defaultBackend ?? spec.backend, spec.defaultBackend ? 'spec.defaultBackend' : 'spec.backend');
  (Array.isArray(spec.rules) ? spec.rules : []).forEach((rule: unknown, r: number) => {
    const paths = isObject(rule) && isObject(rule.http) && Array.isArray(rule.http.paths) ? rule.http.paths : [];
    paths.forEach((path: unknown, p: number) => {
      if (isObject(path)) {
        add(path.backend, `spec.rules[${r}].http.paths[${p}].backend`);
      }
    });
  });
  return backends;
}

/** @internal */
export interface ModelFromManifestsOptions {
  /**
   * The namespace of objects without `metadata.namespace` (what `kubectl apply -n` would use).
   * @default 'default'
   */
  readonly defaultNamespace?: string;
}

/**
 * How findings name the object of an input; `undefined` when it is no Kubernetes object (no kind
 * or metadata).
 * @internal
 */
export function objectRef(input: ManifestInput, defaultNamespace: string): ObjectRef | undefined {
  const m = input.manifest;
  if (!isObject(m) || typeof m.kind !== 'string' || !isObject(m.metadata)) {
    return undefined;
  }
  const metadata = m.metadata;
  const name = metadata.name ?? metadata.generateName ?? '';
  const namespace = metadata.namespace;
  return {
    kind: m.kind,
    name: typeof name === 'string' ? name : String(name),
    namespace: namespace === undefined || namespace === null || namespace === '' ? defaultNamespace : typeof namespace === 'string' ? namespace : String(namespace),
    constructPath: input.constructPath,
    source: input.source,
  };
}

/**
 * The wiring model of a list of manifests. Objects are recognized by kind and API group (a
 * Knative `serving.knative.dev` Service is no core Service); objects of other kinds are ignored,
 * except custom workloads with a pod template in `spec.template`, the prometheus-operator
 * resources that run pods (Prometheus, Alertmanager, ...), those of the operators in the table of
 * operator-pods.ts, and other custom resources that may run pods (for the fallback of
 * `service-selects-nothing`). `List` wrappers are expected to
 * be flattened by the caller.
 * @internal
 */
export function modelFromManifests(inputs: ManifestInput[], options: ModelFromManifestsOptions = {}): WiringModel {
  const defaultNamespace = options.defaultNamespace ?? 'default';
  const objects: ObjectInfo[] = [];
  const operatorResources: OperatorResourceInfo[] = [];
  const model: WiringModel = { podTemplates: [], services: [], statefulSets: [], ingresses: [], routes: [], gateways: [], referenceGrants: [], namespaces: [], objects, operatorResources };
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i];
    const ref = objectRef(input, defaultNamespace);
    if (ref === undefined) {
      continue;
    }
    const m = input.manifest;
    const { kind, apiVersion, metadata } = m;
    const name = metadata.name;
    const spec = isObject(m.spec) ? m.spec : {};
    const group = apiGroup(apiVersion);
    objects.push({ ref, group: group ?? '', named: name !== undefined && name !== null && name !== '', ignoreChecks: ignoreChecks(metadata) });
    if (kind === 'Service' && apiVersion === 'v1') {
      model.services.push(serviceInfo(ref, metadata, spec));
      continue;
    }
    if (kind === 'Pod' && apiVersion === 'v1') {
      model.podTemplates.push(podTemplate(ref, metadata, spec, '', false));
      continue;
    }
    if (kind === 'Ingress' && (group === 'networking.k8s.io' || group === 'extensions')) {
      const ingress: IngressInfo = { ref, backends: ingressBackends(spec) };
      model.ingresses.push(ingress);
      continue;
    }
    if (group === GATEWAY_API_GROUP && ROUTE_KINDS.includes(kind)) {
      model.routes.push(routeInfo(ref, spec));
      continue;
    }
    if (group === GATEWAY_API_GROUP && kind === 'Gateway') {
      model.gateways.push(gatewayInfo(ref, spec));
      continue;
    }
    if (group === GATEWAY_API_GROUP && kind === 'ReferenceGrant') {
      model.referenceGrants.push(referenceGrantInfo(ref, spec));
      continue;
    }
    if (kind === 'Namespace' && apiVersion === 'v1' && typeof name === 'string') {
      model.namespaces.push(namespaceInfo(name, metadata));
      continue;
    }
    const workload = WORKLOADS.get(kind);
    const builtIn = workload !== undefined && group !== undefined && workload.groups.includes(group);
    // the built-in groups run no operator's pods
    const operatorRun = !builtIn && group !== undefined && typeof name === 'string' && name !== '' ? operatorPods(group, kind, name, metadata, spec) : undefined;
    if (operatorRun !== undefined) {
      for (const pods of operatorRun) {
        const declared = podTemplate(ref, undefined, pods.podSpec, pods.podSpecField ?? '', false);
        model.podTemplates.push({
          ref,
          labels: pods.labels,
          ...(pods.perPodLabels !== undefined ? { perPodLabels: pods.perPodLabels } : {}),
          ports: [...pods.ports ?? [], ...declared.ports],
          env: pods.podSpecField !== undefined ? declared.env : [],
          ...(pods.ports === undefined ? { portsUnknown: true } : {}),
          openLabels: pods.openLabels,
        });
      }
    } else if (builtIn || hasPodTemplate(spec)) {
      // the built-in workloads, and custom ones with a pod template in spec.template (Argo
      // Rollouts, a Knative Service, ...)
      const { template: path, field } = builtIn ? workload! : CUSTOM_WORKLOAD;
      const template: any = valueAt(m, path);
      const runsToCompletion = builtIn && group === 'batch';
      const added = builtIn ? controllerLabels(kind, name, spec) : customControllerLabels(group, kind, name);
      const template_ = podTemplate(ref, template?.metadata, template?.spec, field, runsToCompletion, added);
      model.podTemplates.push(template_);
      if (builtIn && kind === 'StatefulSet') {
        const sts: StatefulSetInfo = { ref, serviceName: typeof spec.serviceName === 'string' ? spec.serviceName : undefined, template: template_ };
        model.statefulSets.push(sts);
      }
    } else if (group !== undefined) {
      const resource = operatorResource(ref, group, spec);
      if (resource !== undefined) {
        operatorResources.push(resource);
      }
    }
  }
  return model;
}

function hasPodTemplate(spec: Record<string, any>): boolean {
  return isObject(spec.template) && isObject(spec.template.spec) && Array.isArray(spec.template.spec.containers);
}

function serviceInfo(ref: ObjectRef, metadata: Record<string, any>, spec: Record<string, any>): ServiceInfo {
  let ports: ServicePortInfo[] | undefined;
  const specPorts: unknown[] = Array.isArray(spec.ports) ? spec.ports : [];
  for (let i = 0; i < specPorts.length; i++) {
    const p = specPorts[i];
    if (!isObject(p)) {
      continue;
    }
    ports = append(ports, {
      name: typeof p.name === 'string' && p.name !== '' ? p.name : undefined,
      port: Number(p.port),
      // the API server defaults a missing, 0 or '' targetPort to the port
      targetPort: p.targetPort === undefined || p.targetPort === null || p.targetPort === 0 || p.targetPort === '' ? Number(p.port) : p.targetPort,
      // nodePort 0 (or none) lets the cluster allocate one
      nodePort: typeof p.nodePort === 'number' && p.nodePort !== 0 ? p.nodePort : undefined,
      protocol: typeof p.protocol === 'string' && p.protocol !== '' ? p.protocol : 'TCP',
    });
  }
  return {
    ref,
    type: typeof spec.type === 'string' && spec.type !== '' ? spec.type : 'ClusterIP',
    headless: spec.clusterIP === 'None' || (Array.isArray(spec.clusterIPs) && spec.clusterIPs[0] === 'None'),
    selector: readStringMap(spec.selector),
    ports: ports ?? EMPTY,
    externalName: typeof spec.externalName === 'string' ? spec.externalName : undefined,
    manifest: { metadata, spec },
  };
}
