import * as kplus from 'cdk8s-plus-27';
import { ServiceShorthand } from 'cdk8s-service-patterns';
import { findOne, serviceOnlyChart, synth } from '../util';

// Feeds thousands of generated entry lists, valid and mangled, through the parser. Each must either
// give a description whose Service synthesizes, passes the schema check and obeys Kubernetes'
// Service rules (checked here independently of the library), or throw a plain Error that quotes
// one of the entries. Seeded, so every run sees the same inputs.

/** mulberry32: a small deterministic PRNG, floats in [0, 1). */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CASES = 3000;
const PREFIXES = ['', '#', '!', '^'];
const NAMES = ['http', 'https', 'metrics', 'dns-tcp', 'grpc', 'web-1', 'a', 'x1', 'admin-port-abcd'];
const HOSTS = ['db.example.com', 'www.baidu.com', 'a', 'x-1.y-2.z', 'db.example.com.', 'mysql.prod.svc.cluster.local'];
const PROTOCOLS = ['/tcp', '/udp', '/sctp'];
const EDGES = ['0', '65536', '-1', '+80', ' 80', '080', '', '29999', '32768', 'http', 'HTTP', '1e3', '65535', '1', '30000', '32767', 'a--b', '-x'];
const NOISE = '0123456789::::##!!^^@@//  -+._aAzZ\tudp';

// Kubernetes' own formats, written out here so the oracle does not reuse the library's predicates.
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const IANA_SVC_NAME = /^(?=.*[a-z])(?!.*--)[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/;
const TYPES: Record<string, string> = { '': 'ClusterIP', '#': 'ClusterIP', '!': 'NodePort', '^': 'LoadBalancer' };

function generate(random: () => number): { entries: string[]; clean: boolean } {
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)];
  const port = () => String(pick([int(1, 65535), int(1, 1024), pick([80, 443, 53, 8080])]));

  if (random() < 0.1) {
    return { entries: ['@' + pick(HOSTS)], clean: true };
  }
  const prefix = pick(PREFIXES);
  const used = new Set<string>();
  const entries: string[] = [];
  for (let i = int(1, 3); i > 0; i--) {
    const protocol = random() < 0.3 ? pick(PROTOCOLS) : '';
    let number = port();
    while (used.has(`${number}${protocol || '/tcp'}`)) {
      number = port();
    }
    used.add(`${number}${protocol || '/tcp'}`);
    const target = random() < 0.4 ? '' : ':' + (random() < 0.5 ? port() : pick(NAMES));
    const nodePort = (prefix === '!' || prefix === '^') && random() < 0.5 ? `${int(30000, 32767)}:` : '';
    entries.push(`${prefix}${nodePort}${number}${nodePort && !target ? ':' + number : target}${protocol}`);
  }
  if (random() < 0.45) {
    return { entries, clean: true };
  }
  // Mangle: edit characters, swap in edge values, or mix in an entry of another kind.
  for (let edits = int(1, 3); edits > 0; edits--) {
    const i = int(0, entries.length - 1);
    const entry = entries[i];
    const at = int(0, entry.length);
    switch (int(0, 5)) {
      case 0: entries[i] = entry.slice(0, at) + pick([...NOISE]) + entry.slice(at); break;
      case 1: entries[i] = entry.slice(0, at) + entry.slice(at + 1); break;
      case 2: entries[i] = entry.slice(0, at) + pick([...NOISE]) + entry.slice(at + 1); break;
      case 3: entries[i] = entry.replace(/\d+/, pick(EDGES)); break;
      case 4: entries.push(pick(['', ...PREFIXES, '@']) + (random() < 0.5 ? port() : pick(HOSTS))); break;
      default: entries[i] = pick(['#', '!', '^', '@', '#!', '!!']) + entry; break;
    }
  }
  return { entries, clean: false };
}

