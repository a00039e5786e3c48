import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ms, ratio, run, transpileToScratch, writeReadmeSection } from './stats';
import type { PhaseInterval, Side } from './workload';

// `npm run bench:profile`: where the CPU time of the workload goes. Runs the three sides of
// bench/workload.ts taking turns in one process under `node --cpu-prof` (N = 1,000, 10 builds per
// side), assigns every sample (garbage collection included) to its side and phase by time, and
// splits each side's time by the package of the sampled function: how much of the gap to
// cdk8s-plus-27 is this package's code, and how much is cdk8s, cdk8s-plus-27 and the YAML writer
// doing more work for richer manifests. Prints the tables and writes them into bench/README.md
// between the markers below.
//
//   npm run bench:profile                   N = 1,000, 10 builds per side (about 1.5 minutes)
//   npm run bench:profile -- --n 100 --rounds 20 --top 20   another size; bench/README.md is left alone

const ROOT = path.join(__dirname, '..');
const SCRATCH = path.join(ROOT, '.bench');
const PROFILES = path.join(SCRATCH, 'profile');
const README = path.join(__dirname, 'README.md');
const BEGIN = '<!-- profile-bench:begin (written by npm run bench:profile; do not edit by hand) -->';
const END = '<!-- profile-bench:end -->';

const SIDES: Side[] = ['baseline', 'ours', 'baseline-same-output'];
const SIDE_LABELS: Record<Side, string> = {
  'baseline': 'cdk8s-plus-27',
  'ours': 'ExposedDeployment',
  'baseline-same-output': 'cdk8s-plus-27, same output',
};
const PHASES: PhaseInterval['phase'][] = ['construct', 'synth', 'yaml'];

/** The parts of a `.cpuprofile` read here. */
interface CpuProfile {
  readonly nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  readonly startTime: number;
  readonly samples: number[];
  readonly timeDeltas: number[];
}

/** Sampled time, microseconds, of one side. */
interface SideTime {
  readonly phases: Map<string, number>;
  readonly packages: Map<string, number>;
  readonly functions: Map<string, number>;
}

/** The package a sampled function belongs to, by its script's URL. */
function packageOf(url: string, functionName: string): string {
  if (functionName === '(garbage collector)') {
    return 'garbage collection';
  }
  if (url === '') {
    return 'V8 and native code';
  }
  if (url.startsWith('node:')) {
    return 'Node.js';
  }
  const file = url.replace(/^file:\/\//, '');
  const modules = file.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = file.slice(modules + '/node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (file.startsWith(path.join(ROOT, 'lib') + path.sep)) {
    return 'this package (lib/)';
  }
  return 'the bench itself';
}

function frameName(frame: CpuProfile['nodes'][number]['callFrame']): string {
  const where = frame.url === '' ? '' : ` ${path.relative(ROOT, frame.url.replace(/^file:\/\//, '')).replace(/^(\.\.\/)*node_modules\//, '')}:${frame.lineNumber + 1}`;
  return `${frame.functionName || '(anonymous)'}${where}`;
}

/** Split the samples of `profile` by side, phase, package and function (self time). */
function attribute(profile: CpuProfile, intervals: PhaseInterval[]): Map<Side, SideTime> {
  const frames = new Map(profile.nodes.map(node => [node.id, node.callFrame]));
  const result = new Map<Side, SideTime>(SIDES.map(side => [side, { phases: new Map(), packages: new Map(), functions: new Map() }]));
  const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us);
  const sorted = [...intervals].sort((a, b) => a.startUs - b.startUs);
  let at = profile.startTime;
  let i = 0;
  profile.samples.forEach((id, s) => {
    at += profile.timeDeltas[s];
    while (i < sorted.length && sorted[i].endUs < at) {
      i++;
    }
    const interval = sorted[i];
    if (interval === undefined || interval.startUs > at) {
      return; // between builds: the collection before each build, process start and exit
    }
    // a sample stands for the time since the previous one
    const us = profile.timeDeltas[s + 1] ?? profile.timeDeltas[s];
    const frame = frames.get(id)!;
    const time = result.get(interval.side)!;
    add(time.phases, interval.phase, us);
    add(time.packages, packageOf(frame.url, frame.functionName), us);
    add(time.functions, frameName(frame), us);
  });
  return result;
}

function parseArgs(argv: string[]): { n: number; rounds: number; top: number } {
  const options = { n: 1000, rounds: 10, top: 12 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '') as keyof typeof options;
    const value = Number(argv[i + 1]);
    if (!(key in options) || !(value > 0)) {
      throw new Error(`usage: npm run bench:profile -- [--n N] [--rounds R] [--top K] (got '${argv.slice(i, i + 2).join(' ')}')`);
    }
    options[key] = value;
  }
  return options;
}

