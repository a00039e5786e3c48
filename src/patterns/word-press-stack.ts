import { Duration, Names, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { HttpRoute } from '../routes/http-route';
import { ClusterIPService } from '../services/cluster-ip-service';
import { ExternalNameService } from '../services/external-name-service';
import { fittedName } from '../services/generated-names';
import { externalNameProblem, isDns1123Subdomain } from '../services/kubernetes-names';
import { createTypedService } from '../services/create-typed-service';
import { NodePortMapping, NodePortRange } from '../services/port-mapping';
import { ServiceKind } from '../services/service-kind';
import { TypedService } from '../services/typed-service';
import { Fail, quote } from '../services/quote';
import { checkInstanceName, checkObjectName, selectPodsBy, selfNamingMetadata, stackDeployment, stackMetadata } from './instance-names';
import { GatewayRouteOptions } from './pattern-route-options';
import { instanceLabel, labelPods, recommendedLabels } from './recommended-labels';
import { restrictPodSecurity } from './restricted-security';
import { checkClusterDomain, checkExposure, checkPort, checkReplicas, entryNodePort, resourcesWithDefaults } from './stack-checks';

const WORDPRESS_IMAGE = 'wordpress:6.7.2-apache';
const MYSQL_IMAGE = 'mysql:8.0';
const HTTP_PORT = 80;
const MYSQL_PORT = 3306;
const DEFAULT_NODE_PORT = 30000;
const DEFAULT_STORAGE = Size.gibibytes(20);
/** www-data in the official wordpress image (Debian): Apache's run user. */
const WWW_DATA = 33;
/** The subdirectory of WordPress's volume mounted at /var/www/html. */
const CONTENT_SUBPATH = 'html';
/** Where the init container that prepares WordPress's volume mounts the volume's root. */
const CONTENT_ROOT = '/mnt';
/** mysql in the official mysql image: the user the entrypoint itself steps down to. */
const MYSQL_UID = 999;
/** kubectl and a POSIX shell, for the one-shot Job that generates the default Secret. */
const KUBECTL_IMAGE = 'alpine/k8s:1.27.16';
/** nobody in Alpine: alpine/k8s has no USER, so it would run as root. */
const NOBODY = 65534;
/** Random bytes per generated password (48 hex characters). */
const PASSWORD_BYTES = 24;
const PART_OF = 'app.kubernetes.io/part-of';
/** The longest `<instanceName>-<suffix>` name suffix (the Job and its RBAC objects). */
const LONGEST_SUFFIX = 'credentials-generator';
const WORDPRESS_RESOURCES: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.units(1) },
  memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
};
const MYSQL_RESOURCES: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.units(1) },
  memory: { request: Size.mebibytes(512), limit: Size.gibibytes(1) },
};

/**
 * A database outside the cluster for `WordPressStack`, reached through an `ExternalNameService`.
 */
export interface WordPressExternalDatabase {
  /**
   * The database server's DNS name, such as `db.example.com`. Not an IP address: an ExternalName
   * Service is a DNS CNAME, and cluster DNS does not resolve an IP written there.
   *
   * @see https://kubernetes.io/docs/concepts/services-networking/service/#externalname
   */
  readonly host: string;

  /**
   * The database server's port.
   *
   * @default 3306
   */
  readonly port?: number;
}

/**
 * Props for `WordPressStack`. Every prop is optional: `new WordPressStack(chart, 'blog')` is a
 * complete stack.
 */
export interface WordPressStackProps {
  /**
   * The WordPress image: the official image, Apache variant.
   *
   * @default 'wordpress:6.7.2-apache'
   */
  readonly wordpressImage?: string;

  /**
   * The MySQL image: the official image; another tag must keep its entrypoint, user (999) and paths.
   *
   * @default 'mysql:8.0'
   */
  readonly mysqlImage?: string;

  /**
   * The kind of Service that exposes WordPress: `ServiceKind.NODE_PORT`, `ServiceKind.LOAD_BALANCER`
   * or `ServiceKind.CLUSTER_IP` (for a Gateway, see `gateway`, or an Ingress in front, and no node
   * port).
   *
   * @default ServiceKind.NODE_PORT
   */
  readonly serviceType?: ServiceKind;

  /**
   * Reach WordPress through Gateway API too: an HTTPRoute (child `WordPressRoute`; with
   * `instanceName`, named like WordPress's Service) from the parent Gateways, for `hostnames`, to WordPress's Service, port
   * 80. As well as the node port; with `serviceType: ServiceKind.CLUSTER_IP`, instead of it. No
   * NetworkPolicy of the stack selects the WordPress pods, so the Gateway's data plane reaches them
   * from any namespace. WordPress keeps the address it is installed under as its site URL: open the
   * installer through the route's hostname.
   *
   * @default - no route
   * @see https://gateway-api.sigs.k8s.io/api-types/httproute/
   */
  readonly gateway?: GatewayRouteOptions;

