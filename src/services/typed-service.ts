import { Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct, IConstruct } from 'constructs';
import { memoInSynth, typedServiceCreated } from './app-hooks';
import { BindEnvOptions, BindPortEnvOptions, DnsNameOptions } from './discovery';
import { clusterDomainOf, kubeletEnvVarNames } from './discovery-names';
import { SERVICE_NAME, withGeneratedName } from './generated-names';
import { isDns1035Label, isDns1123Label, isIanaSvcName, isLabelValue, isPortNumber, isQualifiedName, MAX_PORT, MIN_PORT } from './kubernetes-names';
import { NodePortMapping, NodePortRange } from './port-mapping';
import { portListText, quote } from './quote';
import { DEFAULT_NODE_PORT_RANGE, nodePortProblem, nodePortRangeProblem } from './spec-fields';
import { ServiceKind } from './service-kind';

/** A `bindEnv()` call, resolved at synth. */
interface EnvBinding {
  readonly call: string;
  readonly container: kplus.Container;
  readonly port?: number;
  readonly clusterDomain?: string;
}

const KUBE_TYPE: Record<ServiceKind, kplus.ServiceType> = {
  [ServiceKind.CLUSTER_IP]: kplus.ServiceType.CLUSTER_IP,
  [ServiceKind.HEADLESS]: kplus.ServiceType.CLUSTER_IP,
  [ServiceKind.NODE_PORT]: kplus.ServiceType.NODE_PORT,
  [ServiceKind.LOAD_BALANCER]: kplus.ServiceType.LOAD_BALANCER,
  [ServiceKind.EXTERNAL_NAME]: kplus.ServiceType.EXTERNAL_NAME,
};

/**
 * The base of every typed Service: a `kplus.Service` whose spec holds only the fields its kind
 * allows, checked as they arrive.
 *
 * Use one of its subclasses: `ClusterIPService`, `HeadlessService`, `NodePortService`,
 * `LoadBalancerService` or `ExternalNameService`.
 */
export abstract class TypedService extends kplus.Service {
  /**
   * Which kind of Service this is.
   */
  public readonly serviceKind: ServiceKind;

  private readonly _mappings: NodePortMapping[] = [];
  private readonly _selectorLabels: { [key: string]: string } = {};
  /** For each selector key, the call that added it. */
  private readonly _selectorSources: { [key: string]: string } = {};
  private readonly _selectors: kplus.IPodSelector[] = [];
  private readonly _envBindings: EnvBinding[] = [];

  private _nodePortRange?: NodePortRange;

  protected constructor(scope: Construct, id: string, kind: ServiceKind, props: kplus.ServiceProps) {
    super(scope, id, {
      // cdk8s' generated name, unless it is not a valid Service name (see generatedName)
      metadata: withGeneratedName(props.metadata, scope, id, SERVICE_NAME),
      clusterIP: props.clusterIP,
      externalName: props.externalName,
      type: KUBE_TYPE[kind],
    });
    this.serviceKind = kind;
    if (typeof this.name === 'string' && !isDns1035Label(this.name)) {
      throw this._error(`name ${quote(this.name)} is not a valid Service name; use at most 63 characters of [a-z0-9-], starting with a letter and ending with a letter or digit (DNS-1035 label)`);
    }
    this.node.addValidation({ validate: () => this._validateSpec() });
    typedServiceCreated(this);
  }

  /**
   * The port mappings of this Service, as given (targetPort not yet defaulted).
   */
  public get portMappings(): NodePortMapping[] {
    return this._mappings.map(mapping => ({ ...mapping }));
  }

  /**
   * The port mappings as held (not copies), for the library's own reads on hot paths.
   * @internal
   */
  public get _portMappingsView(): readonly NodePortMapping[] {
    return this._mappings;
  }

  /**
   * The labels this Service selects pods by (empty when it selects none).
   */
  public get selectorLabels(): { [key: string]: string } {
    return { ...this._selectorLabels };
  }

  /**
   * The pod selectors (workloads, pods, label queries) passed to `select()`, in order; the Service
   * selects the pods that all of them select (AND), as `selectorLabels` shows.
   */
  public get selectors(): kplus.IPodSelector[] {
    return [...this._selectors];
  }

  /**
   * The node port range this Service's fixed nodePorts are checked against; undefined for kinds
   * without node ports.
   */
  public get nodePortRange(): NodePortRange | undefined {
    return this._nodePortRange === undefined ? undefined : { ...this._nodePortRange };
  }

