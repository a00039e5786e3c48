import { ObjectRef } from './finding';

// The wiring model: what the rules need to know of an app's objects, built from manifests (what
// cdk8s synthesizes, for synth-time checks and the validation plugin, or `cdk8s-svc lint`'s input).

/** @internal */
export interface ContainerPortInfo {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol: string;
}

/** @internal */
export interface EnvInfo {
  readonly name: string;
  readonly value: string;
  /** e.g. `spec.template.spec.containers[0].env[1].value` */
  readonly field: string;
}

/** @internal */
export interface PodTemplateInfo {
  readonly ref: ObjectRef;
  /** Every label of the pod template. */
  readonly labels: Record<string, string>;
  /**
   * Labels each pod of the template carries with a value of its own, set by its controller
   * (`statefulset.kubernetes.io/pod-name: web-0`, `web-1`, ...): a selector matches the template
   * when it asks for one of the values.
   * @default - none
   */
  readonly perPodLabels?: Record<string, string[]>;
  readonly ports: readonly ContainerPortInfo[];
  readonly env: readonly EnvInfo[];
  /**
   * Pods that run to completion (Job, CronJob, a Pod with restartPolicy Never or OnFailure): a
   * Service that also selects long-running pods is not expected to serve traffic from them.
   * @default false
   */
  readonly runsToCompletion?: boolean;
  /**
   * The pods' ports are not all known (pods an operator runs, whose containers the manifests do
   * not show): a Service selecting them gets no port findings.
   * @default false
   */
  readonly portsUnknown?: boolean;
  /**
   * Label keys (and key prefixes, ending in `/`) that the pods' controller or operator sets with
   * values the manifests do not tell (`pod-template-hash`, `strimzi.io/`): a selector asking for
   * any value of such a key, which the template does not set itself, is taken to match it (then
   * without port findings), when the rest of the selector matches.
   * @default - none
   */
  readonly openLabels?: string[];
}

/** @internal */
export interface ServicePortInfo {
  readonly name?: string;
  readonly port: number;
  /** a number or a port name */
  readonly targetPort: number | string;
  readonly nodePort?: number;
  readonly protocol: string;
}

/** @internal */
export interface ServiceInfo {
  readonly ref: ObjectRef;
  readonly type: string;
  readonly headless: boolean;
  /** undefined or empty: no selector */
  readonly selector?: Record<string, string>;
  readonly ports: readonly ServicePortInfo[];
  /** The CNAME target of an ExternalName Service. */
  readonly externalName?: string;
  /**
   * The Service's `metadata` and `spec` as written, for the spec rules (service-spec-rules.ts),
   * which check the fields and their types the way the API server decodes and validates them.
   */
  readonly manifest: ServiceManifestInfo;
}

/** @internal */
export interface ServiceManifestInfo {
  readonly metadata: Record<string, unknown>;
  readonly spec: Record<string, unknown>;
}

/** @internal */
export interface StatefulSetInfo {
  readonly ref: ObjectRef;
  readonly serviceName?: string;
  readonly template: PodTemplateInfo;
}

/** @internal */
export interface IngressBackendInfo {
  readonly service: string;
  readonly port?: number | string;
  /** e.g. `spec.rules[0].http.paths[1].backend.service.name` (`...backend.serviceName` in v1beta1) */
  readonly nameField: string;
  /** e.g. `spec.rules[0].http.paths[1].backend.service.port` (`...backend.servicePort` in v1beta1) */
  readonly portField: string;
}

/** @internal */
export interface IngressInfo {
  readonly ref: ObjectRef;
  readonly backends: IngressBackendInfo[];
}

/** A backendRef of an HTTPRoute or GRPCRoute (including a RequestMirror filter's backendRef). @internal */
export interface RouteBackendInfo {
  /** The referent's API group, defaulted (`''`, the core group). */
  readonly group: string;
  /** The referent's kind, defaulted (`Service`). */
  readonly kind: string;
  readonly name: string;
  /** The referent's namespace: the backendRef's, else the route's. */
  readonly namespace: string;
  /** Whether the backendRef names a namespace other than the route's (so it needs a ReferenceGrant). */
  readonly crossNamespace: boolean;
  readonly port?: number;
  /** The weight, defaulted (1); 0 for a RequestMirror backend, which gets copies of the traffic. */
  readonly weight: number;
  /** Whether it is a RequestMirror filter's backendRef. */
  readonly mirror: boolean;
  /** e.g. `spec.rules[0].backendRefs[1]` */
  readonly field: string;
}