  /**
   * The node port of WordPress's Service (NodePort and LoadBalancer only), within `nodePortRange`.
   * A node port belongs to one Service port in the whole cluster, across namespaces: two stacks on
   * the default (two apps made from one template, or one app in two namespaces) collide, and the
   * second apply fails with "provided port is already allocated". Give each stack its own.
   *
   * @default - 30000 for NodePort (with a `nodePortRange` that leaves 30000 out, set one); allocated
   * by the cluster for LoadBalancer
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
   * The Secret that holds the database passwords, under the keys `mysql-root-password`
   * (`WordPressStack.ROOT_PASSWORD_KEY`, only used to initialise an in-cluster MySQL) and
   * `mysql-password` (`WordPressStack.PASSWORD_KEY`, the password of `databaseUser`). They reach
   * the containers only through `secretKeyRef`. Pass `kplus.Secret.fromSecretName(...)` for a
   * Secret managed elsewhere (kubectl, Sealed Secrets, External Secrets, ...): the production path.
   *
   * @default - a reference to a Secret named `credentialsSecretName`, by default
   * `<instanceName>-credentials` or `<construct path>-credentials` (e.g.
   * `wordpress-blog-credentials`; over 63 characters, its end and a hash of the path), created in
   * the cluster with random passwords by a one-shot Job
   * (see `generateSecret`). The YAML holds no password, and is the same on every synth.
   * @see https://kubernetes.io/docs/concepts/configuration/secret/
   */
  readonly secret?: kplus.ISecret;

  /**
   * Create the default Secret in the cluster: a one-shot Job (`credentialsGenerator`, with a
   * ServiceAccount allowed only to `create` Secrets in the namespace) runs
   * kubectl once, and creates the Secret with two random passwords from the container's
   * `/dev/urandom` only if it does not exist yet; an existing Secret is never changed. Until the
   * Secret exists, the MySQL and WordPress pods wait in CreateContainerConfigError, which the
   * kubelet retries, and then start. With `false`, create the Secret before applying, e.g.
   * `kubectl create secret generic <name> --from-literal=mysql-root-password="$(openssl rand -hex 24)" --from-literal=mysql-password="$(openssl rand -hex 24)"`.
   * Only for the default Secret: not with `secret`.
   *
   * @default - true, unless `secret` or `externalDatabase` is given (an external database's user
   * already has a password, which the Secret must hold)
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/job/
   */
  readonly generateSecret?: boolean;

  /**
   * The database WordPress uses: 1-64 of `[A-Za-z0-9_]`.
   *
   * @default 'wordpress'
   */
  readonly databaseName?: string;

  /**
   * The database user WordPress connects as: 1-32 of `[A-Za-z0-9_]`, not `root`.
   *
   * @default 'wordpress'
   */
  readonly databaseUser?: string;

  /**
   * Use a database outside the cluster instead of creating MySQL: WordPress connects through an
   * `ExternalNameService` for `host`, and no MySQL Deployment, Service, volume or NetworkPolicy is
   * created. The database and user must exist, with the password in the Secret's `mysql-password`.
   *
   * @default - an in-cluster MySQL
   */
  readonly externalDatabase?: WordPressExternalDatabase;

  /**
   * The size of the volume for WordPress's files (`/var/www/html`: core, plugins, themes, uploads).
   * Both volumes need storage that applies the pod's `fsGroup` (most CSI and cloud block storage
   * does; a hostPath volume does not, and then neither MySQL nor WordPress can write).
   *
   * @default Size.gibibytes(20)
   */
  readonly wordpressStorage?: Size;

  /**
   * The size of MySQL's data volume (`/var/lib/mysql`).
   *
   * @default Size.gibibytes(20)
   */
  readonly mysqlStorage?: Size;

  /**
   * The StorageClass of both volumes: one whose volumes apply the pod's `fsGroup`, since MySQL and
   * WordPress run as non-root users that write through it.
   *
   * @default - the cluster's default StorageClass
   * @see https://kubernetes.io/docs/concepts/storage/storage-classes/
   */
  readonly storageClassName?: string;

  /**
   * The access mode of WordPress's volume. `READ_WRITE_MANY` (a StorageClass that supports it, such
   * as NFS or EFS) allows more than one replica and rolling updates; with a single-node mode
   * (`READ_WRITE_ONCE`, `READ_WRITE_ONCE_POD`) updates use the Recreate strategy.
   *
   * @default kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE
   * @see https://kubernetes.io/docs/concepts/storage/persistent-volumes/#access-modes
   */
  readonly wordpressStorageAccessMode?: kplus.PersistentVolumeAccessMode;

  /**
   * The number of WordPress pods; more than 1 needs `wordpressStorageAccessMode` READ_WRITE_MANY.
   *
   * @default 1
   */
  readonly wordpressReplicas?: number;

  /**
   * WordPress's CPU and memory requests and limits. Each field given (cpu or memory, request or
   * limit) replaces only its default: `{ memory: { limit: Size.gibibytes(1) } }` keeps the CPU
   * defaults and the memory request. A default request above a given limit comes down to that
   * limit, and a default limit below a given request goes up to that request.
   *
   * @default - requests 250m CPU and 256Mi memory, limits 1 CPU and 512Mi memory
   */
  readonly wordpressResources?: kplus.ContainerResources;