  /**
   * The namespace the Service is created in (`default` when the Service and its chart set none).
   */
  public get namespace(): string {
    return this.metadata.namespace ?? 'default';
  }

  /**
   * The Service's fully qualified DNS name, `<name>.<namespace>.svc.<clusterDomain>`: it resolves
   * from any namespace (for an ExternalName Service, to a CNAME of `externalName`).
   *
   * @see https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#services
   */
  public dnsName(options: DnsNameOptions = {}): string {
    return `${this.name}.${this.namespace}.svc.${clusterDomainOf(options)}`;
  }

  /**
   * The host name a consumer should use: `dnsName()` when the Service's namespace is set (on the
   * Service or its chart), else the short name `<name>`. Manifests without a namespace land in
   * whichever namespace they are applied to (`kubectl apply -n`, an Argo CD or Flux destination),
   * and the short name resolves there for consumers applied along with the Service, where a name
   * with `default` in it would not. For a given consumer, use `hostNameFrom()` (or `bindEnv()`),
   * which also checks the consumer's namespace.
   */
  public hostName(options: DnsNameOptions = {}): string {
    return this.metadata.namespace === undefined ? this.name : this.dnsName(options);
  }

  /**
   * Every DNS name of the Service, shortest first: `<name>` (same namespace only), `<name>.<namespace>`,
   * `<name>.<namespace>.svc`, and the fully qualified name.
   */
  public dnsNames(options: DnsNameOptions = {}): string[] {
    const namespaced = `${this.name}.${this.namespace}`;
    return [this.name, namespaced, `${namespaced}.svc`, this.dnsName(options)];
  }

  /**
   * The DNS SRV record names of the named ports: `_<port-name>._<protocol>.<name>.<namespace>.svc.<clusterDomain>`.
   *
   * @see https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#srv-records
   */
  public srvRecordNames(options: DnsNameOptions = {}): string[] {
    const fqdn = this.dnsName(options);
    return this._mappings
      .filter(mapping => mapping.name !== undefined)
      .map(mapping => `_${mapping.name}._${(mapping.protocol ?? kplus.Protocol.TCP).toLowerCase()}.${fqdn}`);
  }

  /**
   * The environment variables the kubelet injects for this Service into pods of its namespace that
   * start after it (with `enableServiceLinks`, the default): `<P>_SERVICE_HOST`, `<P>_SERVICE_PORT`,
   * `<P>_SERVICE_PORT_<PORTNAME>`, `<P>_PORT` and `<P>_PORT_<port>_<PROTO>[_PROTO|_PORT|_ADDR]`, where
   * `<P>` is the name upper-cased with `-` as `_`. None for headless and ExternalName Services,
   * which have no cluster IP.
   *
   * @see https://kubernetes.io/docs/concepts/services-networking/service/#environment-variables
   */
  public kubeletEnvVarNames(): string[] {
    if (this.serviceKind === ServiceKind.HEADLESS || this.serviceKind === ServiceKind.EXTERNAL_NAME) {
      return [];
    }
    return kubeletEnvVarNames(this.name, this._mappings);
  }

  /**
   * The host name by which the pods of `consumer` reach this Service: `hostName()`, checked against
   * the consumer's namespace. That is the fully qualified `dnsName()` when the Service's namespace is
   * set (on the Service or its chart), which resolves from every namespace; and the short name when
   * neither the Service nor the consumer sets a namespace (manifests without one are applied
   * together, e.g. `kubectl apply -n`, and the short name resolves there). A consumer in a namespace
   * and a Service without one is an error: the short name would resolve in the consumer's namespace,
   * and nothing says the Service is applied there.
   *
   * @param consumer The pod or workload that connects to this Service.
   */
  public hostNameFrom(consumer: kplus.AbstractPod, options: DnsNameOptions = {}): string {
    const problem = this._unresolvableFrom(`hostNameFrom(${consumer.node.path})`, [consumer]);
    if (problem !== undefined) {
      throw this._error(problem);
    }
    return this.hostName(options);
  }

