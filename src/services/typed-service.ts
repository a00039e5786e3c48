import * as kplus from 'cdk8s-plus-27';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';
import { typedServiceCreated } from './app-hooks';
import { BindEnvOptions, BindPortEnvOptions, DnsNameOptions } from './discovery';
import { clusterDomainOf, kubeletEnvVarNames } from './discovery-names';
import { isDns1035Label, isDns1123Label, isIanaSvcName, isLabelValue, isPortNumber, isQualifiedName, MAX_PORT, MIN_PORT } from './kubernetes-names';
import { NodePortMapping, NodePortRange } from './port-mapping';
import { quote } from './quote';
import { DEFAULT_NODE_PORT_RANGE, nodePortProblem } from './spec-fields';
import { ServiceKind } from './service-kind';

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
  private readonly _selectors: kplus.IPodSelector[] = [];

  private _nodePortRange?: NodePortRange;

  protected constructor(scope: Construct, id: string, kind: ServiceKind, props: kplus.ServiceProps) {
    super(scope, id, {
      metadata: props.metadata,
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
   * The labels this Service selects pods by (empty when it selects none).
   */
  public get selectorLabels(): { [key: string]: string } {
    return { ...this._selectorLabels };
  }

  /**
   * The pod selectors (workloads, pods, label queries) passed to `select()`, in order.
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
   * with `default` in it would not.
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
   * Set a consumer's environment variable to this Service's host name (`hostName()`), optionally
   * with a port (`host:port`). The value follows the Service's real `metadata.name`.
   *
   * @param container The consuming container.
   * @param variable The variable, for example `WORDPRESS_DB_HOST`.
   */
  public bindEnv(container: kplus.Container, variable: string, options: BindEnvOptions = {}): void {
    let value = this.hostName(options);
    if (options.port !== undefined) {
      if (!this._mappings.some(mapping => mapping.port === options.port)) {
        throw this._error(`bindEnv('${variable}') port ${options.port} is not a port of this Service; use one of ${this._portList()}`);
      }
      value = `${value}:${options.port}`;
    }
    container.env.addVariable(variable, kplus.EnvValue.fromValue(value));
  }

  /**
   * Set a consumer's environment variable to the number of one of this Service's ports.
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
   * Select the pods of a workload, pod or label query (AND with earlier selections).
   */
  public select(selector: kplus.IPodSelector): void {
    this._assertSelectable(() => `select(${selector.node.path})`);
    // what kplus.Service.select() does, without computing the selector's labels a second time
    const labels = selector.toPodSelectorConfig().labelSelector._toKube().matchLabels ?? {};
    for (const [key, value] of Object.entries(labels)) {
      this._checkLabel(key, value);
      this._selectorLabels[key] = value;
      super.selectLabel(key, value);
    }
    this._selectors.push(selector);
  }

  /**
   * Select pods with this label (AND with earlier selections).
   */
  public selectLabel(key: string, value: string): void {
    this._assertSelectable(() => `selectLabel('${key}', '${value}')`);
    this._checkLabel(key, value);
    this._selectorLabels[key] = value;
    super.selectLabel(key, value);
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
    super.bind(mapping.port, {
      name: mapping.name,
      protocol: mapping.protocol,
      targetPort: mapping.targetPort,
      nodePort: mapping.nodePort,
    });
  }

  /**
   * Allow node ports on this Service, checked against the cluster's node port range.
   * @internal
   */
  protected _allowNodePorts(range: NodePortRange = DEFAULT_NODE_PORT_RANGE): void {
    if (!isPortNumber(range.min) || !isPortNumber(range.max) || range.min > range.max) {
      throw this._error(`nodePortRange ${range.min}-${range.max} is not a port range; use integers min <= max in ${MIN_PORT}-${MAX_PORT}`);
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

  private _portList(): string {
    if (this._mappings.length === 0) {
      return 'no ports';
    }
    return this._mappings.map(m => (m.name === undefined ? `${m.port}` : `${m.port} (${m.name})`)).join(', ');
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

  private _assertSelectable(call: () => string): void {
    if (this.serviceKind === ServiceKind.EXTERNAL_NAME) {
      throw this._error(`${call()} is not allowed: an ExternalName Service has no selector (Kubernetes ignores it); select pods with another kind of Service`);
    }
  }

  private _validateSpec(): string[] {
    const errors: string[] = [];
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
