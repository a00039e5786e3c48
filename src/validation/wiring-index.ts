import { ObjectRef } from './finding';
import { EnvInfo, PodTemplateInfo, WiringModel } from './model';

// Lookups the wiring rules and the traffic map share: pod templates by label, and the Service an
// environment variable names.

/**
 * Pod templates indexed by namespace, label key and label value, to find the templates a selector
 * matches without scanning every template (nested maps: no key strings built per lookup).
 */
export class PodTemplateIndex {
  private readonly byNamespace = new Map<string, Map<string, Map<string, PodTemplateInfo[]>>>();
  private readonly inNamespace = new Map<string, PodTemplateInfo[]>();

  /**
   * @param templates the templates to index
   * @param keys the label keys to index, when only selectors by these keys will be asked (the
   *   wiring rules ask the selectors of the input's Services); all by default
   */
  constructor(templates: PodTemplateInfo[], keys?: ReadonlySet<string>) {
    // indexed loops: the rules run once per synth, and cold code allocates an iterator (and a
    // result per element) for each for...of
    for (let i = 0; i < templates.length; i++) {
      const template = templates[i];
      const all = this.inNamespace.get(template.ref.namespace);
      if (all === undefined) {
        this.inNamespace.set(template.ref.namespace, [template]);
      } else {
        all.push(template);
      }
      let byKey = this.byNamespace.get(template.ref.namespace);
      if (byKey === undefined) {
        byKey = new Map();
        this.byNamespace.set(template.ref.namespace, byKey);
      }
      for (const key in template.labels) {
        if ((keys === undefined || keys.has(key)) && Object.prototype.hasOwnProperty.call(template.labels, key)) {
          add(byKey, key, template.labels[key], template);
        }
      }
      const perPodLabels = template.perPodLabels;
      if (perPodLabels !== undefined) {
        for (const key in perPodLabels) {
          if ((keys === undefined || keys.has(key)) && Object.prototype.hasOwnProperty.call(perPodLabels, key)) {
            const values = perPodLabels[key];
            for (let v = 0; v < values.length; v++) {
              add(byKey, key, values[v], template);
            }
          }
        }
      }
    }
  }

  /** The templates in `namespace` whose labels include every pair of `selector`. */
  public select(namespace: string, selector: Record<string, string>): PodTemplateInfo[] {
    const byKey = this.byNamespace.get(namespace);
    let smallest: PodTemplateInfo[] | undefined;
    let pairs = 0;
    for (const key in selector) {
      if (!Object.prototype.hasOwnProperty.call(selector, key)) {
        continue;
      }
      const list = byKey?.get(key)?.get(selector[key]);
      if (list === undefined) {
        return [];
      }
      pairs++;
      if (smallest === undefined || list.length < smallest.length) {
        smallest = list;
      }
    }
    if (smallest === undefined || pairs === 1) {
      return smallest ?? [];
    }
    return smallest.filter(t => hasLabels(t, selector));
  }

  /** Like `select()`, except that an empty selector selects every template of the namespace (NetworkPolicy semantics). */
  public selectAll(namespace: string, selector: Record<string, string>): PodTemplateInfo[] {
    return Object.keys(selector).length === 0 ? [...(this.inNamespace.get(namespace) ?? [])] : this.select(namespace, selector);
  }
}

/** Index `template` under label `key=value` (once, however many of its pods carry it). */
function add(byKey: Map<string, Map<string, PodTemplateInfo[]>>, key: string, value: string, template: PodTemplateInfo): void {
  let byValue = byKey.get(key);
  if (byValue === undefined) {
    byValue = new Map();
    byKey.set(key, byValue);
  }
  const list = byValue.get(value);
  if (list === undefined) {
    byValue.set(value, [template]);
  } else if (list[list.length - 1] !== template) {
    list.push(template);
  }
}

/** Whether the pods of `template` (or some of them, for a per-pod label) carry every label of `selector`. */
function hasLabels(template: PodTemplateInfo, selector: Record<string, string>): boolean {
  for (const key in selector) {
    if (Object.prototype.hasOwnProperty.call(selector, key) && !hasLabel(template, key, selector[key])) {
      return false;
    }
  }
  return true;
}

/** Whether the pods of `template` (or some of them, for a per-pod label) carry label `key=value`. @internal */
export function hasLabel(template: PodTemplateInfo, key: string, value: string): boolean {
  return template.labels[key] === value || (template.perPodLabels?.[key]?.includes(value) ?? false);
}

const ENV_NAME = /_(HOST|ADDR|SERVICE)$/;
const CLUSTER_HOST = /^([a-z][a-z0-9-]{0,62})(?:\.([a-z0-9][a-z0-9-]{0,62})(\.svc(\.cluster\.local)?)?)?(?::(\d{1,5}))?$/;
/** Values of `*_HOST`-style variables that are settings, not host names. */
const NOT_A_HOST = new Set(['localhost', 'true', 'false', 'yes', 'no', 'on', 'off', 'none', 'null', 'enabled', 'disabled']);

/**
 * The namespaces of the input's pod templates and Services, for `envServiceHost`.
 * @internal
 */
export function inputNamespaces(model: WiringModel): Set<string> {
  const namespaces = new Set<string>();
  for (let i = 0; i < model.podTemplates.length; i++) {
    namespaces.add(model.podTemplates[i].ref.namespace);
  }
  for (let i = 0; i < model.services.length; i++) {
    namespaces.add(model.services[i].ref.namespace);
  }
  return namespaces;
}

/**
 * The Service a `*_HOST`, `*_ADDR` or `*_SERVICE` variable names, when its value is a cluster-local
 * host (`name`, `name.ns`, `name.ns.svc`, `name.ns.svc.cluster.local`, optionally `:port`);
 * undefined for other variables and for external hosts (`db.example.com`).
 *
 * @param namespaces The namespaces of the input: `name.ns` counts only for one of them (else it
 * reads as `example.com`).
 */
export function envServiceHost(env: EnvInfo, template: PodTemplateInfo, namespaces: Set<string>): { name: string; namespace: string } | undefined {
  if (!ENV_NAME.test(env.name)) {
    return undefined;
  }
  const match = CLUSTER_HOST.exec(env.value);
  if (match === null) {
    return undefined;
  }
  const [, name, ns, svcSuffix] = match;
  if (ns !== undefined && svcSuffix === undefined && !namespaces.has(ns)) {
    return undefined;
  }
  const namespace = ns ?? template.ref.namespace;
  if (NOT_A_HOST.has(name) || namespace === 'kube-system' || (name === 'kubernetes' && namespace === 'default')) {
    return undefined;
  }
  // `DD_SERVICE=web` in the pods labelled `app: web`: the pods name themselves (tracing tags).
  if (env.name.endsWith('_SERVICE') && ns === undefined && (name === template.ref.name || Object.values(template.labels).includes(name))) {
    return undefined;
  }
  return { name, namespace };
}

/**
 * `items` by namespace, then name (of their `ref`): lookups without a key string built per item.
 * Of two items with one namespace and name (one object, applied twice), the last.
 * @internal
 */
export function byNamespaceAndName<T extends { readonly ref: ObjectRef }>(items: readonly T[]): Map<string, Map<string, T>> {
  const byNamespace = new Map<string, Map<string, T>>();
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    let byName = byNamespace.get(item.ref.namespace);
    if (byName === undefined) {
      byNamespace.set(item.ref.namespace, byName = new Map());
    }
    byName.set(item.ref.name, item);
  }
  return byNamespace;
}
