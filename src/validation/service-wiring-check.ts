import { ApiObject, App, Chart, DependencyGraph } from 'cdk8s';
import { IConstruct } from 'constructs';
import { markSynth, onTypedServiceCreated } from '../services/app-hooks';
import { TypedService } from '../services/typed-service';
import { runRules } from './engine';
import { Finding, ObjectRef, Severity } from './finding';
import { ManifestInput } from './from-manifests';
import { RULES, severityAtLeast } from './rules';

// The wiring rules at synth: the engine that `cdk8s-svc lint` and the validation plugin run, over
// the JSON of every object the app is about to write (escape-hatch patches, `Include`d and plain
// ApiObjects included), so synth reaches the verdict the lint reaches on the written YAML.

const CHECK = Symbol.for('cdk8s-service-patterns.ServiceWiringCheck');
const WHO = 'ServiceWiringCheck';
const LEVELS = ['error', 'warning', 'off'];

/** One `App.synth()` or `App.synthYaml()` call of the app. */
interface SynthSession {
  /** Whether this synth has been checked: cdk8s validates the app again in each chart's `toJson()`. */
  checked: boolean;
  /** The JSON the check computed for each object, which the charts write. */
  readonly json: Map<ApiObject, unknown>;
  /** The charts whose `toJson()` returns that JSON for the rest of the synth. */
  readonly charts: Chart[];
  /**
   * The API objects of each chart in write order, when the app's `charts` found that no construct
   * has a dependency (see `writeOrder`): one walk of the app for all its charts.
   */
  objectsByChart?: Map<Chart, ApiObject[]>;
}

/**
 * The synth-time wiring check of an app: the rules of `cdk8s-svc lint` over the objects the app
 * writes, failing `cdk8s synth` on every finding at or above `failOn`, each message tagged with
 * the chart of the object in error.
 *
 * Every app with a typed Service or a pattern of this library gets it; `ServiceWiringCheck.of(app)`
 * adds it to any other app, and returns it to configure. Rules can also be configured without code
 * through the app's context (`ServiceWiringCheck.RULES_CONTEXT`), set before the app has children:
 *
 * ```ts
 * const app = new App();
 * app.node.setContext(ServiceWiringCheck.RULES_CONTEXT, { 'numeric-target-port-undeclared': 'off' });
 * ```
 *
 * One object opts out of one rule with the annotation
 * `ignore-check.cdk8s-service-patterns/<rule>: "<reason>"`, at synth, in the plugin and in the lint.
 */
export class ServiceWiringCheck {
  /**
   * The context key of rule levels: a map from rule id to `error`, `warning` or `off`.
   */
  public static readonly RULES_CONTEXT = 'cdk8s-service-patterns/rules';

  /**
   * The wiring check of the app `scope` belongs to, added on first use.
   */
  public static of(scope: IConstruct): ServiceWiringCheck {
    const root = scope.node.root as IConstruct & { [CHECK]?: ServiceWiringCheck };
    return root[CHECK] ?? new ServiceWiringCheck(root);
  }

  private readonly severities = new Map<string, Severity>();
  private readonly disabled = new Set<string>();
  private failOnSeverity = Severity.ERROR;
  private readonly charts = new WeakSet<Chart>();
  private messages = new Map<Chart, string[]>();
  private lastFindings: Finding[] = [];
  private session?: SynthSession;

  private constructor(private readonly root: IConstruct) {
    Object.defineProperty(root, CHECK, { value: this });
    root.node.addValidation({ validate: () => this.check() });
    this.wrapSynth();
  }

  /**
   * The findings of the last check, warnings included, in the engine's order.
   */
  public get findings(): Finding[] {
    return [...this.lastFindings];
  }

  /**
   * Report a rule at another severity than its default.
   *
   * @param rule The rule id, e.g. `numeric-target-port-undeclared`.
   */
  public setSeverity(rule: string, severity: Severity): void {
    this.assertRule(rule, `setSeverity('${rule}')`);
    this.disabled.delete(rule);
    this.severities.set(rule, severity);
  }

  /**
   * Do not check a rule in this app (for one object, use its annotation instead).
   *
   * @param rule The rule id, e.g. `env-names-missing-service`.
   */
  public disableRule(rule: string): void {
    this.assertRule(rule, `disableRule('${rule}')`);
    this.disabled.add(rule);
  }

  /**
   * The lowest severity that fails synth; findings below it are written to standard error when
   * the app synthesizes (`App.synth()`, `App.synthYaml()`).
   *
   * @param severity Severity.ERROR (the default) or Severity.WARNING
   */
  public failOn(severity: Severity): void {
    this.failOnSeverity = severity;
  }

  private assertRule(rule: string, call: string): void {
    if (!RULES.some(known => known.id === rule)) {
      throw new Error(`${WHO}: ${call} names no rule; use one of ${RULES.map(known => known.id).join(', ')}`);
    }
  }