  /**
   * Set a consumer's environment variable to the host name by which it reaches this Service
   * (`hostNameFrom()` of the pod or workload that holds `container`), optionally with a port
   * (`host:port`). The value is written at synth, from the Service's real `metadata.name` and the
   * namespaces of both: the short name when neither has a namespace, else the fully qualified name.
   * A consumer in a namespace bound to a Service without one fails the synth, naming both: set the
   * namespace on the Service's chart (or its `metadata.namespace`).
   *
   * @param container The consuming container, of a pod or workload in this Service's app.
   * @param variable The variable, for example `WORDPRESS_DB_HOST`.
   */
  public bindEnv(container: kplus.Container, variable: string, options: BindEnvOptions = {}): void {
    const call = `bindEnv('${variable}')`;
    if (options.port !== undefined && !this._mappings.some(mapping => mapping.port === options.port)) {
      throw this._error(`${call} port ${options.port} is not a port of this Service; use one of ${this._portList()}`);
    }
    clusterDomainOf(options);
    const binding: EnvBinding = { call, container, port: options.port, clusterDomain: options.clusterDomain };
    this._envBindings.push(binding);
    // The container does not know its pod, and its pod may not have it yet: resolve at synth.
    container.env.addVariable(variable, kplus.EnvValue.fromValue(Lazy.any({ produce: () => this._boundHost(binding) })));
  }

  /**
   * Set a consumer's environment variable to the number of one of this Service's ports (the same
   * from every namespace).
   *
   * @param container The consuming container.
   * @param variable The variable, for example `WORDPRESS_DB_PORT`.
   */
  public bindPortEnv(container: kplus.Container, variable: string, options: BindPortEnvOptions = {}): void {
    const mapping = options.portName === undefined
      ? this._mappings[0]
      : this._mappings.find(m => m.name === options.portName);
    if (mapping === undefined) {
      const wanted = options.portName === undefined ? 'a first port' : `a port named '${options.portName}'`;
      throw this._error(`bindPortEnv('${variable}') needs ${wanted}, but the Service has ${this._portList()}; add the port or pick another`);
    }
    container.env.addVariable(variable, kplus.EnvValue.fromValue(String(mapping.port)));
  }

  /**
   * Add a port; it goes through the same checks as the `ports` prop.
   *
   * @param port The port the Service listens on.
   * @param options Where it forwards to, its name, protocol and node port.
   */
  public bind(port: number, options: kplus.ServiceBindOptions = {}): void {
    this._addMapping({ ...options, port });
  }

  /**
   * Select the pods of a workload, pod or label query, as well as those selected so far: the
   * selector holds the labels of every selection, and Kubernetes routes to the pods that carry all
   * of them (AND). A selection that needs another value for a label already in the selector is an
   * error, since no pod could match both: to route to the pods of two workloads, give their pod
   * templates a label they share and select it with `selectLabel()`.
   */
  public select(selector: kplus.IPodSelector): void {
    const call = `select(${selector.node.path})`;
    this._assertSelectable(call);
    // what kplus.Service.select() does, without computing the selector's labels a second time
    this._addSelectorLabels(call, selector.toPodSelectorConfig().labelSelector._toKube().matchLabels ?? {});
    this._selectors.push(selector);
  }

  /**
   * Select pods with this label, as well as the labels selected so far (AND); a different value
   * for a key already in the selector is an error.
   */
  public selectLabel(key: string, value: string): void {
    const call = `selectLabel('${key}', '${value}')`;
    this._assertSelectable(call);
    this._addSelectorLabels(call, { [key]: value });
  }

  /**
   * @internal
   */
  public _toKube(): k8s.ServiceSpec {
    const ports = this._mappings.map(mapping => ({
      name: mapping.name,
      port: mapping.port,
      targetPort: mapping.targetPortName !== undefined
        ? k8s.IntOrString.fromString(mapping.targetPortName)
        : k8s.IntOrString.fromNumber(mapping.targetPort ?? mapping.port),
      nodePort: mapping.nodePort,
      protocol: mapping.protocol,
    }));
    return {
      type: KUBE_TYPE[this.serviceKind],
      clusterIp: this.clusterIP,
      externalName: this.externalName,
      selector: Object.keys(this._selectorLabels).length > 0 ? { ...this._selectorLabels } : undefined,
      ports: ports.length > 0 ? ports : undefined,
      ...this._kindSpec(),
    };
  }

  /**
   * The spec fields only this kind sets.
   * @internal
   */
  protected abstract _kindSpec(): k8s.ServiceSpec;

  /**
   * Whether a Service of this kind is invalid without ports.
   * @internal
   */
  protected _requiresPorts(): boolean {
    return true;
  }