  /**
   * MySQL's CPU and memory requests and limits, merged field by field with the defaults as
   * `wordpressResources` is.
   *
   * @default - requests 250m CPU and 512Mi memory, limits 1 CPU and 1Gi memory
   */
  readonly mysqlResources?: kplus.ContainerResources;

  /**
   * The cluster's DNS domain, used in `WORDPRESS_DB_HOST`.
   *
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;

  /**
   * The name of this instance of the stack, independent of where the stack sits in the construct
   * tree: every object is named `<instanceName>-<part>` (`blog-mysql` for MySQL's Deployment,
   * Service and NetworkPolicy, `blog-mysql-data`, `blog-wordpress` for WordPress's Deployment and
   * Service, `blog-wordpress-content`, `blog-external-database`, `blog-credentials-generator` for
   * the Job and its RBAC objects; the Secret `blog-credentials`), it is the
   * `app.kubernetes.io/instance` label, and each workload selects its pods by its own name. Moving
   * the stack under another construct then changes nothing it writes. Unique among the stacks of a
   * namespace; 1-41 characters of `[a-z0-9-]`, starting with a letter. Setting or changing it on a
   * running stack renames every object, as a move does: pin `mysqlDataClaimName`,
   * `wordpressContentClaimName` and `credentialsSecretName` to the current names to keep the data.
   *
   * @default - names, the instance label and the pod selectors come from the construct path: moving
   * the stack renames every object, with new, empty claims and a new Secret
   */
  readonly instanceName?: string;

  /**
   * The name of MySQL's PersistentVolumeClaim (`mysqlData`). Pin it to keep the database when the
   * construct path or `instanceName` changes, e.g. to the name the claim of a running stack has
   * (`stack.mysqlData.name` before the change). Not with `externalDatabase`.
   *
   * @default - `<instanceName>-mysql-data`, or a name generated from the construct path
   */
  readonly mysqlDataClaimName?: string;

  /**
   * The name of WordPress's PersistentVolumeClaim (`wordpressContent`), pinned as
   * `mysqlDataClaimName` is.
   *
   * @default - `<instanceName>-wordpress-content`, or a name generated from the construct path
   */
  readonly wordpressContentClaimName?: string;

  /**
   * The name of the default Secret, the one `credentialsGenerator` creates (or you create, with
   * `generateSecret: false`). Pin it to keep the passwords MySQL was initialised with when the
   * construct path or `instanceName` changes. Not with `secret`, which names its own.
   *
   * @default - `<instanceName>-credentials`, or `<construct path>-credentials`
   */
  readonly credentialsSecretName?: string;
}

/**
 * WordPress and MySQL, as in the Kubernetes tutorial "Deploying WordPress and MySQL with Persistent
 * Volumes", production-minded: WordPress (official image) behind a NodePort Service on node port
 * 30000, MySQL 8.0 behind a ClusterIP Service that only WordPress may reach (NetworkPolicy), both on
 * PersistentVolumeClaims, passwords only from a Secret (`secretKeyRef`), non-root and read-only
 * root filesystems, probes, requests and limits. Every pod, the credentials Job's included, meets
 * the "restricted" Pod Security Standard (capabilities dropped, seccomp RuntimeDefault).
 *
 * Both workloads are Deployments with the Recreate strategy (one replica each): a rollout stops the
 * old pod before the new one starts, so two pods never share a ReadWriteOnce volume. A StatefulSet
 * would give the same guarantee with a governing headless Service and volume claim templates, which
 * a single MySQL with one fixed claim does not need; cdk8s-plus-27's StatefulSet has no claim
 * templates either.
 *
 * Children: `MySQLData`, `MySQL`, `MySQLService`, `WordPressContent`, `WordPress`,
 * `WordPressService`, `MySQLNetworkPolicy`; with `externalDatabase`, `ExternalDatabase` replaces
 * the MySQL ones; with `gateway`, `WordPressRoute`. With a generated Secret (`generateSecret`, the default without `secret` and
 * `externalDatabase`): `CredentialsGeneratorServiceAccount`, `CredentialsGeneratorRole`,
 * `CredentialsGeneratorRoleBinding` and `CredentialsGenerator` (a one-shot Job that creates the
 * Secret in the cluster with random passwords, once).
 *
 * @see https://kubernetes.io/docs/tutorials/stateful-application/mysql-wordpress-persistent-volume/
 */
export class WordPressStack extends Construct {
  /**
   * The Secret key of MySQL's root password (only used when MySQL initialises its data directory).
   */
  public static readonly ROOT_PASSWORD_KEY = 'mysql-root-password';

  /**
   * The Secret key of the password of the database user WordPress connects as.
   */
  public static readonly PASSWORD_KEY = 'mysql-password';

  /**
   * The WordPress Deployment.
   */
  public readonly wordpress: kplus.Deployment;

  /**
   * The Service that exposes WordPress (NodePort, LoadBalancer or ClusterIP).
   */
  public readonly wordpressService: TypedService;

  /**
   * The HTTPRoute from the Gateways of `gateway` to `wordpressService` (none without `gateway`).
   */
  public readonly wordpressRoute?: HttpRoute;

