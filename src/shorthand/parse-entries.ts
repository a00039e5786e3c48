import * as kplus from 'cdk8s-plus-27';
import { externalNameProblem, isIanaSvcName, isPortNumber, MAX_PORT, MIN_PORT } from '../services/kubernetes-names';
import { NodePortMapping, NodePortRange } from '../services/port-mapping';
import { quote } from '../services/quote';
import { ServiceKind } from '../services/service-kind';
import { DEFAULT_NODE_PORT_RANGE, nodePortProblem } from '../services/spec-fields';
import { ServiceDescription } from './service-description';

// The k8sailor port shorthand, parsed without any construct: entries in, a ServiceDescription out,
// or an Error that quotes the offending entry and shows the forms.

const FORMS = '(forms: 80, 80:8080, 80:http, #80:80, # alone, !80:8080, !30080:80:8080, ^80:8080, ^30080:80:8080, @db.example.com; '
  + 'a port form may end in /tcp, /udp or /sctp)';

const PREFIX_KINDS = new Map<string, ServiceKind>([
  ['', ServiceKind.CLUSTER_IP],
  ['#', ServiceKind.HEADLESS],
  ['!', ServiceKind.NODE_PORT],
  ['^', ServiceKind.LOAD_BALANCER],
  ['@', ServiceKind.EXTERNAL_NAME],
]);

const PROTOCOLS = new Map<string, kplus.Protocol>([
  ['tcp', kplus.Protocol.TCP],
  ['udp', kplus.Protocol.UDP],
  ['sctp', kplus.Protocol.SCTP],
]);

const NUMBER_RULE = `write a whole number in ${MIN_PORT}-${MAX_PORT} without sign, spaces or leading zeros`;

/** One entry, parsed on its own. */
interface Entry {
  readonly text: string;
  readonly kind: ServiceKind;
  /** The port; none for ExternalName and for a lone `#` (headless without ports). */
  readonly port?: NodePortMapping;
  /** The port's name as kubectl gives it: the port and targetPort as written, `:` made `-`. */
  readonly portName?: string;
  readonly externalName?: string;
}

/** What is wrong with the entries, without the subject; parseEntries adds it. */
class EntryProblem extends Error {}

function problem(message: string): EntryProblem {
  return new EntryProblem(message);
}

/**
 * An Error in the library's one style, from the shorthand: `<subject>: <message> (forms: ...)`.
 */
export function shorthandError(subject: string, message: string): Error {
  return new Error(`${subject}: ${message} ${FORMS}`);
}

/**
 * Parse the entries of one Service. Throws an Error quoting the offending entry (or both entries,
 * when two entries do not fit together), after `subject`: `ServiceShorthand`, or where the
 * entries were given, such as `ServiceShorthand 'app/web'` or `ExposedDeployment 'app/Web': services[0]`.
 */
export function parseEntries(entries: string[], range: NodePortRange = DEFAULT_NODE_PORT_RANGE, subject: string = 'ServiceShorthand'): ServiceDescription {
  const key = parsedKey(entries, range);
  let description = key === undefined ? undefined : PARSED.get(key);
  if (description === undefined) {
    try {
      description = describeEntries(entries, range);
    } catch (error) {
      if (error instanceof EntryProblem) {
        throw shorthandError(subject, error.message);
      }
      throw error;
    }
    if (key !== undefined) {
      if (PARSED.size >= MAX_PARSED) {
        PARSED.clear();
      }
      PARSED.set(key, description);
    }
  }
  // each caller gets its own copy: a description is public data its holder may change
  return {
    kind: description.kind,
    ports: description.ports.map(port => ({ ...port })),
    ...(description.externalName !== undefined ? { externalName: description.externalName } : {}),
  };
}

/**
 * The descriptions of entry lists parsed before (entries that parse), by `parsedKey`: an app
 * gives the same few lists (`['80:8080']`) to many Services. Cleared when full, so it stays small.
 */
const PARSED = new Map<string, ServiceDescription>();
const MAX_PARSED = 500;

