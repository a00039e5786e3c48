import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ms, prepareWorkload, ratio, run, writeReadmeSection } from './stats';
import { Side, SIDES, Workload, WORKLOADS } from './sides';
import type { PhaseInterval } from './workload';

// `npm run bench:profile`: where the time of the workload goes (main-thread time, sampled). Runs the three sides of
// bench/workload.ts taking turns in one process under `node --cpu-prof` (N = 1,000, 10 builds per
// side), assigns every sample (garbage collection included) to its side and phase by time, and
// splits each side's time by the package of the sampled function: how much of the gap to
// cdk8s-plus-27 is this package's code, and how much is cdk8s, cdk8s-plus-27 and the YAML writer
// doing more work for richer manifests. Prints the tables and writes them into bench/README.md
// between the markers below.
//
//   npm run bench:profile                   N = 1,000, 10 builds per side (about a minute)
//   npm run bench:profile -- --n 100 --rounds 20 --top 20   another size; bench/README.md is left alone
//   npm run bench:profile -- --workload routes             with an HTTPRoute per Deployment; README left alone

const ROOT = path.join(__dirname, '..');
const SCRATCH = path.join(ROOT, '.bench');
const PROFILES = path.join(SCRATCH, 'profile');
const README = path.join(__dirname, 'README.md');
const BEGIN = '<!-- profile-bench:begin (written by npm run bench:profile; do not edit by hand) -->';
const END = '<!-- profile-bench:end -->';

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

/** Frames that stand for the engine's own states rather than for code. */
const ENGINE_STATES = new Set(['(garbage collector)', '(program)', '(idle)', '(root)']);

/**
 * Split the samples of `profile` by side, phase, package and function (self time). A frame without
 * a script (a regular expression, a builtin) counts for the nearest caller that has one: the YAML
 * writer's regular expressions are the YAML writer's time.
 */
function attribute(profile: CpuProfile, intervals: PhaseInterval[]): Map<Side, SideTime> {
  const byId = new Map(profile.nodes.map(node => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) {
      parents.set(child, node.id);
    }
  }
  const owner = (id: number) => {
    const own = byId.get(id)!.callFrame;
    if (own.url !== '' || ENGINE_STATES.has(own.functionName)) {
      return own;
    }
    for (let at = parents.get(id); at !== undefined; at = parents.get(at)) {
      const frame = byId.get(at)!.callFrame;
      if (frame.url !== '') {
        return frame;
      }
    }
    return own;
  };
  const result = new Map<Side, SideTime>(SIDES.map(side => [side, { phases: new Map(), packages: new Map(), functions: new Map() }]));
  const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us);
  const sorted = [...intervals].sort((a, b) => a.startUs - b.startUs);
  let at = profile.startTime;
  let i = 0;
  profile.samples.forEach((id, s) => {
    // a sample is taken timeDeltas[s] after the previous one, and stands for that time
    const us = profile.timeDeltas[s];
    at += us;
    while (i < sorted.length && sorted[i].endUs < at) {
      i++;
    }
    const interval = sorted[i];
    if (interval === undefined || interval.startUs > at) {
      return; // between builds: the collection before each build, the warm-up, process start and exit
    }
    const frame = owner(id);
    const time = result.get(interval.side)!;
    add(time.phases, interval.phase, us);
    add(time.packages, packageOf(frame.url, frame.functionName), us);
    add(time.functions, frameName(frame), us);
  });
  return result;
}

