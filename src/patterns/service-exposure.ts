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
 * Options for `ServiceExposure.of()`.
 */
export interface ServiceExposureOptions extends ParseOptions {
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

  /**
   * Metadata of the Service, e.g. a fixed `name` that consumers can rely on.
   *
   * @default - a name generated from the construct path, and the workload's recommended labels
   */
  readonly metadata?: ApiObjectMetadata;
}

/**
 * Options for `ServiceExposure.shorthand()`.
 */
export interface ShorthandExposureOptions extends ParseOptions {
  /**
   * Metadata of the Service, e.g. a fixed `name` that consumers can rely on.
   *
   * @default - a name generated from the construct path, and the workload's recommended labels
   */
  readonly metadata?: ApiObjectMetadata;
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
    return new ServiceExposure({ kind: options.serviceType ?? ServiceKind.CLUSTER_IP, ports: options.ports }, undefined, options.metadata, options.nodePortRange);
  }

  /**
   * A Service in the port shorthand, e.g. `['80:8080']` (ClusterIP) or `['!30080:80:8080']`
   * (NodePort 30080). The entries are checked where the exposure is used, so that an error names
   * the pattern and the exposure: `ExposedDeployment 'app/Web': services[0]: entry ...`.
   *
   * @param entries The ports of the Service, in the notation of `ServiceShorthand`.
   */
  public static shorthand(entries: string[], options: ShorthandExposureOptions = {}): ServiceExposure {
    return new ServiceExposure(undefined, Array.isArray(entries) ? [...entries] : entries, options.metadata, options.nodePortRange);
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