/** The key of a list of string entries and a numeric range in PARSED; undefined for anything else (parsed every time). */
function parsedKey(entries: unknown, range: NodePortRange): string | undefined {
  if (!Array.isArray(entries) || !entries.every(entry => typeof entry === 'string') || typeof range.min !== 'number' || typeof range.max !== 'number') {
    return undefined;
  }
  return `${range.min}-${range.max} ${JSON.stringify(entries)}`;
}

function describeEntries(entries: string[], range: NodePortRange): ServiceDescription {
  if (!Array.isArray(entries) || entries.length === 0) {
    throw problem('no entries; give at least one, one per port, such as 80:8080');
  }
  const parsed = entries.map(entry => parseEntry(entry, range));

  const external = parsed.find(entry => entry.kind === ServiceKind.EXTERNAL_NAME);
  if (external !== undefined && parsed.length > 1) {
    const other = parsed.find(entry => entry !== external)!;
    throw problem(`entry ${quote(external.text)} (ExternalName) cannot be combined with ${quote(other.text)}; an ExternalName Service is only a DNS alias, so give its @ entry alone`);
  }
  const portless = parsed.find(entry => entry.kind === ServiceKind.HEADLESS && entry.port === undefined);
  if (portless !== undefined && parsed.length > 1) {
    const other = parsed.find(entry => entry !== portless)!;
    throw problem(`entry '#' (headless, no ports) cannot be combined with ${quote(other.text)}; a lone # makes a headless Service without ports, so give it alone, or drop it and give the ports of a headless Service as #80:80`);
  }
  const first = parsed[0];
  const mixed = parsed.find(entry => entry.kind !== first.kind);
  if (mixed !== undefined) {
    throw problem(`entries ${quote(first.text)} (${first.kind}) and ${quote(mixed.text)} (${mixed.kind}) ask for different kinds of Service; give every entry of one Service the same prefix: none for ClusterIP, # headless, ! NodePort, ^ LoadBalancer`);
  }
  if (first.kind === ServiceKind.EXTERNAL_NAME) {
    return { kind: first.kind, ports: [], externalName: first.externalName };
  }
  if (portless !== undefined) {
    return { kind: first.kind, ports: [] };
  }

  const ports = parsed.map(entry => entry.port!);
  parsed.forEach((entry, i) => {
    for (let j = 0; j < i; j++) {
      const [a, b] = [ports[j], ports[i]];
      if (a.port === b.port && a.protocol === b.protocol) {
        throw problem(`entries ${quote(parsed[j].text)} and ${quote(entry.text)} both use port ${b.port}/${b.protocol}; a port number may appear twice only with different protocols (add /udp or /sctp to one)`);
      }
      if (b.nodePort !== undefined && a.nodePort === b.nodePort && a.protocol === b.protocol) {
        throw problem(`entries ${quote(parsed[j].text)} and ${quote(entry.text)} both use nodePort ${b.nodePort}/${b.protocol}; give each entry its own nodePort, or leave it out to let the cluster allocate one`);
      }
    }
  });

  const names = portNames(parsed);
  names.forEach((name, i) => {
    const j = names.indexOf(name);
    if (j < i) {
      throw problem(`entries ${quote(parsed[j].text)} and ${quote(parsed[i].text)} both get the port name '${name}'; port names must be unique within a Service, so change the targetPort of one`);
    }
  });
  return { kind: first.kind, ports: ports.map((port, i) => ({ name: names[i], ...port })) };
}

/**
 * The names kubectl gives: `80` for an entry 80, `80-8080` for 80:8080 (kubectl's
 * `createService`: `portName := strings.Replace(tcpString, ":", "-", -1)`), plus `-udp` or
 * `-sctp` on the non-TCP ports whose name would otherwise be shared.
 */
function portNames(entries: Entry[]): string[] {
  const base = entries.map(entry => entry.portName!);
  return entries.map((entry, i) => {
    const shared = base.some((name, j) => j !== i && name === base[i]);
    const protocol = entry.port!.protocol!;
    return shared && protocol !== kplus.Protocol.TCP ? `${base[i]}-${protocol.toLowerCase()}` : base[i];
  });
}

