import * as net from 'net';

// Pure predicates for the Kubernetes name and number formats that Services use.
// Each one mirrors a validator of the Kubernetes API server (k8s.io/apimachinery/pkg/util/validation).

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const IANA_SVC_NAME_CHARS = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** The lowest and highest TCP/UDP/SCTP port numbers. */
export const MIN_PORT = 1;
export const MAX_PORT = 65535;

/** A DNS-1123 label: at most 63 lowercase alphanumerics or '-', starting and ending alphanumeric. */
export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

/** A DNS-1035 label (Service names): a DNS-1123 label that starts with a letter. */
export function isDns1035Label(value: string): boolean {
  return value.length <= 63 && DNS1035_LABEL.test(value);
}

/**
 * A DNS-1123 subdomain: at most 253 characters, dot-separated labels of [a-z0-9-] that start and
 * end alphanumeric. Like the API server, no limit on one label's length.
 */
// validation.IsDNS1123Subdomain: len(value) <= DNS1123SubdomainMaxLength && dns1123SubdomainRegexp.MatchString(value)
export function isDns1123Subdomain(value: string): boolean {
  return value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

/** An IANA_SVC_NAME (named ports): 1-15 of [a-z0-9-], a letter somewhere, no leading, trailing or double '-'. */
export function isIanaSvcName(value: string): boolean {
  return value.length >= 1
    && value.length <= 15
    && IANA_SVC_NAME_CHARS.test(value)
    && !value.includes('--')
    && /[a-z]/.test(value);
}

/** An integer in 1-65535. */
export function isPortNumber(value: number): boolean {
  return Number.isInteger(value) && value >= MIN_PORT && value <= MAX_PORT;
}

/** An IPv4 or IPv6 address (without an IPv6 zone such as `%eth0`, which Kubernetes rejects). */
export function isIP(value: string): boolean {
  return !value.includes('%') && net.isIP(value) !== 0;
}

/** A label value: empty, or at most 63 of [A-Za-z0-9-_.], starting and ending alphanumeric. */
export function isLabelValue(value: string): boolean {
  return value === '' || (value.length <= 63 && QUALIFIED_NAME_PART.test(value));
}

/** An IPv4 or IPv6 CIDR block such as `10.0.0.0/8` or `2001:db8::/32`. */
export function isCidr(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0) {
    return false;
  }
  const address = value.slice(0, slash);
  const bits = value.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits)) {
    return false;
  }
  const family = net.isIP(address);
  const max = family === 4 ? 32 : family === 6 ? 128 : -1;
  return max > 0 && Number(bits) <= max;
}

/**
 * The verdicts of `isQualifiedName` on names seen before: an app (or a lint input) repeats a few
 * label keys on every object. Cleared when full, so it stays small in a long-running process.
 */
const QUALIFIED_NAMES = new Map<string, boolean>();
const MAX_REMEMBERED_NAMES = 1000;

/** A label-style qualified name: an optional DNS-1123 subdomain prefix and '/', then a name of at most 63 characters. */
export function isQualifiedName(value: string): boolean {
  let verdict = QUALIFIED_NAMES.get(value);
  if (verdict === undefined) {
    verdict = qualifiedName(value);
    if (QUALIFIED_NAMES.size >= MAX_REMEMBERED_NAMES) {
      QUALIFIED_NAMES.clear();
    }
    QUALIFIED_NAMES.set(value, verdict);
  }
  return verdict;
}

function qualifiedName(value: string): boolean {
  const parts = value.split('/');
  if (parts.length > 2) {
    return false;
  }
  const name = parts[parts.length - 1];
  if (name.length > 63 || !QUALIFIED_NAME_PART.test(name)) {
    return false;
  }
  return parts.length === 1 || isDns1123Subdomain(parts[0]);
}

