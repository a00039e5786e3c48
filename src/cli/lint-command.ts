import * as fs from 'fs';
import { isDns1123Label } from '../services/kubernetes-names';
import { quote } from '../services/quote';
import { Finding, Severity } from '../validation/finding';
import { runRules } from '../validation/engine';
import { InputProblem, readManifestPaths } from '../validation/manifest-reader';
import { RULES, severityAtLeast } from '../validation/rules';
import { Command, CommandIO, UsageError } from './dispatch';
import { sarifReport } from './sarif';

// `cdk8s-svc lint PATH...`: the wiring rules over any manifests (files, directories, stdin).
// Exit 0 when clean, 1 when a finding is at or above --fail-on, 2 for bad input or arguments.

const USAGE = `Usage: cdk8s-svc lint <path>... [--output text|json|sarif] [--fail-on error|warning] [--ignore <rule>]... [-n <ns>]

Check how the Services, workloads and Ingresses of Kubernetes manifests fit together: selectors
that match no pods, targetPorts no container declares, reused nodePorts, StatefulSets without
their headless Service, Ingress backends and env vars that name missing Services.

A <path> is a file, a directory (read recursively: *.yaml, *.yml, *.json; not node_modules/ or
directories starting with .) or - for standard input. Files may hold many YAML documents, JSON,
and kind: List objects. Each document is read on its own: a Helm template document (template
syntax in the YAML structure: a {{- if ... }} line, an unquoted {{ .Values.x }}) is skipped, and
the others are linted; render templates first (helm template, kustomize build) and lint the
output. {{ }} in quoted strings and block scalars (Prometheus rule annotations, Argo Workflows
parameters) is data. A duplicate key is read as kubectl reads it: the last value wins.

Options:
  --output text|json|sarif  the report format (default text); sarif is SARIF 2.1.0 for GitHub
                            code scanning and other SARIF viewers
  --fail-on error|warning   the lowest severity that fails (exit 1); default error
  --ignore <rule>           do not check this rule (repeatable)
  -n, --namespace <ns>      the namespace of objects without metadata.namespace (as kubectl
                            apply -n would create them); default default
  -h, --help                show this help

Rules:
${RULES.map(rule => `  ${rule.id.padEnd(31)} ${rule.severity.padEnd(8)} ${rule.description}`).join('\n')}

Exit status: 0 no finding at or above --fail-on, 1 findings, 2 bad input (unreadable path,
invalid YAML or JSON; the other documents and files are still linted) or bad arguments.

Examples:
  cdk8s-svc lint dist/
  helm template my-release ./chart | cdk8s-svc lint -
  cdk8s-svc lint k8s/ --output json --fail-on warning
  cdk8s-svc lint k8s/ --output sarif > lint.sarif
  cdk8s-svc lint k8s/shop/ -n shop
`;

const EXIT_FINDINGS = 1;
const EXIT_BAD_INPUT = 2;

interface LintArgs {
  readonly help: boolean;
  readonly paths: string[];
  readonly output: string;
  readonly failOn: Severity;
  readonly ignore: string[];
  readonly namespace?: string;
}

function usageError(message: string): UsageError {
  return new UsageError(`cdk8s-svc lint: ${message} (see cdk8s-svc lint --help)`);
}

function parseArgs(args: string[]): LintArgs {
  const paths: string[] = [];
  const ignore: string[] = [];
  let output = 'text';
  let failOn = Severity.ERROR;
  let namespace: string | undefined;
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      paths.push(...args.slice(i + 1));
      break;
    }
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      paths.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const given = eq < 0 ? arg : arg.slice(0, eq);
    const flag = given === '-n' ? '--namespace' : given;
    if (flag !== '--output' && flag !== '--fail-on' && flag !== '--ignore' && flag !== '--namespace') {
      throw usageError(`unknown option ${quote(arg)}; the options are --output text|json|sarif, --fail-on error|warning, --ignore <rule>, -n/--namespace <ns> and --help`);
    }
    if (eq < 0 && i + 1 >= args.length) {
      const example = { '--output': '--output json', '--fail-on': '--fail-on warning', '--ignore': '--ignore env-names-missing-service', '--namespace': `${given} shop` }[flag];
      throw usageError(`option ${given} has no value; write for example ${example}`);
    }
    const value = eq < 0 ? args[++i] : arg.slice(eq + 1);
    if (flag === '--output') {
      if (value !== 'text' && value !== 'json' && value !== 'sarif') {
        throw usageError(`--output ${quote(value)} is not a format; use text, json or sarif`);
      }
      output = value;
    } else if (flag === '--fail-on') {
      if (value !== Severity.ERROR && value !== Severity.WARNING) {
        throw usageError(`--fail-on ${quote(value)} is not a severity; use error or warning`);
      }
      failOn = value;
    } else if (flag === '--namespace') {
      if (namespace !== undefined) {
        throw usageError(`${given} is given twice (${quote(namespace)}, ${quote(value)}); give it once`);
      }
      if (!isDns1123Label(value)) {
        throw usageError(`namespace ${quote(value)} is not a valid namespace name; use at most 63 characters of [a-z0-9-], starting and ending alphanumeric (DNS-1123 label)`);
      }
      namespace = value;
    } else {
      if (!RULES.some(rule => rule.id === value)) {
        throw usageError(`--ignore ${quote(value)} is not a rule; use one of ${RULES.map(rule => rule.id).join(', ')}`);
      }
      ignore.push(value);
    }
  }
  return { help, paths, output, failOn, ignore, namespace };
}

