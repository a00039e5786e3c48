import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Names, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ObjectRef } from '../validation/finding';
import { ManifestInput, modelFromManifests, objectRef } from '../validation/from-manifests';
import { GATEWAY_API_GROUP, matchTexts } from '../validation/gateway-api-manifests';
import { LabelSelector, labelSelector, selectorMatches, selectorText } from '../validation/label-selector';
import { PodTemplateInfo, RouteInfo, ServiceInfo } from '../validation/model';
import { OperatorPodIndex } from '../validation/operator-pods';
import { effectiveHostnames, namespacesByName, parentAdmission, parentRef } from '../validation/route-rules';
import { byNamespaceAndName, envServiceHost, inputNamespaces, PodTemplateIndex } from '../validation/wiring-index';
import { isObject } from '../validation/json-value';

/**
 * What a node of the traffic map stands for.
 */
export enum TrafficNodeKind {
  /** Where traffic enters: every node's port, a load balancer, an Ingress, a Gateway, a NetworkPolicy peer outside the app. */
  ENTRY = 'entry',
  /** A Service. */
  SERVICE = 'service',
  /** A workload's pods (Deployment, StatefulSet, ...). */
  WORKLOAD = 'workload',
  /** A host outside the cluster (an ExternalName CNAME target). */
  EXTERNAL = 'external',
  /** A selector that matches no pods: traffic to it goes nowhere. */
  DANGLING = 'dangling',
  /** A Gateway API route (HTTPRoute, GRPCRoute). */
  ROUTE = 'route',
}

/**
 * What an edge of the traffic map stands for.
 */
export enum TrafficEdgeKind {
  /** An entry point forwards to a Service (node port, load balancer, Ingress path), or a Gateway's listener admits a route. */
  EXPOSES = 'exposes',
  /** A Service sends traffic to the pods its selector matches. */
  SELECTS = 'selects',
  /** A workload's environment variable names a Service (e.g. `WORDPRESS_DB_HOST`). */
  ENV = 'env',
  /** A NetworkPolicy admits traffic from the source to the target pods. */
  ALLOWS = 'allows',
  /** An ExternalName Service answers with a CNAME for an outside host. */
  CNAME = 'cname',
  /** A route's rule sends the requests it matches to a backend (paths, port and canary weight on the edge). */
  ROUTES = 'routes',
}

/**
 * A node of the traffic map.
 */
export interface TrafficNode {
  /** A stable id, unique in the map (also the Mermaid node id). */
  readonly id: string;
  /** What the node stands for. */
  readonly kind: TrafficNodeKind;
  /** The text shown, e.g. `Service wordpress (NodePort) :80`. */
  readonly label: string;
}

/**
 * An edge of the traffic map.
 */
export interface TrafficEdge {
  /** The id of the node traffic (or the reference) comes from. */
  readonly source: string;
  /** The id of the node it goes to. */
  readonly target: string;
  /** What the edge stands for. */
  readonly kind: TrafficEdgeKind;
  /** The text on the edge: ports, a variable name, a path. */
  readonly label: string;
}

/**
 * One part of a node id, injectively in `[A-Za-z0-9_]` (what Mermaid ids allow) and without `__`
 * or a leading or trailing `_`: lowercase letters and digits stay, a `-` between two of them is
 * `_` (`web-api` is `web_api`), any other character is `X<hex code>X` (`.` is `X2EX`).
 */
function idPart(part: string): string {
  const literal = (char: string | undefined) => char !== undefined && /^[a-z0-9]$/.test(char);
  return [...part].map((char, i, chars) => {
    if (literal(char)) {
      return char;
    }
    if (char === '-' && literal(chars[i - 1]) && literal(chars[i + 1])) {
      return '_';
    }
    return `X${char.codePointAt(0)!.toString(16).toUpperCase()}X`;
  }).join('');
}

/** The parts joined with `__`, which no part contains: different parts give different ids. */
function nodeId(prefix: string, ...parts: string[]): string {
  return [prefix, ...parts].map(idPart).join('__');
}

function refId(ref: ObjectRef): string {
  return nodeId(ref.kind.toLowerCase(), ref.namespace, ref.name);
}

/** Code-unit order: the same on every machine, whatever its locale (unlike `localeCompare`). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A port with its protocol: `:53/UDP`, `:80` when `tcp` is false and the protocol is TCP. */
function portText(port: number | string, protocol: string, tcp: boolean): string {
  return `:${port}${protocol === 'TCP' && !tcp ? '' : `/${protocol}`}`;
}