/**
 * What is wrong with an ExternalName Service's `externalName` (the text after the value, e.g.
 * `is an IP address; ...`), or undefined when it is fine. The one rule for ExternalNameService, the
 * shorthand (and so the CLI) and WordPressStack's external database.
 *
 * The API server takes a lowercase RFC 1123 subdomain, trailing dot allowed (validation.go,
 * ValidateService: `cname := strings.TrimSuffix(service.Spec.ExternalName, ".")` then
 * `ValidateDNS1123Subdomain(cname, ...)`), and so accepts `10.0.0.1`; but the Service is a DNS CNAME,
 * and cluster DNS does not resolve names that look like IPv4 addresses. IPv6 literals (also in
 * `[...]` or with a zone) are named as IPs too, although the API server refuses them anyway.
 * @see https://kubernetes.io/docs/concepts/services-networking/service/#externalname
 * @internal
 */
export function externalNameProblem(externalName: string): string | undefined {
  const name = externalName.endsWith('.') ? externalName.slice(0, -1) : externalName;
  if (isIPExternalName(externalName)) {
    return 'is an IP address; an ExternalName Service is a DNS CNAME, and cluster DNS does not resolve a name that looks like an IP address, so give a DNS name such as db.example.com (for a fixed IP, use a Service without a selector and an EndpointSlice)';
  }
  if (!isDns1123Subdomain(name)) {
    return 'is not a valid DNS name; use a lowercase RFC 1123 subdomain such as db.example.com (labels of [a-z0-9-], at most 253 characters)';
  }
  const long = longDnsLabel(name);
  if (long !== undefined) {
    return `is not a valid DNS name: its label '${long}' has ${long.length} characters, and a DNS label has at most 63, so cluster DNS cannot answer with it (the API server accepts it, but the Service's traffic is silently lost); use a DNS name with labels of 1-63 characters`;
  }
  return undefined;
}

/**
 * The first label of a DNS name longer than the 63 octets DNS can carry (RFC 1035 2.3.4), or
 * undefined. The API server does not check it (IsDNS1123Subdomain has no per-label limit).
 * @internal
 */
export function longDnsLabel(name: string): string | undefined {
  return name.length <= 63 ? undefined : name.split('.').find(label => label.length > 63);
}

/**
 * Whether an ExternalName Service's `externalName` is an IP address (IPv4 or IPv6, with a trailing
 * dot, in `[...]` or with a zone), which cluster DNS does not resolve. See `externalNameProblem()`.
 * @internal
 */
export function isIPExternalName(externalName: string): boolean {
  const name = externalName.endsWith('.') ? externalName.slice(0, -1) : externalName;
  const unbracketed = name.startsWith('[') && name.endsWith(']') ? name.slice(1, -1) : name;
  return isIPv4Sloppy(unbracketed) || net.isIP(unbracketed) !== 0 || net.isIP(unbracketed.split('%')[0]) !== 0;
}

/**
 * An IPv4 address as Kubernetes parses it (`netutils.ParseIPSloppy`: leading zeros allowed, `010.0.0.1`).
 * @internal
 */
export function isIPv4Sloppy(value: string): boolean {
  const parts = value.split('.');
  return parts.length === 4 && parts.every(part => /^[0-9]+$/.test(part) && Number(part) <= 255);
}

/**
 * An IPv4 or IPv6 address as Kubernetes parses it (`netutils.ParseIPSloppy`), without an IPv6 zone.
 * @internal
 */
export function isIPSloppy(value: string): boolean {
  return isIPv4Sloppy(value) || (!value.includes('%') && net.isIPv6(value));
}

/**
 * A CIDR block as Kubernetes parses it (`netutils.ParseCIDRSloppy`: leading zeros allowed).
 * @internal
 */
export function isCidrSloppy(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0 || !/^[0-9]+$/.test(value.slice(slash + 1))) {
    return false;
  }
  const address = value.slice(0, slash);
  const max = isIPv4Sloppy(address) ? 32 : !address.includes('%') && net.isIPv6(address) ? 128 : -1;
  return max > 0 && Number(value.slice(slash + 1)) <= max;
}
