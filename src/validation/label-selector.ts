import { isObject } from './json-value';

// Kubernetes label selectors (`matchLabels` and `matchExpressions`), as NetworkPolicies, Gateway
// listeners' allowedRoutes and the traffic map read them: parsing, matching and kubectl's text.

/** A three-valued verdict: true, false, or not known from the input. @internal */
export type Verdict = boolean | undefined;

/** A Kubernetes label selector: `matchLabels` and `matchExpressions`, all of which must hold. @internal */
export interface LabelSelector {
  readonly matchLabels: Record<string, string>;
  readonly matchExpressions: { readonly key: string; readonly operator: string; readonly values: string[] }[];
}

/**
 * The selector written in `value`: `{}` (matches everything) for an absent one, undefined when it
 * is malformed (a `matchLabels` that is not an object, an expression with an unknown operator).
 * @internal
 */
export function labelSelector(value: unknown): LabelSelector | undefined {
  if (value === undefined || value === null) {
    return { matchLabels: {}, matchExpressions: [] };
  }
  if (!isObject(value) || (value.matchLabels != null && !isObject(value.matchLabels)) || (value.matchExpressions != null && !Array.isArray(value.matchExpressions))) {
    return undefined;
  }
  const matchLabels: Record<string, string> = {};
  for (const [key, label] of Object.entries(value.matchLabels ?? {})) {
    matchLabels[key] = String(label);
  }
  const matchExpressions: LabelSelector['matchExpressions'] = [];
  for (const expression of value.matchExpressions ?? []) {
    if (!isObject(expression) || typeof expression.key !== 'string' || !['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(expression.operator)) {
      return undefined;
    }
    matchExpressions.push({ key: expression.key, operator: expression.operator, values: Array.isArray(expression.values) ? expression.values.map(String) : [] });
  }
  return { matchLabels, matchExpressions };
}

/**
 * Whether `labels` satisfy `selector`. With `complete` false, `labels` are only what is known (a
 * Namespace outside the input may carry more): a requirement on a label it lacks is not known
 * (undefined) instead of decided; false still wins over not known.
 * @internal
 */
export function selectorMatches(selector: LabelSelector, labels: Record<string, string>, complete = true): Verdict {
  let verdict: Verdict = true;
  const check = (key: string, operator: string, values: readonly string[]) => {
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    if (!has && !complete) {
      verdict = verdict === false ? false : undefined; // the object may have this label
      return;
    }
    // k8s.io/apimachinery/pkg/labels/selector.go Requirement.Matches
    const holds = operator === 'In' ? has && values.includes(labels[key])
      : operator === 'NotIn' ? !has || !values.includes(labels[key])
        : operator === 'Exists' ? has : !has;
    if (!holds) {
      verdict = false;
    }
  };
  for (const [key, value] of Object.entries(selector.matchLabels)) {
    check(key, 'In', [value]);
  }
  for (const { key, operator, values } of selector.matchExpressions) {
    check(key, operator, values);
  }
  return verdict;
}

/** A selector as kubectl's `-l` writes it: `app=web, tier in (a,b), !legacy`; `everything` when empty. @internal */
export function selectorText(selector: LabelSelector): string {
  const terms = [
    ...Object.entries(selector.matchLabels).map(([key, value]) => `${key}=${value}`),
    ...selector.matchExpressions.map(({ key, operator, values }) =>
      operator === 'Exists' ? key : operator === 'DoesNotExist' ? `!${key}` : `${key} ${operator.toLowerCase()} (${values.join(',')})`),
  ];
  return terms.length === 0 ? 'everything' : terms.join(', ');
}
