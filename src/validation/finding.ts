// What the wiring rules report: public, shared by synth-time validation, the validation plugin
// and `cdk8s-svc lint`.

/**
 * How bad a finding is.
 */
export enum Severity {
  /** Traffic does not reach its pods, or Kubernetes rejects the object. */
  ERROR = 'error',
  /** Probably a mistake, but Kubernetes still routes traffic. */
  WARNING = 'warning',
}

/**
 * One object of the input, as findings name it.
 */
export interface ObjectRef {
  /** The object's kind, e.g. `Service`. */
  readonly kind: string;
  /** The object's `metadata.name`. */
  readonly name: string;
  /** The object's namespace (`default` when it sets none). */
  readonly namespace: string;
  /**
   * The construct path that produced the object.
   *
   * @default - not known (plain manifests)
   */
  readonly constructPath?: string;
  /**
   * Where the object was read from: a file and the line its document (or `List` item) starts
   * on (`web.yaml:12`).
   *
   * @default - not known (constructs)
   */
  readonly source?: string;
}

/**
 * One problem a wiring rule found.
 */
export interface Finding {
  /** The rule's stable id, e.g. `service-selects-nothing`. */
  readonly rule: string;
  /** How bad it is. */
  readonly severity: Severity;
  /** What is wrong, naming both objects. */
  readonly message: string;
  /** How to fix it. */
  readonly recommendation: string;
  /** The object the finding is about. */
  readonly resource: ObjectRef;
  /** The field of `resource` at fault, e.g. `spec.ports[0].targetPort`. */
  readonly field: string;
  /**
   * The other object involved.
   *
   * @default - none
   */
  readonly related?: ObjectRef;
}
