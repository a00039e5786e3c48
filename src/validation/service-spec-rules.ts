import { isCidrSloppy, isDns1035Label, isDns1123Label, isDns1123Subdomain, isIanaSvcName, isIPExternalName, isIPSloppy, isLabelValue, isQualifiedName, longDnsLabel, MAX_PORT, MIN_PORT } from '../services/kubernetes-names';
import { DEFAULT_NODE_PORT_RANGE } from '../services/spec-fields';
import { describeRef } from './describe-ref';
import { Finding, ObjectRef, Severity } from './finding';
import { ServiceInfo } from './model';
import type { RuleInfo } from './rules';
import { EMPTY, isObject } from './json-value';

// The rules of a Service's own spec: what the typed Service classes enforce when an object is
// built, checked on any manifest the way a Kubernetes 1.27 API server decodes, defaults and
// validates it (pkg/apis/core/validation ValidateService, the defaults of SetDefaults_Service,
// the node port allocator). No finding on what 1.27 accepts, except an ExternalName that is an IP
// address (accepted, but its traffic is silently lost).

/** The Service spec rules, in the order `RULES` lists them. @internal */
export const SERVICE_SPEC_RULES: RuleInfo[] = [
  { id: 'service-name-invalid', severity: Severity.ERROR, description: 'a Service name that is not a DNS-1035 label', fix: 'Use at most 63 characters of [a-z0-9-], starting with a letter and ending with a letter or digit.' },
  { id: 'service-type-invalid', severity: Severity.ERROR, description: 'a Service type other than ClusterIP, NodePort, LoadBalancer or ExternalName', fix: 'Use one of ClusterIP, NodePort, LoadBalancer or ExternalName (case-sensitive), or omit type for ClusterIP.' },
  { id: 'service-ports-missing', severity: Severity.ERROR, description: 'a Service without ports that is neither headless nor ExternalName', fix: 'Add a port, or make the Service headless (clusterIP: None) if it only publishes pod DNS records.' },
  { id: 'service-port-invalid', severity: Severity.ERROR, description: 'a Service port or nodePort that is not an integer in 1-65535 (a quoted number included), a protocol other than TCP, UDP or SCTP, or port 10250 on a LoadBalancer', fix: 'Write port and nodePort as unquoted integers in 1-65535 and protocol as TCP, UDP or SCTP.' },
  { id: 'target-port-invalid', severity: Severity.ERROR, description: 'a targetPort that is neither an integer in 1-65535 nor an IANA service name (a quoted number such as "8080" is a name, and invalid)', fix: 'Write a port number unquoted (targetPort: 8080), or use the name of a container port (1-15 characters of [a-z0-9-] with a letter).' },
  { id: 'service-port-name-invalid', severity: Severity.ERROR, description: 'a Service with more than one port and a port without a name, a port name that is not a DNS-1123 label, or one name twice', fix: 'Give every port of a multi-port Service a unique DNS-1123 label name, such as http or metrics.' },
  { id: 'service-port-duplicate', severity: Severity.ERROR, description: 'one port number twice with the same protocol in one Service', fix: 'Remove the duplicate, or give it another port number or protocol.' },
  { id: 'node-port-not-allowed', severity: Severity.ERROR, description: 'a nodePort on a ClusterIP Service', fix: 'Remove nodePort, or make the Service type NodePort or LoadBalancer.' },
  { id: 'node-port-out-of-range', severity: Severity.ERROR, description: "a nodePort outside the cluster's node port range (default 30000-32767)", fix: 'Pick a nodePort inside the range, or omit it (or set 0) and let the cluster allocate one.' },
  { id: 'cluster-ip-invalid', severity: Severity.ERROR, description: 'clusterIP None on a NodePort or LoadBalancer Service, or a clusterIP that is not an IP address, or clusterIPs that do not match it', fix: 'Only a ClusterIP Service can be headless (clusterIP: None); otherwise omit clusterIP or give an IP address of the service CIDR.' },
  { id: 'externalname-invalid', severity: Severity.ERROR, description: 'an ExternalName Service without a valid lowercase DNS name in externalName (an IP address, or a label over 63 characters, is accepted by the API server but never resolved), or with a cluster IP or IP families', fix: 'Set externalName to a DNS name such as db.example.com; for a fixed IP use a Service without selector and an EndpointSlice.' },
  { id: 'traffic-policy-invalid', severity: Severity.ERROR, description: 'externalTrafficPolicy on a Service that is not NodePort or LoadBalancer, a traffic policy other than Cluster or Local, or healthCheckNodePort without type LoadBalancer and externalTrafficPolicy Local', fix: 'Set externalTrafficPolicy only on NodePort and LoadBalancer Services, to Cluster or Local.' },
  { id: 'load-balancer-field-invalid', severity: Severity.ERROR, description: 'loadBalancerSourceRanges, loadBalancerClass or allocateLoadBalancerNodePorts on a Service that is not a LoadBalancer, a source range that is not a CIDR, or a loadBalancerClass that is not a label-style name', fix: 'Set the loadBalancer* fields only on LoadBalancer Services; source ranges are CIDRs such as 203.0.113.0/24.' },
  { id: 'session-affinity-invalid', severity: Severity.ERROR, description: 'a sessionAffinity other than ClientIP or None, or a ClientIP timeoutSeconds outside 1-86400', fix: 'Use sessionAffinity ClientIP or None, and a timeoutSeconds of 1-86400 (one day).' },
  { id: 'service-selector-invalid', severity: Severity.ERROR, description: 'a Service selector key or value that is not a valid label key or value (a number or boolean value included)', fix: 'Use label keys and values of at most 63 characters of [A-Za-z0-9-_.], quoting values YAML would read as numbers or booleans.' },
];

