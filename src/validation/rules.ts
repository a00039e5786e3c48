import { isIanaSvcName, isPortNumber } from '../services/kubernetes-names';
import { portListText } from '../services/quote';
import { describeRef } from './describe-ref';
import { Finding, ObjectRef, Severity } from './finding';
import { IGNORE_CHECK_PREFIX } from './from-manifests';
import { ObjectInfo, PodTemplateInfo, ServiceInfo, ServicePortInfo, WiringModel } from './model';
import { OperatorPodIndex } from './operator-pods';
import { checkRoutes, ROUTE_RULES } from './route-rules';
import { checkServiceSpec, NodePortRangeOf, SERVICE_SPEC_RULES } from './service-spec-rules';
import { byNamespaceAndName, envServiceHost, inputNamespaces, PodTemplateIndex } from './wiring-index';

// The wiring rules: one engine over the wiring model, linear in the number of objects (pod
// templates are indexed by namespace and label; no Service x workload loops).

/**
 * A wiring rule: its stable id, severity and what it checks.
 */
export interface RuleInfo {
  /** The stable id. */
  readonly id: string;
  /** How bad a finding of this rule is. */
  readonly severity: Severity;
  /** What the rule checks, one line. */
  readonly description: string;
  /** How to fix a finding of this rule in general (each finding also says how to fix itself). */
  readonly fix: string;
}

/** @internal */
export const RULES: RuleInfo[] = [
  { id: 'service-selects-nothing', severity: Severity.ERROR, description: 'a Service selector matches no pod template in its namespace', fix: 'Make the selector match the labels of the pod template it should route to.' },
  { id: 'named-target-port-missing', severity: Severity.ERROR, description: 'a named targetPort that a selected pod template does not declare', fix: "Name a container port with the targetPort's name in the selected pod template, or point targetPort at a declared port." },
  { id: 'numeric-target-port-undeclared', severity: Severity.WARNING, description: 'a numeric targetPort that no container of the selected pods declares', fix: 'Declare the containerPort on the container that listens on it, or point targetPort at a declared port.' },
  { id: 'statefulset-service', severity: Severity.ERROR, description: "a StatefulSet's serviceName names no Service, a Service that is not headless, or one that does not select its pods", fix: 'Point serviceName at a headless Service (clusterIP: None) whose selector matches the pod template labels.' },
  { id: 'node-port-reused', severity: Severity.ERROR, description: 'one nodePort on two Service ports', fix: 'Give each Service port its own nodePort, or omit nodePort and let the cluster allocate one.' },
  { id: 'externalname-selector', severity: Severity.ERROR, description: 'an ExternalName Service with a selector', fix: 'Remove the selector, or use a ClusterIP Service to route to pods.' },
  { id: 'env-names-missing-service', severity: Severity.WARNING, description: 'a *_HOST, *_ADDR or *_SERVICE env value names a cluster-local Service that is not in the input', fix: 'Create the Service, or fix the host name (a renamed Service leaves its consumers behind).' },
  { id: 'ingress-backend-missing', severity: Severity.ERROR, description: 'an Ingress backend names a Service, or a Service port, that is not in the input', fix: 'Create the Service, or point the backend at a Service and port that exist.' },
  { id: 'duplicate-key', severity: Severity.WARNING, description: 'a mapping key written twice in one object (kubectl keeps the last value and drops the other)', fix: 'Remove the duplicate key, keeping the value you mean.' },
  ...SERVICE_SPEC_RULES,
  { id: 'duplicate-object', severity: Severity.ERROR, description: 'two objects with the same API group, kind, namespace and name: applied, the second silently replaces the first', fix: 'Rename one of them, or remove the duplicate.' },
  { id: 'unknown-ignore-check', severity: Severity.WARNING, description: `an ${IGNORE_CHECK_PREFIX}<rule> annotation that names no rule (so it silences nothing)`, fix: 'Name a rule id that cdk8s-svc lint --help lists, or remove the annotation.' },
  ...ROUTE_RULES,
];

const SEVERITY = new Map(RULES.map(rule => [rule.id, rule.severity]));

const RANK: Record<Severity, number> = { [Severity.WARNING]: 1, [Severity.ERROR]: 2 };

/**
 * Whether `severity` is `threshold` or worse.
 * @internal
 */
