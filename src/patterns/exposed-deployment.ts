import { ApiObjectMetadata } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { HttpRoute } from '../routes/http-route';
import { OBJECT_NAME, withGeneratedName } from '../services/generated-names';
import { TypedService } from '../services/typed-service';
import { createServices } from './create-services';
import { checkRouteOptions, createPatternRoute } from './pattern-route';
import { PatternRouteOptions } from './pattern-route-options';
import { labelPods, recommendedLabels } from './recommended-labels';
import { restrictPodSecurity } from './restricted-security';
import { ServiceExposure } from './service-exposure';

/**
 * Props for `ExposedDeployment`.
 */
export interface ExposedDeploymentProps {
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
   * @default 2 (the cdk8s-plus default)
   */
  readonly replicas?: number;

  /**
   * The Services in front of the pods, one Service per exposure, e.g.
   * `[ServiceExposure.shorthand(['80:8080']), ServiceExposure.shorthand(['!30080:80:8080'])]` for
   * a ClusterIP and a NodePort Service at once. Without an `id`, an exposure's Service is named
   * after its kind and its position among the exposures of that kind: give each exposure an `id`
   * (`ServiceExposure.shorthand([...], { id: 'public' })`) when the list may change.
   *
   * @default - one ClusterIP Service with one port per container port
   */
  readonly services?: ServiceExposure[];

  /**
   * Metadata of the Deployment.
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
   * @default 'server'
   */
  readonly component?: string;

  /**
   * Expose the pods through Gateway API as well: an HTTPRoute (child `Route`) from the parent
   * Gateways, for `hostnames`, to the first of `services` that has a cluster IP (not headless), on
   * its first TCP port unless `port` picks another, in that Service's namespace.
   *
   * @default - no route
   * @see https://gateway-api.sigs.k8s.io/api-types/httproute/
   */
  readonly route?: PatternRouteOptions;
}

/**
 * A Deployment and the typed Services that select its pods. Everything carries the Kubernetes
 * recommended labels (`app.kubernetes.io/name`, `instance`, `component`); the children are
 * `Deployment` and, per exposure, its `id`, or else `ClusterIP`, `NodePort`, `LoadBalancer` or
 * `Headless` (numbered from the second of a kind: `NodePort2`); with `route`, `Route`.
 */
export class ExposedDeployment extends Construct {
  /**
   * The Deployment.
   */
  public readonly deployment: kplus.Deployment;

  /**
   * The Services, in the order of the `services` prop.
   */
  public readonly services: TypedService[];

  /**
   * The HTTPRoute to the Service (none without `route`).
   */
  public readonly route?: HttpRoute;

  constructor(scope: Construct, id: string, props: ExposedDeploymentProps) {
    super(scope, id);
    const owner = `ExposedDeployment '${this.node.path}'`;
    if (props.services !== undefined && props.services.length === 0) {
      throw new Error(`${owner}: services is empty; give at least one ServiceExposure, or omit the prop for one ClusterIP Service`);
    }
    if (props.route !== undefined) {
      checkRouteOptions(owner, props.route, props.services);
    }
    const labels = recommendedLabels(this, owner, props.appName, props.component ?? 'server');
    this.deployment = new kplus.Deployment(this, 'Deployment', {
      metadata: withGeneratedName({ ...props.metadata, labels: { ...labels, ...props.metadata?.labels } }, this, 'Deployment', OBJECT_NAME),
      replicas: props.replicas,
      containers: [props.container],
    });
    labelPods(this.deployment, labels);
    restrictPodSecurity(this.deployment);
    this.services = createServices(this, owner, this.deployment, labels, props.services ?? [ServiceExposure.of()]);
    if (props.route !== undefined) {
      this.route = createPatternRoute(this, owner, this.services, labels, props.route);
    }
  }

  /**
   * The first Service.
   */
  public get service(): TypedService {
    return this.services[0];
  }
}
