import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { median, mib, ms, prepareWorkload, ratio, run, timeCommand, writeReadmeSection } from './stats';
import { Side, SIDES, Workload } from './sides';
import type { WorkloadResult } from './workload';

// `npm run bench`: synth speed and memory of ExposedDeployment against cdk8s-plus-27 (N Deployments
// behind two Services each; and at N = 1,000 the same with an HTTPRoute per Deployment), the import
// cost of the package, and the wall time of the README's synth command against the cdk8s init
// default (ts-node), all in one run. Each (side, N) runs in fresh processes, and the sides take
// turns, so the load of a shared machine falls on both alike. Prints the tables and writes them
// into bench/README.md between the markers below (the rest of that file is left alone).
//
//   npm run bench                      the full run (about 6 minutes on 2 cores)
//   npm run bench -- --sizes 1000      only these workload sizes (the routes workload runs with
//                                      1000); bench/README.md is not written

// the freshness check of the README's synth path (scripts/run-examples.js), to report which path ran
const { upToDate } = require('../scripts/run-examples.js') as { upToDate: () => boolean };

const ROOT = path.join(__dirname, '..');
const SCRATCH = path.join(ROOT, '.bench');
const README = path.join(__dirname, 'README.md');
const BEGIN = '<!-- synth-bench:begin (written by npm run bench; do not edit by hand) -->';
const END = '<!-- synth-bench:end -->';

/** How often each size is measured: `rounds` fresh processes per side, `repeats` builds in each. */
interface SizePlan {
  readonly n: number;
  readonly rounds: number;
  readonly repeats: number;
}

const PLAN: SizePlan[] = [
  { n: 10, rounds: 3, repeats: 20 },
  { n: 100, rounds: 3, repeats: 10 },
  { n: 1000, rounds: 6, repeats: 5 },
  // about 5 s a build per side here: fewer builds keep the whole run near 5 minutes
  { n: 5000, rounds: 2, repeats: 2 },
];

/** The routes workload: at N = 1,000 only, measured as often as the services workload there. */
const ROUTES_N = 1000;

const IMPORT_RUNS = 15;
const SYNTH_RUNS = 5;
const ENV = { ...process.env, CDK8S_CHECK_UPGRADE: 'false' };

const SIDE_LABELS: Record<Workload, Record<Side, string>> = {
  services: {
    'baseline': 'cdk8s-plus-27: Deployment + 2x exposeViaService',
    'ours': 'ExposedDeployment, 2 typed Services, validation',
    'baseline-same-output': 'cdk8s-plus-27, with our labels, port names and Pod Security fields',
  },
  routes: {
    'baseline': 'cdk8s-plus-27 + an ApiObject HTTPRoute',
    'ours': 'ExposedDeployment with `route`, validation',
    'baseline-same-output': 'cdk8s-plus-27 + an ApiObject HTTPRoute, the same manifests as ours',
  },
};

interface SideStats {
  readonly constructMs: number;
  readonly synthMs: number;
  readonly yamlMs: number;
  readonly totalMs: number;
  readonly peakRssBytes: number;
  readonly peakHeapBytes: number;
  readonly yamlBytes: number;
  readonly samples: number;
}

interface SizeResult {
  readonly n: number;
  readonly sides: Record<Side, SideStats>;
}

interface SynthOption {
  readonly label: string;
  /** The app command; undefined: the one in cdk8s.yaml. */
  readonly app?: string;
}

// ---------------------------------------------------------------------------------------------
// Workload: N ExposedDeployments against N kplus.Deployments with two exposeViaService calls.

function runWorkload(script: string, side: Side, plan: SizePlan, workload: Workload): WorkloadResult {
  const out = run(process.execPath, ['--expose-gc', script, side, String(plan.n), String(plan.repeats), workload], { cwd: ROOT });
  return JSON.parse(out.trim().split('\n').pop()!) as WorkloadResult;
}

function sideStats(results: WorkloadResult[]): SideStats {
  const construct = results.flatMap(r => r.constructMs);
  const synth = results.flatMap(r => r.synthMs);
  const yaml = results.flatMap(r => r.yamlMs);
  return {
    constructMs: median(construct),
    synthMs: median(synth),
    yamlMs: median(yaml),
    totalMs: median(construct.map((c, i) => c + synth[i] + yaml[i])),
    peakRssBytes: median(results.map(r => r.peakRssBytes)),
    peakHeapBytes: median(results.map(r => r.peakHeapBytes)),
    yamlBytes: results[0].yamlBytes,
    samples: construct.length,
  };
}

