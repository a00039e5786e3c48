import { ApiObjectMetadata } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { DnsNameOptions } from '../services/discovery';
import { HeadlessService } from '../services/headless-service';
import { TypedService } from '../services/typed-service';
import { createServices, portsOf } from './create-services';
import { labelPods, recommendedLabels } from './recommended-labels';
import { ServiceExposure } from './service-exposure';

/** The longest StatefulSet name whose pods get a valid `controller-revision-hash` label. */
const MAX_STATEFUL_SET_NAME = 52;

/**
 * Props for `ExposedStatefulSet`.
 */
export interface ExposedStatefulSetProps {
  /**
   * The container: image, ports, env, resources, probes, as cdk8s-plus takes them.
   */
  readonly container: kplus.ContainerProps;

  /**
   * The number of pods.
   *
   * @default 1 (the cdk8s-plus default)
   */
  readonly replicas?: number;

  /**
   * The headless Service that governs the StatefulSet (its `serviceName`); the StatefulSet makes
   * it select its pods.
   *
   * @default - a new HeadlessService with one port per container port
   */
  readonly headlessService?: HeadlessService;

  /**
   * Whether the created headless Service publishes pods before they are ready, so peers can find
   * each other while starting. Not allowed with `headlessService` (set it on that Service).
   *
   * @default false
   */
  readonly publishNotReadyAddresses?: boolean;

  /**
   * More Services in front of the pods (one Service per exposure), e.g. a ClusterIP Service for
   * clients that do not care which pod answers.
   *
   * @default - none
   */
  readonly services?: ServiceExposure[];

  /**
   * Metadata of the StatefulSet.
   *
   * @default - a name generated from the construct path, and the recommended labels
   */
  readonly metadata?: ApiObjectMetadata;

  /**
   * The `app.kubernetes.io/name` label of everything created.
   *
   * @default - the construct id, lower-cased
   * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/
   */
  readonly appName?: string;

  /**
   * The `app.kubernetes.io/component` label of everything created.
   *
   * @default 'database'
   */
  readonly component?: string;
}

/**
 * A StatefulSet whose `serviceName` is a HeadlessService selecting its pods, so each pod gets a
 * stable DNS name (`podDnsName()`), plus optional typed Services. Children: `Headless` (unless
 * one is given), `StatefulSet`, then one per exposure as in `ExposedDeployment`.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#stable-network-id
 */
export class ExposedStatefulSet extends Construct {
  /**
   * The StatefulSet.
   */
  public readonly statefulSet: kplus.StatefulSet;

  /**
   * The headless Service named by the StatefulSet's `serviceName`.
   */
  public readonly headlessService: HeadlessService;

  /**
   * The additional Services, in the order of the `services` prop.
   */
  public readonly services: TypedService[];

  constructor(scope: Construct, id: string, props: ExposedStatefulSetProps) {
    super(scope, id);
    const owner = `ExposedStatefulSet '${this.node.path}'`;
    const labels = recommendedLabels(this, owner, props.appName, props.component ?? 'database');
    if (props.headlessService !== undefined && props.publishNotReadyAddresses !== undefined) {
      throw new Error(`${owner}: publishNotReadyAddresses applies to the headless Service this construct creates, but headlessService is given; set it on that Service instead`);
    }
    const headless = props.headlessService ?? new HeadlessService(this, 'Headless', {
      metadata: { labels, namespace: props.metadata?.namespace },
      publishNotReadyAddresses: props.publishNotReadyAddresses,
    });
    this.headlessService = headless;
    this.statefulSet = new kplus.StatefulSet(this, 'StatefulSet', {
      metadata: { ...props.metadata, labels: { ...labels, ...props.metadata?.labels } },
      replicas: props.replicas,
      containers: [props.container],
      service: headless,
    });
    // the controller labels each pod `controller-revision-hash: <name>-<hash of up to 10>`, a label
    // value of at most 63 characters: a longer name is accepted, and then no pod is ever created
    if (this.statefulSet.name.length > MAX_STATEFUL_SET_NAME) {
      throw new Error(`${owner}: StatefulSet name '${this.statefulSet.name}' has ${this.statefulSet.name.length} characters; Kubernetes creates no pods for a StatefulSet name over ${MAX_STATEFUL_SET_NAME}, so set a shorter metadata.name or construct id`);
    }
    labelPods(this.statefulSet, labels);
    if (props.headlessService === undefined) {
      for (const port of portsOf(this.statefulSet)) {
        headless.addPort(port);
      }
    }
    if (headless.namespace !== (this.statefulSet.metadata.namespace ?? 'default')) {
      throw new Error(`${owner}: headlessService is in namespace '${headless.namespace}', but the StatefulSet is in '${this.statefulSet.metadata.namespace ?? 'default'}'; a StatefulSet's serviceName must name a Service in its own namespace`);
    }
    this.services = createServices(this, owner, this.statefulSet, labels, props.services ?? []);
  }

  /**
   * The DNS name of one pod: `<statefulset>-<ordinal>.<headless service>.<namespace>.svc.<clusterDomain>`.
   *
   * @param ordinal The pod's ordinal, from 0.
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#stable-network-id
   */
  public podDnsName(ordinal: number, options: DnsNameOptions = {}): string {
    if (!Number.isInteger(ordinal) || ordinal < 0) {
      throw new Error(`ExposedStatefulSet '${this.node.path}': podDnsName(${ordinal}) needs a pod ordinal, an integer from 0`);
    }
    return `${this.statefulSet.name}-${ordinal}.${this.headlessService.dnsName(options)}`;
  }
}
