import { ApiObjectMetadata, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { DnsNameOptions } from '../services/discovery';
import { STATEFUL_SET_NAME, withGeneratedName } from '../services/generated-names';
import { HttpRoute } from '../routes/http-route';
import { HeadlessService } from '../services/headless-service';
import { quote } from '../services/quote';
import { TypedService } from '../services/typed-service';
import { createServices, portsOf } from './create-services';
import { checkRouteOptions, createPatternRoute } from './pattern-route';
import { PatternRouteOptions } from './pattern-route-options';
import { labelPods, recommendedLabels } from './recommended-labels';
import { restrictPodSecurity } from './restricted-security';
import { ServiceExposure } from './service-exposure';

/**
 * Props for `ExposedStatefulSet`.
 */
export interface ExposedStatefulSetProps {
  /**
   * The container: image, ports, env, resources, probes, as cdk8s-plus takes them. Its pod meets
   * the "restricted" Pod Security Standard by default: cdk8s-plus' security defaults, plus
   * `capabilities.drop: [ALL]` on each container and the pod's `seccompProfile: RuntimeDefault`,
   * which the construct adds. What `securityContext` sets wins, also where it leaves the profile
   * (`ensureNonRoot: false`, `privileged: true`, `allowPrivilegeEscalation: true`, or
   * `capabilities`, which replaces the dropped ALL).
   *
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
   */
  readonly container: kplus.ContainerProps;

  /**
   * The number of pods.
   *
   * @default 1 (the cdk8s-plus default)
   */
  readonly replicas?: number;

  /**
   * The headless Service that governs the StatefulSet (its `serviceName`), in the StatefulSet's
   * namespace and without a selector yet: the StatefulSet makes it select its pods (a Service that
   * already selects other labels is an error, since a Service selects only pods with all of them).
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
   * clients that do not care which pod answers. Give each an `id` when the list may change, as in
   * `ExposedDeployment`.
   *
   * @default - none; with `route`, one ClusterIP Service (id `ClusterIP`) with one port per
   * container port, for the route to send requests to
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

  /**
   * Expose the pods through Gateway API as well: an HTTPRoute (child `Route`) from the parent
   * Gateways, for `hostnames`, to the first of `services` that has a cluster IP (the headless
   * Service has none), on its first TCP port unless `port` picks another, in that Service's
   * namespace. Without `services`, a ClusterIP Service is created for it.
   *
   * @default - no route
   * @see https://gateway-api.sigs.k8s.io/api-types/httproute/
   */
  readonly route?: PatternRouteOptions;
}

/**
 * A StatefulSet whose `serviceName` is a HeadlessService selecting its pods, so each pod gets a
 * stable DNS name (`podDnsName()`), plus optional typed Services. Children: `Headless` (unless
 * one is given), `StatefulSet`, then one per exposure as in `ExposedDeployment` (its `id`, or else
 * from its kind, numbered past the ids already taken: a headless exposure is `Headless2` next to
 * the created `Headless`); with `route`, `Route`.
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

  /**
   * The HTTPRoute to the first Service with a cluster IP (none without `route`).
   */
  public readonly route?: HttpRoute;

  constructor(scope: Construct, id: string, props: ExposedStatefulSetProps) {
    super(scope, id);
    const owner = `ExposedStatefulSet '${this.node.path}'`;
    const labels = recommendedLabels(this, owner, props.appName, props.component ?? 'database');
    if (props.headlessService !== undefined && props.publishNotReadyAddresses !== undefined) {
      throw new Error(`${owner}: publishNotReadyAddresses applies to the headless Service this construct creates, but headlessService is given; set it on that Service instead`);
    }
    if (props.route !== undefined) {
      checkRouteOptions(owner, props.route, props.services);
    }
    const given = props.headlessService;
    const namespace = props.metadata?.namespace ?? Chart.of(this).namespace;
    if (given !== undefined && given.namespace !== (namespace ?? 'default')) {
      throw new Error(`${owner}: headlessService is in namespace '${given.namespace}', but the StatefulSet is in '${namespace ?? 'default'}'; a StatefulSet's serviceName must name a Service in its own namespace`);
    }
    if (given !== undefined && Object.keys(given.selectorLabels).length > 0) {
      const selected = Object.entries(given.selectorLabels).map(([key, value]) => `${key}=${value}`).join(', ');
      throw new Error(`${owner}: headlessService '${given.node.path}' already selects ${selected}; the StatefulSet makes its headless Service select the StatefulSet's pods, and a Service selects only the pods that carry every label of its selector, so pass a HeadlessService without a selector`);
    }
    const headless = given ?? new HeadlessService(this, 'Headless', {
      metadata: { labels, namespace: props.metadata?.namespace },
      publishNotReadyAddresses: props.publishNotReadyAddresses,
    });
    this.headlessService = headless;
    this.statefulSet = new kplus.StatefulSet(this, 'StatefulSet', {
      metadata: withGeneratedName({ ...props.metadata, labels: { ...labels, ...props.metadata?.labels } }, this, 'StatefulSet', STATEFUL_SET_NAME),
      replicas: props.replicas,
      containers: [props.container],
      service: headless,
    });
    // the controller labels each pod `controller-revision-hash: <name>-<hash of up to 10>`, a label
    // value of at most 63 characters, and names it `<name>-<ordinal>`, its host name (a DNS-1123
    // label): a longer name, or a dotted one, is accepted, and then no pod is ever created
    const name = this.statefulSet.name;
    if (name.length > STATEFUL_SET_NAME.maxLen) {
      throw new Error(`${owner}: StatefulSet name ${quote(name)} has ${name.length} characters; Kubernetes creates no pods for a StatefulSet name over ${STATEFUL_SET_NAME.maxLen}, so set a shorter metadata.name (without one, the generated name fits)`);
    }
    if (!STATEFUL_SET_NAME.valid(name)) {
      throw new Error(`${owner}: StatefulSet name ${quote(name)} is not a DNS-1123 label; Kubernetes creates no pods for it (a pod's host name is <name>-<ordinal>), so use [a-z0-9-], starting and ending alphanumeric, in metadata.name`);
    }
    labelPods(this.statefulSet, labels);
    restrictPodSecurity(this.statefulSet);
    if (given === undefined) {
      for (const port of portsOf(this.statefulSet, owner)) {
        headless.addPort(port);
      }
    }
    const exposures = props.services ?? (props.route === undefined ? [] : [ServiceExposure.of()]);
    this.services = createServices(this, owner, this.statefulSet, labels, exposures);
    if (props.route !== undefined) {
      this.route = createPatternRoute(this, owner, this.services, labels, props.route);
    }
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