  /**
   * The claim of WordPress's files, mounted at `/var/www/html`.
   */
  public readonly wordpressContent: kplus.PersistentVolumeClaim;

  /**
   * The Service WordPress reaches its database through: `mysqlService`, or the ExternalName Service
   * of `externalDatabase`.
   */
  public readonly databaseService: TypedService;

  /**
   * The MySQL Deployment (none with `externalDatabase`).
   */
  public readonly mysql?: kplus.Deployment;

  /**
   * MySQL's ClusterIP Service on port 3306 (none with `externalDatabase`).
   */
  public readonly mysqlService?: ClusterIPService;

  /**
   * The claim of MySQL's data, mounted at `/var/lib/mysql` (none with `externalDatabase`).
   */
  public readonly mysqlData?: kplus.PersistentVolumeClaim;

  /**
   * The NetworkPolicy that lets only WordPress pods reach MySQL, on 3306 (none with
   * `externalDatabase`).
   */
  public readonly mysqlNetworkPolicy?: kplus.NetworkPolicy;

  /**
   * The Secret the passwords come from (a reference: by default `credentialsGenerator` creates it
   * in the cluster; the YAML holds no Secret).
   */
  public readonly secret: kplus.ISecret;

  /**
   * The one-shot Job that creates the default Secret with random passwords if it does not exist
   * (none without `generateSecret`).
   */
  public readonly credentialsGenerator?: kplus.Job;

  /**
   * The ServiceAccount `credentialsGenerator` runs as (none without `credentialsGenerator`).
   */
  public readonly credentialsGeneratorServiceAccount?: kplus.ServiceAccount;

  /**
   * The Role of `credentialsGenerator`: only `create` on Secrets in the namespace, no `get` (none
   * without `credentialsGenerator`).
   */
  public readonly credentialsGeneratorRole?: kplus.Role;

  /**
   * The RoleBinding of `credentialsGeneratorRole` to `credentialsGeneratorServiceAccount` (none
   * without `credentialsGenerator`).
   */
  public readonly credentialsGeneratorRoleBinding?: kplus.RoleBinding;

  constructor(scope: Construct, id: string, props: WordPressStackProps = {}) {
    super(scope, id);
    const owner = `WordPressStack '${this.node.path}'`;
    const fail: Fail = message => new Error(`${owner}: ${message}`);
    const serviceType = props.serviceType ?? ServiceKind.NODE_PORT;
    const accessMode = props.wordpressStorageAccessMode ?? kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE;
    const replicas = props.wordpressReplicas ?? 1;
    const databaseName = props.databaseName ?? 'wordpress';
    const databaseUser = props.databaseUser ?? 'wordpress';
    checkProps(fail, props, serviceType, accessMode, replicas, databaseName, databaseUser);
    const wordpressResources = resourcesWithDefaults(fail, 'wordpressResources', WORDPRESS_RESOURCES, props.wordpressResources);
    const mysqlResources = resourcesWithDefaults(fail, 'mysqlResources', MYSQL_RESOURCES, props.mysqlResources);

    const instance = props.instanceName;
    const webLabels = { ...recommendedLabels(this, owner, 'wordpress', 'server'), ...instanceLabel(instance), [PART_OF]: 'wordpress' };
    const dbLabels = { ...recommendedLabels(this, owner, 'mysql', 'database'), ...instanceLabel(instance), [PART_OF]: 'wordpress' };

    this.secret = props.secret ?? kplus.Secret.fromSecretName(this, 'Secret', props.credentialsSecretName ?? defaultSecretName(this, instance));
    if (props.generateSecret ?? (props.secret === undefined && props.externalDatabase === undefined)) {
      const labels = { ...recommendedLabels(this, owner, 'credentials-generator', 'credentials'), ...instanceLabel(instance), [PART_OF]: 'wordpress' };
      this.credentialsGeneratorServiceAccount = new kplus.ServiceAccount(this, 'CredentialsGeneratorServiceAccount', {
        metadata: stackMetadata(this, 'CredentialsGeneratorServiceAccount', instance, LONGEST_SUFFIX, labels),
      });
      this.credentialsGeneratorRole = new kplus.Role(this, 'CredentialsGeneratorRole', {
        metadata: stackMetadata(this, 'CredentialsGeneratorRole', instance, LONGEST_SUFFIX, labels),
      });
      // Create only: RBAC cannot restrict `create` by name, and without `get` (or `list`) the pod
      // cannot read any Secret back, not even a token Secret it might create; an existing Secret
      // shows as a conflict on create.
      this.credentialsGeneratorRole.allow(['create'], kplus.ApiResource.SECRETS);
      this.credentialsGeneratorRoleBinding = new kplus.RoleBinding(this, 'CredentialsGeneratorRoleBinding', {
        metadata: stackMetadata(this, 'CredentialsGeneratorRoleBinding', instance, LONGEST_SUFFIX, labels),
        role: this.credentialsGeneratorRole,
      });
      this.credentialsGeneratorRoleBinding.addSubjects(this.credentialsGeneratorServiceAccount);
      this.credentialsGenerator = this.createCredentialsGenerator(labels, this.credentialsGeneratorServiceAccount, instance);
    }

    let databasePort = MYSQL_PORT;
    if (props.externalDatabase !== undefined) {
      databasePort = props.externalDatabase.port ?? MYSQL_PORT;
      this.databaseService = new ExternalNameService(this, 'ExternalDatabase', {
        // not MySQL's name: the switch changes WORDPRESS_DB_HOST, so WordPress restarts and reads the Secret again
        metadata: selfNamingMetadata(instance, 'external-database', dbLabels),
        externalName: props.externalDatabase.host,
        ports: [{ port: databasePort, name: 'mysql' }],
      });
    } else {
      this.mysqlData = new kplus.PersistentVolumeClaim(this, 'MySQLData', {
        metadata: stackMetadata(this, 'MySQLData', instance, 'mysql-data', dbLabels, props.mysqlDataClaimName),
        accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE],
        storage: props.mysqlStorage ?? DEFAULT_STORAGE,
        storageClassName: props.storageClassName,
      });
      this.mysql = this.createMySQL(props, dbLabels, this.mysqlData, databaseName, databaseUser, mysqlResources);
      this.mysqlService = new ClusterIPService(this, 'MySQLService', {
        metadata: selfNamingMetadata(instance, 'mysql', dbLabels),
        selector: this.mysql,
        ports: [{ port: MYSQL_PORT, targetPort: MYSQL_PORT, name: 'mysql' }],
      });
      this.databaseService = this.mysqlService;
    }

