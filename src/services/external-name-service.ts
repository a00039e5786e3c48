import * as kplus from 'cdk8s-plus-27';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';
import { externalNameProblem } from './kubernetes-names';
import { PortMapping } from './port-mapping';
import { ServiceKind } from './service-kind';
import { TypedService } from './typed-service';
import { quote } from './quote';

/**
 * Props for `ExternalNameService`. There is deliberately no selector: Kubernetes ignores it on
 * this kind.
 */
export interface ExternalNameServiceProps extends kplus.ResourceProps {
  /**
   * The DNS name the Service's name is a CNAME for, such as `db.example.com`: a lowercase RFC 1123
   * subdomain (a trailing dot is accepted). Not an IP address: the API server accepts `10.0.0.1`,
   * but cluster DNS does not resolve a CNAME to a name that looks like an IP.
   */
  readonly externalName: string;

  /**
   * Ports, kept in the output as documentation of what the external host serves; Kubernetes does
   * not proxy them.
   *
   * @default - no ports
   */
  readonly ports?: PortMapping[];
}

/**
 * A DNS alias (`type: ExternalName`): the Service's DNS name answers with a CNAME for a name
 * outside the cluster. No proxying, no selector, no cluster IP.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/service/#externalname
 */
export class ExternalNameService extends TypedService {
  constructor(scope: Construct, id: string, props: ExternalNameServiceProps) {
    super(scope, id, ServiceKind.EXTERNAL_NAME, { metadata: props.metadata, externalName: props.externalName });
    const problem = externalNameProblem(props.externalName);
    if (problem !== undefined) {
      throw this._error(`externalName ${quote(props.externalName)} ${problem}`);
    }
    for (const port of props.ports ?? []) {
      this.addPort(port);
    }
  }

  /**
   * Add a port (documentation only), checked like the `ports` prop.
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
    return {};
  }
}