function parseEntry(text: string, range: NodePortRange): Entry {
  if (typeof text !== 'string') {
    const shown = String(text);
    throw problem(`entry ${shown.length > 100 ? quote(shown) : shown} is not a string; give each entry as a string such as '80:8080'`);
  }
  if (text === '') {
    throw problem(`entry '' is empty; give a port such as 80:8080`);
  }
  if (text === '#') {
    // a headless Service without ports, as kubectl create service clusterip <name> --clusterip=None
    return { text, kind: ServiceKind.HEADLESS };
  }
  const prefix = /^[#!^@]*/.exec(text)![0];
  const kind = PREFIX_KINDS.get(prefix);
  if (kind === undefined) {
    throw problem(`entry ${quote(text)} starts with ${quote(prefix)}, but # (headless), ! (NodePort), ^ (LoadBalancer) and @ (ExternalName) exclude each other; start an entry with at most one of them`);
  }
  const body = text.slice(prefix.length);

  if (kind === ServiceKind.EXTERNAL_NAME) {
    const hostProblem = externalNameProblem(body);
    if (hostProblem !== undefined) {
      throw problem(`entry ${quote(text)} has externalName ${quote(body)}, which ${hostProblem}`);
    }
    return { text, kind, externalName: body };
  }

  const slash = body.indexOf('/');
  const protocol = slash < 0 ? kplus.Protocol.TCP : PROTOCOLS.get(body.slice(slash + 1));
  if (protocol === undefined) {
    throw problem(`entry ${quote(text)} has protocol ${quote(body.slice(slash + 1))}; end a port entry with /tcp, /udp or /sctp, or with nothing for TCP`);
  }
  const parts = (slash < 0 ? body : body.slice(0, slash)).split(':');
  if (parts.length > 3) {
    throw problem(`entry ${quote(text)} has ${parts.length} ':'-separated parts; write port, port:targetPort or, after ! or ^, nodePort:port:targetPort`);
  }
  if (parts.length === 3 && kind !== ServiceKind.NODE_PORT && kind !== ServiceKind.LOAD_BALANCER) {
    throw problem(`entry ${quote(text)} gives a nodePort (nodePort:port:targetPort), but a ${kind} Service has no node ports; start the entry with ! (NodePort) or ^ (LoadBalancer), or write port:targetPort`);
  }
  const [nodePortText, portText, targetText] = parts.length === 3 ? parts : [undefined, parts[0], parts[1]];
  const port = portNumber(text, 'port', portText);
  const target = targetText === undefined ? { targetPort: port } : targetPortOf(text, targetText);
  const nodePort = nodePortText === undefined ? undefined : portNumber(text, 'nodePort', nodePortText);
  if (nodePort !== undefined && nodePortProblem(nodePort, range) !== undefined) {
    throw problem(`entry ${quote(text)} has nodePort ${nodePort}, which is outside ${range.min}-${range.max}; pick a nodePort in that range, or leave it out (${prefix}port:targetPort) to let the cluster allocate one`);
  }
  const portName = targetText === undefined ? portText : `${portText}-${targetText}`;
  return { text, kind, portName, port: { port, ...target, ...(nodePort === undefined ? {} : { nodePort }), protocol } };
}

function portNumber(entry: string, field: string, value: string): number {
  if (/^[1-9][0-9]*$/.test(value) && isPortNumber(Number(value))) {
    return Number(value);
  }
  if (value === '') {
    throw problem(`entry ${quote(entry)} has an empty ${field}; ${NUMBER_RULE}`);
  }
  throw problem(`entry ${quote(entry)} has ${field} ${quote(value)}, which is not a port number; ${NUMBER_RULE}`);
}

function targetPortOf(entry: string, value: string): { targetPort?: number; targetPortName?: string } {
  if (value === '' || /^[0-9]+$/.test(value)) {
    return { targetPort: portNumber(entry, 'targetPort', value) };
  }
  if (!isIanaSvcName(value)) {
    throw problem(`entry ${quote(entry)} has targetPort ${quote(value)}, which is neither a port number nor a port name; ${NUMBER_RULE}, or a container port name such as http (1-15 characters of [a-z0-9-] with a letter and no leading, trailing or double '-')`);
  }
  return { targetPortName: value };
}