type Report = (rule: string, finding: Omit<Finding, 'rule' | 'severity'>) => void;

/** The node port range of the cluster an object goes to. @internal */
export type NodePortRangeOf = (ref: ObjectRef) => { min: number; max: number } | undefined;

const TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const POLICIES = ['Cluster', 'Local'];
const KUBELET_PORT = 10250;
const MAX_AFFINITY_SECONDS = 86400;
const SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';
/** An absent mapping, shared (the rules only read it). */
const NO_ANNOTATIONS: Readonly<Record<string, unknown>> = Object.freeze({});

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

/** Absent as the API server sees it: a missing field or a YAML null. */
function absent(value: unknown): boolean {
  return value === undefined || value === null;
}

/** A value as the manifest writes it: strings quoted, so "8080" and 8080 read differently. */
function shown(value: unknown): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}

/** What a value is, for type errors: 'a string', 'a number', ... */
function typeName(value: unknown): string {
  return Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
}

/** A string that reads as an integer, such as "8080": the quoted number YAML writers mean as one. */
function quotedInteger(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9]+$/.test(value);
}

/** The rule id's message for a field that is not a string, where the API server cannot decode it. */
function notAString(what: string, value: unknown): string {
  return `${what} ${shown(value)} is ${typeName(value)}, not a string; the API server cannot decode it and rejects the manifest`;
}

/**
 * Check one Service's metadata and spec as written.
 * @internal
 */
export function checkServiceSpec(service: ServiceInfo, report: Report, nodePortRangeOf?: NodePortRangeOf): void {
  const { metadata, spec } = service.manifest;
  const ref = service.ref;
  // the Service is described only when a finding needs it: most Services have none
  const at = (rule: string, field: string, message: string, recommendation: string) => {
    report(rule, { message: `${describeRef(ref)} ${message}`, recommendation, resource: ref, field });
  };

  checkName(metadata, at);

  // SetDefaults_Service: a missing or empty type is ClusterIP
  const type = absent(spec.type) || spec.type === '' ? 'ClusterIP' : spec.type;
  const known = typeof type === 'string' && TYPES.includes(type);
  if (!known) {
    const match = typeof type === 'string' ? TYPES.find(t => t.toLowerCase() === type.toLowerCase()) : undefined;
    at('service-type-invalid', 'spec.type', `has type ${shown(type)}, which is not a Service type; the API server rejects it (the types are ClusterIP, NodePort, LoadBalancer and ExternalName, case-sensitive)`,
      match !== undefined ? `Write type: ${match}.` : 'Use type ClusterIP, NodePort, LoadBalancer or ExternalName, or omit type for ClusterIP.');
  }

  const clusterIPs = Array.isArray(spec.clusterIPs) ? spec.clusterIPs : EMPTY;
  // isHeadlessService: clusterIPs is [None] once the API server copied clusterIP into it
  const headless = spec.clusterIP === 'None' || (clusterIPs.length === 1 && clusterIPs[0] === 'None' && absent(spec.clusterIP));
  const ports = Array.isArray(spec.ports) ? spec.ports : EMPTY;
  if (known) {
    if (ports.length === 0 && !headless && type !== 'ExternalName') {
      at('service-ports-missing', 'spec.ports', `is a ${type} Service without ports; the API server rejects it (spec.ports: Required value)`,
        'Add at least one port, or make it headless (type ClusterIP, clusterIP: None) if it only publishes pod DNS records.');
    }
    if (type === 'ExternalName') {
      checkExternalName(spec, clusterIPs, at);
    } else {
      checkClusterIP(spec, type as string, clusterIPs, at);
    }
    checkTrafficPolicies(spec, type as string, at);
    checkLoadBalancerFields(metadata, spec, type as string, at);
  }
  // asked only for a nodePort to check: most Services have none
  let range: { min: number; max: number } | undefined;
  const rangeOf = () => (range ??= nodePortRangeOf?.(ref) ?? DEFAULT_NODE_PORT_RANGE);
  checkPorts(ports, known ? type as string : undefined, rangeOf, at);
  checkSelector(spec.selector, at);
  checkSessionAffinity(spec, at);
}