    this.wordpressContent = new kplus.PersistentVolumeClaim(this, 'WordPressContent', {
      metadata: stackMetadata(this, 'WordPressContent', instance, 'wordpress-content', webLabels, props.wordpressContentClaimName),
      accessModes: [accessMode],
      storage: props.wordpressStorage ?? DEFAULT_STORAGE,
      storageClassName: props.storageClassName,
    });
    this.wordpress = this.createWordPress(props, webLabels, replicas, accessMode, wordpressResources);
    const wordpress = this.wordpress.containers[0];
    // The host follows the Service's real name and the namespaces of both (bindEnv, at synth), with the port.
    this.databaseService.bindEnv(wordpress, 'WORDPRESS_DB_HOST', { port: databasePort, clusterDomain: props.clusterDomain });
    wordpress.env.addVariable('WORDPRESS_DB_USER', kplus.EnvValue.fromValue(databaseUser));
    wordpress.env.addVariable('WORDPRESS_DB_PASSWORD', this.secret.envValue(WordPressStack.PASSWORD_KEY));
    wordpress.env.addVariable('WORDPRESS_DB_NAME', kplus.EnvValue.fromValue(databaseName));

    this.wordpressService = this.createWordPressService(props, webLabels, serviceType);

    if (this.mysql !== undefined) {
      // Selecting the MySQL pods isolates them for ingress; the one rule admits WordPress pods on
      // 3306 (the kubelet's probes come from the node and stay allowed). Egress is not restricted.
      this.mysqlNetworkPolicy = new kplus.NetworkPolicy(this, 'MySQLNetworkPolicy', {
        metadata: stackMetadata(this, 'MySQLNetworkPolicy', instance, 'mysql', dbLabels),
        selector: this.mysql,
        ingress: { rules: [{ peer: this.wordpress, ports: [kplus.NetworkPolicyPort.tcp(MYSQL_PORT)] }] },
      });
    }

