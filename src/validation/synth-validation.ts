import { IConstruct } from 'constructs';
import { modelFromConstructs } from './from-constructs';
import { Severity } from './finding';
import { checkWiring } from './rules';

// Cross-object validation at synth: the wiring rules over the construct tree, attached once per
// app to its root, so `cdk8s synth` fails with a message naming both objects.

const ATTACHED = Symbol.for('cdk8s-service-patterns.wiring-validation');

/**
 * Rules whose findings fail synth. At synth the app is the whole truth about its own workloads, so
 * a numeric targetPort that its own containers do not declare fails too (the lint, which sees
 * arbitrary manifests, only warns). `env-names-missing-service` is left to the lint: Services
 * outside the app are normal.
 */
const FAILS_SYNTH = (rule: string, severity: Severity) => severity === Severity.ERROR || rule === 'numeric-target-port-undeclared';

/** Counts the changes of typed Services (ports, selectors) since the module loaded. */
let version = 0;

/**
 * Record that a typed Service changed what the rules read.
 * @internal
 */
export function noteWiringChange(): void {
  version++;
}

/**
 * cdk8s validates the whole app in `App.synth()` and again in every chart's `toJson()`, so an app
 * of K charts would run the rules K + 1 times. Their result is kept for the rest of the current
 * synchronous run (a synth is one), while the app has the same constructs and no typed Service has
 * changed: within one synth nothing changes, and a later synth (the next tick) checks afresh.
 */
interface CachedResult {
  readonly constructs: number;
  readonly version: number;
  readonly messages: string[];
}

/**
 * Make sure the wiring rules run when the app of `scope` is synthesized (once per app).
 * @internal
 */
export function attachWiringValidation(scope: IConstruct): void {
  const root = scope.node.root as IConstruct & { [ATTACHED]?: boolean };
  if (root[ATTACHED]) {
    return;
  }
  root[ATTACHED] = true;
  let cached: CachedResult | undefined;
  root.node.addValidation({
    validate: () => {
      const constructs = root.node.findAll();
      if (cached !== undefined && cached.constructs === constructs.length && cached.version === version) {
        return cached.messages;
      }
      const messages = checkWiring(modelFromConstructs(root, constructs))
        .filter(finding => FAILS_SYNTH(finding.rule, finding.severity))
        .map(finding => `${finding.message} [${finding.rule}]`);
      if (cached === undefined) {
        queueMicrotask(() => {
          cached = undefined;
        });
      }
      cached = { constructs: constructs.length, version, messages };
      return messages;
    },
  });
}