function portsText(service: ServiceInfo): string {
  return service.ports.map(p => portText(p.port, p.protocol, false)).join(' ');
}

/** A node of the whole app's map; `object` when it stands for one object of the input (a Service, a workload). */
interface GraphNode {
  readonly node: TrafficNode;
  readonly object: boolean;
}

/** An edge of the whole app's map, with the node id of the object that draws it (a Service, a workload, an Ingress, a NetworkPolicy). */
interface GraphEdge {
  readonly edge: TrafficEdge;
  readonly origin: string;
}

/**
 * The traffic map of every object of the input; a `TrafficMap` is the part of it that concerns
 * some of those objects.
 */
class TrafficGraph {
  public readonly nodes = new Map<string, GraphNode>();
  public readonly edges = new Map<string, GraphEdge>();
  /** The node ids of the Services whose selector matches no pod template, with their `<namespace>/<name>`. */
  public readonly dangling = new Map<string, string>();

  constructor(inputs: ManifestInput[]) {
    const model = modelFromManifests(inputs);
    const index = new PodTemplateIndex(model.podTemplates);
    const operatorPods = new OperatorPodIndex(model.podTemplates, model.operatorResources);
    for (const template of model.podTemplates) {
      this.workloadNode(template);
    }

    const services = byNamespaceAndName(model.services);
    for (const service of model.services) {
      const { name, namespace } = service.ref;
      const svc = this.addNode(refId(service.ref), TrafficNodeKind.SERVICE, `Service ${name} (${service.headless ? 'Headless' : service.type}) ${portsText(service)}`.trim(), true);
      const addEdge = (source: string, target: string, kind: TrafficEdgeKind, label: string) => this.addEdge(svc, source, target, kind, label);
      if (service.type === 'ExternalName') {
        const host = service.externalName ?? '';
        addEdge(svc, this.addNode(nodeId('ext', host), TrafficNodeKind.EXTERNAL, host), TrafficEdgeKind.CNAME, 'CNAME');
        continue;
      }
      if (service.type === 'NodePort' || service.type === 'LoadBalancer') {
        for (const port of service.ports) {
          // the protocol on every entry edge: 53/TCP and 53/UDP are two ways in
          const nodePort = port.nodePort === undefined ? 'allocated' : `${port.nodePort}`;
          const entry = service.type === 'NodePort'
            ? this.addNode(nodeId('nodeport', namespace, name), TrafficNodeKind.ENTRY, 'every node')
            : this.addNode(nodeId('lb', namespace, name), TrafficNodeKind.ENTRY, 'load balancer');
          const via = service.type === 'NodePort' ? portText(nodePort, port.protocol, true) : `${portText(port.port, port.protocol, true)} (node port ${nodePort})`;
          addEdge(entry, svc, TrafficEdgeKind.EXPOSES, `${via} → ${port.port}`);
        }
      }
      if (service.selector === undefined || Object.keys(service.selector).length === 0) {
        continue;
      }
      const selected = index.select(namespace, service.selector);
      // pods an operator runs for a custom resource, with labels the input does not show
      const operator = selected.length === 0 ? operatorPods.explain(namespace, service.selector) : undefined;
      if (operator !== undefined) {
        addEdge(svc, this.addNode(refId(operator), TrafficNodeKind.WORKLOAD, `${operator.kind} ${operator.name}`), TrafficEdgeKind.SELECTS, 'pods its operator runs');
        continue;
      }
      if (selected.length === 0) {
        this.dangling.set(svc, `${namespace}/${name}`);
        const selector = selectorText({ matchLabels: service.selector, matchExpressions: [] });
        const none = this.addNode(nodeId('dangling', namespace, name), TrafficNodeKind.DANGLING, `no pods match ${selector}`);
        addEdge(svc, none, TrafficEdgeKind.SELECTS, 'selects nothing');
        continue;
      }
      const targets = service.ports.map(p => `${portText(p.port, p.protocol, false)} → ${p.targetPort}`).join(', ');
      for (const template of selected) {
        addEdge(svc, this.workloadNode(template), TrafficEdgeKind.SELECTS, targets || 'all ports');
      }
    }

    const namespaces = inputNamespaces(model);
    for (const template of model.podTemplates) {
      for (const env of template.env) {
        const host = envServiceHost(env, template, namespaces);
        const service = host && services.get(host.namespace)?.get(host.name);
        if (service) {
          const workload = this.workloadNode(template);
          this.addEdge(workload, workload, refId(service.ref), TrafficEdgeKind.ENV, env.name);
        }
      }
    }

    for (const ingress of model.ingresses) {
      const origin = refId(ingress.ref);
      const entry = this.addNode(nodeId('ing', ingress.ref.namespace, ingress.ref.name), TrafficNodeKind.ENTRY, `Ingress ${ingress.ref.name}`);
      for (const backend of ingress.backends) {
        const service = services.get(ingress.ref.namespace)?.get(backend.service);
        const target = service
          ? refId(service.ref)
          : this.addNode(nodeId('dangling', ingress.ref.namespace, backend.service), TrafficNodeKind.DANGLING, `no Service ${backend.service}`);
        this.addEdge(origin, entry, target, TrafficEdgeKind.EXPOSES, backend.port === undefined ? 'any port' : `:${backend.port}`);
      }
    }

    this.addRoutes(model, services);

    // Namespaces by their labels, for NetworkPolicy namespaceSelectors: the API server sets
    // `kubernetes.io/metadata.name` on every namespace (Kubernetes >= 1.21), and Namespace objects
    // of the input carry the others (the model's namespaces have both).
    const namespaceLabels = new Map<string, Record<string, string>>(model.namespaces.map(ns => [ns.name, ns.labels]));
    const policies: { ref: ObjectRef; spec: Record<string, any> }[] = [];
    for (const input of inputs) {
      if (input.manifest?.kind !== 'NetworkPolicy' || !isObject(input.manifest.spec)) {
        continue;
      }
      const ref = objectRef(input, 'default');
      if (ref !== undefined) {
        policies.push({ ref, spec: input.manifest.spec });
        namespaces.add(ref.namespace);
      }
    }
    for (const namespace of namespaces) {
      if (!namespaceLabels.has(namespace)) {
        namespaceLabels.set(namespace, { 'kubernetes.io/metadata.name': namespace });
      }
    }
    // the index matches matchLabels, including per-pod labels (a StatefulSet's pod-name): only the
    // expressions are left to check
    const select = (namespace: string, selector: LabelSelector) =>
      index.selectAll(namespace, selector.matchLabels)
        .filter(template => selectorMatches({ matchLabels: {}, matchExpressions: selector.matchExpressions }, template.labels));
    for (const policy of policies) {
      this.addPolicy(policy.ref, policy.spec, namespaceLabels, select);
    }
  }

