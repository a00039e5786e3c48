import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';
import { PortMapping } from './port-mapping';
import { ServiceKind } from './service-kind';
import { TypedService } from './typed-service';
import { TypedServiceProps } from './typed-service-props';

/**
 * Props for `HeadlessService`.
 */
export interface HeadlessServiceProps extends TypedServiceProps {
  /**
   * The ports of the Service; more can be added with `addPort()`. A headless Service may have
   * none: its DNS name still resolves to the selected pods' IPs.
   *
   * @default - no ports
   */
  readonly ports?: PortMapping[];

  /**
   * Publish DNS records for pods before they are ready (what StatefulSet peers usually need to
   * find each other while starting).
   *
   * @default false
   * @see https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/#ServiceSpec
   */
  readonly publishNotReadyAddresses?: boolean;
}

/**
 * A Service without a cluster IP (`clusterIP: None`): its DNS name resolves straight to the IPs
 * of the selected pods, and each StatefulSet pod gets its own DNS name under it.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/service/#headless-services
 */
export class HeadlessService extends TypedService {
  private readonly publishNotReadyAddresses?: boolean;

  constructor(scope: Construct, id: string, props: HeadlessServiceProps = {}) {
    super(scope, id, ServiceKind.HEADLESS, { metadata: props.metadata, clusterIP: 'None' });
    this.publishNotReadyAddresses = props.publishNotReadyAddresses;
    if (props.selector) {
      this.select(props.selector);
    }
    for (const port of props.ports ?? []) {
      this.addPort(port);
    }
  }

  /**
   * Add a port, checked like the `ports` prop.
   */
  public addPort(port: PortMapping): void {
    this._addMapping(port);
  }

  /**
   * @internal
   */
  protected _requiresPorts(): boolean {
    return false;
  }

  /**
   * @internal
   */
  protected _kindSpec(): k8s.ServiceSpec {
    return { publishNotReadyAddresses: this.publishNotReadyAddresses };
  }
}