  /**
   * Check a port against the rules for one Service and add it.
   * @internal
   */
  protected _addMapping(mapping: NodePortMapping): void {
    const protocol = mapping.protocol ?? kplus.Protocol.TCP;
    const where = `port ${mapping.port}`;
    if (!isPortNumber(mapping.port)) {
      throw this._error(`port ${mapping.port} is not a valid port number; use an integer in ${MIN_PORT}-${MAX_PORT}`);
    }
    if (mapping.targetPort !== undefined && mapping.targetPortName !== undefined) {
      throw this._error(`${where} sets both targetPort ${mapping.targetPort} and targetPortName '${mapping.targetPortName}'; set one of them`);
    }
    if (mapping.targetPort !== undefined && !isPortNumber(mapping.targetPort)) {
      throw this._error(`${where} has targetPort ${mapping.targetPort}, which is not a valid port number; use an integer in ${MIN_PORT}-${MAX_PORT}`);
    }
    if (mapping.targetPortName !== undefined && !isIanaSvcName(mapping.targetPortName)) {
      throw this._error(`${where} has targetPortName '${mapping.targetPortName}', which is not a valid port name; use 1-15 characters of [a-z0-9-] with at least one letter and no leading, trailing or double '-' (IANA_SVC_NAME)`);
    }
    if (mapping.name !== undefined && !isDns1123Label(mapping.name)) {
      throw this._error(`${where} has name '${mapping.name}', which is not a valid port name; use at most 63 characters of [a-z0-9-], starting and ending alphanumeric (DNS-1123 label)`);
    }
    if (mapping.nodePort !== undefined) {
      this._checkNodePort(mapping.nodePort, protocol, where);
    }
    for (const existing of this._mappings) {
      if (mapping.name !== undefined && existing.name === mapping.name) {
        throw this._error(`${where} has name '${mapping.name}', which port ${existing.port} already uses; port names must be unique within a Service`);
      }
      if (existing.port === mapping.port && (existing.protocol ?? kplus.Protocol.TCP) === protocol) {
        throw this._error(`port ${mapping.port}/${protocol} is already defined; a port number may appear twice only with different protocols`);
      }
    }
    this._mappings.push({ ...mapping });
    // with `port` among the options, kplus' copy ({ ...options, port }) adds no key to a copied
    // object, which gives V8 a new hidden class for every port
    const options: kplus.ServicePort = {
      port: mapping.port,
      name: mapping.name,
      protocol: mapping.protocol,
      targetPort: mapping.targetPort,
      nodePort: mapping.nodePort,
    };
    super.bind(mapping.port, options);
  }

  /**
   * Allow node ports on this Service, checked against the cluster's node port range.
   * @internal
   */
  protected _allowNodePorts(range: NodePortRange = DEFAULT_NODE_PORT_RANGE): void {
    const problem = nodePortRangeProblem(range);
    if (problem !== undefined) {
      throw this._error(problem);
    }
    this._nodePortRange = { min: range.min, max: range.max };
  }

  /**
   * An Error in the library's one style: `<Class> '<construct path>': <what is wrong and what is allowed>`.
   * @internal
   */
  protected _error(message: string): Error {
    return new Error(`${this.constructor.name} '${this.node.path}': ${message}`);
  }

  /**
   * The value of a `bindEnv()` variable, at synth.
   */
  private _boundHost(binding: EnvBinding): string {
    const consumers = this._podsHolding(binding.container);
    const problem = consumers.length === 0 && this.metadata.namespace === undefined
      ? `${binding.call}: the container is in no pod or workload of this Service's app, so the namespace it runs in is unknown, and this Service sets none; set the namespace of the Service's chart (or its metadata.namespace) so the fully qualified name is used`
      : this._unresolvableFrom(binding.call, consumers);
    if (problem !== undefined) {
      throw this._error(problem);
    }
    const host = this.hostName({ clusterDomain: binding.clusterDomain });
    return binding.port === undefined ? host : `${host}:${binding.port}`;
  }

  /**
   * Why the host name does not resolve from some of `consumers`, or undefined when it resolves from all.
   */
  private _unresolvableFrom(call: string, consumers: kplus.AbstractPod[]): string | undefined {
    if (this.metadata.namespace !== undefined) {
      return undefined;
    }
    const namespaced = consumers.find(consumer => consumer.metadata.namespace !== undefined);
    if (namespaced === undefined) {
      return undefined;
    }
    const namespace = namespaced.metadata.namespace;
    return `${call}: ${namespaced.constructor.name} '${namespaced.node.path}' is in namespace '${namespace}', but this Service sets no namespace, so its short name '${this.name}' resolves from there only if the Service is applied to '${namespace}' too; set the namespace of the Service's chart (or its metadata.namespace) so the fully qualified name is used, or set no namespace on the consumer's chart either and apply both to one namespace`;
  }

