import { Finding, Severity } from './finding';
import { runRules } from './engine';
import { ManifestInput } from './from-manifests';
import { readManifestFile } from './manifest-reader';
import { editDistance, RULES, severityAtLeast } from './rules';

// The cdk8s validation plugin: the wiring rules over the manifests `cdk8s synth` wrote, for any
// cdk8s app (plain cdk8s-plus objects, `Include`d YAML, Helm charts), reported in cdk8s' format.
// The few members of cdk8s-cli's plugin contract it uses are described here, so the library
// neither depends on cdk8s-cli nor exposes its types.

/**
 * Where cdk8s recorded an object of the app: what the validation context's `metadata` holds for
 * each `metadata.name`.
 */
export interface ValidationPluginConstructMetadata {
  /** The construct path of the object, e.g. `shop/Web/Resource`. */
  readonly path: string;
}

/**
 * An object that violates a rule, as cdk8s' validation report takes it.
 */
export interface ValidationPluginResource {
  /** The object's `metadata.name`; cdk8s looks its construct path up by this name. */
  readonly resourceName: string;
  /** The fields at fault, e.g. `spec.ports[0].targetPort`. */
  readonly locations: string[];
  /** The manifest file the object was written to. */
  readonly manifestPath: string;
}

/**
 * One violation, as cdk8s' validation report takes it.
 */
export interface ValidationPluginViolation {
  /** The rule's id, e.g. `named-target-port-missing`. */
  readonly ruleName: string;
  /** What is wrong. */
  readonly recommendation: string;
  /** How to fix it. */
  readonly fix: string;
  /** The objects that violate the rule. */
  readonly violatingResources: ValidationPluginResource[];
}

/**
 * The report of cdk8s-cli's validation context (`ValidationReport`): the members this plugin uses.
 */
export interface IValidationPluginReport {
  /** Add a violation. */
  addViolation(violation: ValidationPluginViolation): void;
  /**
   * Submit the report.
   *
   * @param status `success` or `failure`
   * @param metadata extra rows for the report's summary
   */
  submit(status: string, metadata?: { [key: string]: string }): void;
}

/**
 * cdk8s-cli's validation context (`ValidationContext`): the members this plugin uses.
 */
export interface IValidationPluginContext {
  /** The manifest files `cdk8s synth` wrote. */
  readonly manifests: string[];
  /**
   * The construct path of each object, by `metadata.name`.
   *
   * @default - no construct paths are known
   */
  readonly metadata?: { [name: string]: ValidationPluginConstructMetadata };
  /** The report to fill in and submit. */
  readonly report: IValidationPluginReport;
}

/**
 * Properties of the validation plugin, given under `properties:` in `cdk8s.yaml`.
 */
export interface ServiceWiringValidationProps {
  /**
   * The lowest severity whose findings fail `cdk8s synth`; findings below it are reported only.
   *
   * @default Severity.ERROR
   */
  readonly failOn?: Severity;
  /**
   * Rule ids not to check, e.g. `env-names-missing-service`.
   *
   * @default - every rule is checked
   */
  readonly ignore?: string[];
}

const WHO = 'ServiceWiringValidation';
/** The properties the plugin takes; any other key under `properties:` is an error. */
const PROPERTIES = ['failOn', 'ignore'];

/**
 * A cdk8s validation plugin that checks how the Services, workloads and Ingresses of the
 * synthesized manifests fit together (the same rules as `cdk8s-svc lint`). Add it to
 * `cdk8s.yaml`:
 *
 * ```yaml
 * validations:
 *   - package: ./node_modules/cdk8s-service-patterns
 *     class: ServiceWiringValidation
 *     version: 0.1.0
 *     properties:
 *       failOn: error
 *       ignore: [env-names-missing-service]
 * ```
 *
 * The properties (all optional; any other key, such as `failon` or `fail-on`, is an error):
 * - `failOn`: `error` (the default) or `warning`, the lowest severity whose findings fail
 *   `cdk8s synth`; findings below it are reported only.
 * - `ignore`: a list of rule ids not to check, e.g. `[env-names-missing-service]`.
 *
 * The report has one violation per rule, listing every object that violates it, with each
 * object's message and fix in the violation's recommendation.
 *
 * @see https://cdk8s.io/docs/latest/cli/synth/#validation-plugins
 */
export class ServiceWiringValidation {
  private readonly failOn: Severity;
  private readonly ignore: Set<string>;

