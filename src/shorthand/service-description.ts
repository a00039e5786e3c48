import { NodePortMapping } from '../services/port-mapping';
import { ServiceKind } from '../services/service-kind';

/**
 * What a list of shorthand entries describes: one Service, as data. `ServiceShorthand.parse()`
 * returns it; `ServiceShorthand.create()` turns it into a typed Service.
 */
export interface ServiceDescription {
  /**
   * The kind of Service, from the entries' prefix: none for ClusterIP, `#` headless, `!` NodePort,
   * `^` LoadBalancer, `@` ExternalName.
   */
  readonly kind: ServiceKind;

  /**
   * One port per entry, in order, each named as kubectl names it (`80` for 80, `80-8080` for
   * 80:8080; plus `-udp` or `-sctp` where that is needed to keep names unique) and with its
   * protocol set; empty for ExternalName and for a lone `#` (headless without ports).
   */
  readonly ports: NodePortMapping[];

  /**
   * The DNS name an ExternalName Service points at (the text after `@`).
   *
   * @default - none: only an ExternalName description has one
   */
  readonly externalName?: string;
}