export function severityAtLeast(severity: Severity, threshold: Severity): boolean {
  return RANK[severity] >= RANK[threshold];
}

function selectorText(selector: Record<string, string>): string {
  return Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
}

function sameObject(a: ObjectRef, b: ObjectRef): boolean {
  return a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;
}

function hasSelector(service: ServiceInfo): service is ServiceInfo & { selector: Record<string, string> } {
  if (service.selector === undefined) {
    return false;
  }
  for (const key in service.selector) {
    if (Object.prototype.hasOwnProperty.call(service.selector, key)) {
      return true;
    }
  }
  return false;
}

/** @internal */
export interface CheckWiringOptions {
  /**
   * The node port range of the cluster each object goes to (`--service-node-port-range`).
   * @default - 30000-32767 for every object
   */
  readonly nodePortRangeOf?: NodePortRangeOf;
}

/**
 * The selected templates whose ports a Service's targetPorts are checked against: pods that run
 * to completion (a migration Job, a Helm test Pod sharing the app's labels) only when the Service
 * selects nothing else, and not the pods of an operator whose ports are not all known.
 */
function portCheckedTemplates(selected: PodTemplateInfo[]): PodTemplateInfo[] {
  // the common case, without copying the list: long-running pods whose ports are known
  let common = true;
  for (let i = 0; i < selected.length && common; i++) {
    common = !selected[i].runsToCompletion && !selected[i].portsUnknown;
  }
  if (common) {
    return selected;
  }
  const serving = selected.filter(template => !template.runsToCompletion);
  return (serving.length > 0 ? serving : selected).filter(template => !template.portsUnknown);
}

/** Whether a container of `template` declares the port `port` targets (by name or number, same protocol). */
function declares(template: PodTemplateInfo, port: ServicePortInfo): boolean {
  const ports = template.ports;
  for (let i = 0; i < ports.length; i++) {
    const p = ports[i];
    if (p.protocol === port.protocol && (typeof port.targetPort === 'string' ? p.name === port.targetPort : p.containerPort === port.targetPort)) {
      return true;
    }
  }
  return false;
}

/** A targetPort the API server accepts: a port number or an IANA service name. */
function validTargetPort(targetPort: number | string): boolean {
  return typeof targetPort === 'string' ? isIanaSvcName(targetPort) : isPortNumber(targetPort);
}

/**
 * Run every wiring rule over the model.
 * @internal
 */
