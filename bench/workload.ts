import { ApiObject, App, Chart, JsonPatch, Names, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ExposedDeployment, ServiceExposure } from 'cdk8s-service-patterns';
import { Side, SIDES, Workload, WORKLOADS } from './sides';

// One side of the workload benchmark, run in a fresh `node --expose-gc` process per (side, N):
// build N Deployments, each behind a ClusterIP and a NodePort Service (and, in the `routes`
// workload, an HTTPRoute), then synthesize the app the way `cdk8s synth` does (App.synth() without
// the file writes), `repeats` times. Prints one JSON line with the times of each repeat and the
// memory peaks.
//
//   node --expose-gc .bench/workload.js <side> <N> <repeats> [services|routes]

/** What one child reports. */
export interface WorkloadResult {
  readonly side: Side;
  readonly n: number;
  /** Building the constructs, ms, per repeat. */
  readonly constructMs: number[];
  /** `App.synth()` (validation of every construct, then `toJson()` of every chart), files not written, ms, per repeat. */
  readonly synthMs: number[];
  /** `Yaml.stringify` of all those objects, ms, per repeat. */
  readonly yamlMs: number[];
  /** The process' maximum resident set size, bytes (getrusage). */
  readonly peakRssBytes: number;
  /** The largest heapUsed seen right after construct, synth and YAML, bytes. */
  readonly peakHeapBytes: number;
  /** Bytes of YAML the last repeat wrote. */
  readonly yamlBytes: number;
}

const CONTAINER: kplus.ContainerProps = { image: 'nginx:1.27', portNumber: 8080 };
/** The Gateway every route of the `routes` workload attaches to. */
const GATEWAY = { name: 'edge', namespace: 'gateways' };
const GATEWAY_API = 'gateway.networking.k8s.io/v1';

/** The hostname of the route of Deployment `i`. */
const hostname = (i: number) => `web${i}.example.com`;

/** The Gateway of the `routes` workload, the same on every side: its listener admits every route. */
function addGateway(chart: Chart): void {
  new ApiObject(chart, 'Gateway', {
    apiVersion: GATEWAY_API,
    kind: 'Gateway',
    metadata: GATEWAY,
    spec: {
      gatewayClassName: 'example',
      listeners: [{ name: 'http', port: 80, protocol: 'HTTP', hostname: '*.example.com', allowedRoutes: { namespaces: { from: 'All' } } }],
    },
  });
}

function buildOurs(chart: Chart, n: number, routes: boolean): void {
  for (let i = 0; i < n; i++) {
    new ExposedDeployment(chart, `Web${i}`, {
      container: CONTAINER,
      services: [
        ServiceExposure.shorthand(['80:8080']),
        // exposeViaService adds a second Service only under a given name: name ours the same way
        ServiceExposure.shorthand(['!80:8080'], { metadata: { name: `web${i}-nodeport` } }),
      ],
      route: routes ? { parentRefs: [GATEWAY], hostnames: [hostname(i)] } : undefined,
    });
  }
}

function buildBaseline(chart: Chart, n: number, sameOutput: boolean, routes: boolean): void {
  for (let i = 0; i < n; i++) {
    const deployment = new kplus.Deployment(chart, `Web${i}`, { containers: [CONTAINER] });
    const port: kplus.ServicePort = sameOutput
      ? { port: 80, targetPort: 8080, name: '80-8080', protocol: kplus.Protocol.TCP }
      : { port: 80, targetPort: 8080 };
    const services = [
      deployment.exposeViaService({ serviceType: kplus.ServiceType.CLUSTER_IP, ports: [port] }),
      deployment.exposeViaService({ serviceType: kplus.ServiceType.NODE_PORT, ports: [port], name: `web${i}-nodeport` }),
    ];
    const labels: Record<string, string> | undefined = sameOutput
      ? {
        'app.kubernetes.io/name': `web${i}`,
        'app.kubernetes.io/instance': Names.toDnsLabel(deployment),
        'app.kubernetes.io/component': 'server',
      }
      : undefined;
    for (const [key, value] of Object.entries(labels ?? {})) {
      deployment.metadata.addLabel(key, value);
      deployment.podMetadata.addLabel(key, value);
      services.forEach(service => service.metadata.addLabel(key, value));
    }
    if (sameOutput) {
      // the "restricted" Pod Security fields ExposedDeployment adds, as a cdk8s-plus-27 user would
      ApiObject.of(deployment).addJsonPatch(
        JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
        JsonPatch.add('/spec/template/spec/containers/0/securityContext/capabilities', { drop: ['ALL'] }),
      );
    }
    if (routes) {
      // the HTTPRoute ours writes, as a plain ApiObject: its name has the length of ours (`bench-web<i>-route-<hash>`)
      new ApiObject(deployment, 'Route', {
        apiVersion: GATEWAY_API,
        kind: 'HTTPRoute',
        metadata: { labels },
        spec: {
          parentRefs: [GATEWAY],
          hostnames: [hostname(i)],
          rules: [{ backendRefs: [{ name: services[0].name, port: 80 }] }],
        },
      });
    }
  }
}

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) {
    throw new Error('run the workload with node --expose-gc');
  }
  collect();
}