    if (props.gateway !== undefined) {
      this.wordpressRoute = new HttpRoute(this, 'WordPressRoute', {
        metadata: selfNamingMetadata(instance, 'wordpress', webLabels),
        parentRefs: props.gateway.parentRefs,
        hostnames: props.gateway.hostnames,
        rules: [{ backends: [{ service: this.wordpressService, port: HTTP_PORT }] }],
      });
    }
  }

  private createCredentialsGenerator(labels: Record<string, string>, serviceAccount: kplus.ServiceAccount, instance: string | undefined): kplus.Job {
    const job = new kplus.Job(this, 'CredentialsGenerator', {
      metadata: stackMetadata(this, 'CredentialsGenerator', instance, LONGEST_SUFFIX, labels),
      serviceAccount,
      // cdk8s-plus default: false. kubectl needs the ServiceAccount's token to reach the API server;
      // only this pod mounts it (the ServiceAccount keeps the default, false).
      automountServiceAccountToken: true,
      // Retries (10 s, 20 s, 40 s, ...) cover an API server not yet ready or RBAC not yet effective.
      backoffLimit: 4,
      // No ttlAfterFinished: the finished Job stays, so `kubectl apply` and GitOps tools find it in
      // place instead of creating it again (which would do nothing, as the Secret exists).
    });
    labelPods(job, labels);
    if (instance !== undefined) {
      // a Job's pod template is immutable: no label from the construct path in it
      selectPodsBy(job, job.name, false);
    }
    const container = job.addContainer({
      name: 'generate',
      image: KUBECTL_IMAGE,
      command: ['/bin/sh', '-c', generateSecretScript(this.secret.name)],
      // kubectl writes its discovery and HTTP caches under $HOME.
      envVariables: { HOME: kplus.EnvValue.fromValue('/tmp') },
      // cdk8s-plus defaults kept: runAsNonRoot, read-only root filesystem, no privilege escalation.
      // The image has no USER (it would run as root); kubectl needs none: run as nobody.
      securityContext: { user: NOBODY, group: NOBODY },
      resources: {
        cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(500) },
        memory: { request: Size.mebibytes(64), limit: Size.mebibytes(256) },
      },
    });
    // With the read-only root filesystem: $HOME.
    container.mount('/tmp', kplus.Volume.fromEmptyDir(job, 'Tmp', 'tmp'));
    restrictPodSecurity(job);
    return job;
  }

  private createMySQL(
    props: WordPressStackProps,
    labels: Record<string, string>,
    data: kplus.PersistentVolumeClaim,
    databaseName: string,
    databaseUser: string,
    resources: kplus.ContainerResources,
  ): kplus.Deployment {
    const mysql = stackDeployment(this, 'MySQL', props.instanceName, 'mysql', labels, {
      replicas: 1,
      // One mysqld per data directory: the old pod is gone before the new one mounts the volume.
      strategy: kplus.DeploymentStrategy.recreate(),
      securityContext: {
        // The volume is group-owned by mysql, so the unprivileged mysqld can write it.
        fsGroup: MYSQL_UID,
        // cdk8s-plus default: Always, a recursive chown of the whole data directory on every start.
        fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH,
      },
    });
    const container = mysql.addContainer({
      name: 'mysql',
      image: props.mysqlImage ?? MYSQL_IMAGE,
      ports: [{ number: MYSQL_PORT, name: 'mysql' }],
      envVariables: {
        MYSQL_ROOT_PASSWORD: this.secret.envValue(WordPressStack.ROOT_PASSWORD_KEY),
        MYSQL_DATABASE: kplus.EnvValue.fromValue(databaseName),
        MYSQL_USER: kplus.EnvValue.fromValue(databaseUser),
        MYSQL_PASSWORD: this.secret.envValue(WordPressStack.PASSWORD_KEY),
      },
      // cdk8s-plus defaults kept: runAsNonRoot, read-only root filesystem, no privilege escalation.
      // The image has no USER (it starts as root and steps down to mysql); runAsNonRoot needs a
      // numeric non-root user, so run as mysql (999) from the start. The entrypoint supports it.
      securityContext: { user: MYSQL_UID, group: MYSQL_UID },
      resources,
      // The first start initialises the data directory before 3306 opens (the temporary server it
      // runs meanwhile has networking off): allow 5 minutes.
      startup: kplus.Probe.fromTcpSocket({ port: MYSQL_PORT, periodSeconds: Duration.seconds(10), failureThreshold: 30 }),
      // A real handshake over TCP; exit status 0 even on "access denied": the server answered.
      readiness: kplus.Probe.fromCommand(['mysqladmin', 'ping', '--host=127.0.0.1', `--port=${MYSQL_PORT}`], {
        periodSeconds: Duration.seconds(10),
        timeoutSeconds: Duration.seconds(5),
        failureThreshold: 3,
      }),
      // Restart only a server that stopped listening: cheap, no process per check under load.
      liveness: kplus.Probe.fromTcpSocket({
        port: MYSQL_PORT,
        periodSeconds: Duration.seconds(10),
        timeoutSeconds: Duration.seconds(5),
        failureThreshold: 6,
      }),
    });
    // A subdirectory of the volume: mysqld refuses to initialise a directory that holds anything,
    // such as the lost+found of a freshly formatted ext4 volume.
    const volume = kplus.Volume.fromPersistentVolumeClaim(mysql, 'Data', data, { name: 'mysql-data' });
    container.mount('/var/lib/mysql', volume, { subPath: 'mysql' });
    // With the read-only root filesystem: the socket, pid and lock files, and temporary tables.
    container.mount('/var/run/mysqld', kplus.Volume.fromEmptyDir(mysql, 'Run', 'mysqld-run'));
    container.mount('/tmp', kplus.Volume.fromEmptyDir(mysql, 'Tmp', 'tmp'));
    restrictPodSecurity(mysql);
    return mysql;
  }

  private createWordPress(
    props: WordPressStackProps,
    labels: Record<string, string>,
    replicas: number,
    accessMode: kplus.PersistentVolumeAccessMode,
    resources: kplus.ContainerResources,
  ): kplus.Deployment {
    const shared = accessMode === kplus.PersistentVolumeAccessMode.READ_WRITE_MANY;
    const wordpress = stackDeployment(this, 'WordPress', props.instanceName, 'wordpress', labels, {
      replicas,
      // A single-node volume must be released by the old pod before the new one starts.
      strategy: shared ? kplus.DeploymentStrategy.rollingUpdate() : kplus.DeploymentStrategy.recreate(),
      securityContext: {
        // The volume is group-owned by www-data, so the unprivileged Apache can write it.
        fsGroup: WWW_DATA,
        // cdk8s-plus default: Always, a recursive chown of every upload on every start.
        fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH,
        // Apache listens on 80. As a non-root user it may bind ports from 80 up in this pod's
        // network namespace only (a "safe" sysctl, allowed by default since Kubernetes 1.22).
        sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: String(HTTP_PORT) }],
      },
    });
    const container = wordpress.addContainer({
      name: 'wordpress',
      image: props.wordpressImage ?? WORDPRESS_IMAGE,
      ports: [{ number: HTTP_PORT, name: 'http' }],
      // cdk8s-plus defaults kept: runAsNonRoot, read-only root filesystem, no privilege escalation.
      // The image has no USER (Apache starts as root and switches to www-data); runAsNonRoot needs a
      // numeric non-root user, so run as www-data (33) from the start. The entrypoint supports it.
      securityContext: { user: WWW_DATA, group: WWW_DATA },
      resources,
      // The first start copies WordPress into the volume and waits for the database: allow 5 minutes.
      startup: kplus.Probe.fromTcpSocket({ port: HTTP_PORT, periodSeconds: Duration.seconds(10), failureThreshold: 30 }),
      // Ready when WordPress can render its login page, which needs the database.
      readiness: kplus.Probe.fromHttpGet('/wp-login.php', {
        port: HTTP_PORT,
        periodSeconds: Duration.seconds(10),
        timeoutSeconds: Duration.seconds(5),
        failureThreshold: 3,
      }),
      // Alive while Apache accepts connections: a database outage must not restart WordPress.
      liveness: kplus.Probe.fromTcpSocket({
        port: HTTP_PORT,
        periodSeconds: Duration.seconds(10),
        timeoutSeconds: Duration.seconds(5),
        failureThreshold: 6,
      }),
    });
    // A subdirectory of the volume, as for MySQL: WordPress's files without the volume's lost+found.
    const content = kplus.Volume.fromPersistentVolumeClaim(wordpress, 'Content', this.wordpressContent, { name: 'wordpress-content' });
    container.mount('/var/www/html', content, { subPath: CONTENT_SUBPATH });
    // With the read-only root filesystem: Apache's pid file and lock files, PHP sessions and uploads.
    container.mount('/var/run/apache2', kplus.Volume.fromEmptyDir(wordpress, 'Run', 'apache-run'));
    container.mount('/var/lock/apache2', kplus.Volume.fromEmptyDir(wordpress, 'Lock', 'apache-lock'));
    container.mount('/tmp', kplus.Volume.fromEmptyDir(wordpress, 'Tmp', 'tmp'));
    // The first start must copy WordPress into the volume without a restart. The image's
    // entrypoint, as www-data, pipes `tar --create` of /usr/src/wordpress into
    // `tar --extract --no-overwrite-dir --touch` run in /var/www/html. For a directory that exists,
    // GNU tar 1.33 and later (the image's Debian has 1.34) with --no-overwrite-dir first chmods it to
    // its own mode plus u+rwx, which only its owner may do. A subPath directory that does not exist
    // yet is created by the kubelet, as root (with the volume root's mode), so that chmod of `.`
    // fails ("tar: .: Cannot change mode to rwxrwxr-x: Operation not permitted"), tar exits 2, and
    // the entrypoint (`set -Eeuo pipefail`) and the container with it; the restart then finds
    // index.php and skips the copy. So this init container, as www-data, creates the directory first
    // on the volume's root (writable by group www-data through fsGroup); the kubelet mounts an
    // existing subPath directory as it is, and tar, its owner now, may chmod it. `mkdir -p` leaves
    // an existing directory (WordPress installed already) alone. Same image: nothing more to pull.
    const prepare = wordpress.addInitContainer({
      name: 'prepare-content',
      image: props.wordpressImage ?? WORDPRESS_IMAGE,
      command: ['mkdir', '-p', `${CONTENT_ROOT}/${CONTENT_SUBPATH}`],
      securityContext: { user: WWW_DATA, group: WWW_DATA },
      resources: {
        cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(500) },
        memory: { request: Size.mebibytes(32), limit: Size.mebibytes(64) },
      },
    });
    prepare.mount(CONTENT_ROOT, content);
    restrictPodSecurity(wordpress);
    return wordpress;
  }

  private createWordPressService(props: WordPressStackProps, labels: Record<string, string>, serviceType: ServiceKind): TypedService {
    const common = { metadata: selfNamingMetadata(props.instanceName, 'wordpress', labels), selector: this.wordpress };
    const nodePort = entryNodePort(serviceType, props.nodePort, DEFAULT_NODE_PORT);
    const port: NodePortMapping = { port: HTTP_PORT, targetPort: HTTP_PORT, name: 'http', ...(nodePort !== undefined ? { nodePort } : {}) };
    return createTypedService(this, 'WordPressService', serviceType, { ...common, ports: [port], nodePortRange: props.nodePortRange });
  }
}