type At = (rule: string, field: string, message: string, recommendation: string) => void;

/** Where a Service port is: its field, and how messages name it (`port 80`, or the field when the port is not valid). */
class PortSite {
  constructor(private readonly index: number, private readonly port: unknown, private readonly validPort: boolean) {}

  /** `spec.ports[i]`, or its child field `spec.ports[i].<child>`. */
  public field(child?: string): string {
    return child === undefined ? `spec.ports[${this.index}]` : `spec.ports[${this.index}].${child}`;
  }

  public get which(): string {
    return this.validPort ? `port ${this.port}` : this.field();
  }
}

/** ValidateObjectMeta with ValidateServiceName (NameIsDNS1035Label). */
function checkName(metadata: Record<string, unknown>, at: At): void {
  const { name, generateName } = metadata;
  const fix = 'Use at most 63 characters of [a-z0-9-], starting with a letter and ending with a letter or digit (a DNS-1035 label).';
  if (absent(name) || name === '') {
    if (absent(generateName) || generateName === '') {
      at('service-name-invalid', 'metadata.name', 'has no metadata.name; the API server rejects it (name or generateName is required)', 'Give the Service a name.');
    } else if (typeof generateName !== 'string') {
      at('service-name-invalid', 'metadata.generateName', `has ${notAString('generateName', generateName)}`, 'Quote it, or write it with a letter first.');
    } else if (!isDns1035Label(generateName.length > 1 && generateName.endsWith('-') ? `${generateName.slice(0, -1)}a` : generateName)) {
      at('service-name-invalid', 'metadata.generateName', `has generateName '${generateName}', which is not a valid Service name prefix (DNS-1035 label); the API server rejects it`, fix);
    }
    return;
  }
  if (typeof name !== 'string') {
    at('service-name-invalid', 'metadata.name', `has ${notAString('name', name)}`, fix);
  } else if (!isDns1035Label(name)) {
    at('service-name-invalid', 'metadata.name', `has name '${name}', which is not a valid Service name (DNS-1035 label: at most 63 characters of [a-z0-9-], starting with a letter, ending with a letter or digit); the API server rejects it`, fix);
  }
}

