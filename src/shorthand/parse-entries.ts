import * as kplus from 'cdk8s-plus-27';
import { externalNameProblem, isIanaSvcName, isPortNumber, MAX_PORT, MIN_PORT } from '../services/kubernetes-names';
import { NodePortMapping, NodePortRange } from '../services/port-mapping';
import { ServiceKind } from '../services/service-kind';
import { DEFAULT_NODE_PORT_RANGE, nodePortProblem } from '../services/spec-fields';
import { ServiceDescription } from './service-description';

// The k8sailor port shorthand, parsed without any construct: entries in, a ServiceDescription out,
// or an Error that quotes the offending entry and shows the forms.

const FORMS = '(forms: 80, 80:8080, 80:http, #80:80, !80:8080, !30080:80:8080, ^80:8080, ^30080:80:8080, @db.example.com; '
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
  readonly port?: NodePortMapping;
  readonly externalName?: string;
}

/**
 * An Error in the library's one style, from the shorthand.
 */
export function shorthandError(message: string): Error {
  return new Error(`ServiceShorthand: ${message} ${FORMS}`);
}

/**
 * Parse the entries of one Service. Throws an Error quoting the offending entry (or both entries,
 * when two entries do not fit together).
 */
export function parseEntries(entries: string[], range: NodePortRange = DEFAULT_NODE_PORT_RANGE): ServiceDescription {
  if (!Array.isArray(entries) || entries.length === 0) {
    throw shorthandError('no entries; give at least one, one per port, such as 80:8080');
  }
  const parsed = entries.map(entry => parseEntry(entry, range));

  const external = parsed.find(entry => entry.kind === ServiceKind.EXTERNAL_NAME);
  if (external !== undefined && parsed.length > 1) {
    const other = parsed.find(entry => entry !== external)!;
    throw shorthandError(`entry '${external.text}' (ExternalName) cannot be combined with '${other.text}'; an ExternalName Service is only a DNS alias, so give its @ entry alone`);
  }
  const first = parsed[0];
  const mixed = parsed.find(entry => entry.kind !== first.kind);
  if (mixed !== undefined) {
    throw shorthandError(`entries '${first.text}' (${first.kind}) and '${mixed.text}' (${mixed.kind}) ask for different kinds of Service; give every entry of one Service the same prefix: none for ClusterIP, # headless, ! NodePort, ^ LoadBalancer`);
  }
  if (first.kind === ServiceKind.EXTERNAL_NAME) {
    return { kind: first.kind, ports: [], externalName: first.externalName };
  }

  const ports = parsed.map(entry => entry.port!);
  parsed.forEach((entry, i) => {
    for (let j = 0; j < i; j++) {
      const [a, b] = [ports[j], ports[i]];
      if (a.port === b.port && a.protocol === b.protocol) {
        throw shorthandError(`entries '${parsed[j].text}' and '${entry.text}' both use port ${b.port}/${b.protocol}; a port number may appear twice only with different protocols (add /udp or /sctp to one)`);
      }
      if (b.nodePort !== undefined && a.nodePort === b.nodePort && a.protocol === b.protocol) {
        throw shorthandError(`entries '${parsed[j].text}' and '${entry.text}' both use nodePort ${b.nodePort}/${b.protocol}; give each entry its own nodePort, or leave it out to let the cluster allocate one`);
      }
    }
  });

  const names = portNames(ports);
  names.forEach((name, i) => {
    const j = names.indexOf(name);
    if (j < i) {
      throw shorthandError(`entries '${parsed[j].text}' and '${parsed[i].text}' both get the port name '${name}'; port names must be unique within a Service, so change the targetPort of one`);
    }
  });
  return { kind: first.kind, ports: ports.map((port, i) => ({ name: names[i], ...port })) };
}

/**
 * `<port>-<targetPort>`, as kubectl and k8sailor name ports, plus `-udp` or `-sctp` on the
 * non-TCP ports whose name would otherwise be shared.
 */
