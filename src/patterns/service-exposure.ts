import { ApiObjectMetadata } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { createTypedService } from '../services/create-typed-service';
import { NodePortMapping, NodePortRange } from '../services/port-mapping';
import { ServiceKind } from '../services/service-kind';
import { TypedService } from '../services/typed-service';
import { parseEntries } from '../shorthand/parse-entries';
import { ParseOptions } from '../shorthand/service-shorthand';
import { portsOf } from './create-services';

/**
 * Options for `ServiceExposure.shorthand()`.
 */
export interface ShorthandExposureOptions extends ParseOptions {
  /**
   * The exposure's identity in the pattern: the construct id of its Service, and so the part of
   * the generated Service name that is not the pattern's path (`id: 'public'` on `app/Web` gives
   * `app-web-public-c8...`). Give one to every exposure of a pattern whose list may change: the
   * Service then keeps its name when other exposures are added, removed or reordered, and when its
   * own kind changes (ClusterIP, NodePort and LoadBalancer change in place; to or from Headless,
   * Kubernetes refuses the change, as a Service's cluster IP is immutable: change the id too). An id
   * equal to the one the position gives (`NodePort2`) keeps today's name. A fixed `metadata.name`
   * pins the name as well.
   *
   * @default - from the exposure's kind and position among the exposures without an id: `ClusterIP`,
   * `NodePort`, `LoadBalancer` or `Headless`, then `NodePort2`, ... for the next of a kind (removing,
   * inserting or re-kinding an exposure renames the Services of that kind after it)
   */
  readonly id?: string;

  /**
   * Metadata of the Service, e.g. a fixed `name` that consumers can rely on.
   *
   * @default - a name generated from the construct path, and the workload's recommended labels
   */
  readonly metadata?: ApiObjectMetadata;
}

/**
 * Options for `ServiceExposure.of()`: those of `shorthand()`, and the kind and ports the shorthand
 * entries would give.
 */
export interface ServiceExposureOptions extends ShorthandExposureOptions {
  /**
   * The kind of Service. `ServiceKind.EXTERNAL_NAME` is not allowed: it cannot select pods.
   *
   * @default ServiceKind.CLUSTER_IP
   */
  readonly serviceType?: ServiceKind;

  /**
   * The Service's ports.
   *
   * @default - one port per container port, each forwarding to that container port (by name when
   * it has one)
   */
  readonly ports?: NodePortMapping[];
}

/**
 * One Service in front of a pattern's pods: typed (`of()`) or in the port shorthand
 * (`shorthand()`). Each exposure becomes one Service; the entries of one shorthand exposure are
 * the ports of that Service.
 */
export class ServiceExposure {
  /**
   * A typed Service: its kind and ports.
   */
  public static of(options: ServiceExposureOptions = {}): ServiceExposure {
    return new ServiceExposure({ kind: options.serviceType ?? ServiceKind.CLUSTER_IP, ports: options.ports }, undefined, options.metadata, options.nodePortRange, options.id);
  }

  /**
   * A Service in the port shorthand, e.g. `['80:8080']` (ClusterIP) or `['!30080:80:8080']`
   * (NodePort 30080). The entries are checked where the exposure is used, so that an error names
   * the pattern and the exposure: `ExposedDeployment 'app/Web': services[0]: entry ...`.
   *
   * @param entries The ports of the Service, in the notation of `ServiceShorthand`.
   */
  public static shorthand(entries: string[], options: ShorthandExposureOptions = {}): ServiceExposure {
    return new ServiceExposure(undefined, Array.isArray(entries) ? [...entries] : entries, options.metadata, options.nodePortRange, options.id);
  }

  private constructor(
    /** The kind and ports of a typed exposure; none for a shorthand one until its entries are parsed. */
    private _description: { readonly kind: ServiceKind; readonly ports?: NodePortMapping[] } | undefined,
    /** The entries of a shorthand exposure. */
    private readonly _entries: string[] | undefined,
    /** The metadata, when given. */
    public readonly metadata?: ApiObjectMetadata,
    /** The cluster's node port range, when given. */
    public readonly nodePortRange?: NodePortRange,
    /** The construct id of the Service, when given (else one from the kind and position). */
    public readonly id?: string,
  ) {}

  /**
   * The kind of Service. For a shorthand exposure, reading it checks the entries (an Error names
   * no pattern then).
   */
  public get serviceType(): ServiceKind {
    return this._parse('ServiceShorthand').kind;
  }

  /**
   * The ports, when given.
   */
  public get ports(): NodePortMapping[] | undefined {
    return this._parse('ServiceShorthand').ports;
  }

  /**
   * The kind and ports; a shorthand exposure's entries are parsed here, and an Error starts with
   * `subject`, such as `ExposedDeployment 'app/Web': services[0]`.
   * @internal
   */
  public _parse(subject: string): { readonly kind: ServiceKind; readonly ports?: NodePortMapping[] } {
    if (this._description === undefined) {
      this._description = parseEntries(this._entries!, this.nodePortRange, subject);
    }
    return this._description;
  }

  /**
   * Create the Service selecting `workload`, with `defaultPorts` when the exposure has none.
   * @internal
   */
  public _create(scope: Construct, id: string, workload: kplus.AbstractPod, labels: Record<string, string>, owner: string): TypedService {
    if (this.serviceType === ServiceKind.EXTERNAL_NAME) {
      throw new Error(`${owner}: Service '${id}' is an ExternalName Service, which cannot select pods; use ClusterIP, Headless, NodePort or LoadBalancer`);
    }
    const ports = this.ports ?? portsOf(workload, owner);
    // a headless Service may have no ports (a lone # in the shorthand); the others need one
    if (ports.length === 0 && !(this.serviceType === ServiceKind.HEADLESS && this.ports !== undefined)) {
      throw new Error(`${owner}: Service '${id}' has no ports and the container declares none; set the container's portNumber or ports, or give the Service ports`);
    }
    return createTypedService(scope, id, this.serviceType, {
      // in the workload's namespace unless the exposure says otherwise: a Service selects pods of its own namespace only
      metadata: { namespace: workload.metadata.namespace, ...this.metadata, labels: { ...labels, ...this.metadata?.labels } },
      selector: workload,
      ports,
      nodePortRange: this.nodePortRange,
    });
  }
}
