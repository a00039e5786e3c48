import { Chart } from 'cdk8s';
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
 * The messages of the last run, kept for the rest of the current synchronous run. cdk8s validates
 * the whole app in `App.synth()` and again in every chart's `toJson()`, so an app of K charts would
 * run the rules K + 1 times. Within one synth nothing changes; a result is reused only while the app
 * has the same number of constructs and no typed Service has changed, and a later synth (the next
 * tick) checks afresh. Its own closure scope, so the queued reset holds no reference to the app.
 */
function runCache(): { get(constructs: number): string[] | undefined; set(constructs: number, messages: string[]): void } {
  let cached: { constructs: number; version: number; messages: string[] } | undefined;
  return {
    get: constructs => (cached !== undefined && cached.constructs === constructs && cached.version === version ? cached.messages : undefined),
    set: (constructs, messages) => {
      if (cached === undefined) {
        queueMicrotask(() => {
          cached = undefined;
        });
      }
      cached = { constructs, version, messages };
    },
  };
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
  const cache = runCache();
  // on the chart of the first typed Service rather than on the App, whose empty path cdk8s would
  // print as `[] ` before every message
  Chart.of(scope).node.addValidation({
    validate: () => {
      const constructs = root.node.findAll();
      const cached = cache.get(constructs.length);
      if (cached !== undefined) {
        return cached;
      }
      const messages = checkWiring(modelFromConstructs(root, constructs))
        .filter(finding => FAILS_SYNTH(finding.rule, finding.severity))
        .map(finding => `${finding.message} [${finding.rule}]`);
      cache.set(constructs.length, messages);
      return messages;
    },
  });
}