export function checkWiring(model: WiringModel, options: CheckWiringOptions = {}): Finding[] {
  const findings: Finding[] = [];
  const report = (rule: string, finding: Omit<Finding, 'rule' | 'severity'>) => {
    findings.push({ rule, severity: SEVERITY.get(rule)!, ...finding });
  };
  // the templates by the label keys Services select by: the only lookups made here
  const selectorKeys = new Set<string>();
  for (let s = 0; s < model.services.length; s++) {
    const selector = model.services[s].selector;
    for (const key in selector) {
      selectorKeys.add(key);
    }
  }
  const index = new PodTemplateIndex(model.podTemplates, selectorKeys);
  // built on the first Service that selects nothing: most inputs have none
  let operatorPods: OperatorPodIndex | undefined;
  // built on first use (StatefulSets, env values naming a Service, Ingresses): most inputs have few
  let servicesByName: Map<string, Map<string, ServiceInfo>> | undefined;
  const serviceNamed = (namespace: string, name: string): ServiceInfo | undefined => {
    servicesByName ??= byNamespaceAndName(model.services);
    return servicesByName.get(namespace)?.get(name);
  };

  const nodePorts = new Map<number, { service: ServiceInfo; port: number; protocol: string }>();
  // indexed loops over the model: a synth runs the rules once, and cold code allocates an
  // iterator (and a result per element) for each for...of
  for (let s = 0; s < model.services.length; s++) {
    const service = model.services[s];
    checkServiceSpec(service, report, options.nodePortRangeOf);

    if (service.type === 'ExternalName') {
      if (hasSelector(service)) {
        report('externalname-selector', {
          message: `${describeRef(service.ref)} is an ExternalName Service with selector ${selectorText(service.selector)}; Kubernetes ignores it and creates no endpoints`,
          recommendation: 'Remove the selector, or use a ClusterIP Service to route to pods.',
          resource: service.ref,
          field: 'spec.selector',
        });
      }
      continue;
    }

    for (let i = 0; i < service.ports.length; i++) {
      const port = service.ports[i];
      // only NodePort and LoadBalancer Services allocate node ports (a nodePort elsewhere is node-port-not-allowed)
      if (port.nodePort === undefined || (service.type !== 'NodePort' && service.type !== 'LoadBalancer')) {
        continue;
      }
      const first = nodePorts.get(port.nodePort);
      if (first === undefined) {
        nodePorts.set(port.nodePort, { service, port: port.port, protocol: port.protocol });
      } else if (first.service !== service && sameObject(first.service.ref, service.ref)) {
        // the same Service defined twice in the input (two files of one app): one object when applied
      } else if (first.service !== service || first.protocol === port.protocol || first.port !== port.port) {
        // within one Service, a nodePort is shared only by the protocols of one port number
        // (pkg/registry/core/service/storage/alloc.go initNodePorts allocates it again for another port)
        report('node-port-reused', {
          message: `${describeRef(service.ref)} port ${port.port} uses nodePort ${port.nodePort}, which ${describeRef(first.service.ref)} port ${first.port} already uses; a node port can serve one Service port`,
          recommendation: 'Give each Service port its own nodePort, or omit nodePort and let the cluster allocate one.',
          resource: service.ref,
          field: `spec.ports[${i}].nodePort`,
          related: first.service.ref,
        });
      }
    }

    if (!hasSelector(service)) {
      continue;
    }
    const selected = index.select(service.ref.namespace, service.selector);
    if (selected.length === 0) {
      // pods an operator runs, with labels the input does not show (operator-pods.ts)
      operatorPods ??= new OperatorPodIndex(model.podTemplates, model.operatorResources);
      if (operatorPods.explain(service.ref.namespace, service.selector) === undefined) {
        report('service-selects-nothing', {
          message: `${describeRef(service.ref)} selects ${selectorText(service.selector)}, but no pod template in namespace '${service.ref.namespace}' has those labels; its traffic goes nowhere`,
          recommendation: 'Make the selector match the labels of the pod template it should route to.',
          resource: service.ref,
          field: 'spec.selector',
        });
      }
      continue;
    }
    const checked = portCheckedTemplates(selected);
    for (let i = 0; i < service.ports.length; i++) {
      const port = service.ports[i];
      // a targetPort the API server rejects (a quoted number, ...) is target-port-invalid, not a missing port
      if (!validTargetPort(port.targetPort)) {
        continue;
      }
      // an operator's resource may stand for several pod templates (ECK node sets): one finding each
      let reported: Set<ObjectRef> | undefined;
      for (let t = 0; t < checked.length; t++) {
        const template = checked[t];
        if (reported?.has(template.ref) || declares(template, port)) {
          continue;
        }
        const named = typeof port.targetPort === 'string';
        const svc = describeRef(service.ref);
        (reported ??= new Set()).add(template.ref);
        report(named ? 'named-target-port-missing' : 'numeric-target-port-undeclared', {
          message: named
            ? `${svc} port ${port.port} targets port name '${port.targetPort}', but no container of ${describeRef(template.ref)} declares a ${port.protocol} port with that name; traffic to those pods fails`
            : `${svc} port ${port.port} targets port ${port.targetPort}/${port.protocol}, which no container of ${describeRef(template.ref)} declares`,
          recommendation: named
            ? `Name a container port '${port.targetPort}' in the pod template, or point targetPort at a declared port.`
            : `Declare containerPort ${port.targetPort} on the container that listens on it, or point targetPort at a declared port.`,
          resource: service.ref,
          field: `spec.ports[${i}].targetPort`,
          related: template.ref,
        });
      }
    }
  }

  for (let i = 0; i < model.statefulSets.length; i++) {
    const sts = model.statefulSets[i];
    const name = sts.serviceName;
    const service = name === undefined ? undefined : serviceNamed(sts.ref.namespace, name);
    let problem: string | undefined;
    if (name === undefined || name === '') {
      problem = 'has no serviceName; its pods get no DNS names';
    } else if (service === undefined) {
      problem = `has serviceName '${name}', but there is no Service '${name}' in namespace '${sts.ref.namespace}'; its pods get no DNS names`;
    } else if (!service.headless) {
      problem = `has serviceName '${name}', but ${describeRef(service.ref)} is not headless (clusterIP: None); its pods get no DNS names`;
    } else if (!hasSelector(service) || !Object.entries(service.selector).every(([k, v]) => sts.template.labels[k] === v)) {
      // every pod, by the labels they all carry: a per-pod label (pod-name: web-0) leaves the others out
      problem = `has serviceName '${name}', but ${describeRef(service.ref)} does not select its pods; their DNS records are missing`;
    }
    if (problem !== undefined) {
      report('statefulset-service', {
        message: `${describeRef(sts.ref)} ${problem}`,
        recommendation: 'Point serviceName at a headless Service (clusterIP: None) whose selector matches the pod template labels.',
        resource: sts.ref,
        field: 'spec.serviceName',
        related: service?.ref,
      });
    }
  }

  checkEnv(model, serviceNamed, report);
  if (model.routes.length > 0) {
    checkRoutes(model, serviceNamed, report);
  }
  checkObjects(model.objects, report);

  for (let i = 0; i < model.ingresses.length; i++) {
    const ingress = model.ingresses[i];
    for (let b = 0; b < ingress.backends.length; b++) {
      const backend = ingress.backends[b];
      const service = serviceNamed(ingress.ref.namespace, backend.service);
      if (service === undefined) {
        report('ingress-backend-missing', {
          message: `${describeRef(ingress.ref)} routes to Service '${backend.service}', which is not in namespace '${ingress.ref.namespace}' of the input`,
          recommendation: 'Create the Service, or point the backend at an existing one.',
          resource: ingress.ref,
          field: backend.nameField,
        });
        continue;
      }
      // ingress controllers route to an ExternalName Service's host, or to a Service that declares
      // no ports, on the port the Ingress gives: there is no Service port to match
      if (backend.port === undefined || service.type === 'ExternalName' || service.ports.length === 0) {
        continue;
      }
      const found = service.ports.some(p => (typeof backend.port === 'string' ? p.name === backend.port : p.port === backend.port));
      if (!found) {
        const kind = typeof backend.port === 'string' ? 'port name' : 'port';
        report('ingress-backend-missing', {
          message: `${describeRef(ingress.ref)} routes to ${kind} ${JSON.stringify(backend.port)} of ${describeRef(service.ref)}, which has ports ${portListText(service.ports) || 'none'}`,
          recommendation: 'Use a port number or name the Service declares.',
          resource: ingress.ref,
          field: backend.portField,
          related: service.ref,
        });
      }
    }
  }
  return findings;
}

