import { ApiObjectMetadata } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { OBJECT_NAME, withGeneratedName } from '../services/generated-names';
import { isDns1035Label, isDns1123Subdomain } from '../services/kubernetes-names';
import { Fail, quote } from '../services/quote';
import { labelPods } from './recommended-labels';

// A stack's `instanceName`: what the stack writes stops depending on its construct path. Without
// it, cdk8s derives every name (`<path>-<hash>`), the `app.kubernetes.io/instance` label and the
// `cdk8s.io/metadata.addr` label that selects each workload's pods from the path, so moving the
// stack under another construct renames and re-selects everything.

/**
 * The metadata of the stack child `id`: named `name` when given, else `<instanceName>-<suffix>` with
 * an instanceName, else with the name generated from the construct path (kept whenever it fits, as
 * everywhere else).
 * @internal
 */
export function stackMetadata(
  scope: IConstruct,
  id: string,
  instanceName: string | undefined,
  suffix: string,
  labels: Record<string, string>,
  name?: string,
): ApiObjectMetadata {
  if (name !== undefined) {
    return { name, labels };
  }
  return instanceName === undefined
    ? withGeneratedName({ labels }, scope, id, OBJECT_NAME)
    : { name: `${instanceName}-${suffix}`, labels };
}

/**
 * The metadata of a stack child that fits its own generated name to its kind (a typed Service, an
 * `HttpRoute`): named `<instanceName>-<suffix>` with an instanceName, else unnamed.
 * @internal
 */
export function selfNamingMetadata(instanceName: string | undefined, suffix: string, labels: Record<string, string>): ApiObjectMetadata {
  return instanceName === undefined ? { labels } : { name: `${instanceName}-${suffix}`, labels };
}

/**
 * The stack's Deployment `id` with `props`: its metadata as `stackMetadata` gives it, its pods
 * labelled with `labels`, and, with an instanceName, selected by its name (`selectPodsBy`) rather
 * than by a label derived from the construct path.
 * @internal
 */
export function stackDeployment(
  scope: Construct,
  id: string,
  instanceName: string | undefined,
  suffix: string,
  labels: Record<string, string>,
  props: kplus.DeploymentProps,
): kplus.Deployment {
  const deployment = new kplus.Deployment(scope, id, {
    ...props,
    metadata: stackMetadata(scope, id, instanceName, suffix, labels),
    // with an instanceName, selected below by its name: a Deployment's selector is immutable
    select: instanceName === undefined,
  });
  labelPods(deployment, labels);
  if (instanceName !== undefined) {
    selectPodsBy(deployment, deployment.name, true);
  }
  return deployment;
}

/**
 * Give the pods of `workload` the `cdk8s.io/metadata.addr` label `value` in place of the one
 * cdk8s-plus derives from the construct path, and, unless the workload was created with
 * `select: false` and selects nothing yet (a Job: its selector is the API server's), select them by
 * it. Services and NetworkPolicies that select the workload read the label from its pod template,
 * so they follow. `value` is the workload's name: unique among the workloads of a namespace.
 * @internal
 */
export function selectPodsBy(workload: kplus.Workload, value: string, selectPods: boolean): void {
  workload.podMetadata.addLabel(kplus.Pod.ADDRESS_LABEL, value);
  if (selectPods) {
    workload.select(kplus.LabelSelector.of({ labels: { [kplus.Pod.ADDRESS_LABEL]: value } }));
  }
}

/**
 * Check an `instanceName`: a Service name (DNS-1035 label) short enough that `<instanceName>-<the
 * longest suffix>` still is one of at most 63 characters.
 * @internal
 */
export function checkInstanceName(fail: Fail, instanceName: string, longestSuffix: string): void {
  const max = 63 - longestSuffix.length - 1;
  if (instanceName.length > max || !isDns1035Label(instanceName)) {
    throw fail(`instanceName ${quote(instanceName)} cannot start the stack's object names (such as '${instanceName}-${longestSuffix}'); use 1-${max} characters of [a-z0-9-], starting with a letter and ending with a letter or digit`);
  }
}

/**
 * Check a prop that names one object (a PersistentVolumeClaim, a Secret): a DNS-1123 subdomain.
 * @internal
 */
export function checkObjectName(fail: Fail, prop: string, name: string): void {
  if (!isDns1123Subdomain(name)) {
    throw fail(`${prop} ${quote(name)} is not a valid object name; use at most 253 characters of [a-z0-9-.], starting and ending with a letter or digit`);
  }
}
