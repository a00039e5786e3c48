import { createHash } from 'crypto';
import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { HttpRoute } from '../routes/http-route';
import { ClusterIPService } from '../services/cluster-ip-service';
import { clusterDomainOf } from '../services/discovery-names';
import { createTypedService } from '../services/create-typed-service';
import { NodePortMapping, NodePortRange } from '../services/port-mapping';
import { ServiceKind } from '../services/service-kind';
import { TypedService } from '../services/typed-service';
import { Fail } from '../services/quote';
import { reverseProxyConf } from './nginx-conf';
import { checkInstanceName, selfNamingMetadata, stackDeployment, stackMetadata } from './instance-names';
import { GatewayRouteOptions } from './pattern-route-options';
import { instanceLabel, recommendedLabels } from './recommended-labels';
import { restrictPodSecurity } from './restricted-security';
import { checkClusterDomain, checkExposure, checkPort, checkReplicas, entryNodePort, resourcesWithDefaults } from './stack-checks';

const NGINX_IMAGE = 'nginx:1.27.4';
const BACKEND_IMAGE = 'tomcat:10.1-jre21';
const BACKEND_PORT = 8080;
const HTTP_PORT = 80;
/** nginx listens on an unprivileged port, so it needs no capability or sysctl to bind. */
const NGINX_PORT = 8080;
/** nginx in the official nginx image (Debian). */
const NGINX_UID = 101;
/** Any non-root user: the tomcat image has none of its own and makes what it writes world-writable. */
const BACKEND_UID = 10001;
const HEALTH_PATH = '/healthz';
/** The `<instanceName>-<suffix>` name suffixes: nginx's objects, and the backend's (the longest). */
const NGINX = 'nginx';
const BACKEND = 'backend';
const NGINX_RESOURCES: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(500) },
  memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) },
};
const BACKEND_RESOURCES: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.units(1) },
  memory: { request: Size.mebibytes(512), limit: Size.gibibytes(1) },
};
const CONF_FILE = 'nginx.conf';
/**
 * The ConfigMap key of the config: a template, which the nginx image's entrypoint
 * (/docker-entrypoint.d/20-envsubst-on-templates.sh) renders from /etc/nginx/templates into
 * `RENDERED_DIR` at each start, substituting the environment variables it references.
 */
const CONF_TEMPLATE = `${CONF_FILE}.template`;
/** Where the rendered config goes: an emptyDir, as the root filesystem is read-only. */
const RENDERED_DIR = '/etc/nginx/rendered';
/**
 * Set by the image's /docker-entrypoint.d/15-local-resolvers.envsh (when
 * NGINX_ENTRYPOINT_LOCAL_RESOLVERS is set) to the `nameserver` addresses of the pod's
 * /etc/resolv.conf: the cluster DNS, which the config cannot know at synth.
 */
const RESOLVERS_VARIABLE = 'NGINX_LOCAL_RESOLVERS';
/** The pod's namespace (downward API), for the upstream's name when the chart sets no namespace. */
const NAMESPACE_VARIABLE = 'NGINX_POD_NAMESPACE';
/**
 * Only variables whose names hold this are substituted: the config's own `$host`, `$backend`, ...
 * stay nginx variables whatever the environment holds.
 */
const ENVSUBST_FILTER = 'NGINX_';
/** The pod template annotation that changes with the config, so a new config rolls the pods. */
const CONF_HASH_ANNOTATION = 'cdk8s-service-patterns/nginx-conf-sha256';
/** What Tomcat writes under the official image's CATALINA_HOME, plus the JVM's /tmp. */
const TOMCAT_WRITABLE_PATHS = [
  '/tmp',
  '/usr/local/tomcat/logs',
  '/usr/local/tomcat/temp',
  '/usr/local/tomcat/work',
  '/usr/local/tomcat/conf/Catalina',
];

/**
 * Props for `ReverseProxyStack`. Every prop is optional: `new ReverseProxyStack(chart, 'web')` is
 * nginx in front of Tomcat.
 */
export interface ReverseProxyStackProps {
  /**
   * The nginx image: the official image (Debian variant, user 101), 1.25.1 or later, whose
   * entrypoint renders the config template and exports the pod's DNS servers
   * (`/docker-entrypoint.d/15-local-resolvers.envsh`).
   *
   * @default 'nginx:1.27.4'
   */
  readonly nginxImage?: string;