  /** Rule levels from the app's context, over the ones set by calls. */
  private levels(): { ignore: Set<string>; severities: Map<string, Severity> } {
    const ignore = new Set(this.disabled);
    const severities = new Map(this.severities);
    const context: unknown = this.root.node.tryGetContext(ServiceWiringCheck.RULES_CONTEXT);
    if (context === undefined) {
      return { ignore, severities };
    }
    if (context === null || typeof context !== 'object' || Array.isArray(context)) {
      throw new Error(`${WHO}: context '${ServiceWiringCheck.RULES_CONTEXT}' is ${JSON.stringify(context)}; give a map from rule id to ${LEVELS.join(', ')}`);
    }
    for (const [rule, level] of Object.entries(context)) {
      this.assertRule(rule, `context '${ServiceWiringCheck.RULES_CONTEXT}'.${rule}`);
      if (level === 'off') {
        ignore.add(rule);
      } else if (level === Severity.ERROR || level === Severity.WARNING) {
        ignore.delete(rule);
        severities.set(rule, level);
      } else {
        throw new Error(`${WHO}: context '${ServiceWiringCheck.RULES_CONTEXT}'.${rule} is ${JSON.stringify(level)}; use ${LEVELS.join(', ')}`);
      }
    }
    return { ignore, severities };
  }

  /**
   * The app's validation: the first of every validation pass (the root comes first). It runs the
   * rules and hands each chart its messages through the chart's own validation, so cdk8s tags
   * each message with the chart of the object in error. Within one `App.synth()` the app does not
   * change, so the passes cdk8s makes in each chart's `toJson()` reuse the first one's verdict;
   * any other pass checks afresh.
   */
  private check(): string[] {
    const session = this.session;
    if (session?.checked) {
      return [];
    }
    const inputs: ManifestInput[] = [];
    /** The object of each input: `objects[i]` wrote `inputs[i]`. */
    const objects: ApiObject[] = [];
    const charts = new Set<Chart>();
    const constructs = this.root.node.findAll();
    for (let i = 0; i < constructs.length; i++) {
      const construct = constructs[i];
      if (!ApiObject.isApiObject(construct)) {
        continue;
      }
      let manifest: unknown;
      try {
        manifest = construct.toJson();
      } catch {
        continue; // cdk8s reports it when it writes the object
      }
      inputs.push({ manifest, constructPath: displayPath(construct) });
      objects.push(construct);
      charts.add(construct.chart);
      session?.json.set(construct, manifest);
    }
    // the object a finding or a node port range names, by its path: built on first use, as most
    // apps have no finding and no fixed nodePort
    let objectOf: Map<string, ApiObject> | undefined;
    const objectAt = (ref: ObjectRef): ApiObject | undefined => {
      objectOf ??= new Map(inputs.map((input, i) => [input.constructPath!, objects[i]]));
      return objectOf.get(ref.constructPath ?? '');
    };
    const { ignore, severities } = this.levels();
    const findings = runRules(inputs, { ignore, severities, nodePortRangeOf: ref => nodePortRangeOf(objectAt(ref)) });
    this.lastFindings = findings;
    const messages = new Map<Chart, string[]>();
    const warnings: string[] = [];
    for (const finding of findings) {
      const text = `${finding.message}. ${finding.recommendation} [${finding.rule}]`;
      if (!severityAtLeast(finding.severity, this.failOnSeverity)) {
        warnings.push(`${WHO}: ${finding.severity}: ${text}\n`);
        continue;
      }
      const chart = objectAt(finding.resource)?.chart;
      if (chart === undefined) {
        continue;
      }
      const list = messages.get(chart);
      if (list === undefined) {
        messages.set(chart, [text]);
      } else {
        list.push(text);
      }
      if (!this.charts.has(chart)) {
        this.charts.add(chart);
        chart.node.addValidation({ validate: () => this.messages.get(chart) ?? [] });
      }
    }
    this.messages = messages;
    if (session !== undefined) {
      session.checked = true;
      writeCheckedJson(charts, session);
      for (const warning of warnings) {
        process.stderr.write(warning);
      }
    }
    return [];
  }

  /** Mark the app's `synth()` and `synthYaml()` calls, so one synth checks once. */
  private wrapSynth(): void {
    const app = this.root as unknown as Record<string, unknown>;
    for (const method of ['synth', 'synthYaml']) {
      const original = app[method];
      if (typeof original !== 'function') {
        continue;
      }
      Object.defineProperty(app, method, {
        configurable: true,
        writable: true,
        value: (...args: unknown[]) => {
          if (this.session !== undefined) {
            return original.apply(app, args);
          }
          const session: SynthSession = { checked: false, json: new Map(), charts: [] };
          this.session = session;
          const charts = orderChartsCheaply(this.root, session);
          markSynth(this.root, true);
          try {
            return original.apply(app, args);
          } finally {
            markSynth(this.root, false);
            this.session = undefined;
            for (const chart of session.charts) {
              delete (chart as { toJson?: unknown }).toJson;
            }
            if (charts) {
              delete (app as { charts?: unknown }).charts;
            }
          }
        },
      });
    }
  }
}

