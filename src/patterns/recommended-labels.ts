import { Names } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { fittedName } from '../services/generated-names';
import { isDns1123Label, isLabelValue } from '../services/kubernetes-names';

// The Kubernetes recommended labels every pattern puts on what it creates.
// https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/

const LABEL_NAME = 'app.kubernetes.io/name';
const LABEL_INSTANCE = 'app.kubernetes.io/instance';
const LABEL_COMPONENT = 'app.kubernetes.io/component';

/**
 * The recommended labels of a pattern: `name` (default: the construct id, lower-cased), `instance`
 * (unique per construct path) and `component`. `fix` says what to change when the construct id gives
 * no name.
 * @internal
 */
export function recommendedLabels(
  scope: Construct,
  owner: string,
  appName: string | undefined,
  component: string,
  fix = 'pass appName',
): Record<string, string> {
  const name = appName ?? scope.node.id.toLowerCase().replace(/[^a-z0-9-]+/g, '-').slice(0, 63).replace(/^-+|-+$/g, '');
  if (appName === undefined && name === '') {
    throw new Error(`${owner}: the construct id '${scope.node.id}' gives no app.kubernetes.io/name label (it has no letters or digits); ${fix}`);
  }
  for (const [prop, value] of [['appName', name], ['component', component]]) {
    if (!isDns1123Label(value)) {
      throw new Error(`${owner}: ${prop} '${value}' is not a valid label value here; use at most 63 characters of [a-z0-9-], starting and ending alphanumeric`);
    }
  }
  // cdk8s' name of the construct path, unless it is no label value (a construct id starting with '_' or '.')
  const instance = Names.toDnsLabel(scope);
  return {
    [LABEL_NAME]: name,
    [LABEL_INSTANCE]: isLabelValue(instance) ? instance : fittedName(scope.node.path, 63),
    [LABEL_COMPONENT]: component,
  };
}

/**
 * The `app.kubernetes.io/instance` label `instanceName`, to spread over `recommendedLabels()` (in
 * place of the one from the construct path); none without an instanceName.
 * @internal
 */
export function instanceLabel(instanceName: string | undefined): Record<string, string> {
  return instanceName === undefined ? {} : { [LABEL_INSTANCE]: instanceName };
}

/**
 * Put `labels` on the pod template of `workload` too, so its pods carry them.
 * @internal
 */
export function labelPods(workload: kplus.AbstractPod, labels: Record<string, string>): void {
  const podMetadata = workload.podMetadata;
  for (const key of Object.keys(labels)) {
    podMetadata.addLabel(key, labels[key]);
  }
}
