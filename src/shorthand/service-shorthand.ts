import { Construct } from 'constructs';
import { createTypedService } from '../services/create-typed-service';
import { NodePortRange } from '../services/port-mapping';
import { quote } from '../services/quote';
import { ServiceKind } from '../services/service-kind';
import { TypedService } from '../services/typed-service';
import { TypedServiceProps } from '../services/typed-service-props';
import { parseEntries, shorthandError } from './parse-entries';
import { ServiceDescription } from './service-description';

/**
 * Options for `ServiceShorthand.parse()`.
 */
export interface ParseOptions {
  /**
   * The node port range of the target cluster (`kube-apiserver --service-node-port-range`); fixed
   * nodePorts (`!30080:80:8080`) are checked against it.
   *
   * @default { min: 30000, max: 32767 }
   */
  readonly nodePortRange?: NodePortRange;
}

/**
 * Options for `ServiceShorthand.create()`.
 */
export interface CreateServiceOptions extends TypedServiceProps, ParseOptions {
  /**
   * The entries of the Service, one per port, such as `['80:8080', '443:8443']`,
   * `['!30080:80:8080']` or `['@db.example.com']`.
   */
  readonly entries: string[];
}

/**
 * The k8sailor port shorthand: one Service from a list of one-line entries, one per port.
 *
 * | entry | meaning |
 * |---|---|
 * | `80` | ClusterIP, port 80, targetPort 80 |
 * | `80:8080` | ClusterIP, port 80, targetPort 8080 |
 * | `80:http` | ClusterIP, port 80, named targetPort `http` |
 * | `#80:80` | headless (clusterIP None) |
 * | `#` | headless without ports (the only entry) |
 * | `!80:8080` | NodePort, nodePort allocated by the cluster |
 * | `!30080:80:8080` | NodePort, fixed nodePort 30080 |
 * | `^80:8080`, `^30080:80:8080` | LoadBalancer, nodePort allocated or fixed |
 * | `@db.example.com` | ExternalName (the only entry; no ports, no selector) |
 *
 * A port entry may end in `/tcp` (the default), `/udp` or `/sctp`. All entries of one Service
 * share one prefix. Ports are named as `kubectl create service --tcp` names them: the port and
 * targetPort as written, `:` made `-` (`80` for 80, `80-8080` for 80:8080 and !30080:80:8080),
 * with `-udp` or `-sctp` added where two entries would otherwise share a name.
 */
export class ServiceShorthand {
  /**
   * Parse entries into a description of one Service, without creating anything. Throws an Error
   * that quotes the offending entry and shows the forms.
   *
   * @param entries The entries, one per port, such as `['80:8080', '443:8443']`.
   */
  public static parse(entries: string[], options: ParseOptions = {}): ServiceDescription {
    return parseEntries(entries, options.nodePortRange);
  }

  /**
   * Create the typed Service the entries describe: a `ClusterIPService`, `HeadlessService` (`#`),
   * `NodePortService` (`!`), `LoadBalancerService` (`^`) or `ExternalNameService` (`@`, which
   * takes no selector). An Error names the Service's construct path:
   * `ServiceShorthand 'app/web': entry ...`.
   */
  public static create(scope: Construct, id: string, options: CreateServiceOptions): TypedService {
    const subject = `ServiceShorthand '${[scope.node.path, id].filter(part => part !== '').join('/')}'`;
    const description = parseEntries(options.entries, options.nodePortRange, subject);
    if (description.kind === ServiceKind.EXTERNAL_NAME && options.selector !== undefined) {
      throw shorthandError(subject, `entry ${quote(options.entries[0])} makes an ExternalName Service, which selects no pods; drop the selector, or use a port entry such as 80:8080`);
    }
    return createTypedService(scope, id, description.kind, {
      metadata: options.metadata,
      selector: options.selector,
      ports: description.ports,
      externalName: description.externalName,
      nodePortRange: options.nodePortRange,
    });
  }

  private constructor() {}
}