/** cdk8s' `App.charts`: the app's charts in dependency order, from a `DependencyGraph` of the app. */
const APP_CHARTS = Object.getOwnPropertyDescriptor(App.prototype, 'charts')?.get as ((this: App) => Chart[]) | undefined;

/**
 * For one synth of `root` (an App that keeps cdk8s' `charts`), let `charts` skip the app's
 * `DependencyGraph` when it has no edge (see `chartsInWriteOrder`); true when it does.
 */
function orderChartsCheaply(root: IConstruct, session: SynthSession): boolean {
  if (APP_CHARTS === undefined || !(root instanceof App) || getterOf(root, 'charts') !== APP_CHARTS) {
    return false;
  }
  Object.defineProperty(root, 'charts', { configurable: true, get: () => chartsInWriteOrder(root, APP_CHARTS, session) });
  return true;
}

/** The getter that `name` of `object` reads through (own or inherited). */
function getterOf(object: object, name: string): unknown {
  for (let o: object | null = object; o !== null; o = Object.getPrototypeOf(o)) {
    const descriptor = Object.getOwnPropertyDescriptor(o, name);
    if (descriptor !== undefined) {
      return descriptor.get;
    }
  }
  return undefined;
}

/**
 * `app.charts`: cdk8s' dependency order of the app's charts, as `writeOrder` finds it. Read once
 * the dependencies are final (after cdk8s' resolveDependencies, before the charts are written);
 * without any dependency, it also sorts the app's API objects by chart for their `toJson()`: a
 * chart's own walk would give its objects in the same order.
 */
function chartsInWriteOrder(app: App, charts: (this: App) => Chart[], session: SynthSession): Chart[] {
  const order = writeOrder(app);
  if (order === undefined) {
    session.objectsByChart = undefined;
    return charts.call(app);
  }
  const objectsByChart = new Map<Chart, ApiObject[]>();
  const result: Chart[] = [];
  for (const c of order) {
    if (ApiObject.isApiObject(c)) {
      const list = objectsByChart.get(c.chart);
      if (list === undefined) {
        objectsByChart.set(c.chart, [c]);
      } else {
        list.push(c);
      }
    } else if (Chart.isChart(c)) {
      result.push(c);
    }
  }
  session.objectsByChart = objectsByChart;
  return result;
}

/**
 * For the rest of one synth, let each chart's `toJson()` return the JSON the check computed, in
 * the order cdk8s writes (its dependency order, computed when the chart is written), instead of
 * validating the whole app again and resolving every object a second time (together about a third
 * of a synth's time). A chart class with a `toJson()` of its own is left alone.
 */
function writeCheckedJson(charts: Iterable<Chart>, session: SynthSession): void {
  for (const chart of charts) {
    if (chart.toJson !== Chart.prototype.toJson) {
      continue;
    }
    const toJson = () => (session.objectsByChart?.get(chart)
      ?? (writeOrder(chart) ?? new DependencyGraph(chart.node).topology()).filter((c): c is ApiObject => ApiObject.isApiObject(c) && c.chart === chart))
      .map(object => session.json.get(object) ?? object.toJson());
    Object.defineProperty(chart, 'toJson', { configurable: true, writable: true, value: toJson });
    session.charts.push(chart);
  }
}

/**
 * The constructs of `scope` (the app, or a chart) in the order cdk8s writes them, the topology of
 * its `DependencyGraph`, when no construct has a dependency; undefined otherwise. Without a
 * dependency the graph has no edge, and its topology is the order of its vertices, `findAll()`'s
 * order (keyed by path: the paths that are array indexes, ids of top-level charts, come first, as
 * they do among the app's children). The graph takes about a tenth of a synth.
 */
function writeOrder(scope: IConstruct): IConstruct[] | undefined {
  const constructs = scope.node.findAll();
  return constructs.every(c => c.node.dependencies.length === 0) ? constructs : undefined;
}

/** The path users know an object by: a cdk8s-plus object's, not its `Resource` child's. */
function displayPath(object: ApiObject): string {
  const owner = object.node.scope;
  return owner !== undefined && !Chart.isChart(owner) && owner.node.defaultChild === object ? owner.node.path : object.node.path;
}

/** The node port range a typed Service checks its nodePorts against (undefined: the cluster's default). */
function nodePortRangeOf(object: ApiObject | undefined): { min: number; max: number } | undefined {
  const owner = object?.node.scope;
  return owner instanceof TypedService ? owner.nodePortRange : undefined;
}

onTypedServiceCreated(service => ServiceWiringCheck.of(service));
