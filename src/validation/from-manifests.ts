import { ObjectRef } from './finding';
import { ContainerPortInfo, EnvInfo, IngressBackendInfo, IngressInfo, PodTemplateInfo, ServiceInfo, StatefulSetInfo, WiringModel } from './model';

// Builds the wiring model from plain manifest objects (what cdk8s writes, or any YAML/JSON).

/** @internal */
export interface ManifestInput {
  readonly manifest: any;
  readonly source?: string;
  readonly constructPath?: string;
}

/** Where the pod template of each workload kind lives. */
const TEMPLATE_PATH = new Map<string, string[]>([
  ['Deployment', ['spec', 'template']],
  ['StatefulSet', ['spec', 'template']],
  ['DaemonSet', ['spec', 'template']],
  ['ReplicaSet', ['spec', 'template']],
  ['ReplicationController', ['spec', 'template']],
  ['Job', ['spec', 'template']],
  ['CronJob', ['spec', 'jobTemplate', 'spec', 'template']],
]);

function isObject(value: unknown): value is Record<string, any> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      out[k] = String(v);
    }
  }
  return out;
}

function podTemplate(ref: ObjectRef, metadata: unknown, spec: unknown, prefix: string, runsToCompletion: boolean): PodTemplateInfo {
  const ports: ContainerPortInfo[] = [];
  const env: EnvInfo[] = [];
  const podSpec = isObject(spec) ? spec : {};
  for (const list of ['initContainers', 'containers']) {
    const containers: unknown[] = Array.isArray(podSpec[list]) ? podSpec[list] : [];
    containers.forEach((container, c) => {
      if (!isObject(container)) {
        return;
      }
      // Services reach app containers, and init containers that keep running (sidecars).
      const serving = list === 'containers' || container.restartPolicy === 'Always';
      for (const port of serving && Array.isArray(container.ports) ? container.ports : []) {
        if (isObject(port) && typeof port.containerPort === 'number') {
          ports.push({ name: typeof port.name === 'string' ? port.name : undefined, containerPort: port.containerPort, protocol: port.protocol ?? 'TCP' });
        }
      }
      (Array.isArray(container.env) ? container.env : []).forEach((variable: unknown, e: number) => {
        if (isObject(variable) && typeof variable.name === 'string' && typeof variable.value === 'string') {
          env.push({ name: variable.name, value: variable.value, field: `${prefix}spec.${list}[${c}].env[${e}].value` });
        }
      });
    });
  }
  return {
    ref,
    labels: stringMap(isObject(metadata) ? metadata.labels : undefined),
    ports,
    env,
    runsToCompletion: runsToCompletion || (podSpec.restartPolicy !== undefined && podSpec.restartPolicy !== 'Always'),
  };
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

/**
 * The wiring model of a list of manifests. Objects of other kinds, and `List` wrappers, are
 * expected to be flattened by the caller.
 * @internal
 */
export function modelFromManifests(inputs: ManifestInput[]): WiringModel {
  const model: WiringModel = { podTemplates: [], services: [], statefulSets: [], ingresses: [] };
  for (const input of inputs) {
    const m = input.manifest;
    if (!isObject(m) || typeof m.kind !== 'string' || !isObject(m.metadata)) {
      continue;
    }
    const ref: ObjectRef = {
      kind: m.kind,
      name: String(m.metadata.name ?? m.metadata.generateName ?? ''),
      namespace: String(m.metadata.namespace ?? 'default'),
      constructPath: input.constructPath,
      source: input.source,
    };
    const spec = isObject(m.spec) ? m.spec : {};
    if (m.kind === 'Service') {
      model.services.push(serviceInfo(ref, spec));
    } else if (m.kind === 'Pod') {
      model.podTemplates.push(podTemplate(ref, m.metadata, spec, '', false));
    } else if (TEMPLATE_PATH.has(m.kind) || hasPodTemplate(spec)) {
      // the built-in workloads, and custom ones with a pod template in spec.template (Argo Rollouts, ...)
      const path = TEMPLATE_PATH.get(m.kind) ?? ['spec', 'template'];
      const template = path.reduce<any>((value, key) => (isObject(value) ? value[key] : undefined), m);
      const template_ = podTemplate(ref, template?.metadata, template?.spec, `${path.join('.')}.`, m.kind === 'Job' || m.kind === 'CronJob');
      model.podTemplates.push(template_);
      if (m.kind === 'StatefulSet') {
        const sts: StatefulSetInfo = { ref, serviceName: typeof spec.serviceName === 'string' ? spec.serviceName : undefined, template: template_ };
        model.statefulSets.push(sts);
      }
    } else if (m.kind === 'Ingress') {
      const ingress: IngressInfo = { ref, backends: ingressBackends(spec) };
      model.ingresses.push(ingress);
    }
  }
  return model;
}

function hasPodTemplate(spec: Record<string, any>): boolean {
  return isObject(spec.template) && isObject(spec.template.spec) && Array.isArray(spec.template.spec.containers);
}

function serviceInfo(ref: ObjectRef, spec: Record<string, any>): ServiceInfo {
  const ports = (Array.isArray(spec.ports) ? spec.ports : []).filter(isObject).map((p: Record<string, any>) => ({
    name: typeof p.name === 'string' ? p.name : undefined,
    port: Number(p.port),
    targetPort: p.targetPort ?? Number(p.port),
    nodePort: typeof p.nodePort === 'number' ? p.nodePort : undefined,
    protocol: typeof p.protocol === 'string' ? p.protocol : 'TCP',
  }));
  return {
    ref,
    type: typeof spec.type === 'string' ? spec.type : 'ClusterIP',
    headless: spec.clusterIP === 'None' || (Array.isArray(spec.clusterIPs) && spec.clusterIPs[0] === 'None'),
    selector: isObject(spec.selector) ? stringMap(spec.selector) : undefined,
    ports,
    checkSelector: true,
    externalName: typeof spec.externalName === 'string' ? spec.externalName : undefined,
  };
}