/**
 * The name of the default Secret: `<instanceName>-credentials`; without an instanceName
 * `<construct path>-credentials`, or, when that is longer than 63 characters or not a valid name,
 * its end with a hash of the path (two long stack paths that end alike must not share a Secret).
 */
function defaultSecretName(stack: Construct, instanceName: string | undefined): string {
  if (instanceName !== undefined) {
    return `${instanceName}-credentials`;
  }
  const full = Names.toDnsLabel(stack, { extra: ['credentials'], includeHash: false, maxLen: 253 });
  return full.length <= 63 && isDns1123Subdomain(full) ? full : fittedName(`${stack.node.path}/credentials`, 63);
}

/**
 * The POSIX sh script of the credentials generator: creates the Secret `name` with two random
 * passwords unless it exists: an existing Secret (a conflict on create) counts as success.
 */
function generateSecretScript(name: string): string {
  const hex = PASSWORD_BYTES * 2;
  return [
    'set -eu',
    `name='${name}'`,
    `random() { head -c ${PASSWORD_BYTES} /dev/urandom | od -An -tx1 | tr -d ' \\n'; }`,
    'root=$(random)',
    'user=$(random)',
    `if [ "\${#root}" -ne ${hex} ] || [ "\${#user}" -ne ${hex} ]; then`,
    `  echo 'cannot read ${PASSWORD_BYTES} random bytes from /dev/urandom' >&2`,
    '  exit 1',
    'fi',
    'if out=$(kubectl create secret generic "$name" \\',
    `    --from-literal=${WordPressStack.ROOT_PASSWORD_KEY}="$root" \\`,
    `    --from-literal=${WordPressStack.PASSWORD_KEY}="$user" 2>&1); then`,
    '  echo "$out"',
    '  exit 0',
    'fi',
    'case $out in',
    // kubectl reports a conflict as `error: failed to create secret secrets "<name>" already exists`.
    '  *"\\"$name\\" already exists"*) echo "Secret $name exists; nothing to do"; exit 0 ;;',
    'esac',
    'echo "$out" >&2',
    'exit 1',
    '',
  ].join('\n');
}