function benchSize(script: string, plan: SizePlan, workload: Workload): SizeResult {
  const results: Record<Side, WorkloadResult[]> = { 'baseline': [], 'ours': [], 'baseline-same-output': [] };
  for (let round = 0; round < plan.rounds; round++) {
    // rotate which side goes first, so drift in the machine's load hits every side alike
    const order = SIDES.map((_, i) => SIDES[(i + round) % SIDES.length]);
    for (const side of order) {
      results[side].push(runWorkload(script, side, plan, workload));
    }
  }
  process.stderr.write(`  N=${plan.n} (${workload}) done\n`);
  const stats = (side: Side) => sideStats(results[side]);
  return { n: plan.n, sides: { 'baseline': stats('baseline'), 'ours': stats('ours'), 'baseline-same-output': stats('baseline-same-output') } };
}

// ---------------------------------------------------------------------------------------------
// Import cost: require time of lib/index.js once cdk8s-plus-27 is loaded, in fresh processes.

interface ImportResult {
  readonly plusMs: number;
  readonly oursMs: number;
}

function benchImport(): ImportResult {
  const script = [
    'const t0 = process.hrtime.bigint();',
    "require('constructs'); require('cdk8s'); require('cdk8s-plus-27');",
    'const t1 = process.hrtime.bigint();',
    `require(${JSON.stringify(path.join(ROOT, 'lib', 'index.js'))});`,
    'const t2 = process.hrtime.bigint();',
    'process.stdout.write(JSON.stringify({ plus: Number(t1 - t0) / 1e6, ours: Number(t2 - t1) / 1e6 }));',
  ].join('\n');
  const plus: number[] = [];
  const ours: number[] = [];
  for (let i = 0; i < IMPORT_RUNS; i++) {
    const sample = JSON.parse(run(process.execPath, ['-e', script], { cwd: ROOT })) as { plus: number; ours: number };
    plus.push(sample.plus);
    ours.push(sample.ours);
  }
  return { plusMs: median(plus), oursMs: median(ours) };
}

// ---------------------------------------------------------------------------------------------
// Synth command: the README's `npm run synth` (`cdk8s synth`, timed through npx without npm's own
// start-up) against the cdk8s init default app command.

function configuredApp(): string {
  const config = parseYaml(fs.readFileSync(path.join(ROOT, 'cdk8s.yaml'), 'utf8')) as { app: string };
  return config.app;
}

function synthArgs(option: SynthOption, outdir: string): string[] {
  const args = ['cdk8s', 'synth', '--output', outdir];
  return option.app === undefined ? args : [...args, '--app', option.app];
}

function readTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const file of fs.readdirSync(dir).sort()) {
    files[file] = fs.readFileSync(path.join(dir, file), 'utf8');
  }
  return files;
}

function benchSynthCommand(options: SynthOption[]): number[] {
  const outdirs = options.map((_, i) => path.join(SCRATCH, `synth-${i}`));
  // a first run of each warms the disk cache and the runners' caches, and proves the output equal
  options.forEach((option, i) => run('npx', synthArgs(option, outdirs[i]), { cwd: ROOT, env: ENV }));
  const expected = JSON.stringify(readTree(outdirs[0]));
  options.forEach((option, i) => {
    if (JSON.stringify(readTree(outdirs[i])) !== expected) {
      throw new Error(`'${option.label}' synthesizes other manifests than '${options[0].label}'`);
    }
  });
  const times: number[][] = options.map(() => []);
  for (let r = 0; r < SYNTH_RUNS; r++) {
    options.forEach((option, i) => times[i].push(timeCommand('npx', synthArgs(option, outdirs[i]), { cwd: ROOT, env: ENV })));
  }
  return times.map(median);
}

// ---------------------------------------------------------------------------------------------
// Report

function machine(): string[] {
  const cpuinfo = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  return [
    '| machine | |',
    '|---|---|',
    `| CPU | ${model}, nproc ${os.availableParallelism()} |`,
    `| memory | ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB |`,
    `| node | ${process.version} |`,
    `| OS | ${os.type()} ${os.release()} |`,
    `| load average (1, 5, 15 min) at start | ${os.loadavg().map(l => l.toFixed(2)).join(' ')} |`,
  ];
}