  constructor(props: ServiceWiringValidationProps = {}) {
    // properties come from cdk8s.yaml untyped: a misspelt key would silently change nothing
    if (props === null || typeof props !== 'object' || Array.isArray(props)) {
      throw new Error(`${WHO}: properties ${JSON.stringify(props)} is not a mapping; give for example properties: { failOn: warning }`);
    }
    for (const [key, value] of Object.entries(props)) {
      if (!PROPERTIES.includes(key)) {
        const near = PROPERTIES.find(known => isNearMiss(key, known));
        const hint = near !== undefined ? ` (did you mean ${near}?)` : '';
        throw new Error(`${WHO}: unknown property ${key}: ${JSON.stringify(value)}; use ${PROPERTIES.join(' or ')}${hint}`);
      }
    }
    const severities = Object.values(Severity) as string[];
    const failOn = props.failOn ?? Severity.ERROR;
    if (!severities.includes(failOn)) {
      throw new Error(`${WHO}: failOn ${JSON.stringify(failOn)} is not a severity; use ${severities.map(s => `'${s}'`).join(' or ')}`);
    }
    const ignore = props.ignore ?? [];
    if (!Array.isArray(ignore)) {
      throw new Error(`${WHO}: ignore ${JSON.stringify(ignore)} is not a list; give a list of rule ids, e.g. [env-names-missing-service]`);
    }
    for (const id of ignore) {
      if (!RULES.some(rule => rule.id === id)) {
        throw new Error(`${WHO}: ignore names ${JSON.stringify(id)}, which is not a rule; use ${RULES.map(rule => rule.id).join(', ')}`);
      }
    }
    this.failOn = failOn;
    this.ignore = new Set(ignore);
  }

  /**
   * Check the manifests of `context` and submit its report: `failure` when a finding is at or
   * above `failOn`.
   */
  public async validate(context: IValidationPluginContext): Promise<void> {
    const metadata = context.metadata ?? {};
    const files = new Map<string, string>(); // source (file:line) -> manifest path
    const parsed: ManifestInput[] = [];
    for (const manifest of context.manifests) {
      for (const input of readManifestFile(manifest, WHO)) {
        files.set(input.source!, manifest);
        parsed.push(input);
      }
    }
    // cdk8s records construct paths by metadata.name only: a name two objects share is ambiguous.
    const uses = new Map<string, number>();
    for (const input of parsed) {
      const name = String(input.manifest.metadata?.name);
      uses.set(name, (uses.get(name) ?? 0) + 1);
    }
    const inputs = parsed.map(input => {
      const name = String(input.manifest.metadata?.name);
      return uses.get(name) === 1 && metadata[name] !== undefined ? { ...input, constructPath: metadata[name].path } : input;
    });

    const findings = runRules(inputs, { ignore: this.ignore });
    // cdk8s prints one section per violation, `<rule> (N occurrences)`: one violation per rule
    const byRule = new Map<string, Finding[]>();
    for (const finding of findings) {
      const group = byRule.get(finding.rule);
      if (group === undefined) {
        byRule.set(finding.rule, [finding]);
      } else {
        group.push(finding);
      }
    }
    for (const [rule, group] of byRule) {
      context.report.addViolation(violation(rule, group, files));
    }
    const count = (severity: Severity) => findings.filter(finding => finding.severity === severity).length;
    const failed = findings.some(finding => severityAtLeast(finding.severity, this.failOn));
    context.report.submit(failed ? 'failure' : 'success', {
      'Errors': String(count(Severity.ERROR)),
      'Warnings': String(count(Severity.WARNING)),
      'Fails on': this.failOn,
      ...(this.ignore.size > 0 ? { Ignored: [...this.ignore].join(', ') } : {}),
    });
  }
}

/** Whether `key` is a misspelling of `known`: another case or separator, or one or two letters off. */
function isNearMiss(key: string, known: string): boolean {
  return editDistance(key.toLowerCase().replace(/[^a-z0-9]/g, ''), known.toLowerCase()) <= 2;
}

/**
 * The violation of one rule: every object that violates it (with the fields at fault), and each
 * finding's message and fix. One finding keeps its own message and fix; several are listed in the
 * recommendation, and the fix is theirs when they share it, else the rule's.
 */
function violation(rule: string, findings: Finding[], files: Map<string, string>): ValidationPluginViolation {
  const resources = new Map<string, { resourceName: string; locations: string[]; manifestPath: string }>();
  for (const finding of findings) {
    const source = finding.resource.source!; // file:line names one object of the manifests
    const resource = resources.get(source) ?? { resourceName: finding.resource.name, locations: [], manifestPath: files.get(source)! };
    resource.locations.push(finding.field);
    resources.set(source, resource);
  }
  const fixes = new Set(findings.map(finding => finding.recommendation));
  const sharedFix = fixes.size === 1 ? findings[0].recommendation : undefined;
  const recommendation = findings.length === 1
    ? `${findings[0].message} (${findings[0].severity})`
    : [
      `${findings.length} findings:`,
      ...findings.map(finding => `    - ${finding.message} (${finding.severity})${sharedFix === undefined ? `\n      fix: ${finding.recommendation}` : ''}`),
    ].join('\n');
  return {
    ruleName: rule,
    recommendation,
    fix: sharedFix ?? RULES.find(info => info.id === rule)?.fix ?? 'See the fix of each finding above.',
    violatingResources: [...resources.values()],
  };
}