/** A new app with the N Deployments of `side` (the construct phase). */
function buildApp(side: Side, n: number, workload: Workload): App {
  const app = new App({ outdir: '.bench/unused' }); // App.synth() creates it, writes nothing to it
  const chart = new Chart(app, 'bench');
  const routes = workload === 'routes';
  if (routes) {
    addGateway(chart);
  }
  if (side === 'ours') {
    buildOurs(chart, n, routes);
  } else {
    buildBaseline(chart, n, side === 'baseline-same-output', routes);
  }
  return app;
}

/**
 * `App.synth()` itself, every side alike (the synth-time check recognizes it and resolves each
 * object once), with `Yaml.save` replaced by a collector: the objects it would write are returned
 * and turned into YAML in a phase of their own, and no file is written.
 */
function synthesize(app: App): unknown[] {
  const written: unknown[] = [];
  const save = Yaml.save;
  Yaml.save = (_file: string, docs: unknown[]) => {
    written.push(...docs);
  };
  try {
    app.synth();
  } finally {
    Yaml.save = save;
  }
  return written;
}

function run(side: Side, n: number, repeats: number, workload: Workload): WorkloadResult {
  const constructMs: number[] = [];
  const synthMs: number[] = [];
  const yamlMs: number[] = [];
  let peakHeapBytes = 0;
  let yamlBytes = 0;
  const heap = () => {
    peakHeapBytes = Math.max(peakHeapBytes, process.memoryUsage().heapUsed);
  };
  for (let r = 0; r < repeats; r++) {
    gc();
    const t0 = performance.now();
    const app = buildApp(side, n, workload);
    const t1 = performance.now();
    heap();
    const t2 = performance.now();
    const docs = synthesize(app);
    const t3 = performance.now();
    heap();
    const t4 = performance.now();
    const yaml = Yaml.stringify(...docs);
    const t5 = performance.now();
    heap();
    constructMs.push(t1 - t0);
    synthMs.push(t3 - t2);
    yamlMs.push(t5 - t4);
    yamlBytes = yaml.length;
  }
  return { side, n, constructMs, synthMs, yamlMs, peakRssBytes: process.resourceUsage().maxRSS * 1024, peakHeapBytes, yamlBytes };
}

/** One phase of one build in `interleaved`, on the clock of `node --cpu-prof` (microseconds). */
export interface PhaseInterval {
  readonly side: Side;
  readonly phase: 'construct' | 'synth' | 'yaml';
  readonly startUs: number;
  readonly endUs: number;
}

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

/**
 * Every side in one process, taking turns (the order reversed every other round), `rounds` builds
 * each after a warm-up round, for `node --cpu-prof`: the sides meet the same machine and the same
 * warm JIT. Prints the interval of every phase as a JSON line; bench/profile.ts assigns the profile's samples (garbage
 * collection included) to sides and phases by time. The collection between builds falls outside
 * every interval, as it is outside the timings of `run()`.
 */
function interleaved(n: number, rounds: number, workload: Workload): void {
  const intervals: PhaseInterval[] = [];
  let warm = false;
  const timed = <T>(side: Side, phase: PhaseInterval['phase'], step: () => T): T => {
    const startUs = nowUs();
    const result = step();
    if (warm) {
      intervals.push({ side, phase, startUs, endUs: nowUs() });
    }
    return result;
  };
  // round -1 warms the JIT for every side and is left out: the first build of a process is slower
  for (let r = -1; r < rounds; r++) {
    warm = r >= 0;
    for (const side of r % 2 === 0 ? SIDES : [...SIDES].reverse()) {
      gc();
      const app = timed(side, 'construct', () => buildApp(side, n, workload));
      const docs = timed(side, 'synth', () => synthesize(app));
      timed(side, 'yaml', () => Yaml.stringify(...docs));
    }
  }
  process.stdout.write(`${JSON.stringify(intervals)}\n`);
}

if (require.main === module && process.argv[2] === 'interleaved') {
  const [n, rounds] = process.argv.slice(3, 5).map(Number);
  const workload = (process.argv[5] ?? 'services') as Workload;
  if (!(n > 0) || !(rounds > 0) || !WORKLOADS.includes(workload)) {
    throw new Error(`usage: workload interleaved <N> <rounds> [${WORKLOADS.join('|')}]`);
  }
  interleaved(n, rounds, workload);
} else if (require.main === module) {
  const [side, n, repeats, workload = 'services'] = process.argv.slice(2);
  if (!SIDES.includes(side as Side) || !(Number(n) > 0) || !(Number(repeats) > 0) || !WORKLOADS.includes(workload as Workload)) {
    throw new Error(`usage: workload <${SIDES.join('|')}> <N> <repeats> [${WORKLOADS.join('|')}]`);
  }
  process.stdout.write(`${JSON.stringify(run(side as Side, Number(n), Number(repeats), workload as Workload))}\n`);
}