function checkPorts(ports: readonly unknown[], type: string | undefined, rangeOf: () => { min: number; max: number }, at: At): void {
  // the names and port numbers already used, looked up only in Services with more than one port
  const names = ports.length > 1 ? new Map<string, number>() : undefined;
  const seen = ports.length > 1 ? new Map<string, number>() : undefined;
  for (let i = 0; i < ports.length; i++) {
    const raw = ports[i];
    if (!isObject(raw)) {
      const field = `spec.ports[${i}]`;
      at('service-port-invalid', field, `has ${field} ${shown(raw)}, which is not a port (a mapping with port, targetPort, ...); the API server rejects it`, 'Write each port as a mapping such as { port: 80, targetPort: 8080 }.');
      continue;
    }
    const port = raw.port;
    const validPort = isInteger(port) && port >= MIN_PORT && port <= MAX_PORT;
    // the port's field and name in messages, built only for a finding (most ports have none)
    const site = new PortSite(i, port, validPort);

    // validateServicePort: validation.IsValidPortNum(port); a string does not decode into an int32
    if (quotedInteger(port)) {
      at('service-port-invalid', site.field('port'), `has port ${shown(port)} at ${site.field()}, a quoted number: port is an integer field, so the API server cannot decode the string and rejects the manifest`, `Unquote it: port: ${Number(port)}.`);
    } else if (absent(port)) {
      at('service-port-invalid', site.field('port'), `has no port at ${site.field()}; every Service port needs one (an integer in ${MIN_PORT}-${MAX_PORT})`, 'Add the port number the Service listens on.');
    } else if (!validPort) {
      at('service-port-invalid', site.field('port'), typeof port === 'number'
        ? `has port ${port} at ${site.field()}, which is not an integer in ${MIN_PORT}-${MAX_PORT}; the API server rejects it`
        : `has port ${shown(port)} at ${site.field()}, ${typeName(port)}: port is an integer field, so the API server rejects the manifest`, `Use an integer in ${MIN_PORT}-${MAX_PORT}.`);
    } else if (type === 'LoadBalancer' && port === KUBELET_PORT) {
      at('service-port-invalid', site.field('port'), `is a LoadBalancer Service with port ${KUBELET_PORT}, the kubelet's port; the API server rejects it (may not expose port ${KUBELET_PORT} externally)`, `Expose another port; it can still forward to the pods' ${KUBELET_PORT} through targetPort.`);
    }

    // SetDefaults_Service: protocol TCP; validateServicePort: supportedPortProtocols
    const protocol = absent(raw.protocol) || raw.protocol === '' ? 'TCP' : raw.protocol;
    if (typeof protocol !== 'string' || !PROTOCOLS.includes(protocol)) {
      const match = typeof protocol === 'string' ? PROTOCOLS.find(p => p === protocol.toUpperCase()) : undefined;
      at('service-port-invalid', site.field('protocol'), `${site.which} has protocol ${shown(protocol)}; the API server accepts only TCP, UDP and SCTP (case-sensitive)`,
        match !== undefined ? `Write protocol: ${match}.` : 'Use protocol TCP, UDP or SCTP, or omit it for TCP.');
    }

    checkTargetPort(raw.targetPort, site, at);
    checkPortName(raw.name, ports.length, site, names, i, at);

    // ValidateService: no two ports with one (protocol, port)
    if (seen !== undefined && validPort && typeof protocol === 'string') {
      const key = `${port}/${protocol}`;
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, i);
      } else {
        at('service-port-duplicate', site.field(), `defines port ${key} twice (spec.ports[${first}] and ${site.field()}); the API server rejects it: a port number may appear twice only with different protocols`,
          'Remove the duplicate, or give it another port number or protocol.');
      }
    }

    checkNodePort(raw.nodePort, type, site, rangeOf, at);
  }
}

/** ValidatePortNumOrName, after SetDefaults_Service turned 0 and '' into the port. */
function checkTargetPort(targetPort: unknown, site: PortSite, at: At): void {
  if (absent(targetPort) || targetPort === 0 || targetPort === '') {
    return;
  }
  if (typeof targetPort === 'number') {
    if (!isInteger(targetPort) || targetPort < MIN_PORT || targetPort > MAX_PORT) {
      at('target-port-invalid', site.field('targetPort'), `${site.which} has targetPort ${targetPort}, which is not an integer in ${MIN_PORT}-${MAX_PORT}; the API server rejects it`, `Use the container port number, an integer in ${MIN_PORT}-${MAX_PORT}.`);
    }
  } else if (quotedInteger(targetPort)) {
    at('target-port-invalid', site.field('targetPort'), `${site.which} has targetPort ${shown(targetPort)}, a quoted number: the API server reads a string targetPort as a port name, and a port name (IANA_SVC_NAME) needs at least one letter, so it rejects the Service`,
      `Unquote it: targetPort: ${Number(targetPort)}.`);
  } else if (typeof targetPort !== 'string') {
    at('target-port-invalid', site.field('targetPort'), `${site.which} has targetPort ${shown(targetPort)}, ${typeName(targetPort)}: a targetPort is a port number or a port name, so the API server rejects the manifest`, 'Use a container port number (unquoted) or the name of a container port.');
  } else if (!isIanaSvcName(targetPort)) {
    at('target-port-invalid', site.field('targetPort'), `${site.which} has targetPort '${targetPort}', which is not a valid port name (IANA_SVC_NAME: 1-15 characters of [a-z0-9-], at least one letter, no leading, trailing or double '-'); the API server rejects it`,
      "Use the name of a container port as declared in the pod template (for example 'http'), or a port number.");
  }
}