  /**
   * The pods and workloads of this Service's app that hold `container`: from one walk of the app
   * per synth, shared by every binding of every typed Service (a walk per binding made apps with
   * many bindings quadratic).
   */
  private _podsHolding(container: kplus.Container): kplus.AbstractPod[] {
    const root = this.node.root;
    return memoInSynth(root, PODS_BY_CONTAINER, () => podsByContainer(root)).get(container) ?? [];
  }

  private _portList(): string {
    if (this._mappings.length === 0) {
      return 'no ports';
    }
    return portListText(this._mappings);
  }

  private _checkNodePort(nodePort: number, protocol: kplus.Protocol, where: string): void {
    const range = this._nodePortRange;
    if (range === undefined) {
      throw this._error(`${where} sets nodePort ${nodePort}, but a ${this.serviceKind} Service has no node ports; use a NodePortService or LoadBalancerService`);
    }
    const problem = nodePortProblem(nodePort, range);
    if (problem !== undefined) {
      throw this._error(problem);
    }
    for (const existing of this._mappings) {
      if (existing.nodePort === nodePort && (existing.protocol ?? kplus.Protocol.TCP) === protocol) {
        throw this._error(`${where} reuses nodePort ${nodePort} of port ${existing.port}; a node port may serve one Service port (per protocol)`);
      }
    }
  }

  private _checkLabel(key: string, value: string): void {
    if (typeof key === 'string' && !isQualifiedName(key)) {
      throw this._error(`selector key '${key}' is not a valid label key; use an optional DNS prefix and '/', then at most 63 characters of [A-Za-z0-9-_.], starting and ending alphanumeric`);
    }
    if (typeof value === 'string' && !isLabelValue(value)) {
      throw this._error(`selector ${key}=${value} has an invalid label value; use at most 63 characters of [A-Za-z0-9-_.], starting and ending alphanumeric, or an empty value`);
    }
  }

  private _addSelectorLabels(call: string, labels: { [key: string]: string }): void {
    for (const key of Object.keys(labels)) {
      const value = labels[key];
      this._checkLabel(key, value);
      const existing = this._selectorLabels[key];
      if (existing !== undefined && existing !== value) {
        throw this._error(`${call} needs the label ${key}=${value}, but the selector already has ${key}=${existing} (from ${this._selectorSources[key]}); a Service routes to the pods that carry every label of its selector, so no pod could match both; select one of them, or select a label their pod templates share with selectLabel()`);
      }
    }
    for (const key of Object.keys(labels)) {
      const value = labels[key];
      if (this._selectorLabels[key] === undefined) {
        this._selectorLabels[key] = value;
        this._selectorSources[key] = call;
        super.selectLabel(key, value);
      }
    }
  }

  private _assertSelectable(call: string): void {
    if (this.serviceKind === ServiceKind.EXTERNAL_NAME) {
      throw this._error(`${call} is not allowed: an ExternalName Service has no selector (Kubernetes ignores it); select pods with another kind of Service`);
    }
  }

  private _validateSpec(): string[] {
    const errors: string[] = [];
    for (const binding of this._envBindings) {
      // a container in no pod of this app is not written by it (and fails where it is written)
      const problem = this._unresolvableFrom(binding.call, this._podsHolding(binding.container));
      if (problem !== undefined) {
        errors.push(`${this.constructor.name} '${this.node.path}': ${problem}`);
      }
    }
    if (this._requiresPorts() && this._mappings.length === 0) {
      errors.push(`${this.constructor.name} '${this.node.path}': has no ports; a ${this.serviceKind} Service needs at least one (add one with the ports prop or bind())`);
    }
    if (this._mappings.length > 1) {
      for (const mapping of this._mappings) {
        if (mapping.name === undefined) {
          errors.push(`${this.constructor.name} '${this.node.path}': port ${mapping.port} has no name; every port needs a unique name when a Service has more than one`);
        }
      }
    }
    return errors;
  }
}

/** The key of `podsByContainer` among a synth's memos. */
const PODS_BY_CONTAINER = 'typed-service/pods-by-container';

/** The pods and workloads of the app `root` that hold each container (as a container or init container), in tree order. */
function podsByContainer(root: IConstruct): Map<kplus.Container, kplus.AbstractPod[]> {
  const pods = new Map<kplus.Container, kplus.AbstractPod[]>();
  for (const construct of root.node.findAll()) {
    if (!(construct instanceof kplus.AbstractPod)) {
      continue;
    }
    // a container listed twice in one pod counts the pod once
    for (const container of new Set([...construct.containers, ...construct.initContainers])) {
      const holders = pods.get(container);
      if (holders === undefined) {
        pods.set(container, [construct]);
      } else {
        holders.push(construct);
      }
    }
  }
  return pods;
}