function portNames(ports: NodePortMapping[]): string[] {
  const base = ports.map(port => `${port.port}-${port.targetPortName ?? port.targetPort}`);
  return ports.map((port, i) => {
    const shared = base.some((name, j) => j !== i && name === base[i]);
    return shared && port.protocol !== kplus.Protocol.TCP ? `${base[i]}-${port.protocol!.toLowerCase()}` : base[i];
  });
}

function parseEntry(text: string, range: NodePortRange): Entry {
  if (typeof text !== 'string') {
    throw shorthandError(`entry ${String(text)} is not a string; give each entry as a string such as '80:8080'`);
  }
  if (text === '') {
    throw shorthandError(`entry '' is empty; give a port such as 80:8080`);
  }
  const prefix = /^[#!^@]*/.exec(text)![0];
  const kind = PREFIX_KINDS.get(prefix);
  if (kind === undefined) {
    throw shorthandError(`entry '${text}' starts with '${prefix}', but # (headless), ! (NodePort), ^ (LoadBalancer) and @ (ExternalName) exclude each other; start an entry with at most one of them`);
  }
  const body = text.slice(prefix.length);

  if (kind === ServiceKind.EXTERNAL_NAME) {
    const problem = externalNameProblem(body);
    if (problem !== undefined) {
      throw shorthandError(`entry '${text}' has externalName '${body}', which ${problem}`);
    }
    return { text, kind, externalName: body };
  }

  const slash = body.indexOf('/');
  const protocol = slash < 0 ? kplus.Protocol.TCP : PROTOCOLS.get(body.slice(slash + 1));
  if (protocol === undefined) {
    throw shorthandError(`entry '${text}' has protocol '${body.slice(slash + 1)}'; end a port entry with /tcp, /udp or /sctp, or with nothing for TCP`);
  }
  const parts = (slash < 0 ? body : body.slice(0, slash)).split(':');
  if (parts.length > 3) {
    throw shorthandError(`entry '${text}' has ${parts.length} ':'-separated parts; write port, port:targetPort or, after ! or ^, nodePort:port:targetPort`);
  }
  if (parts.length === 3 && kind !== ServiceKind.NODE_PORT && kind !== ServiceKind.LOAD_BALANCER) {
    throw shorthandError(`entry '${text}' gives a nodePort (nodePort:port:targetPort), but a ${kind} Service has no node ports; start the entry with ! (NodePort) or ^ (LoadBalancer), or write port:targetPort`);
  }
  const [nodePortText, portText, targetText] = parts.length === 3 ? parts : [undefined, parts[0], parts[1]];
  const port = portNumber(text, 'port', portText);
  const target = targetText === undefined ? { targetPort: port } : targetPortOf(text, targetText);
  const nodePort = nodePortText === undefined ? undefined : portNumber(text, 'nodePort', nodePortText);
  if (nodePort !== undefined && nodePortProblem(nodePort, range) !== undefined) {
    throw shorthandError(`entry '${text}' has nodePort ${nodePort}, which is outside ${range.min}-${range.max}; pick a nodePort in that range, or leave it out (${prefix}port:targetPort) to let the cluster allocate one`);
  }
  return { text, kind, port: { port, ...target, ...(nodePort === undefined ? {} : { nodePort }), protocol } };
}

function portNumber(entry: string, field: string, value: string): number {
  if (/^[1-9][0-9]*$/.test(value) && isPortNumber(Number(value))) {
    return Number(value);
  }
  if (value === '') {
    throw shorthandError(`entry '${entry}' has an empty ${field}; ${NUMBER_RULE}`);
  }
  throw shorthandError(`entry '${entry}' has ${field} '${value}', which is not a port number; ${NUMBER_RULE}`);
}

function targetPortOf(entry: string, value: string): { targetPort?: number; targetPortName?: string } {
  if (value === '' || /^[0-9]+$/.test(value)) {
    return { targetPort: portNumber(entry, 'targetPort', value) };
  }
  if (!isIanaSvcName(value)) {
    throw shorthandError(`entry '${entry}' has targetPort '${value}', which is neither a port number nor a port name; ${NUMBER_RULE}, or a container port name such as http (1-15 characters of [a-z0-9-] with a letter and no leading, trailing or double '-')`);
  }
  return { targetPortName: value };
}
