import { App, Chart } from 'cdk8s';
import { isDns1123Label, isQualifiedName } from '../services/kubernetes-names';
import { quote } from '../services/quote';
import { ServiceKind } from '../services/service-kind';
import { parseEntries } from '../shorthand/parse-entries';
import { ServiceShorthand } from '../shorthand/service-shorthand';
import { ServiceWiringCheck } from '../validation/service-wiring-check';
import { Command, CommandIO, UsageError } from './dispatch';

// `cdk8s-svc service <name> <entry>...`: the YAML of one Service from shorthand entries, built
// with ServiceShorthand.create and serialized by cdk8s.

const USAGE = `Usage: cdk8s-svc service <name> <entry>... [-n <ns>] [--selector <key>=<value>]...

Print the YAML of one Service named <name>, like
'kubectl create service ... --dry-run=client -o yaml', from port entries in the k8sailor
shorthand, with this library's checks.

Entries (one per port; all entries of one Service share one prefix):
  80                ClusterIP, port 80, targetPort 80
  80:8080           ClusterIP, port 80, targetPort 8080
  80:http           ClusterIP, port 80, named targetPort http
  #80:80            headless (clusterIP: None)
  #                 headless without ports (the only entry)
  !80:8080          NodePort, nodePort allocated by the cluster
  !30080:80:8080    NodePort, fixed nodePort 30080 (30000-32767)
  ^80:8080          LoadBalancer, nodePort allocated by the cluster
  ^30080:80:8080    LoadBalancer, fixed nodePort 30080
  @db.example.com   ExternalName (the only entry; no ports, no selector)
A port entry may end in /tcp (the default), /udp or /sctp, as in 53:53/udp.
Ports are named as kubectl names them: 80 for 80, 80-8080 for 80:8080 and !30080:80:8080.
In a shell, quote entries that start with # or !.

Options:
  -n, --namespace <ns>      set metadata.namespace
  --selector <key>=<value>  select pods with this label (repeatable); default app=<name>
  -h, --help                show this help

Labels are app=<name>, as kubectl sets them.

Exit status: 0 printed, 2 bad arguments (the message names the argument).

Examples:
  cdk8s-svc service web 80:8080 443:8443
  cdk8s-svc service web '!30080:80:8080' -n shop
  cdk8s-svc service db '#'
  cdk8s-svc service db @db.example.com
`;

interface ServiceArgs {
  readonly help: boolean;
  readonly positionals: string[];
  readonly namespace?: string;
  readonly selector?: { [key: string]: string };
}

const OPTIONS = 'the options are -n/--namespace <ns>, --selector <key>=<value> and -h/--help';

function usageError(message: string): UsageError {
  return new UsageError(`cdk8s-svc service: ${message} (see cdk8s-svc service --help)`);
}

function parseArgs(args: string[]): ServiceArgs {
  const positionals: string[] = [];
  let selector: { [key: string]: string } | undefined;
  let namespace: string | undefined;
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    // no entry starts with -: a port is never negative, and the prefixes are # ! ^ @
    if (!arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const given = eq < 0 ? arg : arg.slice(0, eq);
    const flag = given === '-n' ? '--namespace' : given;
    if (flag !== '--namespace' && flag !== '--selector') {
      const hint = /^-[0-9]/.test(arg) ? ' (an entry never starts with -: write a port such as 80)' : '';
      throw usageError(`unknown option ${quote(arg)}; ${OPTIONS}${hint}`);
    }
    if (eq < 0 && i + 1 >= args.length) {
      throw usageError(`option ${given} has no value; write ${flag === '--namespace' ? `${given} shop` : '--selector app=web'}`);
    }
    const value = eq < 0 ? args[++i] : arg.slice(eq + 1);
    if (flag === '--namespace') {
      if (namespace !== undefined) {
        throw usageError(`${given} is given twice (${quote(namespace)}, ${quote(value)}); give it once`);
      }
      if (!isDns1123Label(value)) {
        throw usageError(`namespace ${quote(value)} is not a valid namespace name; use at most 63 characters of [a-z0-9-], starting and ending alphanumeric (DNS-1123 label)`);
      }
      namespace = value;
    } else {
      selector = { ...selector, ...selectorLabel(value, selector ?? {}) };
    }
  }
  return { help, positionals, namespace, selector };
}