/** Text for a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function parseArgs(argv: string[]): { n: number; rounds: number; top: number; workload: Workload } {
  const options = { n: 1000, rounds: 10, top: 12 };
  let workload: Workload = 'services';
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (key === 'workload' && WORKLOADS.includes(argv[i + 1] as Workload)) {
      workload = argv[i + 1] as Workload;
      continue;
    }
    const value = Number(argv[i + 1]);
    if (!(key in options) || !(value > 0)) {
      throw new Error(`usage: npm run bench:profile -- [--n N] [--rounds R] [--top K] [--workload ${WORKLOADS.join('|')}] (got '${argv.slice(i, i + 2).join(' ')}')`);
    }
    options[key as keyof typeof options] = value;
  }
  return { ...options, workload };
}

function main(): void {
  const args = process.argv.slice(2);
  const { n, rounds, top, workload } = parseArgs(args);
  const standard = args.length === 0;
  fs.mkdirSync(SCRATCH, { recursive: true });
  process.stderr.write('building lib/ (npm run build)\n');
  run('npm', ['run', 'build', '--silent'], { cwd: ROOT });
  const script = prepareWorkload(SCRATCH);
  fs.rmSync(PROFILES, { recursive: true, force: true });
  process.stderr.write(`profiling N=${n} (${workload}), ${rounds} builds per side\n`);
  const out = run(process.execPath, ['--expose-gc', '--cpu-prof', '--cpu-prof-dir', PROFILES, '--cpu-prof-interval', '200', script, 'interleaved', String(n), String(rounds), workload], { cwd: ROOT });
  const intervals = JSON.parse(out.trim().split('\n').pop()!) as PhaseInterval[];
  // kept next to the profile, for a closer look (e.g. in Chrome DevTools, or by phase)
  fs.writeFileSync(path.join(PROFILES, 'intervals.json'), JSON.stringify(intervals));
  const [file] = fs.readdirSync(PROFILES).filter(f => f.endsWith('.cpuprofile'));
  const profile = JSON.parse(fs.readFileSync(path.join(PROFILES, file), 'utf8')) as CpuProfile;
  const bySide = attribute(profile, intervals);

  // per build, milliseconds
  const perBuild = (us: number | undefined) => (us ?? 0) / 1000 / rounds;
  const total = (side: Side) => [...bySide.get(side)!.phases.values()].reduce((a, b) => a + b, 0);
  const base = bySide.get('baseline')!;
  const lines: string[] = [];
  lines.push(`N = ${n}${workload === 'routes' ? ', each Deployment with an HTTPRoute' : ''}, ${rounds} builds per side, taking turns in one process; node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg().map(l => l.toFixed(2)).join(' ')}.`);
  lines.push('Main-thread time per build, ms, from `node --cpu-prof` samples (every 200 us) assigned to the side and phase running at the');
  lines.push('time: garbage collection on the main thread included, the collection before each build and a first, warm-up round not.');
  lines.push('(ratio to cdk8s-plus-27)');
  lines.push('');
  lines.push(`| side | ${PHASES.join(' | ')} | total |`);
  lines.push(`|---|${PHASES.map(() => '---:').join('|')}|---:|`);
  for (const side of SIDES) {
    const time = bySide.get(side)!;
    const cells = PHASES.map(phase => `${ms(perBuild(time.phases.get(phase)))} (${ratio(time.phases.get(phase) ?? 0, base.phases.get(phase) ?? 1)})`);
    lines.push(`| ${SIDE_LABELS[side]} | ${cells.join(' | ')} | ${ms(perBuild(total(side)))} (**${ratio(total(side), total('baseline'))}**) |`);
  }
  lines.push('');
  lines.push('By package (self time of the sampled functions; a regular expression or builtin counts for its caller), ms per build:');
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
    lines.push(`| \`${cell(f.name)}\` | ${f.base.toFixed(1)} | ${f.ours.toFixed(1)} | ${f.same.toFixed(1)} |`);
  }
  lines.push('');
  lines.push(`The ${top} functions of this package with the most self time in ExposedDeployment's builds, ms per build:`);
  lines.push('');
  lines.push('| function | ms |');
  lines.push('|---|---:|');
  const ours = bySide.get('ours')!.functions;
  for (const [name, us] of [...ours].filter(([name]) => name.includes(' lib/')).sort((a, b) => b[1] - a[1]).slice(0, top)) {
    lines.push(`| \`${cell(name)}\` | ${perBuild(us).toFixed(1)} |`);
  }
  const section = [`#### Latest profile (${new Date().toISOString().slice(0, 10)})`, '', ...lines].join('\n');
  process.stdout.write(`${section}\n`);
  if (standard) {
    writeReadmeSection(README, BEGIN, END, section);
    process.stderr.write(`wrote ${path.relative(ROOT, README)}\n`);
  }
}

main();
