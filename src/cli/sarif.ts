import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type * as Sarif from 'sarif';
import { Finding, ObjectRef, Severity } from '../validation/finding';
import { InputProblem } from '../validation/manifest-reader';
import { RuleInfo, RULES } from '../validation/rules';

// `cdk8s-svc lint --output sarif`: the findings as a SARIF 2.1.0 log (OASIS standard), for GitHub
// code scanning and other SARIF viewers. One run; one result per finding; the rules' metadata in
// tool.driver.rules; skipped templates and bad inputs as tool execution notifications. The output
// is deterministic: no timestamps, no absolute paths the user did not give.

const SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
const TOOL = 'cdk8s-svc lint';
/** How `readManifestPaths` names standard input. */
const STDIN = '<stdin>';
/** Standard input has no URI: it is `run.artifacts[0]`, and locations in it refer to it by index. */
const STDIN_INDEX = 0;
const STDIN_TEXT = 'standard input';

/** What `lint` read and found, as the SARIF log reports it. */
export interface SarifInput {
  /** Every finding, in report order. */
  readonly findings: Finding[];
  /** Documents or files skipped as templates. */
  readonly skipped: InputProblem[];
  /** Inputs that could not be read or parsed. */
  readonly errors: InputProblem[];
  /** The exit code `lint` returns. */
  readonly exitCode: number;
}

/** The package's version and home page, read at run time from its package.json (beside lib/, or src/ in a clone). */
function packageInfo(): { version: string; homepage?: string } {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
  return { version: String(pkg.version), homepage: typeof pkg.homepage === 'string' ? pkg.homepage : undefined };
}

/**
 * A path as a URI reference: a relative path stays relative (each segment percent-encoded, so
 * `my app/web.yaml` is `my%20app/web.yaml`); an absolute path becomes a `file:` URI.
 */
export function fileUri(file: string): string {
  if (path.isAbsolute(file)) {
    return pathToFileURL(file).href;
  }
  const separator = path.sep === '\\' ? /[\\/]/ : /\//;
  return file.split(separator).map(segment => encodeURIComponent(segment)).join('/');
}

/** `file:line` (the line the object starts on) as file and line; the file may itself hold colons. */
function splitSource(source: string): { file: string; line?: number } {
  const colon = source.lastIndexOf(':');
  const line = Number(source.slice(colon + 1));
  return colon > 0 && Number.isInteger(line) && line > 0 ? { file: source.slice(0, colon), line } : { file: source };
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A message and the sentence after it, with one full stop between. */
function sentences(first: string, second: string): string {
  return `${first}${/[.!?]$/.test(first) ? '' : '.'} ${second}`;
}

function level(severity: Severity): Sarif.Result.level {
  return severity === Severity.ERROR ? 'error' : 'warning';
}

/** Builds one run's locations; remembers whether standard input was referred to. */
class LocationBuilder {
  public stdinUsed = false;

  public artifactLocation(file: string): Sarif.ArtifactLocation {
    if (file === STDIN) {
      this.stdinUsed = true;
      return { index: STDIN_INDEX, description: { text: STDIN_TEXT } };
    }
    return { uri: fileUri(file) };
  }

  public physicalLocation(file: string, line?: number): Sarif.PhysicalLocation {
    return { artifactLocation: this.artifactLocation(file), ...(line !== undefined ? { region: { startLine: line } } : {}) };
  }

  /** An object of the input: where it starts, and `Kind namespace/name` plus the field at fault. */
  public object(ref: ObjectRef, field?: string): Sarif.Location {
    const object = `${ref.kind} ${ref.namespace}/${ref.name}`;
    const source = ref.source !== undefined ? splitSource(ref.source) : undefined;
    const logicalLocations: Sarif.LogicalLocation[] = [{ name: `${ref.namespace}/${ref.name}`, fullyQualifiedName: object, kind: 'resource' }];
    if (field !== undefined) {
      logicalLocations.push({ name: field, fullyQualifiedName: `${object} ${field}`, kind: 'property' });
    }
    return {
      ...(source !== undefined ? { physicalLocation: this.physicalLocation(source.file, source.line) } : {}),
      logicalLocations,
    };
  }
}

/** What a severity means (the `Severity` members' docs). */
const MEANING: Record<Severity, string> = {
  [Severity.ERROR]: 'traffic does not reach its pods, or Kubernetes rejects the object',
  [Severity.WARNING]: 'probably a mistake, but Kubernetes still routes traffic',
};

function rule(info: RuleInfo): Sarif.ReportingDescriptor {
  const description = capitalized(info.description);
  return {
    id: info.id,
    shortDescription: { text: info.description },
    fullDescription: { text: `${description}. Default level: ${info.severity} (${MEANING[info.severity]}).` },
    help: { text: `${description}.\n\nFix: ${info.fix}\n\nTo turn the rule off: cdk8s-svc lint --ignore ${info.id}` },
    defaultConfiguration: { level: level(info.severity) },
  };
}

function notification(problem: InputProblem, notificationLevel: Sarif.Notification.level, locations: LocationBuilder): Sarif.Notification {
  return {
    level: notificationLevel,
    message: { text: problem.message },
    locations: [{ physicalLocation: locations.physicalLocation(problem.file, problem.line) }],
  };
}

/**
 * The SARIF 2.1.0 log of one `cdk8s-svc lint` run, as JSON text.
 */
export function sarifReport(input: SarifInput): string {
  const pkg = packageInfo();
  const locations = new LocationBuilder();
  const ruleIndex = new Map(RULES.map((info, i) => [info.id, i]));

  const results = input.findings.map((finding): Sarif.Result => {
    const index = ruleIndex.get(finding.rule);
    return {
      ruleId: finding.rule,
      ...(index !== undefined ? { ruleIndex: index } : {}),
      level: level(finding.severity),
      message: { text: sentences(finding.message, `Fix: ${finding.recommendation}`) },
      locations: [locations.object(finding.resource, finding.field)],
      ...(finding.related !== undefined ? { relatedLocations: [{ id: 1, ...locations.object(finding.related), message: { text: `${finding.related.kind} ${finding.related.namespace}/${finding.related.name}` } }] } : {}),
    };
  });
  const invocation: Sarif.Invocation = {
    executionSuccessful: input.errors.length === 0,
    exitCode: input.exitCode,
    toolExecutionNotifications: [
      ...input.skipped.map(problem => notification(problem, 'note', locations)),
      ...input.errors.map(problem => notification(problem, 'error', locations)),
    ],
    ...(locations.stdinUsed ? { stdin: { index: STDIN_INDEX } } : {}),
  };
  const run: Sarif.Run = {
    tool: {
      driver: {
        name: TOOL,
        version: pkg.version,
        semanticVersion: pkg.version,
        ...(pkg.homepage !== undefined ? { informationUri: pkg.homepage } : {}),
        rules: RULES.map(rule),
      },
    },
    invocations: [invocation],
    ...(locations.stdinUsed ? { artifacts: [{ location: { index: STDIN_INDEX, description: { text: STDIN_TEXT } }, roles: ['analysisTarget', 'standardStream'] }] } : {}),
    results,
  };
  const log: Sarif.Log = { $schema: SCHEMA, version: '2.1.0', runs: [run] };
  return `${JSON.stringify(log, undefined, 2)}\n`;
}