  /**
   * Gateway API routes: each Gateway a route attaches to (an edge per listener that admits it,
   * with the hostnames it serves there), and each rule's backends (the matches, the port, and the
   * weight when the rule splits its traffic).
   */
  private addRoutes(model: ReturnType<typeof modelFromManifests>, services: Map<string, Map<string, ServiceInfo>>): void {
    const gateways = byNamespaceAndName(model.gateways);
    const namespaces = namespacesByName(model);
    for (const gateway of model.gateways) {
      this.addNode(refId(gateway.ref), TrafficNodeKind.ENTRY, `Gateway ${gateway.ref.name}`, true);
    }
    for (const route of model.routes) {
      const id = this.addNode(refId(route.ref), TrafficNodeKind.ROUTE, `${route.ref.kind} ${route.ref.name}`, true);
      const hosts = (names: readonly string[]) => names.join(', ') || 'any host';
      for (const parent of route.parents) {
        if (parent.group !== GATEWAY_API_GROUP || parent.kind !== 'Gateway') {
          continue;
        }
        const gateway = gateways.get(parent.namespace)?.get(parent.name);
        const entry = refId(parentRef(parent));
        if (gateway === undefined) {
          this.addNode(entry, TrafficNodeKind.ENTRY, `Gateway ${parent.name}`);
          this.addEdge(id, entry, id, TrafficEdgeKind.EXPOSES, `${parent.sectionName !== undefined ? `${parent.sectionName}: ` : ''}${hosts(route.hostnames)}`);
          continue;
        }
        const admission = parentAdmission(route, parent, gateway, namespaces);
        if (admission.admitted === false) {
          this.addEdge(id, entry, id, TrafficEdgeKind.EXPOSES, 'not admitted');
        } else if (admission.admitted === undefined && admission.listeners.length === 0) {
          this.addEdge(id, entry, id, TrafficEdgeKind.EXPOSES, hosts(route.hostnames));
        }
        for (const listener of admission.listeners) {
          this.addEdge(id, entry, id, TrafficEdgeKind.EXPOSES, `${listener.name}: ${hosts(effectiveHostnames(listener.hostname, route.hostnames))}`);
        }
      }
      this.addRouteBackends(route, id, services);
    }
  }