function checkEnv(
  model: WiringModel,
  serviceNamed: (namespace: string, name: string) => ServiceInfo | undefined,
  report: (rule: string, finding: Omit<Finding, 'rule' | 'severity'>) => void,
): void {
  // built on the first variable to look at: most templates set none
  let namespaces: Set<string> | undefined;
  for (let t = 0; t < model.podTemplates.length; t++) {
    const template = model.podTemplates[t];
    for (let e = 0; e < template.env.length; e++) {
      const env = template.env[e];
      const host = envServiceHost(env, template, namespaces ??= inputNamespaces(model));
      if (host === undefined) {
        continue;
      }
      const { name, namespace } = host;
      if (serviceNamed(namespace, name) === undefined) {
        report('env-names-missing-service', {
          message: `${describeRef(template.ref)} sets ${env.name}=${env.value}, but there is no Service '${name}' in namespace '${namespace}' in the input`,
          recommendation: 'Create the Service, or fix the host name (a renamed Service leaves its consumers behind).',
          resource: template.ref,
          field: env.field,
        });
      }
    }
  }
}

/**
 * Kinds the API server keeps outside namespaces (by API group): two of them with one name are one
 * object whatever `metadata.namespace` says.
 */
const CLUSTER_SCOPED = new Map<string, Set<string>>([
  ['', new Set(['Namespace', 'Node', 'PersistentVolume', 'ComponentStatus'])],
  ['rbac.authorization.k8s.io', new Set(['ClusterRole', 'ClusterRoleBinding'])],
  ['apiextensions.k8s.io', new Set(['CustomResourceDefinition'])],
  ['apiregistration.k8s.io', new Set(['APIService'])],
  ['admissionregistration.k8s.io', new Set(['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'])],
  ['storage.k8s.io', new Set(['StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment'])],
  ['networking.k8s.io', new Set(['IngressClass', 'ClusterCIDR', 'IPAddress'])],
  ['scheduling.k8s.io', new Set(['PriorityClass'])],
  ['node.k8s.io', new Set(['RuntimeClass'])],
  ['policy', new Set(['PodSecurityPolicy'])],
  ['certificates.k8s.io', new Set(['CertificateSigningRequest'])],
  ['flowcontrol.apiserver.k8s.io', new Set(['FlowSchema', 'PriorityLevelConfiguration'])],
  ['resource.k8s.io', new Set(['ResourceClass'])],
]);