/** `value (ratio to the baseline)`, the ratio in bold for ours. */
function cell(value: number, base: number, side: Side, format: (v: number) => string): string {
  if (side === 'baseline') {
    return format(value);
  }
  const r = ratio(value, base);
  return side === 'ours' ? `${format(value)} (**${r}**)` : `${format(value)} (${r})`;
}

function workloadTable(sizes: SizeResult[], workload: Workload): string[] {
  const lines = [
    '| N | side | construct ms | synth ms | YAML ms | total ms | peak RSS MiB | peak heap MiB | YAML MiB |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const { n, sides } of sizes) {
    const base = sides.baseline;
    for (const side of SIDES) {
      const s = sides[side];
      lines.push(`| ${n} | ${SIDE_LABELS[workload][side]} | ${cell(s.constructMs, base.constructMs, side, ms)} | ${cell(s.synthMs, base.synthMs, side, ms)}`
        + ` | ${cell(s.yamlMs, base.yamlMs, side, ms)} | ${cell(s.totalMs, base.totalMs, side, ms)}`
        + ` | ${cell(s.peakRssBytes, base.peakRssBytes, side, mib)} | ${cell(s.peakHeapBytes, base.peakHeapBytes, side, mib)}`
        + ` | ${cell(s.yamlBytes, base.yamlBytes, side, v => (v / 2 ** 20).toFixed(2))} |`);
    }
  }
  return lines;
}

interface Target {
  readonly what: string;
  readonly value: number;
  readonly limit: number;
}

function targetTable(targets: Target[]): string[] {
  return [
    '| target | limit | measured | met |',
    '|---|---:|---:|---|',
    ...targets.map(t => `| ${t.what} | ${t.limit} | ${t.value.toFixed(2)} | ${t.value <= t.limit ? 'yes' : '**no**'} |`),
  ];
}


function parseSizes(argv: string[]): SizePlan[] {
  const at = argv.indexOf('--sizes');
  if (at < 0) {
    return PLAN;
  }
  const wanted = (argv[at + 1] ?? '').split(',').map(Number);
  const plans = PLAN.filter(p => wanted.includes(p.n));
  if (plans.length !== wanted.length) {
    throw new Error(`--sizes takes a comma-separated list of ${PLAN.map(p => p.n).join(', ')}`);
  }
  return plans;
}