  private addRouteBackends(route: RouteInfo, id: string, services: Map<string, Map<string, ServiceInfo>>): void {
    for (const rule of route.rules) {
      const split = rule.backends.filter(backend => !backend.mirror);
      const total = split.reduce((sum, backend) => sum + backend.weight, 0);
      for (const backend of rule.backends) {
        const { group, kind, name, namespace } = backend;
        let target: string;
        if (group === '' && kind === 'Service') {
          const service = services.get(namespace)?.get(name);
          target = service !== undefined
            ? refId(service.ref)
            : this.addNode(nodeId('dangling', namespace, name), TrafficNodeKind.DANGLING, `no Service ${name}`);
        } else {
          target = this.addNode(nodeId('backend', group, kind, namespace, name), TrafficNodeKind.EXTERNAL, `${kind} ${name}`);
        }
        const port = backend.port === undefined ? 'no port' : `:${backend.port}`;
        const weight = backend.mirror ? ' (mirror)'
          : split.length > 1 ? ` weight ${backend.weight}${total > 0 ? ` (${Math.round((backend.weight * 100) / total)}%)` : ''}` : '';
        this.addEdge(id, id, target, TrafficEdgeKind.ROUTES, `${matchTexts(route, rule).join(', ')} → ${port}${weight}`);
      }
    }
  }

  private byOrigin?: Map<string, GraphEdge[]>;
  private byEnd?: Map<string, GraphEdge[]>;

  /** The edges `id` draws (its origin). */
  public edgesByOrigin(id: string): GraphEdge[] {
    this.indexEdges();
    return this.byOrigin!.get(id) ?? [];
  }

  /** The edges that start or end at node `id`. */
  public edgesAt(id: string): GraphEdge[] {
    this.indexEdges();
    return this.byEnd!.get(id) ?? [];
  }

  /** Indexes the edges by origin and by end, once the graph is built. */
  private indexEdges(): void {
    if (this.byOrigin !== undefined) {
      return;
    }
    this.byOrigin = new Map();
    this.byEnd = new Map();
    const push = (index: Map<string, GraphEdge[]>, key: string, edge: GraphEdge) => {
      const list = index.get(key);
      if (list === undefined) {
        index.set(key, [edge]);
      } else if (list[list.length - 1] !== edge) {
        list.push(edge);
      }
    };
    for (const edge of this.edges.values()) {
      push(this.byOrigin, edge.origin, edge);
      push(this.byEnd, edge.edge.source, edge);
      push(this.byEnd, edge.edge.target, edge);
    }
  }

  private addNode(id: string, kind: TrafficNodeKind, label: string, object = false): string {
    this.nodes.set(id, { node: { id, kind, label }, object });
    return id;
  }

  private addEdge(origin: string, source: string, target: string, kind: TrafficEdgeKind, label: string): void {
    this.edges.set(`${source}\u0000${target}\u0000${kind}\u0000${label}`, { edge: { source, target, kind, label }, origin });
  }

  private workloadNode(template: PodTemplateInfo): string {
    return this.addNode(refId(template.ref), TrafficNodeKind.WORKLOAD, `${template.ref.kind} ${template.ref.name}`, true);
  }