/** What the API server would reject in a Service spec, as far as its rules concern ports. */
function kubernetesErrors(spec: any, entries: string[]): string[] {
  const errors: string[] = [];
  const prefix = /^[#!^@]?/.exec(entries[0])![0];
  if (prefix === '@') {
    const name = spec.externalName?.replace(/\.$/, '') ?? '';
    if (spec.type !== 'ExternalName' || name.length > 253 || !name.split('.').every((l: string) => DNS_LABEL.test(l))) {
      errors.push(`bad ExternalName ${JSON.stringify(spec)}`);
    }
    if (spec.selector !== undefined || spec.ports !== undefined) errors.push('ExternalName with selector or ports');
    return errors;
  }
  if (spec.type !== TYPES[prefix]) errors.push(`type ${spec.type} for prefix '${prefix}'`);
  if ((spec.clusterIP === 'None') !== (prefix === '#')) errors.push(`clusterIP ${spec.clusterIP} for prefix '${prefix}'`);
  const ports: any[] = spec.ports ?? [];
  const portless = entries.length === 1 && entries[0] === '#'; // headless without ports
  if (ports.length !== (portless ? 0 : entries.length)) errors.push(`${ports.length} ports for ${entries.length} entries`);
  const seen = new Set<string>();
  for (const p of ports) {
    const isPort = (n: unknown) => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 65535;
    if (!isPort(p.port)) errors.push(`port ${p.port}`);
    if (!(isPort(p.targetPort) || (typeof p.targetPort === 'string' && IANA_SVC_NAME.test(p.targetPort)))) errors.push(`targetPort ${p.targetPort}`);
    if (!['TCP', 'UDP', 'SCTP'].includes(p.protocol)) errors.push(`protocol ${p.protocol}`);
    if (typeof p.name !== 'string' || !DNS_LABEL.test(p.name)) errors.push(`name ${p.name}`);
    if (p.nodePort !== undefined && (prefix === '' || prefix === '#' || !(p.nodePort >= 30000 && p.nodePort <= 32767))) errors.push(`nodePort ${p.nodePort}`);
    for (const key of [`name ${p.name}`, `port ${p.port}/${p.protocol}`, ...(p.nodePort ? [`nodePort ${p.nodePort}/${p.protocol}`] : [])]) {
      if (seen.has(key)) errors.push(`duplicate ${key}`);
      seen.add(key);
    }
  }
  return errors;
}

describe('ServiceShorthand (randomized)', () => {
  test(`${CASES} generated entry lists are accepted validly or rejected with the entry quoted`, () => {
    const random = prng(20240427);
    const failures: string[] = [];
    let accepted = 0;
    for (let n = 0; n < CASES; n++) {
      const { entries, clean } = generate(random);
      const input = JSON.stringify(entries);
      let kind;
      try {
        kind = ServiceShorthand.parse(entries).kind;
      } catch (error) {
        if (!(error instanceof Error) || Object.getPrototypeOf(error) !== Error.prototype) {
          failures.push(`${input}: threw ${String(error)}, not a plain Error`);
        } else if (!entries.some(entry => error.message.includes(`'${entry}'`))) {
          failures.push(`${input}: message quotes no entry: ${error.message}`);
        } else if (clean) {
          failures.push(`${input}: a well-formed list was rejected: ${error.message}`);
        }
        continue;
      }
      accepted++;
      try {
        const chart = serviceOnlyChart();
        const selector = kind === 'ExternalName' ? undefined : kplus.Pods.select(chart, 'Pods', { labels: { app: 'fuzz' } });
        ServiceShorthand.create(chart, 'Service', { metadata: { name: 'fuzz' }, entries, selector });
        const errors = kubernetesErrors(findOne(synth(chart), 'Service', 'fuzz').spec, entries);
        if (errors.length > 0) {
          failures.push(`${input}: accepted, but Kubernetes would reject it: ${errors.join(', ')}`);
        }
      } catch (error) {
        failures.push(`${input}: accepted by parse, then failed: ${String(error)}`);
      }
    }
    expect(failures).toEqual([]);
    // the generator exercises both outcomes
    expect(accepted).toBeGreaterThan(CASES * 0.3);
    expect(accepted).toBeLessThan(CASES * 0.8);
  });
});