/** validateServicePort: a name is required when there is more than one port, a DNS-1123 label, and unique. */
function checkPortName(name: unknown, count: number, site: PortSite, names: Map<string, number> | undefined, i: number, at: At): void {
  const fix = 'Give every port of a multi-port Service a unique name: a DNS-1123 label such as http, https or metrics.';
  if (absent(name) || name === '') {
    if (count > 1) {
      at('service-port-name-invalid', site.field('name'), `has ${count} ports and ${site.which} has no name; the API server rejects it: with more than one port every port needs a unique name`, fix);
    }
    return;
  }
  if (typeof name !== 'string') {
    at('service-port-name-invalid', site.field('name'), `${site.which} has ${notAString('name', name)}`, `Quote it, or use a name with a letter such as port-${shown(name)}.`);
    return;
  }
  if (!isDns1123Label(name)) {
    at('service-port-name-invalid', site.field('name'), `${site.which} has name '${name}', which is not a valid port name (DNS-1123 label: at most 63 characters of [a-z0-9-], starting and ending alphanumeric); the API server rejects it`, fix);
  }
  const first = names?.get(name);
  if (first === undefined) {
    names?.set(name, i);
  } else {
    at('service-port-name-invalid', site.field('name'), `${site.which} has name '${name}', which spec.ports[${first}] already uses; the API server rejects it: port names are unique within a Service`, fix);
  }
}

/**
 * ValidateService forbids a nodePort on ClusterIP; the node port allocator (for NodePort and
 * LoadBalancer) rejects one outside --service-node-port-range. 0 asks the cluster to allocate one.
 */
function checkNodePort(nodePort: unknown, type: string | undefined, site: PortSite, rangeOf: () => { min: number; max: number }, at: At): void {
  if (absent(nodePort) || nodePort === 0) {
    return;
  }
  const range = rangeOf();
  if (!isInteger(nodePort)) {
    at('service-port-invalid', site.field('nodePort'), quotedInteger(nodePort)
      ? `${site.which} has nodePort ${shown(nodePort)}, a quoted number: nodePort is an integer field, so the API server cannot decode the string and rejects the manifest`
      : `${site.which} has nodePort ${shown(nodePort)}, which is not an integer; the API server rejects the manifest`,
    quotedInteger(nodePort) ? `Unquote it: nodePort: ${Number(nodePort)}.` : `Use an integer in ${range.min}-${range.max}, or omit nodePort.`);
    return;
  }
  if (type === 'ClusterIP') {
    at('node-port-not-allowed', site.field('nodePort'), `is a ClusterIP Service, but ${site.which} sets nodePort ${nodePort}; the API server rejects it (nodePort may not be used when type is 'ClusterIP')`, 'Remove nodePort, or make the Service type NodePort or LoadBalancer.');
  } else if ((type === 'NodePort' || type === 'LoadBalancer') && (nodePort < range.min || nodePort > range.max)) {
    at('node-port-out-of-range', site.field('nodePort'), `${site.which} has nodePort ${nodePort}, outside the node port range ${range.min}-${range.max}; the API server rejects it when it is created (provided port is not in the valid range; --dry-run=server does not catch it)`,
      `Pick a nodePort in ${range.min}-${range.max}, or omit it (or set 0) to let the cluster allocate one.`);
  }
}