function main(): void {
  const plans = parseSizes(process.argv.slice(2));
  const full = plans === PLAN;
  const started = Date.now();
  fs.mkdirSync(SCRATCH, { recursive: true });
  const machineLines = machine();

  process.stderr.write('building lib/ (npm run build)\n');
  run('npm', ['run', 'build', '--silent'], { cwd: ROOT });
  const script = prepareWorkload(SCRATCH);

  process.stderr.write('workload\n');
  const sizes = plans.map(plan => benchSize(script, plan, 'services'));
  const routesPlan = plans.find(plan => plan.n === ROUTES_N);
  const routes = routesPlan === undefined ? undefined : benchSize(script, routesPlan, 'routes');

  process.stderr.write('import cost\n');
  const imports = benchImport();

  process.stderr.write('synth command\n');
  run('npm', ['run', 'build', '--silent'], { cwd: ROOT });
  const synthOptions: SynthOption[] = [
    { label: `README's \`npm run synth\`: \`cdk8s synth\` (cdk8s.yaml app: \`${configuredApp()}\`)` },
    { label: 'cdk8s init default: `npx ts-node --prefer-ts-exts examples/main.ts`', app: 'npx ts-node --prefer-ts-exts examples/main.ts' },
    { label: 'tsx through npx: `npx tsx examples/main.ts`', app: 'npx tsx examples/main.ts' },
    { label: 'tsx loader: `node --import tsx examples/main.ts`', app: 'node --import tsx examples/main.ts' },
  ];
  const synthTimes = benchSynthCommand(synthOptions);
  // the README's command runs the compiled examples only while build/ is newer than the sources
  const compiledPath = upToDate();

  const at1000 = sizes.find(s => s.n === 1000);
  const at5000 = sizes.find(s => s.n === 5000);
  const targets: Target[] = [];
  if (at1000 !== undefined) {
    const { ours, baseline } = at1000.sides;
    const sameOutput = at1000.sides['baseline-same-output'];
    targets.push({ what: 'time ratio ours/baseline at N=1000 (construct + synth + YAML)', value: ours.totalMs / baseline.totalMs, limit: 1.10 });
    targets.push({ what: 'time ratio ours/"same output" at N=1000 (construct + synth + YAML; issue #14)', value: ours.totalMs / sameOutput.totalMs, limit: 1.05 });
    targets.push({ what: 'memory ratio ours/baseline at N=1000 (peak RSS)', value: ours.peakRssBytes / baseline.peakRssBytes, limit: 1.15 });
  }
  if (routes !== undefined) {
    const { ours } = routes.sides;
    const sameOutput = routes.sides['baseline-same-output'];
    targets.push({ what: 'time ratio ours/"same output" at N=1000 with an HTTPRoute per Deployment (issue #17)', value: ours.totalMs / sameOutput.totalMs, limit: 1.05 });
  }
  if (at1000 !== undefined && at5000 !== undefined) {
    targets.push({ what: 'scaling: ours time(5000) / time(1000)', value: at5000.sides.ours.totalMs / at1000.sides.ours.totalMs, limit: 5.5 });
  }
  targets.push({ what: 'import cost of lib/index.js on top of cdk8s-plus-27, ms', value: imports.oursMs, limit: 30 });
  targets.push({ what: 'README synth command / ts-node default (wall time)', value: synthTimes[0] / synthTimes[1], limit: 0.5 });

  const loadAtEnd = `| load average (1, 5, 15 min) at end | ${os.loadavg().map(l => l.toFixed(2)).join(' ')} |`;
  const section = [
    `### Latest run (${new Date().toISOString().slice(0, 10)}, ${((Date.now() - started) / 60000).toFixed(1)} minutes)`,
    '',
    ...machineLines,
    loadAtEnd,
    '',
    '#### Targets',
    '',
    ...targetTable(targets),
    '',
    '#### Workload: N Deployments, each behind a ClusterIP and a NodePort Service',
    '',
    'Value (ratio to cdk8s-plus-27). synth = validation of every construct, then `toJson()` of every chart (as `App.synth()`);',
    'YAML = `Yaml.stringify` of those objects; total = construct + synth + YAML. Times are medians over every build of every',
    `round (${plans.map(p => `N=${p.n}: ${p.rounds} processes x ${p.repeats} builds per side`).join('; ')});`,
    'peaks are medians over the processes of a side.',
    '',
    ...workloadTable(sizes, 'services'),
    '',
    at1000 !== undefined && at5000 !== undefined
      ? `Scaling time(5000)/time(1000): cdk8s-plus-27 ${ratio(at5000.sides.baseline.totalMs, at1000.sides.baseline.totalMs)}, ours ${ratio(at5000.sides.ours.totalMs, at1000.sides.ours.totalMs)}.`
      : 'Scaling: not measured in this run.',
    '',
    '#### Workload with routes: N Deployments, each behind a ClusterIP and a NodePort Service and an HTTPRoute',
    '',
    'As above, plus one Gateway in the app and, per Deployment, an HTTPRoute to its ClusterIP Service (ours: the `route` prop;',
    'cdk8s-plus-27: a plain `ApiObject` with the same fields; "same output": also with our labels).',
    routesPlan === undefined
      ? `Not measured in this run (it runs with N=${ROUTES_N}).`
      : `N=${routesPlan.n}: ${routesPlan.rounds} processes x ${routesPlan.repeats} builds per side.`,
    '',
    ...(routes === undefined ? [] : workloadTable([routes], 'routes')),
    '',
    '#### Import cost (median of fresh processes)',
    '',
    '| require | ms |',
    '|---|---:|',
    `| constructs + cdk8s + cdk8s-plus-27 | ${ms(imports.plusMs)} |`,
    `| then lib/index.js (this package) | ${ms(imports.oursMs)} |`,
    '',
    `#### Synth command for the examples app (median of ${SYNTH_RUNS} runs each, taking turns; identical output checked)`,
    '',
    `The README's command ran the compiled examples: ${compiledPath ? 'yes' : '**no** (a source changed during the run: tsx fallback)'}.`,
    '',
    '| command | wall s | / ts-node default |',
    '|---|---:|---:|',
    ...synthOptions.map((o, i) => `| ${o.label} | ${(synthTimes[i] / 1000).toFixed(2)} | ${ratio(synthTimes[i], synthTimes[1])} |`),
  ].join('\n');

  process.stdout.write(`${section}\n`);
  if (full) {
    writeReadmeSection(README, BEGIN, END, section);
    process.stderr.write(`wrote ${path.relative(ROOT, README)}\n`);
  }
}

main();