  /**
   * The ingress rules of a NetworkPolicy: an edge from each peer to each selected workload. A peer
   * is drawn as the workloads of the input it matches, in whatever namespace; only a peer that
   * matches none is drawn as an entry (pods outside the app).
   */
  private addPolicy(
    ref: ObjectRef,
    spec: Record<string, any>,
    namespaceLabels: Map<string, Record<string, string>>,
    select: (namespace: string, selector: LabelSelector) => PodTemplateInfo[],
  ): void {
    const origin = refId(ref);
    const namespace = ref.namespace;
    if (Array.isArray(spec.policyTypes) && !spec.policyTypes.includes('Ingress')) {
      return;
    }
    const podSelector = labelSelector(spec.podSelector);
    const targets = podSelector === undefined ? [] : select(namespace, podSelector);
    const rules: unknown[] = Array.isArray(spec.ingress) ? spec.ingress : [];
    for (const rule of rules) {
      if (!isObject(rule)) {
        continue;
      }
      const ports = (Array.isArray(rule.ports) ? rule.ports : [])
        .filter(isObject)
        .map((p: Record<string, any>) => `:${p.port ?? '*'}${p.endPort !== undefined ? `-${p.endPort}` : ''}${p.protocol && p.protocol !== 'TCP' ? `/${p.protocol}` : ''}`)
        .join(' ') || 'all ports';
      const peers: unknown[] = Array.isArray(rule.from) ? rule.from : [];
      const sources: string[] = [];
      if (peers.length === 0) {
        sources.push(this.addNode('anywhere', TrafficNodeKind.ENTRY, 'anywhere'));
      }
      for (const peer of peers) {
        if (!isObject(peer)) {
          continue;
        }
        if (isObject(peer.ipBlock)) {
          sources.push(this.addNode(nodeId('ip', String(peer.ipBlock.cidr)), TrafficNodeKind.ENTRY, `IPs ${peer.ipBlock.cidr}`));
          continue;
        }
        const pods = labelSelector(peer.podSelector);
        if (pods === undefined || (peer.podSelector == null && peer.namespaceSelector == null)) {
          continue;
        }
        if (peer.namespaceSelector == null) {
          // pods of the policy's own namespace
          const matched = select(namespace, pods);
          sources.push(...(matched.length > 0
            ? matched.map(template => this.workloadNode(template))
            : [this.addNode(nodeId('pods', namespace, selectorText(pods)), TrafficNodeKind.ENTRY, `other pods of ${namespace} (${selectorText(pods)})`)]));
          continue;
        }
        // pods of every namespace the namespaceSelector matches (NetworkPolicyPeer: both selectors must hold)
        const namespaceSelector = labelSelector(peer.namespaceSelector);
        if (namespaceSelector === undefined) {
          continue;
        }
        const matched = [...namespaceLabels]
          .filter(([, labels]) => selectorMatches(namespaceSelector, labels))
          .flatMap(([name]) => select(name, pods));
        if (matched.length > 0) {
          sources.push(...matched.map(template => this.workloadNode(template)));
        } else {
          const text = `namespaces: ${selectorText(namespaceSelector)}${peer.podSelector == null ? '' : `; pods: ${selectorText(pods)}`}`;
          sources.push(this.addNode(nodeId('ns', text), TrafficNodeKind.ENTRY, `pods of other namespaces (${text})`));
        }
      }
      for (const source of sources) {
        for (const target of targets) {
          this.addEdge(origin, source, this.workloadNode(target), TrafficEdgeKind.ALLOWS, `allows ${ports}`);
        }
      }
    }
  }
}

/**
 * The ApiObjects of the app `scope` belongs to, each with its manifest. An object whose `toJson()`
 * throws (a Deployment without containers) is left out, as the synth check leaves it out: a broken
 * app still gets a map.
 */
function appObjects(scope: IConstruct): { object: ApiObject; input: ManifestInput }[] {
  const objects: { object: ApiObject; input: ManifestInput }[] = [];
  for (const object of scope.node.root.node.findAll().filter(ApiObject.isApiObject)) {
    let manifest: unknown;
    try {
      manifest = object.toJson();
    } catch {
      continue;
    }
    objects.push({ object, input: { manifest } });
  }
  return objects;
}

/** The node ids of the objects, to say which part of the app's map a `TrafficMap` shows. */
function focusOf(inputs: ManifestInput[]): Set<string> {
  return new Set(inputs.map(input => objectRef(input, 'default')).filter((ref): ref is ObjectRef => ref !== undefined).map(refId));
}

/**
 * The file names `App.synth()` gives the charts of `app`, in its order: `Names.toDnsLabel(chart)`,
 * prefixed with `0000-`, `0001-`, ... when charts depend on each other (as cdk8s' `SimpleChartNamer`
 * and `IndexedChartNamer` in cdk8s/src/app.ts). Adds the chart dependencies `App.synth()` adds
 * (nested charts, constructs that depend on another chart's), so the order is synth's before it runs.
 */