/** The rule ids, for `unknown-ignore-check`. */
const RULE_IDS = new Set(RULES.map(rule => rule.id));

/** `duplicate-object` and `unknown-ignore-check`: rules over every object of the input, whatever its kind. */
function checkObjects(objects: ObjectInfo[], report: (rule: string, finding: Omit<Finding, 'rule' | 'severity'>) => void): void {
  // API group -> kind -> namespace ('' when cluster-scoped) -> name -> the first object: lookups,
  // without a key string built per object
  const byGroup = new Map<string, Map<string, Map<string, Map<string, ObjectInfo>>>>();
  for (let i = 0; i < objects.length; i++) {
    const object = objects[i];
    const ref = object.ref;
    if (object.named) {
      const clusterScoped = CLUSTER_SCOPED.get(object.group)?.has(ref.kind) ?? false;
      const byName = namesOf(byGroup, object.group, ref.kind, clusterScoped ? '' : ref.namespace);
      const first = byName.get(ref.name);
      if (first === undefined) {
        byName.set(ref.name, object);
      } else {
        const same = clusterScoped ? 'kind and name (a cluster-scoped kind: the namespace does not count)' : 'kind, namespace and name';
        report('duplicate-object', {
          message: `${describeRef(ref)} has the same API group (${object.group === '' ? 'core' : object.group}), ${same} as ${describeRef(first.ref)}; applied, the second silently replaces the first`,
          recommendation: 'Rename one of them, or remove the duplicate.',
          resource: ref,
          field: 'metadata.name',
          related: first.ref,
        });
      }
    }
    for (let c = 0; c < object.ignoreChecks.length; c++) {
      const id = object.ignoreChecks[c];
      if (!RULE_IDS.has(id)) {
        const guess = closestRule(id);
        report('unknown-ignore-check', {
          message: `${describeRef(ref)} has annotation ${IGNORE_CHECK_PREFIX}${id}, but there is no rule '${id}', so it silences nothing${guess === undefined ? '' : ` (did you mean '${guess}'?)`}`,
          recommendation: guess === undefined
            ? 'Name a rule id that cdk8s-svc lint --help lists, or remove the annotation.'
            : `Write ${IGNORE_CHECK_PREFIX}${guess}, or remove the annotation.`,
          resource: ref,
          field: `metadata.annotations['${IGNORE_CHECK_PREFIX}${id}']`,
        });
      }
    }
  }
}

/** The map of names of one API group, kind and namespace in `byGroup`, made on first use. */
function namesOf<T>(byGroup: Map<string, Map<string, Map<string, Map<string, T>>>>, group: string, kind: string, namespace: string): Map<string, T> {
  let byKind = byGroup.get(group);
  if (byKind === undefined) {
    byGroup.set(group, byKind = new Map());
  }
  let byNamespace = byKind.get(kind);
  if (byNamespace === undefined) {
    byKind.set(kind, byNamespace = new Map());
  }
  let byName = byNamespace.get(namespace);
  if (byName === undefined) {
    byNamespace.set(namespace, byName = new Map());
  }
  return byName;
}

/** The rule id nearest to `id` (at most 3 edits away), for typos. */
function closestRule(id: string): string | undefined {
  let best: string | undefined;
  let bestDistance = 4;
  for (const rule of RULE_IDS) {
    const distance = editDistance(id, rule);
    if (distance < bestDistance) {
      best = rule;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * The Levenshtein distance between `a` and `b` (insertions, deletions and substitutions), one row
 * at a time: for "did you mean" hints on rule ids and plugin properties.
 * @internal
 */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