  /**
   * The kind of Service that exposes nginx: `ServiceKind.NODE_PORT`, `ServiceKind.LOAD_BALANCER` or
   * `ServiceKind.CLUSTER_IP` (for a Gateway, see `gateway`, or an Ingress in front, and no node
   * port).
   *
   * @default ServiceKind.NODE_PORT
   */
  readonly serviceType?: ServiceKind;

  /**
   * The node port of nginx's Service (NodePort and LoadBalancer only).
   *
   * @default - allocated by the cluster
   */
  readonly nodePort?: number;

  /**
   * The node port range of the target cluster (`kube-apiserver --service-node-port-range`), which
   * `nodePort` is checked against (NodePort and LoadBalancer only).
   *
   * @default { min: 30000, max: 32767 }
   */
  readonly nodePortRange?: NodePortRange;

  /**
   * Reach nginx through Gateway API too: an HTTPRoute (child `NginxRoute`; with `instanceName`,
   * named like nginx's Service) from the parent Gateways, for `hostnames`, to nginx's Service, port 80. As well as the
   * node port; with `serviceType: ServiceKind.CLUSTER_IP`, instead of it. The stack has no
   * NetworkPolicy, so the Gateway's data plane reaches nginx from any namespace.
   *
   * @default - no route
   * @see https://gateway-api.sigs.k8s.io/api-types/httproute/
   */
  readonly gateway?: GatewayRouteOptions;

  /**
   * The number of nginx pods.
   *
   * @default 1
   */
  readonly nginxReplicas?: number;

  /**
   * nginx's CPU and memory requests and limits. Each field given (cpu or memory, request or limit)
   * replaces only its default; a default request above a given limit comes down to that limit, and
   * a default limit below a given request goes up to that request.
   *
   * @default - requests 50m CPU and 64Mi memory, limits 500m CPU and 128Mi memory
   */
  readonly nginxResources?: kplus.ContainerResources;

  /**
   * The backend image, an HTTP server on `backendPort`.
   *
   * @default 'tomcat:10.1-jre21'
   */
  readonly backendImage?: string;

  /**
   * The port the backend serves HTTP on; its ClusterIP Service uses the same port.
   *
   * @default 8080
   */
  readonly backendPort?: number;

  /**
   * The number of backend pods.
   *
   * @default 1
   */
  readonly backendReplicas?: number;

  /**
   * The backend's CPU and memory requests and limits, merged field by field with the defaults as
   * `nginxResources` is.
   *
   * @default - requests 250m CPU and 512Mi memory, limits 1 CPU and 1Gi memory
   */
  readonly backendResources?: kplus.ContainerResources;

  /**
   * The backend container's security context, in place of the default (fields left out take the
   * cdk8s-plus defaults: runAsNonRoot, read-only root filesystem, no privilege escalation; and,
   * unless `capabilities` is given, all capabilities dropped, as the "restricted" Pod Security
   * Standard asks). What it sets wins, also where it leaves that profile.
   *
   * @default - `{ user: 10001, group: 10001 }`: a numeric non-root user, which runAsNonRoot needs for an image without one
   */
  readonly backendSecurityContext?: kplus.ContainerSecurityContextProps;

  /**
   * The directories the backend writes to: each gets an emptyDir volume, since its root
   * filesystem is read-only. Absolute paths.
   *
   * @default - Tomcat's: /tmp and logs, temp, work and conf/Catalina under /usr/local/tomcat
   */
  readonly backendWritablePaths?: string[];

  /**
   * The cluster's DNS domain, used in the nginx upstream.
   *
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;

  /**
   * The name of this instance of the stack, independent of where the stack sits in the construct
   * tree: the objects are named `<instanceName>-nginx` (Deployment, Service and ConfigMap) and
   * `<instanceName>-backend` (Deployment and Service), it is the `app.kubernetes.io/instance` label,
   * and each workload selects its pods by its own name. Moving the stack under another construct
   * then changes nothing it writes. Unique among the stacks of a namespace; 1-55 characters of
   * `[a-z0-9-]`, starting with a letter.
   *
   * @default - names, the instance label and the pod selectors come from the construct path: moving
   * the stack renames every object
   */
  readonly instanceName?: string;
}

