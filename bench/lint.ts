import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { parseAllDocuments } from 'yaml';
import { modelFromManifests } from '../src/validation/from-manifests';
import { readManifestPaths } from '../src/validation/manifest-reader';
import { checkWiring } from '../src/validation/rules';
import { median, mib, ms, ratio, run, timeCommand, writeReadmeSection } from './stats';

// `npm run bench:lint` (or `npx tsx bench/lint.ts`): the wiring lint over N Services and N
// Deployments, N = 10,000 and 20,000, against cdk8s-plus-27 synthesizing the same objects in the
// same run. The manifests are what cdk8s-plus-27 writes: each Deployment's pods are selected by
// one Service; every 100th Service targets a port its pods do not declare (a warning), and every
// Deployment names the next Service in an env var (`UPSTREAM_HOST`). Each measurement runs in a
// fresh process (peak RSS is per process). Prints the table and writes it into bench/README.md
// between the markers below (the rest of that file is left alone).
//
//   npm run bench:lint                   the full run (about 2 minutes on 2 cores)
//   npm run bench:lint -- --sizes 1000   only these sizes; bench/README.md is not written

const ROOT = path.join(__dirname, '..');
const SCRATCH = path.join(ROOT, '.bench');
const README = path.join(__dirname, 'README.md');
const BEGIN = '<!-- lint-bench:begin (written by npm run bench:lint; do not edit by hand) -->';
const END = '<!-- lint-bench:end -->';
const SIZES = [10_000, 20_000];
const ROUNDS = 3;
const RULE_REPEATS = 5;

type Mode = 'synth' | 'parse' | 'lint';

/** What one child process reports. */
interface Sample {
  /** Time of the measured step, ms. */
  readonly ms: number;
  /** Of `lint`: the rules alone (model + checkWiring), warm, median of RULE_REPEATS, ms. */
  readonly rulesMs?: number;
  /** Of `lint`: how many findings. */
  readonly findings?: number;
  /** The process' maximum resident set size, bytes (from getrusage). */
  readonly peakRssBytes: number;
}

function manifestsFile(n: number): string {
  return path.join(SCRATCH, `lint-${n}.k8s.yaml`);
}