/** ValidateService's ExternalName case: a CNAME target, no cluster IP, no IP families. */
function checkExternalName(spec: Record<string, unknown>, clusterIPs: readonly unknown[], at: At): void {
  const externalName = spec.externalName;
  const fix = 'Set externalName to the DNS name the Service is an alias for, such as db.example.com (a trailing dot is accepted).';
  if (absent(externalName) || externalName === '' || externalName === '.') {
    at('externalname-invalid', 'spec.externalName', 'is an ExternalName Service without externalName; the API server rejects it (spec.externalName: Required value)', fix);
  } else if (typeof externalName !== 'string') {
    at('externalname-invalid', 'spec.externalName', `has ${notAString('externalName', externalName)}`, fix);
  } else {
    // the value (a CNAME) may have a trailing dot to denote it as fully qualified
    const cname = externalName.endsWith('.') ? externalName.slice(0, -1) : externalName;
    const ipFix = 'Use a DNS name; to reach a fixed IP address, use a Service without selector and an EndpointSlice (or Endpoints) with that address.';
    // one predicate with ExternalNameService, the shorthand and WordPressStack: an IP the API server accepts
    if (isIPExternalName(externalName) && isDns1123Subdomain(cname)) {
      at('externalname-invalid', 'spec.externalName', `has externalName '${externalName}', an IP address: an ExternalName Service is a DNS CNAME, and IP addresses in externalName are not resolved (Kubernetes documentation). The API server accepts it, but clients of the Service reach nothing: their traffic is silently lost`, ipFix);
    } else if (!isDns1123Subdomain(cname)) {
      at('externalname-invalid', 'spec.externalName', isIPSloppy(cname)
        ? `has externalName '${externalName}', an IPv6 address: an ExternalName Service is a DNS CNAME and needs a DNS name; the API server rejects it`
        : `has externalName '${externalName}', which is not a lowercase RFC 1123 subdomain (at most 253 characters, dot-separated labels of [a-z0-9-]); the API server rejects it`,
      isIPSloppy(cname) ? ipFix : fix);
    } else {
      // accepted (IsDNS1123Subdomain has no per-label limit), but DNS carries labels of at most 63 octets
      const long = longDnsLabel(cname);
      if (long !== undefined) {
        at('externalname-invalid', 'spec.externalName', `has externalName '${externalName}', whose label '${long}' has ${long.length} characters: a DNS label has at most 63, so cluster DNS cannot answer with the CNAME. The API server accepts it, but clients of the Service reach nothing: their traffic is silently lost`, fix);
      }
    }
  }
  const set = (value: unknown) => !absent(value) && value !== '' && !(Array.isArray(value) && value.length === 0);
  if (set(spec.clusterIP) || clusterIPs.length > 0) {
    const value = set(spec.clusterIP) ? spec.clusterIP : clusterIPs;
    at('externalname-invalid', set(spec.clusterIP) ? 'spec.clusterIP' : 'spec.clusterIPs', `is an ExternalName Service with clusterIP ${shown(value)}; an ExternalName Service has no cluster IP, and the API server rejects it (spec.clusterIPs may not be set for ExternalName services)`, 'Remove clusterIP (and clusterIPs).');
  }
  for (const field of ['ipFamilies', 'ipFamilyPolicy']) {
    if (set(spec[field])) {
      at('externalname-invalid', `spec.${field}`, `is an ExternalName Service with ${field} ${shown(spec[field])}; the API server rejects it (may not be set for ExternalName services)`, `Remove ${field}.`);
    }
  }
}

/** ValidateService (headless only on ClusterIP) and ValidateServiceClusterIPsRelatedFields. */
function checkClusterIP(spec: Record<string, unknown>, type: string, clusterIPs: readonly unknown[], at: At): void {
  const clusterIP = spec.clusterIP;
  if (!absent(clusterIP) && typeof clusterIP !== 'string') {
    at('cluster-ip-invalid', 'spec.clusterIP', `has ${notAString('clusterIP', clusterIP)}`, 'Write the IP address as a string, None for a headless Service, or omit clusterIP.');
    return;
  }
  const given = typeof clusterIP === 'string' && clusterIP !== '';
  // the API server copies clusterIP into an empty clusterIPs; given both, the first must match
  const ips: readonly unknown[] = given && clusterIPs.length === 0 ? [clusterIP] : clusterIPs;
  if (ips.length === 1 && ips[0] === 'None' && (type === 'NodePort' || type === 'LoadBalancer')) {
    at('cluster-ip-invalid', given ? 'spec.clusterIP' : 'spec.clusterIPs', `is a ${type} Service with clusterIP: None; only a ClusterIP Service can be headless, and the API server rejects it (may not be set to 'None' for ${type} services)`,
      'Remove clusterIP: None, or make the Service type ClusterIP (a headless Service).');
    return;
  }
  if (given && clusterIPs.length > 0 && clusterIPs[0] !== clusterIP) {
    at('cluster-ip-invalid', 'spec.clusterIPs', `has clusterIPs ${shown(clusterIPs)}, whose first value is not clusterIP '${clusterIP}'; the API server rejects it`, 'Make clusterIPs[0] equal to clusterIP, or remove clusterIPs.');
    return;
  }
  if (!given && clusterIPs.length > 0) {
    at('cluster-ip-invalid', 'spec.clusterIPs', `has clusterIPs ${shown(clusterIPs)} but no clusterIP; the API server rejects it (clusterIPs must be empty when clusterIP is not set)`, `Set clusterIP to ${shown(clusterIPs[0])} too, or remove clusterIPs.`);
    return;
  }
  for (let i = 0; i < ips.length; i++) {
    const ip = ips[i];
    if (!(i === 0 && ip === 'None') && !(typeof ip === 'string' && isIPSloppy(ip))) {
      at('cluster-ip-invalid', clusterIPs.length > 0 ? `spec.clusterIPs[${i}]` : 'spec.clusterIP', `has clusterIP ${shown(ip)}, which is neither an IP address nor None; the API server rejects it`,
        'Use an IP address of the service CIDR, None for a headless ClusterIP Service, or omit clusterIP to let the cluster allocate one.');
    }
  }
}