/**
 * The classic two-tier shape: nginx on a NodePort Service (or another kind, `serviceType`; and, with
 * `gateway`, behind a Gateway API HTTPRoute) in front of a backend (Tomcat by default) on a
 * ClusterIP Service. nginx's config is generated into a ConfigMap from the backend Service's
 * discovery data: `proxy_pass` to the Service's fully qualified DNS name and port, so renaming or
 * re-porting the backend updates the proxy (and, through a config hash on the pod template, rolls
 * the nginx pods).
 *
 * The name is resolved per request (a variable in `proxy_pass`, through `resolver`), not at start:
 * nginx starts even while the backend's name does not resolve yet (its Service created a moment
 * later, or DNS slower than the pod), answers 502 meanwhile, and proxies once it resolves. The
 * config is a template that the nginx image's entrypoint renders at start with the pod's DNS
 * servers (from `/etc/resolv.conf`) and, when the chart sets no namespace, the pod's namespace.
 *
 * nginx listens on 8080 as its unprivileged user (the Service maps port 80 to it) and answers
 * `/healthz` itself, for its probes. Both pods meet the "restricted" Pod Security Standard.
 * Children: `Backend`, `BackendService`, `NginxConfig`, `Nginx`, `NginxService`; with `gateway`,
 * `NginxRoute`.
 */
export class ReverseProxyStack extends Construct {
  /**
   * The nginx Deployment.
   */
  public readonly nginx: kplus.Deployment;

  /**
   * nginx's Service, port 80: NodePort, or the kind of `serviceType`.
   */
  public readonly nginxService: TypedService;

  /**
   * The HTTPRoute from the Gateways of `gateway` to `nginxService` (none without `gateway`).
   */
  public readonly nginxRoute?: HttpRoute;

  /**
   * The ConfigMap that holds the `nginx.conf.template`, mounted at
   * `/etc/nginx/templates/nginx.conf.template` and rendered by the image's entrypoint into
   * `/etc/nginx/rendered/nginx.conf`, which nginx runs with.
   */
  public readonly nginxConfig: kplus.ConfigMap;

  /**
   * The backend Deployment.
   */
  public readonly backend: kplus.Deployment;

  /**
   * The backend's ClusterIP Service, which nginx proxies to.
   */
  public readonly backendService: ClusterIPService;

  constructor(scope: Construct, id: string, props: ReverseProxyStackProps = {}) {
    super(scope, id);
    const owner = `ReverseProxyStack '${this.node.path}'`;
    const fail: Fail = message => new Error(`${owner}: ${message}`);
    const backendPort = props.backendPort ?? BACKEND_PORT;
    const writablePaths = props.backendWritablePaths ?? TOMCAT_WRITABLE_PATHS;
    const serviceType = props.serviceType ?? ServiceKind.NODE_PORT;
    checkProps(fail, props, serviceType, backendPort, writablePaths);

    const instance = props.instanceName;
    const proxyLabels = { ...recommendedLabels(this, owner, 'nginx', 'proxy'), ...instanceLabel(instance) };
    const backendLabels = { ...recommendedLabels(this, owner, undefined, 'backend', 'use a construct id with letters or digits'), ...instanceLabel(instance) };
    const nginxResources = resourcesWithDefaults(fail, 'nginxResources', NGINX_RESOURCES, props.nginxResources);
    const backendResources = resourcesWithDefaults(fail, 'backendResources', BACKEND_RESOURCES, props.backendResources);

    this.backend = this.createBackend(props, backendLabels, backendPort, writablePaths, backendResources);
    this.backendService = new ClusterIPService(this, 'BackendService', {
      metadata: selfNamingMetadata(instance, BACKEND, backendLabels),
      selector: this.backend,
      ports: [{ port: backendPort, targetPort: backendPort, name: 'http' }],
    });

    // filled below, once nginx exists: its upstream is the backend's host name as seen from nginx's pods
    this.nginxConfig = new kplus.ConfigMap(this, 'NginxConfig', {
      metadata: stackMetadata(this, 'NginxConfig', instance, NGINX, proxyLabels),
    });
    this.nginx = this.createNginx(props, proxyLabels, backendPort, nginxResources);
    this.nginxService = this.createNginxService(props, proxyLabels, serviceType);
    if (props.gateway !== undefined) {
      this.nginxRoute = new HttpRoute(this, 'NginxRoute', {
        metadata: selfNamingMetadata(instance, NGINX, proxyLabels),
        parentRefs: props.gateway.parentRefs,
        hostnames: props.gateway.hostnames,
        rules: [{ backends: [{ service: this.nginxService, port: HTTP_PORT }] }],
      });
    }
  }