/** A rule of an HTTPRoute or GRPCRoute. @internal */
export interface RouteRuleInfo {
  /** The rule's matches as written (none: the CRD's default, every request); see `matchTexts`. */
  readonly rawMatches: readonly unknown[];
  readonly backends: readonly RouteBackendInfo[];
}

/** A parentRef of a route. @internal */
export interface RouteParentInfo {
  /** Defaulted: `gateway.networking.k8s.io`. */
  readonly group: string;
  /** Defaulted: `Gateway`. */
  readonly kind: string;
  readonly name: string;
  /** The parentRef's namespace, else the route's. */
  readonly namespace: string;
  readonly sectionName?: string;
  readonly port?: number;
  /** e.g. `spec.parentRefs[0]` */
  readonly field: string;
}

/** An HTTPRoute or GRPCRoute (group gateway.networking.k8s.io, any version). @internal */
export interface RouteInfo {
  readonly ref: ObjectRef;
  readonly hostnames: readonly string[];
  readonly parents: readonly RouteParentInfo[];
  readonly rules: readonly RouteRuleInfo[];
}

/** A listener of a Gateway. @internal */
export interface ListenerInfo {
  readonly name: string;
  readonly port?: number;
  readonly protocol: string;
  readonly hostname?: string;
  /** `allowedRoutes.namespaces.from`, defaulted (`Same`). */
  readonly from: string;
  /** `allowedRoutes.namespaces.selector` as written (undefined when absent). */
  readonly selector?: unknown;
  /** `allowedRoutes.kinds`, each group defaulted; empty: the kinds the protocol allows. */
  readonly kinds: { readonly group: string; readonly kind: string }[];
}

/** A Gateway (group gateway.networking.k8s.io, any version). @internal */
export interface GatewayInfo {
  readonly ref: ObjectRef;
  readonly listeners: ListenerInfo[];
}

/** A ReferenceGrant (group gateway.networking.k8s.io, any version). @internal */
export interface ReferenceGrantInfo {
  readonly ref: ObjectRef;
  readonly from: { readonly group: string; readonly kind: string; readonly namespace: string }[];
  /** `name` undefined (or empty): every object of the kind. */
  readonly to: { readonly group: string; readonly kind: string; readonly name?: string }[];
}

/** A Namespace object of the input, with its labels (and `kubernetes.io/metadata.name`). @internal */
export interface NamespaceInfo {
  readonly name: string;
  readonly labels: Record<string, string>;
}

/** Any object of the input, whatever its kind. @internal */
export interface ObjectInfo {
  /** The same ref the object's Service, pod template, ... carries, so findings can be matched to it. */
  readonly ref: ObjectRef;
  /** The API group of its apiVersion (`''` for the core group `v1`). */
  readonly group: string;
  /** False for an object named by `metadata.generateName` alone (the API server makes its name unique). */
  readonly named: boolean;
  /** The rule ids of its `ignore-check.cdk8s-service-patterns/<rule>` annotations, in order. */
  readonly ignoreChecks: readonly string[];
}

/**
 * A custom resource that may run pods through its operator (its group is no built-in or
 * configuration-only group): for the conservative fallback of `service-selects-nothing`.
 * @internal
 */
export interface OperatorResourceInfo {
  readonly ref: ObjectRef;
  /** The API group of its apiVersion. */
  readonly group: string;
  /** The namespace its pods run in (a Flux HelmRelease's targetNamespace; else its own). */
  readonly namespace: string;
  /** The name its pods' labels carry (a HelmRelease's release name; else its own name). */
  readonly name: string;
  /** Label keys beyond the usual ones that name it on its pods (`release` for a HelmRelease). */
  readonly keys?: string[];
}

/** @internal */
export interface WiringModel {
  readonly podTemplates: PodTemplateInfo[];
  readonly services: ServiceInfo[];
  readonly statefulSets: StatefulSetInfo[];
  readonly ingresses: IngressInfo[];
  /** HTTPRoutes and GRPCRoutes. */
  readonly routes: RouteInfo[];
  readonly gateways: GatewayInfo[];
  readonly referenceGrants: ReferenceGrantInfo[];
  readonly namespaces: NamespaceInfo[];
  /**
   * Every object of the input (for `duplicate-object` and the per-object opt-outs).
   */
  readonly objects: ObjectInfo[];
  /**
   * The custom resources of the input whose operators may run pods with labels the input does
   * not show.
   */
  readonly operatorResources: OperatorResourceInfo[];
}