const MYSQL_IDENTIFIER = /^[A-Za-z0-9_]+$/;

/**
 * The checks of the props, up front, before any child exists.
 */
function checkProps(
  fail: Fail,
  props: WordPressStackProps,
  serviceType: ServiceKind,
  accessMode: kplus.PersistentVolumeAccessMode,
  replicas: number,
  databaseName: string,
  databaseUser: string,
): void {
  checkExposure(fail, 'WordPress', serviceType, props, DEFAULT_NODE_PORT);
  checkReplicas(fail, 'wordpressReplicas', replicas);
  if (accessMode === kplus.PersistentVolumeAccessMode.READ_ONLY_MANY) {
    throw fail(`wordpressStorageAccessMode ${accessMode} does not let WordPress write its files; use READ_WRITE_ONCE, READ_WRITE_ONCE_POD or READ_WRITE_MANY`);
  }
  if (replicas > 1 && accessMode !== kplus.PersistentVolumeAccessMode.READ_WRITE_MANY) {
    throw fail(`wordpressReplicas ${replicas} needs a volume every replica can mount, but wordpressStorageAccessMode is ${accessMode}; use READ_WRITE_MANY (and a StorageClass that supports it) or 1 replica`);
  }
  if (databaseName.length > 64 || !MYSQL_IDENTIFIER.test(databaseName)) {
    throw fail(`databaseName ${quote(databaseName)} is not a database name this stack accepts; use 1-64 characters of [A-Za-z0-9_]`);
  }
  if (databaseUser.length > 32 || !MYSQL_IDENTIFIER.test(databaseUser)) {
    throw fail(`databaseUser ${quote(databaseUser)} is not a user name this stack accepts; use 1-32 characters of [A-Za-z0-9_]`);
  }
  if (props.clusterDomain !== undefined) {
    checkClusterDomain(fail, props.clusterDomain);
  }
  if (props.generateSecret === true && props.secret !== undefined) {
    throw fail('generateSecret creates the default Secret, but secret names one managed elsewhere; drop generateSecret or secret');
  }
  if (props.instanceName !== undefined) {
    checkInstanceName(fail, props.instanceName, LONGEST_SUFFIX);
  }
  for (const prop of ['mysqlDataClaimName', 'wordpressContentClaimName', 'credentialsSecretName'] as const) {
    const name = props[prop];
    if (name !== undefined) {
      checkObjectName(fail, prop, name);
    }
  }
  if (props.credentialsSecretName !== undefined && props.secret !== undefined) {
    throw fail('credentialsSecretName names the default Secret, but secret replaces it; drop credentialsSecretName or secret');
  }
  const external = props.externalDatabase;
  if (external === undefined) {
    if (databaseUser === 'root') {
      throw fail("databaseUser 'root' is refused by the mysql image (MYSQL_USER is for a regular user); pick another name");
    }
    return;
  }
  const mysqlOnly = (['mysqlImage', 'mysqlStorage', 'mysqlResources', 'mysqlDataClaimName'] as const).filter(prop => props[prop] !== undefined);
  if (mysqlOnly.length > 0) {
    throw fail(`${mysqlOnly.join(', ')} configure the in-cluster MySQL, which externalDatabase replaces; drop them or externalDatabase`);
  }
  const problem = externalNameProblem(external.host);
  if (problem !== undefined) {
    throw fail(`externalDatabase.host ${quote(external.host)} ${problem}`);
  }
  if (external.port !== undefined) {
    checkPort(fail, 'externalDatabase.port', external.port);
  }
}