/**
 * validateServiceExternalTrafficPolicy as of 1.27 (externalTrafficPolicy only when type is
 * NodePort or LoadBalancer; 1.28 also allows it on a ClusterIP Service with externalIPs),
 * validateServiceInternalTrafficFieldsValue, and healthCheckNodePort (apiservice.NeedsHealthCheck).
 */
function checkTrafficPolicies(spec: Record<string, unknown>, type: string, at: At): void {
  const external = spec.externalTrafficPolicy;
  const exposed = type === 'NodePort' || type === 'LoadBalancer';
  if (!absent(external) && external !== '') {
    if (!exposed) {
      at('traffic-policy-invalid', 'spec.externalTrafficPolicy', `is a ${type} Service with externalTrafficPolicy ${shown(external)}; the API server (1.27) rejects it: externalTrafficPolicy may only be set when type is NodePort or LoadBalancer`,
        'Remove externalTrafficPolicy, or make the Service type NodePort or LoadBalancer.');
    } else if (typeof external !== 'string' || !POLICIES.includes(external)) {
      at('traffic-policy-invalid', 'spec.externalTrafficPolicy', `has externalTrafficPolicy ${shown(external)}; the API server accepts only Cluster and Local (case-sensitive)`, 'Use externalTrafficPolicy Cluster or Local, or omit it for Cluster.');
    }
  }
  const internal = spec.internalTrafficPolicy;
  if (!absent(internal) && (typeof internal !== 'string' || !POLICIES.includes(internal))) {
    at('traffic-policy-invalid', 'spec.internalTrafficPolicy', `has internalTrafficPolicy ${shown(internal)}; the API server accepts only Cluster and Local (case-sensitive)`, 'Use internalTrafficPolicy Cluster or Local, or omit it for Cluster.');
  }
  const healthCheck = spec.healthCheckNodePort;
  if (!absent(healthCheck) && healthCheck !== 0 && !(type === 'LoadBalancer' && external === 'Local')) {
    at('traffic-policy-invalid', 'spec.healthCheckNodePort', `sets healthCheckNodePort ${shown(healthCheck)}, but only a LoadBalancer Service with externalTrafficPolicy: Local has one; the API server rejects it`, 'Remove healthCheckNodePort, or set type LoadBalancer and externalTrafficPolicy Local.');
  }
}

/** ValidateService's source ranges (field or annotation), allocateLoadBalancerNodePorts, validateLoadBalancerClassField. */
function checkLoadBalancerFields(metadata: Record<string, unknown>, spec: Record<string, unknown>, type: string, at: At): void {
  const balanced = type === 'LoadBalancer';
  const ranges = Array.isArray(spec.loadBalancerSourceRanges) ? spec.loadBalancerSourceRanges : EMPTY;
  const annotations = isObject(metadata.annotations) ? metadata.annotations : NO_ANNOTATIONS;
  if (ranges.length > 0) {
    if (!balanced) {
      notOnLoadBalancer(type, 'spec.loadBalancerSourceRanges', 'loadBalancerSourceRanges', undefined, at);
    }
    ranges.forEach((range, i) => {
      // space-padded values are accepted (a historical accident of the annotation)
      if (typeof range !== 'string' || !isCidrSloppy(range.trim())) {
        at('load-balancer-field-invalid', `spec.loadBalancerSourceRanges[${i}]`, `has loadBalancerSourceRanges entry ${shown(range)}, which is not a CIDR; the API server rejects it`, 'Use IPv4 or IPv6 CIDR blocks such as 203.0.113.0/24.');
      }
    });
  } else if (SOURCE_RANGES_ANNOTATION in annotations) {
    const field = `metadata.annotations['${SOURCE_RANGES_ANNOTATION}']`;
    const value = annotations[SOURCE_RANGES_ANNOTATION];
    if (!balanced) {
      notOnLoadBalancer(type, field, `the annotation ${SOURCE_RANGES_ANNOTATION}`, undefined, at);
    }
    const text = typeof value === 'string' ? value.trim() : '';
    const bad = typeof value !== 'string' ? [shown(value)] : text === '' ? [] : text.split(',').map(v => v.trim()).filter(v => !isCidrSloppy(v)).map(v => `'${v}'`);
    if (bad.length > 0) {
      at('load-balancer-field-invalid', field, `has ${bad.join(', ')} in annotation ${SOURCE_RANGES_ANNOTATION}, which is not a CIDR; the API server rejects it`, 'Give a comma-separated list of CIDR blocks such as 203.0.113.0/24,198.51.100.0/24.');
    }
  }
  const lbClass = spec.loadBalancerClass;
  if (!absent(lbClass)) {
    if (!balanced) {
      notOnLoadBalancer(type, 'spec.loadBalancerClass', 'loadBalancerClass', lbClass, at);
    } else if (typeof lbClass !== 'string' || !isQualifiedName(lbClass)) {
      at('load-balancer-field-invalid', 'spec.loadBalancerClass', `has loadBalancerClass ${shown(lbClass)}, which is not a label-style name; the API server rejects it`, 'Use an optional DNS prefix and a name, such as example.com/internal-vip.');
    }
  }
  if (!absent(spec.allocateLoadBalancerNodePorts) && !balanced) {
    notOnLoadBalancer(type, 'spec.allocateLoadBalancerNodePorts', 'allocateLoadBalancerNodePorts', spec.allocateLoadBalancerNodePorts, at);
  }
}