  private createNginxService(props: ReverseProxyStackProps, labels: Record<string, string>, serviceType: ServiceKind): TypedService {
    const common = { metadata: selfNamingMetadata(props.instanceName, NGINX, labels), selector: this.nginx };
    const nodePort = entryNodePort(serviceType, props.nodePort);
    const port: NodePortMapping = { port: HTTP_PORT, targetPort: NGINX_PORT, name: 'http', ...(nodePort !== undefined ? { nodePort } : {}) };
    return createTypedService(this, 'NginxService', serviceType, { ...common, ports: [port], nodePortRange: props.nodePortRange });
  }

  private createBackend(
    props: ReverseProxyStackProps,
    labels: Record<string, string>,
    port: number,
    writablePaths: string[],
    resources: kplus.ContainerResources,
  ): kplus.Deployment {
    const backend = stackDeployment(this, 'Backend', props.instanceName, BACKEND, labels, {
      replicas: props.backendReplicas ?? 1,
    });
    const container = backend.addContainer({
      name: 'backend',
      image: props.backendImage ?? BACKEND_IMAGE,
      ports: [{ number: port, name: 'http' }],
      // cdk8s-plus defaults kept but for the user: the tomcat image has no USER (it would run as
      // root), and runAsNonRoot needs a numeric non-root one.
      securityContext: props.backendSecurityContext ?? { user: BACKEND_UID, group: BACKEND_UID },
      resources,
      // TCP checks: the backend's HTTP paths are unknown (stock Tomcat answers 404 everywhere).
      // The JVM may take a while to start: allow 150 seconds.
      startup: kplus.Probe.fromTcpSocket({ port, periodSeconds: Duration.seconds(5), failureThreshold: 30 }),
      readiness: kplus.Probe.fromTcpSocket({ port, periodSeconds: Duration.seconds(10), failureThreshold: 3 }),
      liveness: kplus.Probe.fromTcpSocket({
        port,
        periodSeconds: Duration.seconds(10),
        timeoutSeconds: Duration.seconds(5),
        failureThreshold: 6,
      }),
    });
    // With the read-only root filesystem: a scratch volume per directory the backend writes.
    writablePaths.forEach((path, i) => {
      container.mount(path, kplus.Volume.fromEmptyDir(backend, `Writable${i + 1}`, `writable-${i + 1}`));
    });
    restrictPodSecurity(backend);
    return backend;
  }

