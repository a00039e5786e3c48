import * as kplus from 'cdk8s-plus-27';
import { DnsNameOptions } from './discovery';
import { isDns1123Subdomain } from './kubernetes-names';

// Service discovery as data: DNS and kubelet environment variable names from a Service's name,
// namespace and ports. Internal helpers of TypedService, reused by the validation rules.

/** The cluster domain of a cluster that keeps the kubelet's default. */
const DEFAULT_CLUSTER_DOMAIN = 'cluster.local';

/**
 * What is wrong with a cluster domain, or undefined when it is a lowercase RFC 1123 subdomain.
 */
export function clusterDomainProblem(domain: string): string | undefined {
  return isDns1123Subdomain(domain)
    ? undefined
    : `clusterDomain '${domain}' is not a valid DNS domain; use a lowercase RFC 1123 subdomain such as cluster.local`;
}

/**
 * The cluster domain of `options`, checked.
 */
export function clusterDomainOf(options: DnsNameOptions): string {
  const domain = options.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN;
  const problem = clusterDomainProblem(domain);
  if (problem !== undefined) {
    throw new Error(problem);
  }
  return domain;
}

/**
 * The prefix of the kubelet's environment variables for a Service: the name upper-cased, `-` as `_`.
 */
function envVarPrefix(name: string): string {
  return name.toUpperCase().replace(/-/g, '_');
}

/**
 * The names of the environment variables the kubelet injects for a Service that has a cluster IP.
 * @internal
 */
export function kubeletEnvVarNames(serviceName: string, ports: { port: number; name?: string; protocol?: kplus.Protocol }[]): string[] {
  if (ports.length === 0) {
    return [];
  }
  const prefix = envVarPrefix(serviceName);
  const names = [`${prefix}_SERVICE_HOST`, `${prefix}_SERVICE_PORT`];
  for (const port of ports) {
    if (port.name !== undefined) {
      names.push(`${prefix}_SERVICE_PORT_${envVarPrefix(port.name)}`);
    }
  }
  names.push(`${prefix}_PORT`);
  for (const port of ports) {
    const portPrefix = `${prefix}_PORT_${port.port}_${port.protocol ?? kplus.Protocol.TCP}`;
    names.push(portPrefix, `${portPrefix}_PROTO`, `${portPrefix}_PORT`, `${portPrefix}_ADDR`);
  }
  return names;
}