/** A field only a LoadBalancer Service may set, on a Service of type `type`. */
function notOnLoadBalancer(type: string, field: string, name: string, value: unknown, at: At): void {
  at('load-balancer-field-invalid', field,
    `is a ${type} Service with ${name}${value === undefined ? '' : ` ${shown(value)}`}; the API server rejects it (may only be used when type is 'LoadBalancer')`, `Remove ${name}, or make the Service type LoadBalancer.`);
}

/** unversionedvalidation.ValidateLabels over spec.selector (a map of strings). */
function checkSelector(selector: unknown, at: At): void {
  if (!isObject(selector)) {
    return;
  }
  for (const key in selector) {
    if (!Object.prototype.hasOwnProperty.call(selector, key)) {
      continue;
    }
    const value = selector[key];
    if (!isQualifiedName(key)) {
      at('service-selector-invalid', `spec.selector['${key}']`, `selects by key '${key}', which is not a valid label key (an optional DNS prefix and '/', then at most 63 characters of [A-Za-z0-9-_.], starting and ending alphanumeric); the API server rejects it`,
        'Use the label key of the pod template, such as app or app.kubernetes.io/name.');
    }
    if (value === null) {
      continue; // decoded as ''
    }
    if (typeof value !== 'string') {
      at('service-selector-invalid', `spec.selector['${key}']`, `selector ${key}=${shown(value)} has ${typeName(value)} value: selector values are strings, and the API server cannot decode ${typeName(value)} and rejects the manifest`,
        `Quote the value: ${key}: "${String(value)}".`);
    } else if (!isLabelValue(value)) {
      at('service-selector-invalid', `spec.selector['${key}']`, `selector ${key}=${value} has an invalid label value (at most 63 characters of [A-Za-z0-9-_.], starting and ending alphanumeric, or empty); the API server rejects it`,
        'Use the label value of the pod template.');
    }
  }
}

/** SetDefaults_Service (sessionAffinity None, a ClientIP timeout of 10800 s) and validateClientIPAffinityConfig. */
function checkSessionAffinity(spec: Record<string, unknown>, at: At): void {
  const affinity = spec.sessionAffinity;
  if (!absent(affinity) && affinity !== '' && affinity !== 'None' && affinity !== 'ClientIP') {
    at('session-affinity-invalid', 'spec.sessionAffinity', `has sessionAffinity ${shown(affinity)}; the API server accepts only ClientIP and None (case-sensitive)`, 'Use sessionAffinity ClientIP or None, or omit it for None.');
    return;
  }
  if (affinity !== 'ClientIP') {
    return;
  }
  const config = spec.sessionAffinityConfig;
  const clientIP = isObject(config) ? config.clientIP : undefined;
  const timeout = isObject(clientIP) ? clientIP.timeoutSeconds : undefined;
  if (!absent(timeout) && (!isInteger(timeout) || timeout <= 0 || timeout > MAX_AFFINITY_SECONDS)) {
    at('session-affinity-invalid', 'spec.sessionAffinityConfig.clientIP.timeoutSeconds', `has ClientIP affinity timeoutSeconds ${shown(timeout)}; the API server accepts an integer in 1-${MAX_AFFINITY_SECONDS} (one day)`,
      `Use a timeoutSeconds of 1-${MAX_AFFINITY_SECONDS}, or omit it for 10800 (three hours).`);
  }
}