/** `file:line` sources sort by file, then numerically by line. */
function compareSources(a: Finding, b: Finding): number {
  const [fileA, lineA] = splitSource(a.resource.source ?? '');
  const [fileB, lineB] = splitSource(b.resource.source ?? '');
  return fileA < fileB ? -1 : fileA > fileB ? 1 : lineA - lineB;
}

function splitSource(source: string): [string, number] {
  const colon = source.lastIndexOf(':');
  return colon < 0 ? [source, 0] : [source.slice(0, colon), Number(source.slice(colon + 1))];
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function textReport(findings: Finding[], skipped: InputProblem[], summary: string): string {
  const lines: string[] = [];
  for (const finding of findings) {
    lines.push(`${finding.resource.source}: ${finding.severity} [${finding.rule}] at ${finding.field}`);
    lines.push(`  ${finding.message}`);
    lines.push(`  fix: ${finding.recommendation}`);
    lines.push('');
  }
  for (const skip of skipped) {
    lines.push(skip.message);
  }
  lines.push(summary);
  return `${lines.join('\n')}\n`;
}

/** The exit status: bad input, else findings at or above `failOn`, else 0. */
function exitCode(badInputs: number, findings: Finding[], failOn: Severity): number {
  if (badInputs > 0) {
    return EXIT_BAD_INPUT;
  }
  return findings.some(finding => severityAtLeast(finding.severity, failOn)) ? EXIT_FINDINGS : 0;
}

function lint(args: LintArgs, io: CommandIO): number {
  const read = readManifestPaths(args.paths, () => fs.readFileSync(0, 'utf8'));
  const findings = runRules(read.inputs, { defaultNamespace: args.namespace, ignore: new Set(args.ignore) }).sort(compareSources);
  const errors = findings.filter(finding => finding.severity === Severity.ERROR).length;
  const warnings = findings.length - errors;
  const parts = [
    findings.length === 0 ? 'no findings' : `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`,
    ` in ${plural(read.inputs.length, 'object')} from ${plural(read.files.length, 'file')}`,
    ` (${plural(read.documents, 'document')} linted, ${read.skipped.length} skipped`,
    read.errors.length > 0 ? `, ${read.errors.length} bad input)` : ')',
  ];
  if (args.output === 'json') {
    io.stdout(`${JSON.stringify({
      findings,
      skipped: read.skipped,
      errors: read.errors,
      summary: { files: read.files.length, objects: read.inputs.length, documents: read.documents, errors, warnings, skipped: read.skipped.length, badInputs: read.errors.length },
    }, undefined, 2)}\n`);
  } else if (args.output === 'sarif') {
    io.stdout(sarifReport({ findings, skipped: read.skipped, errors: read.errors, exitCode: exitCode(read.errors.length, findings, args.failOn) }));
  } else {
    io.stdout(textReport(findings, read.skipped, parts.join('')));
  }
  for (const error of read.errors) {
    io.stderr(`${error.message}\n`);
  }
  return exitCode(read.errors.length, findings, args.failOn);
}

/**
 * `cdk8s-svc lint <path>... [--output text|json|sarif] [--fail-on error|warning] [--ignore RULE]... [-n NS]`
 */
export const LINT_COMMAND: Command = {
  name: 'lint',
  summary: 'check the Service wiring of any manifests (files, directories, - for stdin)',
  run(args: string[], io: CommandIO): number {
    let parsed: LintArgs;
    try {
      parsed = parseArgs(args);
      if (!parsed.help && parsed.paths.length === 0) {
        throw usageError('no path given; give files, directories or - for standard input, e.g. cdk8s-svc lint dist/');
      }
    } catch (error) {
      if (error instanceof UsageError) {
        io.stderr(`${error.message}\n`);
        return EXIT_BAD_INPUT;
      }
      throw error;
    }
    if (parsed.help) {
      io.stdout(USAGE);
      return 0;
    }
    return lint(parsed, io);
  },
};
