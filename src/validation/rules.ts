import { isIPExternalName } from '../services/kubernetes-names';
import { Finding, ObjectRef, Severity } from './finding';
import { ServiceInfo, WiringModel } from './model';
import { envServiceHost, PodTemplateIndex } from './wiring-index';

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
  { id: 'externalname-ip', severity: Severity.ERROR, description: 'an ExternalName Service whose externalName is an IP address (a CNAME that cluster DNS does not resolve)', fix: 'Give a DNS name, or use a Service without a selector and an EndpointSlice for the IP.' },
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

/**
 * An object as messages name it: kind, namespace/name, and its construct path or file and line.
 * @internal
 */
export function describeRef(ref: ObjectRef): string {
  const where = ref.constructPath !== undefined ? ` (${ref.constructPath})` : ref.source !== undefined ? ` (${ref.source})` : '';
  return `${ref.kind} '${ref.namespace}/${ref.name}'${where}`;
}

function selectorText(selector: Record<string, string>): string {
  return Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
}

function sameObject(a: ObjectRef, b: ObjectRef): boolean {
  return a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;
}

function hasSelector(service: ServiceInfo): service is ServiceInfo & { selector: Record<string, string> } {
  return service.selector !== undefined && Object.keys(service.selector).length > 0;
}

/**
 * Run every wiring rule over the model.
 * @internal
 */
