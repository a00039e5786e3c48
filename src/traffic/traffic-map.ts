import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ObjectRef } from '../validation/finding';
import { ManifestInput, modelFromManifests } from '../validation/from-manifests';
import { PodTemplateInfo, ServiceInfo } from '../validation/model';
import { OperatorPodIndex } from '../validation/operator-pods';
import { envServiceHost, PodTemplateIndex } from '../validation/wiring-index';

/**
 * What a node of the traffic map stands for.
 */
export enum TrafficNodeKind {
  /** Where traffic enters: every node's port, a load balancer, an Ingress, a NetworkPolicy peer outside the app. */
  ENTRY = 'entry',
  /** A Service. */
  SERVICE = 'service',
  /** A workload's pods (Deployment, StatefulSet, ...). */
  WORKLOAD = 'workload',
  /** A host outside the cluster (an ExternalName CNAME target). */
  EXTERNAL = 'external',
  /** A selector that matches no pods: traffic to it goes nowhere. */
  DANGLING = 'dangling',
}

/**
 * What an edge of the traffic map stands for.
 */
export enum TrafficEdgeKind {
  /** An entry point forwards to a Service (node port, load balancer, Ingress path). */
  EXPOSES = 'exposes',
  /** A Service sends traffic to the pods its selector matches. */
  SELECTS = 'selects',
  /** A workload's environment variable names a Service (e.g. `WORDPRESS_DB_HOST`). */
  ENV = 'env',
  /** A NetworkPolicy admits traffic from the source to the target pods. */
  ALLOWS = 'allows',
  /** An ExternalName Service answers with a CNAME for an outside host. */
  CNAME = 'cname',
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

function portsText(service: ServiceInfo): string {
  return service.ports.map(p => `:${p.port}${p.protocol === 'TCP' ? '' : `/${p.protocol}`}`).join(' ');
}

function isObject(value: unknown): value is Record<string, any> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function selectorText(selector: Record<string, string>): string {
  return Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(', ');
}

/**
 * A picture of how traffic reaches each pod of an app: entry points (node ports, load balancers,
 * Ingresses), Services with their kind and ports, the workloads whose pods each Service selects
 * (resolved from the real selectors, not from construct ownership), environment variables that
 * name a Service, NetworkPolicy allows, and ExternalName CNAMEs. Selectors that match nothing are
 * drawn as dangling and listed in `danglingServices`. Render it with `toMermaid()` or
 * `toMarkdown()`; GitHub renders Mermaid in Markdown.
 */
export class TrafficMap {
  /**
   * The traffic map of a chart, or of every chart of an app, as built so far: every object under
   * `scope` as it would be written, without running the app's validations (a map of a broken app
   * shows where it is broken).
   *
   * @param scope A Chart, or an App (all its charts).
   */
  public static of(scope: IConstruct): TrafficMap {
    const objects = scope.node.findAll().filter(ApiObject.isApiObject);
    return new TrafficMap(objects.map(object => ({ manifest: object.toJson() })));
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

  private constructor(inputs: ManifestInput[]) {
    const nodes = new Map<string, TrafficNode>();
    const edges = new Map<string, TrafficEdge>();
    const dangling: string[] = [];
    const addNode = (id: string, kind: TrafficNodeKind, label: string) => {
      nodes.set(id, { id, kind, label });
      return id;
    };
    const addEdge = (source: string, target: string, kind: TrafficEdgeKind, label: string) => {
      edges.set(`${source}\u0000${target}\u0000${kind}\u0000${label}`, { source, target, kind, label });
    };

    const model = modelFromManifests(inputs);
    const index = new PodTemplateIndex(model.podTemplates);
    const operatorPods = new OperatorPodIndex(model.podTemplates, model.operatorResources);
    const workloadNode = (template: PodTemplateInfo) =>
      addNode(refId(template.ref), TrafficNodeKind.WORKLOAD, `${template.ref.kind} ${template.ref.name}`);
    for (const template of model.podTemplates) {
      workloadNode(template);
    }

    const services = new Map<string, ServiceInfo>();
    for (const service of model.services) {
      const { name, namespace } = service.ref;
      services.set(`${namespace}/${name}`, service);
      const svc = addNode(refId(service.ref), TrafficNodeKind.SERVICE, `Service ${name} (${service.headless ? 'Headless' : service.type}) ${portsText(service)}`.trim());
      if (service.type === 'ExternalName') {
        const host = service.externalName ?? '';
        addEdge(svc, addNode(nodeId('ext', host), TrafficNodeKind.EXTERNAL, host), TrafficEdgeKind.CNAME, 'CNAME');
        continue;
      }
      if (service.type === 'NodePort' || service.type === 'LoadBalancer') {
        for (const port of service.ports) {
          const nodePort = port.nodePort === undefined ? 'allocated' : `${port.nodePort}`;
          const entry = service.type === 'NodePort'
            ? addNode(nodeId('nodeport', namespace, name), TrafficNodeKind.ENTRY, 'every node')
            : addNode(nodeId('lb', namespace, name), TrafficNodeKind.ENTRY, 'load balancer');
          const via = service.type === 'NodePort' ? `:${nodePort}` : `:${port.port} (node port ${nodePort})`;
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
        addEdge(svc, addNode(refId(operator), TrafficNodeKind.WORKLOAD, `${operator.kind} ${operator.name}`), TrafficEdgeKind.SELECTS, 'pods its operator runs');
        continue;
      }
      if (selected.length === 0) {
        dangling.push(`${namespace}/${name}`);
        const none = addNode(nodeId('dangling', namespace, name), TrafficNodeKind.DANGLING, `no pods match ${selectorText(service.selector)}`);
        addEdge(svc, none, TrafficEdgeKind.SELECTS, 'selects nothing');
        continue;
      }
      const targets = service.ports.map(p => `:${p.port} → ${p.targetPort}`).join(', ');
      for (const template of selected) {
        addEdge(svc, workloadNode(template), TrafficEdgeKind.SELECTS, targets || 'all ports');
      }
    }

    const namespaces = new Set([...model.podTemplates, ...model.services].map(item => item.ref.namespace));
    for (const template of model.podTemplates) {
      for (const env of template.env) {
        const host = envServiceHost(env, template, namespaces);
        const service = host && services.get(`${host.namespace}/${host.name}`);
        if (service) {
          addEdge(workloadNode(template), refId(service.ref), TrafficEdgeKind.ENV, env.name);
        }
      }
    }

    for (const ingress of model.ingresses) {
      const entry = addNode(nodeId('ing', ingress.ref.namespace, ingress.ref.name), TrafficNodeKind.ENTRY, `Ingress ${ingress.ref.name}`);
      for (const backend of ingress.backends) {
        const service = services.get(`${ingress.ref.namespace}/${backend.service}`);
        const target = service
          ? refId(service.ref)
          : addNode(nodeId('dangling', ingress.ref.namespace, backend.service), TrafficNodeKind.DANGLING, `no Service ${backend.service}`);
        addEdge(entry, target, TrafficEdgeKind.EXPOSES, backend.port === undefined ? 'any port' : `:${backend.port}`);
      }
    }

    for (const { manifest } of inputs) {
      if (manifest?.kind === 'NetworkPolicy' && isObject(manifest.spec)) {
        this.addPolicy(manifest, index, addNode, addEdge, workloadNode);
      }
    }

    this.nodes = [...nodes.values()].sort((a, b) => a.id.localeCompare(b.id));
    this.edges = [...edges.values()].sort((a, b) =>
      a.source.localeCompare(b.source) || a.target.localeCompare(b.target) || a.kind.localeCompare(b.kind) || a.label.localeCompare(b.label));
    this.danglingServices = dangling.sort();
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
    };
    const arrows: Record<TrafficEdgeKind, string> = {
      [TrafficEdgeKind.EXPOSES]: '-->',
      [TrafficEdgeKind.SELECTS]: '-->',
      [TrafficEdgeKind.ENV]: '-.->',
      [TrafficEdgeKind.ALLOWS]: '==>',
      [TrafficEdgeKind.CNAME]: '-.->',
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

  private addPolicy(
    policy: Record<string, any>,
    index: PodTemplateIndex,
    addNode: (id: string, kind: TrafficNodeKind, label: string) => string,
    addEdge: (source: string, target: string, kind: TrafficEdgeKind, label: string) => void,
    workloadNode: (template: PodTemplateInfo) => string,
  ): void {
    const namespace = String(policy.metadata?.namespace ?? 'default');
    const select = (selector: unknown): PodTemplateInfo[] | undefined => {
      if (!isObject(selector) || (Array.isArray(selector.matchExpressions) && selector.matchExpressions.length > 0)) {
        return undefined; // matchExpressions: not drawn
      }
      return index.selectAll(namespace, isObject(selector.matchLabels) ? selector.matchLabels : {});
    };
    const targets = select(policy.spec.podSelector) ?? [];
    const rules: unknown[] = Array.isArray(policy.spec.ingress) ? policy.spec.ingress : [];
    for (const rule of rules) {
      if (!isObject(rule)) {
        continue;
      }
      const ports = (Array.isArray(rule.ports) ? rule.ports : [])
        .filter(isObject)
        .map((p: Record<string, any>) => `:${p.port ?? '*'}${p.protocol && p.protocol !== 'TCP' ? `/${p.protocol}` : ''}`)
        .join(' ') || 'all ports';
      const peers: unknown[] = Array.isArray(rule.from) ? rule.from : [];
      const sources: string[] = [];
      if (peers.length === 0) {
        sources.push(addNode('anywhere', TrafficNodeKind.ENTRY, 'anywhere'));
      }
      for (const peer of peers) {
        if (!isObject(peer)) {
          continue;
        }
        if (isObject(peer.ipBlock)) {
          sources.push(addNode(nodeId('ip', String(peer.ipBlock.cidr)), TrafficNodeKind.ENTRY, `IPs ${peer.ipBlock.cidr}`));
        } else if (peer.namespaceSelector !== undefined) {
          sources.push(addNode(nodeId('ns', JSON.stringify(peer.namespaceSelector)), TrafficNodeKind.ENTRY, 'pods of other namespaces'));
        } else {
          sources.push(...(select(peer.podSelector) ?? []).map(workloadNode));
        }
      }
      for (const source of sources) {
        for (const target of targets) {
          addEdge(source, workloadNode(target), TrafficEdgeKind.ALLOWS, `allows ${ports}`);
        }
      }
    }
  }
}