function chartFileNames(app: App): { chart: Chart; name: string }[] {
  let dependent = false;
  const all = app.node.findAll();
  for (const parent of all.filter(Chart.isChart)) {
    for (const child of parent.node.children.filter(Chart.isChart)) {
      parent.node.addDependency(child);
      dependent = true;
    }
  }
  for (const construct of all) {
    for (const dependency of construct.node.dependencies) {
      const source = Chart.of(construct);
      const target = Chart.of(dependency);
      if (source !== target) {
        source.node.addDependency(target);
        dependent = true;
      }
    }
  }
  return app.charts.map((chart, i) => ({ chart, name: `${dependent ? `${String(i).padStart(4, '0')}-` : ''}${Names.toDnsLabel(chart)}` }));
}

/**
 * A picture of how traffic reaches each pod of an app: entry points (node ports, load balancers,
 * Ingresses, Gateways), Gateway API routes (the listeners that admit them and their hostnames;
 * each rule's matches, backend ports and canary weights), Services with their kind and ports, the
 * workloads whose pods each Service selects
 * (resolved from the real selectors, not from construct ownership), environment variables that
 * name a Service, NetworkPolicy allows, and ExternalName CNAMEs. Selectors that match nothing are
 * drawn as dangling and listed in `danglingServices`. Render it with `toMermaid()` or
 * `toMarkdown()`; GitHub renders Mermaid in Markdown. `TrafficMap.synth(app)` writes one map per
 * chart next to the chart's manifest.
 */
export class TrafficMap {
  /**
   * The traffic map of a chart, or of every chart of an app, as built so far: every object under
   * `scope` as it would be written, without running the app's validations (a map of a broken app
   * shows where it is broken), and how it connects to the rest of the app (a Service of another
   * chart that a workload names, the workloads of another namespace a NetworkPolicy admits).
   *
   * @param scope A Chart, or an App (all its charts).
   */
  public static of(scope: IConstruct): TrafficMap {
    const objects = appObjects(scope);
    const inScope = new Set(scope.node.findAll());
    return new TrafficMap(new TrafficGraph(objects.map(o => o.input)), focusOf(objects.filter(o => inScope.has(o.object)).map(o => o.input)));
  }

  /**
   * Writes the traffic map of each chart of `app` as Markdown next to the chart's manifest:
   * `<outdir>/<chart>.traffic.md`, named as `App.synth()` names `<outdir>/<chart>.k8s.yaml`
   * (with its `0000-` prefix when charts depend on each other), titled `Traffic map: <chart path>`.
   * Each map shows the objects of that chart's manifest and how they connect to the rest of the
   * app. With `YamlOutputType.FILE_PER_APP`, writes one map of the whole app, `<outdir>/app.traffic.md`.
   * Call it after `app.synth()` (before works too); the output is deterministic.
   *
   * @param app The app, as `App.synth()` writes it (its `outdir` and `yamlOutputType`).
   * @returns The paths written, in chart order.
   */
  public static synth(app: App): string[] {
    const objects = appObjects(app);
    const graph = new TrafficGraph(objects.map(o => o.input));
    const files: { file: string; map: TrafficMap; title: string }[] = [];
    if (app.yamlOutputType === YamlOutputType.FILE_PER_APP) {
      if (app.charts.length > 0) {
        files.push({ file: 'app.traffic.md', map: new TrafficMap(graph, undefined), title: 'app' });
      }
    } else {
      // the objects of each chart's manifest: those whose closest chart it is
      const byChart = new Map<Chart, ManifestInput[]>();
      for (const { object, input } of objects) {
        const chart = Chart.of(object);
        const own = byChart.get(chart);
        if (own === undefined) {
          byChart.set(chart, [input]);
        } else {
          own.push(input);
        }
      }
      for (const { chart, name } of chartFileNames(app)) {
        files.push({ file: `${name}.traffic.md`, map: new TrafficMap(graph, focusOf(byChart.get(chart) ?? [])), title: chart.node.path });
      }
    }
    fs.mkdirSync(app.outdir, { recursive: true });
    return files.map(({ file, map, title }) => {
      const written = path.join(app.outdir, file);
      fs.writeFileSync(written, map.toMarkdown(`Traffic map: ${title}`));
      return written;
    });
  }

  /**
   * The nodes, sorted by id.
   */
  public readonly nodes: TrafficNode[];