/** cdk8s-plus-27 builds and synthesizes the N + N objects; the YAML is the lint's input. */
function synth(n: number): Sample {
  const start = performance.now();
  const app = new App({ outdir: SCRATCH });
  const chart = new Chart(app, 'bench');
  for (let i = 0; i < n; i++) {
    const deployment = new kplus.Deployment(chart, `Web${i}`, {
      containers: [{
        image: 'nginx:1.27',
        ports: [{ number: 8080, name: 'http' }],
        envVariables: { UPSTREAM_HOST: kplus.EnvValue.fromValue(`web-${(i + 1) % n}`) },
      }],
    });
    new kplus.Service(chart, `Svc${i}`, {
      metadata: { name: `web-${i}` },
      selector: deployment,
      ports: [{ port: 80, targetPort: i % 100 === 0 ? 9090 : 8080 }],
    });
  }
  const yaml = app.synthYaml();
  const elapsed = performance.now() - start;
  fs.writeFileSync(manifestsFile(n), yaml);
  return { ms: elapsed, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
}

/** The floor any YAML reader pays: read and parse every document (what cdk8s-cli's parseManifest does). */
function parse(n: number): Sample {
  const start = performance.now();
  const docs = parseAllDocuments(fs.readFileSync(manifestsFile(n), 'utf8')).map(doc => doc.toJS());
  const elapsed = performance.now() - start;
  if (docs.length !== 2 * n) {
    throw new Error(`bench: parsed ${docs.length} documents; expected ${2 * n}`);
  }
  return { ms: elapsed, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
}

/**
 * What `cdk8s-svc lint FILE` does after start-up: read (with positions), model, rules. Then the
 * rules alone (model + checkWiring) again, RULE_REPEATS times, warm.
 */
function lint(n: number): Sample {
  const start = performance.now();
  const read = readManifestPaths([manifestsFile(n)], () => '');
  const findings = checkWiring(modelFromManifests(read.inputs));
  const elapsed = performance.now() - start;
  if (read.inputs.length !== 2 * n || read.errors.length > 0) {
    throw new Error(`bench: read ${read.inputs.length} objects, ${read.errors.length} errors; expected ${2 * n} objects`);
  }
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  const rulesMs: number[] = [];
  for (let i = 0; i < RULE_REPEATS; i++) {
    const rulesStart = performance.now();
    checkWiring(modelFromManifests(read.inputs));
    rulesMs.push(performance.now() - rulesStart);
  }
  return { ms: elapsed, rulesMs: median(rulesMs), findings: findings.length, peakRssBytes };
}

const MODES: Record<Mode, (n: number) => Sample> = { synth, parse, lint };

/** Run one mode in a fresh process (this script, under the same tsx loader). */
function child(mode: Mode, n: number): Sample {
  const out = run(process.execPath, [...process.execArgv, __filename, '--child', mode, String(n)], { cwd: ROOT });
  return JSON.parse(out.trim().split('\n').pop()!) as Sample;
}

interface SizeResult {
  readonly n: number;
  readonly synth: Sample;
  readonly parse: Sample[];
  readonly lint: Sample[];
  readonly cliMs: number[];
}

function measure(n: number): SizeResult {
  process.stderr.write(`bench:lint: ${n} Services + ${n} Deployments\n`);
  const synthSample = child('synth', n);
  const parseSamples: Sample[] = [];
  const lintSamples: Sample[] = [];
  const cliMs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    parseSamples.push(child('parse', n));
    lintSamples.push(child('lint', n));
    // the built command as users run it, start-up included; exit 0: the findings are warnings
    cliMs.push(timeCommand(process.execPath, [path.join(ROOT, 'lib', 'cli', 'main.js'), 'lint', manifestsFile(n), '--output', 'json'], { cwd: ROOT }));
  }
  return { n, synth: synthSample, parse: parseSamples, lint: lintSamples, cliMs };
}

function table(results: SizeResult[]): string {
  const med = (samples: Sample[], pick: (s: Sample) => number) => median(samples.map(pick));
  const rows = results.map(r => ({
    n: r.n,
    synth: r.synth.ms,
    parse: med(r.parse, s => s.ms),
    lint: med(r.lint, s => s.ms),
    rules: med(r.lint, s => s.rulesMs!),
    cli: median(r.cliMs),
    synthRss: r.synth.peakRssBytes,
    lintRss: med(r.lint, s => s.peakRssBytes),
    findings: r.lint[0].findings!,
  }));
  const lines = [
    '## Lint',
    '',
    `\`cdk8s-svc lint\` over the manifests cdk8s-plus-27 writes for N Deployments and N Services (each`,
    'Service selects one Deployment; every 100th targets an undeclared port, a warning; every',
    'Deployment names the next Service in `UPSTREAM_HOST`), against cdk8s-plus-27 synthesizing the same',
    `objects in the same run. Median of ${ROUNDS} fresh processes per step (synth: one); "rules only" is`,
    `the model and rules again on the objects read, warm, median of ${RULE_REPEATS}; peak RSS per process (lint: before`,
    'the repeats).',
    `Node ${process.version}, ${require('os').cpus().length} cores. Written by \`npm run bench:lint\` (\`bench/lint.ts\`).`,
    '',
    '| objects | cdk8s-plus-27 synth | parse YAML only | lint: read + rules | rules only | `cdk8s-svc lint` wall | lint / synth | peak RSS synth | peak RSS lint | findings |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(r => `| ${r.n.toLocaleString('en-US')} Services + ${r.n.toLocaleString('en-US')} Deployments | ${ms(r.synth)} ms | ${ms(r.parse)} ms | ${ms(r.lint)} ms | ${ms(r.rules)} ms | ${ms(r.cli)} ms | ${ratio(r.lint, r.synth)} | ${mib(r.synthRss)} MiB | ${mib(r.lintRss)} MiB | ${r.findings} |`),
  ];
  if (rows.length === 2) {
    const [a, b] = rows;
    lines.push(`| ratio ${b.n / 1000}k / ${a.n / 1000}k (linear: ${ratio(b.n, a.n)}) | ${ratio(b.synth, a.synth)} | ${ratio(b.parse, a.parse)} | ${ratio(b.lint, a.lint)} | ${ratio(b.rules, a.rules)} | ${ratio(b.cli, a.cli)} | | ${ratio(b.synthRss, a.synthRss)} | ${ratio(b.lintRss, a.lintRss)} | |`);
  }
  lines.push(
    '',
    'Reading dominates: the lint parses through the `yaml` package cdk8s bundles (the "parse YAML',
    'only" column, the same parse cdk8s-cli\'s own `parseManifest` does), one document at a time so',
    'only one syntax tree is held; the rules index pod templates by namespace and label, so they stay',
    'linear and take a few percent of the time.',
  );
  return lines.join('\n');
}


function main(argv: string[]): void {
  if (argv[0] === '--child') {
    const mode = argv[1] as Mode;
    process.stdout.write(`${JSON.stringify(MODES[mode](Number(argv[2])))}\n`);
    return;
  }
  const sizesArg = argv.indexOf('--sizes');
  const sizes = sizesArg >= 0 ? argv[sizesArg + 1].split(',').map(Number) : SIZES;
  fs.mkdirSync(SCRATCH, { recursive: true });
  run('npm', ['run', 'build', '--silent'], { cwd: ROOT });
  const section = table(sizes.map(measure));
  process.stdout.write(`${section}\n`);
  if (sizesArg < 0) {
    writeReadmeSection(README, BEGIN, END, section);
    process.stderr.write(`wrote ${path.relative(ROOT, README)}\n`);
  }
  for (const n of sizes) {
    fs.rmSync(manifestsFile(n), { force: true });
  }
}

main(process.argv.slice(2));