function main(): void {
  const { n, rounds, top } = parseArgs(process.argv.slice(2));
  const standard = n === 1000 && rounds === 10;
  fs.mkdirSync(SCRATCH, { recursive: true });
  process.stderr.write('building lib/ (npm run build)\n');
  run('npm', ['run', 'build', '--silent'], { cwd: ROOT });
  const script = transpileToScratch(path.join(__dirname, 'workload.ts'), path.join(SCRATCH, 'workload.js'));
  fs.rmSync(PROFILES, { recursive: true, force: true });
  process.stderr.write(`profiling N=${n}, ${rounds} builds per side\n`);
  const out = run(process.execPath, ['--expose-gc', '--cpu-prof', '--cpu-prof-dir', PROFILES, '--cpu-prof-interval', '200', script, 'interleaved', String(n), String(rounds)], { cwd: ROOT });
  const intervals = JSON.parse(out.trim().split('\n').pop()!) as PhaseInterval[];
  const [file] = fs.readdirSync(PROFILES).filter(f => f.endsWith('.cpuprofile'));
  const profile = JSON.parse(fs.readFileSync(path.join(PROFILES, file), 'utf8')) as CpuProfile;
  const bySide = attribute(profile, intervals);

  // per build, milliseconds
  const perBuild = (us: number | undefined) => (us ?? 0) / 1000 / rounds;
  const total = (side: Side) => [...bySide.get(side)!.phases.values()].reduce((a, b) => a + b, 0);
  const base = bySide.get('baseline')!;
  const lines: string[] = [];
  lines.push(`N = ${n}, ${rounds} builds per side, taking turns in one process; node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg().map(l => l.toFixed(2)).join(' ')}.`);
  lines.push('CPU time per build, ms, from `node --cpu-prof` samples (every 200 us) assigned to the side and phase running at the time;');
  lines.push('garbage collection included, the collection before each build not. (ratio to cdk8s-plus-27)');
  lines.push('');
  lines.push(`| side | ${PHASES.join(' | ')} | total |`);
  lines.push(`|---|${PHASES.map(() => '---:').join('|')}|---:|`);
  for (const side of SIDES) {
    const time = bySide.get(side)!;
    const cells = PHASES.map(phase => `${ms(perBuild(time.phases.get(phase)))} (${ratio(time.phases.get(phase) ?? 0, base.phases.get(phase) ?? 1)})`);
    lines.push(`| ${SIDE_LABELS[side]} | ${cells.join(' | ')} | ${ms(perBuild(total(side)))} (**${ratio(total(side), total('baseline'))}**) |`);
  }
  lines.push('');
  lines.push('By package (self time of the sampled functions), ms per build:');
  lines.push('');
  const packages = [...new Set(SIDES.flatMap(side => [...bySide.get(side)!.packages.keys()]))]
    .sort((a, b) => (bySide.get('ours')!.packages.get(b) ?? 0) - (bySide.get('ours')!.packages.get(a) ?? 0));
  lines.push(`| package | ${SIDES.map(side => SIDE_LABELS[side]).join(' | ')} | ours - same output |`);
  lines.push(`|---|${SIDES.map(() => '---:').join('|')}|---:|`);
  for (const pkg of packages) {
    const of = (side: Side) => perBuild(bySide.get(side)!.packages.get(pkg));
    lines.push(`| ${pkg} | ${SIDES.map(side => ms(of(side))).join(' | ')} | ${(of('ours') - of('baseline-same-output')).toFixed(1)} |`);
  }
  lines.push('');
  lines.push(`The ${top} functions whose self time grows most from cdk8s-plus-27 to ExposedDeployment, ms per build:`);
  lines.push('');
  const functions = [...new Set([...bySide.get('ours')!.functions.keys(), ...base.functions.keys()])]
    .map(name => ({ name, ours: perBuild(bySide.get('ours')!.functions.get(name)), same: perBuild(bySide.get('baseline-same-output')!.functions.get(name)), base: perBuild(base.functions.get(name)) }))
    .sort((a, b) => (b.ours - b.base) - (a.ours - a.base))
    .slice(0, top);
  lines.push('| function | cdk8s-plus-27 | ExposedDeployment | same output |');
  lines.push('|---|---:|---:|---:|');
  for (const f of functions) {
    lines.push(`| \`${f.name}\` | ${f.base.toFixed(1)} | ${f.ours.toFixed(1)} | ${f.same.toFixed(1)} |`);
  }
  const section = [`#### Latest profile (${new Date().toISOString().slice(0, 10)})`, '', ...lines].join('\n');
  process.stdout.write(`${section}\n`);
  if (standard) {
    writeReadmeSection(README, BEGIN, END, section);
    process.stderr.write(`wrote ${path.relative(ROOT, README)}\n`);
  }
}

main();
