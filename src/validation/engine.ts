import { Finding, ObjectRef, Severity } from './finding';
import { ManifestInput, modelFromManifests } from './from-manifests';
import { checkInputs } from './input-rules';
import { checkWiring } from './rules';

// The one entry point of the rules: synth (over the JSON cdk8s is about to write), the validation
// plugin (over the files it wrote) and `cdk8s-svc lint` (over any YAML) all call `runRules`, so all
// three reach the same verdict on the same objects.

/** @internal */
export interface RunRulesOptions {
  /**
   * The namespace of objects without `metadata.namespace` (what `kubectl apply -n` would use).
   * @default 'default'
   */
  readonly defaultNamespace?: string;
  /**
   * Rule ids not to check.
   * @default - none
   */
  readonly ignore?: ReadonlySet<string>;
  /**
   * Severities that replace a rule's default.
   * @default - every rule at its default severity
   */
  readonly severities?: ReadonlyMap<string, Severity>;
  /**
   * The node port range of the cluster an object goes to (`kube-apiserver
   * --service-node-port-range`), for `node-port-out-of-range`.
   * @default - 30000-32767 for every object (also when it returns undefined)
   */
  readonly nodePortRangeOf?: (ref: ObjectRef) => { min: number; max: number } | undefined;
}

/**
 * Every finding of every rule over `inputs`, less the rules turned off (app-wide through
 * `ignore`, or per object through its annotation), with the severities that `severities` sets.
 * @internal
 */
export function runRules(inputs: ManifestInput[], options: RunRulesOptions = {}): Finding[] {
  const model = modelFromManifests(inputs, { defaultNamespace: options.defaultNamespace });
  const findings = checkWiring(model, { nodePortRangeOf: options.nodePortRangeOf }).concat(checkInputs(inputs, options.defaultNamespace ?? 'default'));
  const ignore = options.ignore ?? new Set<string>();
  const severities = options.severities ?? new Map<string, Severity>();
  // the rules an object silences on itself with `ignore-check.cdk8s-service-patterns/<rule>`
  // annotations, found by what names the object (the reading rules build refs of their own)
  const ignoredOn = new Map<string, Set<string>>();
  for (let i = 0; i < model.objects.length; i++) {
    const object = model.objects[i];
    if (object.ignoreChecks.length > 0) {
      ignoredOn.set(refKey(object.ref), new Set(object.ignoreChecks));
    }
  }
  return findings
    .filter(finding => !ignore.has(finding.rule) && !ignoredOn.get(refKey(finding.resource))?.has(finding.rule))
    .map(finding => {
      const severity = severities.get(finding.rule);
      return severity === undefined || severity === finding.severity ? finding : { ...finding, severity };
    });
}

function refKey(ref: ObjectRef): string {
  return [ref.kind, ref.namespace, ref.name, ref.source ?? '', ref.constructPath ?? ''].join('\u0000');
}