function selectorLabel(text: string, existing: { [key: string]: string }): { [key: string]: string } {
  const eq = text.indexOf('=');
  if (eq < 0) {
    throw usageError(`selector ${quote(text)} is not key=value; write a label such as --selector app=web`);
  }
  const key = text.slice(0, eq);
  const value = text.slice(eq + 1);
  if (!isQualifiedName(key)) {
    throw usageError(`selector ${quote(text)} has label key ${quote(key)}, which is not a valid label key; use an optional DNS prefix and '/', then at most 63 characters of [A-Za-z0-9-_.], starting and ending alphanumeric`);
  }
  if (value !== '' && (value.includes('/') || !isQualifiedName(value))) {
    throw usageError(`selector ${quote(text)} has label value ${quote(value)}, which is not a valid label value; use at most 63 characters of [A-Za-z0-9-_.], starting and ending alphanumeric`);
  }
  if (key in existing) {
    throw usageError(`selector ${quote(text)} repeats the label key ${quote(key)} (already ${quote(`${key}=${existing[key]}`)}); give each key once`);
  }
  return { [key]: value };
}

/** The construct path of the Service this command builds; no message may show it. */
const CHART = 'cdk8s-svc';
const SERVICE = 'Service';

/**
 * A library Error about the Service (`ClusterIPService 'cdk8s-svc/Service': name ...`), said of
 * the command's arguments: `cdk8s-svc service: name ...`.
 */
function argumentError(error: Error): UsageError {
  return new UsageError(error.message.replace(new RegExp(`^[A-Za-z]+ '${CHART}/${SERVICE}': `, 'gm'), 'cdk8s-svc service: '));
}

function serviceYaml(name: string, entries: string[], namespace: string | undefined, selector: { [key: string]: string } | undefined): string {
  let external: boolean;
  try {
    external = parseEntries(entries, undefined, 'cdk8s-svc service').kind === ServiceKind.EXTERNAL_NAME;
  } catch (error) {
    throw error instanceof Error ? new UsageError(error.message) : error;
  }
  if (external && selector !== undefined) {
    throw usageError(`entry ${quote(entries[0])} makes an ExternalName Service, which selects no pods; drop --selector, or use a port entry such as 80:8080`);
  }
  const app = new App();
  // a generator, like kubectl create service: the pods it selects are created elsewhere
  ServiceWiringCheck.of(app).disableRule('service-selects-nothing');
  const chart = new Chart(app, CHART);
  try {
    const service = ServiceShorthand.create(chart, SERVICE, { entries, metadata: { name, namespace, labels: { app: name } } });
    // label by label: a pod selector would drop an empty value (--selector app=), which is a valid label value
    for (const [key, value] of Object.entries(external ? {} : selector ?? { app: name })) {
      service.selectLabel(key, value);
    }
    return app.synthYaml();
  } catch (error) {
    throw error instanceof Error ? argumentError(error) : error;
  }
}

/**
 * `cdk8s-svc service <name> <entry>... [-n NS] [--selector key=value]...`
 */
export const SERVICE_COMMAND: Command = {
  name: 'service',
  summary: 'print the YAML of a Service given in the port shorthand (80:8080, !30080:80:8080, @db.example.com, ...)',
  run(args: string[], io: CommandIO): number {
    const parsed = parseArgs(args);
    if (parsed.help) {
      io.stdout(USAGE);
      return 0;
    }
    const [name, ...entries] = parsed.positionals;
    if (name === undefined) {
      throw usageError('missing <name> and entries; write for example cdk8s-svc service web 80:8080');
    }
    if (entries.length === 0) {
      throw usageError(`missing entries after the name ${quote(name)}; give at least one, such as cdk8s-svc service web 80:8080`);
    }
    io.stdout(serviceYaml(name, entries, parsed.namespace, parsed.selector));
    return 0;
  },
};