export function checkWiring(model: WiringModel): Finding[] {
  const findings: Finding[] = [];
  const report = (rule: string, finding: Omit<Finding, 'rule' | 'severity'>) => {
    findings.push({ rule, severity: SEVERITY.get(rule)!, ...finding });
  };
  const index = new PodTemplateIndex(model.podTemplates);
  const servicesByName = new Map<string, ServiceInfo>();
  for (const service of model.services) {
    servicesByName.set(`${service.ref.namespace}/${service.ref.name}`, service);
  }

  const nodePorts = new Map<number, { service: ServiceInfo; port: number; protocol: string }>();
  for (const service of model.services) {
    // described only when a finding needs it: most Services have none
    const svc = () => describeRef(service.ref);

    if (service.type === 'ExternalName') {
      // the API server accepts it (a DNS-1123 subdomain), but it is a CNAME cluster DNS does not resolve
      if (service.externalName !== undefined && isIPExternalName(service.externalName)) {
        report('externalname-ip', {
          message: `${svc()} has externalName '${service.externalName}', an IP address; an ExternalName Service is a DNS CNAME, and cluster DNS does not resolve a name that looks like an IP address, so the Service's name resolves to nothing`,
          recommendation: 'Give a DNS name, or use a Service without a selector and an EndpointSlice for the IP.',
          resource: service.ref,
          field: 'spec.externalName',
        });
      }
      if (hasSelector(service)) {
        report('externalname-selector', {
          message: `${svc()} is an ExternalName Service with selector ${selectorText(service.selector)}; Kubernetes ignores it and creates no endpoints`,
          recommendation: 'Remove the selector, or use a ClusterIP Service to route to pods.',
          resource: service.ref,
          field: 'spec.selector',
        });
      }
      continue;
    }

    service.ports.forEach((port, i) => {
      if (port.nodePort === undefined) {
        return;
      }
      const first = nodePorts.get(port.nodePort);
      if (first === undefined) {
        nodePorts.set(port.nodePort, { service, port: port.port, protocol: port.protocol });
      } else if (first.service !== service && sameObject(first.service.ref, service.ref)) {
        // the same Service defined twice in the input (two files of one app): one object when applied
      } else if (first.service !== service || first.protocol === port.protocol) {
        report('node-port-reused', {
          message: `${svc()} port ${port.port} uses nodePort ${port.nodePort}, which ${describeRef(first.service.ref)} port ${first.port} already uses; a node port can serve one Service port`,
          recommendation: 'Give each Service port its own nodePort, or omit nodePort and let the cluster allocate one.',
          resource: service.ref,
          field: `spec.ports[${i}].nodePort`,
          related: first.service.ref,
        });
      }
    });

    if (!hasSelector(service)) {
      continue;
    }
    const selected = index.select(service.ref.namespace, service.selector);
    if (selected.length === 0) {
      if (service.checkSelector) {
        report('service-selects-nothing', {
          message: `${svc()} selects ${selectorText(service.selector)}, but no pod template in namespace '${service.ref.namespace}' has those labels; its traffic goes nowhere`,
          recommendation: 'Make the selector match the labels of the pod template it should route to.',
          resource: service.ref,
          field: 'spec.selector',
        });
      }
      continue;
    }
    // Pods that run to completion (a migration Job, a Helm test Pod sharing the app's labels) are
    // only checked when the Service selects nothing else.
    const serving = selected.filter(template => !template.runsToCompletion);
    const checked = serving.length > 0 ? serving : selected;
    service.ports.forEach((port, i) => {
      for (const template of checked) {
        const declared = template.ports.some(p => p.protocol === port.protocol && (typeof port.targetPort === 'string'
          ? p.name === port.targetPort
          : p.containerPort === port.targetPort));
        if (declared) {
          continue;
        }
        const named = typeof port.targetPort === 'string';
        report(named ? 'named-target-port-missing' : 'numeric-target-port-undeclared', {
          message: named
            ? `${svc()} port ${port.port} targets port name '${port.targetPort}', but no container of ${describeRef(template.ref)} declares a ${port.protocol} port with that name; traffic to those pods fails`
            : `${svc()} port ${port.port} targets port ${port.targetPort}/${port.protocol}, which no container of ${describeRef(template.ref)} declares`,
          recommendation: named
            ? `Name a container port '${port.targetPort}' in the pod template, or point targetPort at a declared port.`
            : `Declare containerPort ${port.targetPort} on the container that listens on it, or point targetPort at a declared port.`,
          resource: service.ref,
          field: `spec.ports[${i}].targetPort`,
          related: template.ref,
        });
      }
    });
  }

  for (const sts of model.statefulSets) {
    const name = sts.serviceName;
    const set = describeRef(sts.ref);
    const service = name === undefined ? undefined : servicesByName.get(`${sts.ref.namespace}/${name}`);
    let problem: string | undefined;
    if (name === undefined || name === '') {
      problem = 'has no serviceName; its pods get no DNS names';
    } else if (service === undefined) {
      problem = `has serviceName '${name}', but there is no Service '${name}' in namespace '${sts.ref.namespace}'; its pods get no DNS names`;
    } else if (!service.headless) {
      problem = `has serviceName '${name}', but ${describeRef(service.ref)} is not headless (clusterIP: None); its pods get no DNS names`;
    } else if (!hasSelector(service) || !Object.entries(service.selector).every(([k, v]) => sts.template.labels[k] === v)) {
      problem = `has serviceName '${name}', but ${describeRef(service.ref)} does not select its pods; their DNS records are missing`;
    }
    if (problem !== undefined) {
      report('statefulset-service', {
        message: `${set} ${problem}`,
        recommendation: 'Point serviceName at a headless Service (clusterIP: None) whose selector matches the pod template labels.',
        resource: sts.ref,
        field: 'spec.serviceName',
        related: service?.ref,
      });
    }
  }

  checkEnv(model, servicesByName, report);

  for (const ingress of model.ingresses) {
    for (const backend of ingress.backends) {
      const service = servicesByName.get(`${ingress.ref.namespace}/${backend.service}`);
      const ing = describeRef(ingress.ref);
      if (service === undefined) {
        report('ingress-backend-missing', {
          message: `${ing} routes to Service '${backend.service}', which is not in namespace '${ingress.ref.namespace}' of the input`,
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
          message: `${ing} routes to ${kind} ${JSON.stringify(backend.port)} of ${describeRef(service.ref)}, which has ports ${service.ports.map(p => (p.name ? `${p.port} (${p.name})` : `${p.port}`)).join(', ') || 'none'}`,
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
  servicesByName: Map<string, ServiceInfo>,
  report: (rule: string, finding: Omit<Finding, 'rule' | 'severity'>) => void,
): void {
  const namespaces = new Set<string>();
  for (const list of [model.podTemplates, model.services]) {
    for (const item of list) {
      namespaces.add(item.ref.namespace);
    }
  }
  for (const template of model.podTemplates) {
    for (const env of template.env) {
      const host = envServiceHost(env, template, namespaces);
      if (host === undefined) {
        continue;
      }
      const { name, namespace } = host;
      if (!servicesByName.has(`${namespace}/${name}`)) {
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
