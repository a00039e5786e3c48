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
  root.node.addValidation({
    validate: () => checkWiring(modelFromConstructs(root))
      .filter(finding => FAILS_SYNTH(finding.rule, finding.severity))
      .map(finding => `${finding.message} [${finding.rule}]`),
  });
}