  /**
   * The edges, sorted by source, target, kind and label.
   */
  public readonly edges: TrafficEdge[];

  /**
   * The Services whose selector matches no pod template, as `<namespace>/<name>`, sorted.
   */
  public readonly danglingServices: string[];

  /**
   * @param focus The node ids of the objects the map is about: it shows them, every edge they
   * draw or that ends at them, and the nodes at the other ends. Undefined: all of them.
   */
  private constructor(graph: TrafficGraph, focus: Set<string> | undefined) {
    const inFocus = (id: string) => focus === undefined || (focus.has(id) && graph.nodes.get(id)?.object === true);
    let edges: TrafficEdge[];
    let ids: Set<string>;
    let dangling: [string, string][];
    if (focus === undefined) {
      edges = [...graph.edges.values()].map(({ edge }) => edge);
      ids = new Set(graph.nodes.keys());
      dangling = [...graph.dangling];
    } else {
      // only the edges of the focus (a chart's objects), through the graph's index: a map per
      // chart touches its own part of the graph, not all of it
      const found = new Set<GraphEdge>();
      ids = new Set();
      for (const id of focus) {
        graph.edgesByOrigin(id).forEach(edge => found.add(edge));
        if (inFocus(id)) {
          ids.add(id);
          graph.edgesAt(id).forEach(edge => found.add(edge));
        }
      }
      edges = [...found].map(({ edge }) => edge);
      dangling = [...ids].filter(id => graph.dangling.has(id)).map(id => [id, graph.dangling.get(id)!]);
    }
    for (const edge of edges) {
      ids.add(edge.source);
      ids.add(edge.target);
    }
    this.nodes = [...ids].map(id => graph.nodes.get(id)!.node).sort((a, b) => compare(a.id, b.id));
    this.edges = edges.sort((a, b) =>
      compare(a.source, b.source) || compare(a.target, b.target) || compare(a.kind, b.kind) || compare(a.label, b.label));
    this.danglingServices = dangling.map(([, name]) => name).sort(compare);
  }

  /**
   * The map as a Mermaid `flowchart`, deterministic for the same app.
   */
  public toMermaid(): string {
    const shapes: Record<TrafficNodeKind, [string, string]> = {
      [TrafficNodeKind.ENTRY]: ['([', '])'],
      [TrafficNodeKind.SERVICE]: ['[', ']'],
      [TrafficNodeKind.WORKLOAD]: ['[[', ']]'],
      [TrafficNodeKind.EXTERNAL]: ['{{', '}}'],
      [TrafficNodeKind.DANGLING]: ['[/', '/]'],
      [TrafficNodeKind.ROUTE]: ['>', ']'],
    };
    const arrows: Record<TrafficEdgeKind, string> = {
      [TrafficEdgeKind.EXPOSES]: '-->',
      [TrafficEdgeKind.SELECTS]: '-->',
      [TrafficEdgeKind.ENV]: '-.->',
      [TrafficEdgeKind.ALLOWS]: '==>',
      [TrafficEdgeKind.CNAME]: '-.->',
      [TrafficEdgeKind.ROUTES]: '-->',
    };
    const text = (value: string) => value.replace(/"/g, '#quot;').replace(/\|/g, '#124;');
    const lines = ['flowchart LR'];
    for (const node of this.nodes) {
      const [open, close] = shapes[node.kind];
      lines.push(`  ${node.id}${open}"${text(node.label)}"${close}${node.kind === TrafficNodeKind.DANGLING ? ':::dangling' : ''}`);
    }
    for (const edge of this.edges) {
      lines.push(`  ${edge.source} ${arrows[edge.kind]}|"${text(edge.label)}"| ${edge.target}`);
    }
    lines.push('  classDef dangling fill:#fdd,stroke:#c00,stroke-dasharray:4 3');
    return lines.join('\n') + '\n';
  }

  /**
   * The map as Markdown: a heading, a Mermaid block, and the dangling Services, if any.
   *
   * @param title The heading.
   */
  public toMarkdown(title: string): string {
    const lines = [`# ${title}`, '', '```mermaid', this.toMermaid() + '```', ''];
    if (this.danglingServices.length > 0) {
      lines.push(`Dangling (selector matches no pods): ${this.danglingServices.map(s => `\`${s}\``).join(', ')}`, '');
    }
    return lines.join('\n');
  }

}
