/**
 * Options for the DNS names of a Service.
 */
export interface DnsNameOptions {
  /**
   * The cluster's DNS domain (kubelet `--cluster-domain`).
   *
   * @default 'cluster.local'
   * @see https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/
   */
  readonly clusterDomain?: string;
}

/**
 * Options for `bindEnv()`.
 */
export interface BindEnvOptions extends DnsNameOptions {
  /**
   * Append this Service port to the host name (`host:port`); it must be one of the Service's ports.
   *
   * @default - the host name alone
   */
  readonly port?: number;
}

/**
 * Options for `bindPortEnv()`.
 */
export interface BindPortEnvOptions {
  /**
   * The name of the Service port whose number the variable gets.
   *
   * @default - the Service's first port
   */
  readonly portName?: string;
}