  private createNginx(
    props: ReverseProxyStackProps,
    labels: Record<string, string>,
    backendPort: number,
    resources: kplus.ContainerResources,
  ): kplus.Deployment {
    const nginx = stackDeployment(this, 'Nginx', props.instanceName, NGINX, labels, {
      replicas: props.nginxReplicas ?? 1,
    });
    // nginx resolves the upstream per request, through `resolver`, which skips the pod's DNS search
    // domains: the name must be fully qualified. Without a namespace in the chart, the manifests
    // land in whichever namespace they are applied to, both Services and nginx together (they
    // share the stack's chart): the pod's own namespace, from the downward API, completes it.
    const namespaced = this.backendService.metadata.namespace !== undefined;
    const upstreamHost = namespaced
      ? this.backendService.dnsName({ clusterDomain: props.clusterDomain })
      : `${this.backendService.name}.\${${NAMESPACE_VARIABLE}}.svc.${clusterDomainOf({ clusterDomain: props.clusterDomain })}`;
    const conf = reverseProxyConf({
      upstreamServer: `${upstreamHost}:${backendPort}`,
      upstreamServiceName: this.backendService.name,
      resolver: `\${${RESOLVERS_VARIABLE}}`,
      listenPort: NGINX_PORT,
      healthPath: HEALTH_PATH,
    });
    this.nginxConfig.addData(CONF_TEMPLATE, conf);
    // nginx reads its config at start only; a changed config changes the template, which rolls the pods.
    nginx.podMetadata.addAnnotation(CONF_HASH_ANNOTATION, createHash('sha256').update(conf).digest('hex'));
    const envVariables: Record<string, kplus.EnvValue> = {
      NGINX_ENTRYPOINT_LOCAL_RESOLVERS: kplus.EnvValue.fromValue('true'),
      NGINX_ENVSUBST_OUTPUT_DIR: kplus.EnvValue.fromValue(RENDERED_DIR),
      NGINX_ENVSUBST_FILTER: kplus.EnvValue.fromValue(ENVSUBST_FILTER),
    };
    if (!namespaced) {
      envVariables[NAMESPACE_VARIABLE] = kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAMESPACE);
    }
    const container = nginx.addContainer({
      name: 'nginx',
      image: props.nginxImage ?? NGINX_IMAGE,
      // The image's entrypoint runs its /docker-entrypoint.d scripts (the resolvers, the template)
      // when the command is `nginx`, then nginx with the rendered config.
      args: ['nginx', '-c', `${RENDERED_DIR}/${CONF_FILE}`, '-g', 'daemon off;'],
      ports: [{ number: NGINX_PORT, name: 'http' }],
      envVariables,
      // cdk8s-plus defaults kept: runAsNonRoot, read-only root filesystem, no privilege escalation.
      // The image has no USER (the master starts as root and its workers switch to nginx); run all
      // of it as nginx (101), which needs the unprivileged listen port of the generated config.
      securityContext: { user: NGINX_UID, group: NGINX_UID },
      resources,
      readiness: kplus.Probe.fromHttpGet(HEALTH_PATH, { port: NGINX_PORT, periodSeconds: Duration.seconds(10), failureThreshold: 3 }),
      liveness: kplus.Probe.fromHttpGet(HEALTH_PATH, {
        port: NGINX_PORT,
        periodSeconds: Duration.seconds(10),
        timeoutSeconds: Duration.seconds(5),
        failureThreshold: 3,
      }),
    });
    const config = kplus.Volume.fromConfigMap(nginx, 'Config', this.nginxConfig, { name: 'nginx-conf' });
    container.mount(`/etc/nginx/templates/${CONF_TEMPLATE}`, config, { subPath: CONF_TEMPLATE, readOnly: true });
    // With the read-only root filesystem: the rendered config, the image's compiled-in temp
    // directories (/var/cache/nginx/*_temp) and pid file (/var/run/nginx.pid).
    container.mount(RENDERED_DIR, kplus.Volume.fromEmptyDir(nginx, 'Rendered', 'nginx-rendered'));
    container.mount('/var/cache/nginx', kplus.Volume.fromEmptyDir(nginx, 'Cache', 'nginx-cache'));
    container.mount('/var/run', kplus.Volume.fromEmptyDir(nginx, 'Run', 'nginx-run'));
    restrictPodSecurity(nginx);
    return nginx;
  }
}

/**
 * The checks of the props, up front, before any child exists.
 */
function checkProps(fail: Fail, props: ReverseProxyStackProps, serviceType: ServiceKind, backendPort: number, writablePaths: string[]): void {
  checkExposure(fail, 'nginx', serviceType, props);
  checkPort(fail, 'backendPort', backendPort);
  checkReplicas(fail, 'nginxReplicas', props.nginxReplicas ?? 1);
  checkReplicas(fail, 'backendReplicas', props.backendReplicas ?? 1);
  const seen = new Set<string>();
  for (const path of writablePaths) {
    if (!path.startsWith('/') || path === '/') {
      throw fail(`backendWritablePaths entry '${path}' is not an absolute directory path; give paths such as /tmp (not / itself)`);
    }
    if (seen.has(path)) {
      throw fail(`backendWritablePaths lists '${path}' twice; give each directory once`);
    }
    seen.add(path);
  }
  if (props.clusterDomain !== undefined) {
    checkClusterDomain(fail, props.clusterDomain);
  }
  if (props.instanceName !== undefined) {
    checkInstanceName(fail, props.instanceName, BACKEND);
  }
}
