import { spawnSync } from 'child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Size, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  ClusterIPService,
  ExternalNameService,
  LoadBalancerService,
  NodePortService,
  ServiceKind,
  ServiceWiringCheck,
  WordPressStack,
  WordPressStackProps,
} from 'cdk8s-service-patterns';
import { restrictedPodViolations } from '../pod-security';
import { addGateway, EDGE, findOne, newChart, synth } from '../util';

/** The one container of a Deployment's pod template. */
function container(deployment: any): any {
  expect(deployment.spec.template.spec.containers).toHaveLength(1);
  return deployment.spec.template.spec.containers[0];
}

function env(deployment: any, name: string): any {
  const found = container(deployment).env.filter((e: any) => e.name === name);
  expect(found).toHaveLength(1);
  return found[0];
}

/** The volume mounted at `path` and the pod volume it names. */
function mountAt(deployment: any, path: string): { mount: any; volume: any } {
  const mount = container(deployment).volumeMounts.find((m: any) => m.mountPath === path);
  expect(mount).toBeDefined();
  const volume = deployment.spec.template.spec.volumes.find((v: any) => v.name === mount.name);
  expect(volume).toBeDefined();
  return { mount, volume };
}

/** The shell script the credentials generator Job runs. */
function generatorScript(job: any): string {
  const command = container(job).command;
  expect(command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
  expect(command).toHaveLength(3);
  return command[2];
}

/** Every string in a manifest, with its path. */
function strings(value: any, path: string): { path: string; value: string }[] {
  if (typeof value === 'string') return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((item, i) => strings(item, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => strings(item, `${path}.${key}`));
  return [];
}

/**
 * Whether a string holds what looks like a generated password: a run of 16 or more hex digits
 * (letters and digits), or of base64 with upper case, lower case and digits.
 */
function looksRandom(value: string): boolean {
  return (value.match(/[A-Za-z0-9+/]{16,}/g) ?? []).some(run =>
    (/^[0-9a-f]+$/.test(run) && /[0-9]/.test(run) && /[a-f]/.test(run))
    || (/[A-Z]/.test(run) && /[a-z]/.test(run) && /[0-9]/.test(run)));
}

/**
 * Runs the generator script with /bin/sh and a stub kubectl that answers `create` as the API
 * server would: created, a conflict (the Secret exists), or forbidden.
 */
function runGenerator(script: string, create: 'created' | 'conflict' | 'forbidden') {
  const dir = mkdtempSync(join(tmpdir(), 'credentials-generator-'));
  try {
    const calls = join(dir, 'calls');
    writeFileSync(calls, '');
    writeFileSync(join(dir, 'kubectl'), [
      '#!/bin/sh',
      `for arg in "$@"; do printf '%s\\n' "$arg"; done >> '${calls}'`,
      `echo --- >> '${calls}'`,
      'case "$1 $2" in',
      `  'create secret') case '${create}' in`,
      '      created) echo "secret/$4 created"; exit 0 ;;',
      // kubectl's own words for a 409 on create
      '      conflict) echo "error: failed to create secret secrets \\"$4\\" already exists" >&2; exit 1 ;;',
      '      forbidden) echo "error: failed to create secret secrets is forbidden: User \\"x\\" cannot create resource \\"secrets\\"" >&2; exit 1 ;;',
      '    esac ;;',
      'esac',
      'exit 2',
      '',
    ].join('\n'));
    chmodSync(join(dir, 'kubectl'), 0o755);
    const result = spawnSync('/bin/sh', ['-c', script], { encoding: 'utf8', env: { PATH: `${dir}:/usr/bin:/bin` } });
    const invocations = readFileSync(calls, 'utf8').split('---\n').filter(call => call !== '').map(call => call.trimEnd().split('\n'));
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, invocations };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether a label selector's matchLabels all hold on a pod template. */
function selects(selector: any, deployment: any): boolean {
  const labels = deployment.spec.template.metadata.labels;
  return Object.entries(selector.matchLabels).every(([key, value]) => labels[key] === value);
}

describe('WordPressStack', () => {
  test('defaults', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const stack = new WordPressStack(chart, 'blog');

    // THEN
    const manifests = synth(chart);
    expect(manifests.map(m => `${m.kind}/${m.metadata.name}`)).toEqual([
      `ServiceAccount/${stack.credentialsGeneratorServiceAccount!.name}`,
      `Role/${stack.credentialsGeneratorRole!.name}`,
      `RoleBinding/${stack.credentialsGeneratorRoleBinding!.name}`,
      `Job/${stack.credentialsGenerator!.name}`,
      `PersistentVolumeClaim/${stack.mysqlData!.name}`,
      `Deployment/${stack.mysql!.name}`,
      `Service/${stack.mysqlService!.name}`,
      `PersistentVolumeClaim/${stack.wordpressContent.name}`,
      `Deployment/${stack.wordpress.name}`,
      `Service/${stack.wordpressService.name}`,
      `NetworkPolicy/${stack.mysqlNetworkPolicy!.name}`,
    ]);
    expect(stack.wordpressService).toBeInstanceOf(NodePortService);
    expect(stack.databaseService).toBe(stack.mysqlService);
    expect(container(findOne(manifests, 'Deployment', stack.wordpress.name)).image).toEqual('wordpress:6.7.2-apache');
    expect(container(findOne(manifests, 'Deployment', stack.mysql!.name)).image).toEqual('mysql:8.0');
    expect(manifests).toMatchSnapshot();
  });

  test('synthesizes the same bytes twice, credentials generator included', () => {
    const build = () => {
      const chart = newChart();
      new WordPressStack(chart, 'blog');
      const manifests = synth(chart);
      expect(manifests.map(m => m.kind)).toContain('Job');
      return Yaml.stringify(...manifests);
    };
    expect(build()).toEqual(build());
  });

  test('WordPress reaches MySQL through the Service, by its real name and port', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const stack = new WordPressStack(chart, 'blog');

    // THEN
    const manifests = synth(chart);
    const service = findOne(manifests, 'Service', stack.mysqlService!.name);
    expect(service.spec.type).toEqual('ClusterIP');
    expect(service.spec.ports).toEqual([{ name: 'mysql', port: 3306, targetPort: 3306 }]);
    expect(selects({ matchLabels: service.spec.selector }, findOne(manifests, 'Deployment', stack.mysql!.name))).toBe(true);
    const wordpress = findOne(manifests, 'Deployment', stack.wordpress.name);
    expect(container(wordpress).env.map((e: any) => e.name)).toEqual([
      'WORDPRESS_DB_HOST',
      'WORDPRESS_DB_USER',
      'WORDPRESS_DB_PASSWORD',
      'WORDPRESS_DB_NAME',
    ]);
    expect(env(wordpress, 'WORDPRESS_DB_HOST')).toEqual({
      name: 'WORDPRESS_DB_HOST',
      value: `${service.metadata.name}:3306`,
    });
    expect(env(wordpress, 'WORDPRESS_DB_USER')).toEqual({ name: 'WORDPRESS_DB_USER', value: 'wordpress' });
    expect(env(wordpress, 'WORDPRESS_DB_NAME')).toEqual({ name: 'WORDPRESS_DB_NAME', value: 'wordpress' });

    const mysql = findOne(manifests, 'Deployment', stack.mysql!.name);
    expect(env(mysql, 'MYSQL_DATABASE')).toEqual({ name: 'MYSQL_DATABASE', value: 'wordpress' });
    expect(env(mysql, 'MYSQL_USER')).toEqual({ name: 'MYSQL_USER', value: 'wordpress' });
  });

  test('WORDPRESS_DB_HOST follows a renamed MySQL Service, its namespace and the cluster domain', () => {
    // GIVEN: the Service's name comes from the construct path, so another stack id renames it
    const chart = newChart({ namespace: 'shop' });

    // WHEN
    const stack = new WordPressStack(chart, 'journal', { clusterDomain: 'corp.internal' });

    // THEN
    const manifests = synth(chart);
    const service = findOne(manifests, 'Service', stack.mysqlService!.name);
    expect(service.metadata.name).toMatch(/^test-journal-mysqlservice-/);
    expect(service.metadata.namespace).toEqual('shop');
    expect(env(findOne(manifests, 'Deployment', stack.wordpress.name), 'WORDPRESS_DB_HOST').value)
      .toEqual(`${service.metadata.name}.shop.svc.corp.internal:3306`);
  });

  test('passwords reach the containers only through secretKeyRef, from a Secret the YAML does not hold', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const stack = new WordPressStack(chart, 'blog');

    // THEN
    const manifests = synth(chart);
    expect(manifests.filter(m => m.kind === 'Secret')).toEqual([]);
    expect(stack.secret.name).toEqual('test-blog-credentials');
    const ref = (key: string) => ({ valueFrom: { secretKeyRef: { name: 'test-blog-credentials', key } } });
    const wordpress = findOne(manifests, 'Deployment', stack.wordpress.name);
    const mysql = findOne(manifests, 'Deployment', stack.mysql!.name);
    expect(env(wordpress, 'WORDPRESS_DB_PASSWORD')).toEqual({ name: 'WORDPRESS_DB_PASSWORD', ...ref('mysql-password') });
    expect(env(mysql, 'MYSQL_PASSWORD')).toEqual({ name: 'MYSQL_PASSWORD', ...ref('mysql-password') });
    expect(env(mysql, 'MYSQL_ROOT_PASSWORD')).toEqual({ name: 'MYSQL_ROOT_PASSWORD', ...ref('mysql-root-password') });
    for (const deployment of [wordpress, mysql]) {
      for (const variable of container(deployment).env.filter((e: any) => /PASSWORD/.test(e.name))) {
        expect(variable.value).toBeUndefined();
        expect(variable.valueFrom.secretKeyRef).toBeDefined();
      }
    }
    expect(WordPressStack.PASSWORD_KEY).toEqual('mysql-password');
    expect(WordPressStack.ROOT_PASSWORD_KEY).toEqual('mysql-root-password');
  });

  test('the YAML holds no password', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    new WordPressStack(chart, 'blog');

    // THEN: the check itself sees a password, hex or base64
    const password = '08deac3cd2960021b6e29bb3daf76598c93973634e936049';
    expect([looksRandom(`x=${password}`), looksRandom(Buffer.from(password).toString('base64'))]).toEqual([true, true]);
    const manifests = synth(chart);
    expect(manifests.filter(m => m.kind === 'Secret')).toEqual([]);
    for (const manifest of manifests) {
      for (const { path, value } of strings(manifest, `${manifest.kind}/${manifest.metadata.name}`)) {
        expect({ path, random: looksRandom(value) }).toEqual({ path, random: false });
        // a literal handed to kubectl is a shell variable filled at run time, never a value
        expect({ path, literal: /--from-literal=[^=\s]+=(?!"\$)/.test(value) }).toEqual({ path, literal: false });
      }
      for (const deployment of manifest.kind === 'Deployment' ? [manifest] : []) {
        for (const variable of container(deployment).env.filter((e: any) => /PASSWORD/.test(e.name))) {
          expect(Object.keys(variable)).toEqual(['name', 'valueFrom']);
        }
      }
    }
  });

  test('the default Secret name does not depend on anything but the construct path', () => {
    const names = [1, 2].map(() => {
      const chart = newChart();
      return new WordPressStack(chart, 'blog').secret.name;
    });
    expect(names).toEqual(['test-blog-credentials', 'test-blog-credentials']);
  });

  test('the default Secret is created in the cluster by a one-shot Job', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const stack = new WordPressStack(chart, 'blog');

    // THEN
    const manifests = synth(chart);
    const job = findOne(manifests, 'Job', stack.credentialsGenerator!.name);
    expect(job.spec.backoffLimit).toEqual(4);
    expect(job.spec.ttlSecondsAfterFinished).toBeUndefined();
    expect(job.spec.activeDeadlineSeconds).toBeUndefined();
    const pod = job.spec.template.spec;
    expect(pod.restartPolicy).toEqual('Never');
    expect(pod.serviceAccountName).toEqual(stack.credentialsGeneratorServiceAccount!.name);
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, fsGroupChangePolicy: 'Always', seccompProfile: { type: 'RuntimeDefault' } });
    const generate = container(job);
    expect(generate.image).toEqual('alpine/k8s:1.27.16');
    expect(generate.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsGroup: 65534,
      runAsNonRoot: true,
      runAsUser: 65534,
    });
    expect(generate.env).toEqual([{ name: 'HOME', value: '/tmp' }]);
    expect(mountAt(job, '/tmp').volume.emptyDir).toEqual({});
    expect(generate.resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } });

    const script = generatorScript(job);
    expect(script).toContain("name='test-blog-credentials'");
    expect(script).not.toContain('kubectl get');
    expect(script).toContain('kubectl create secret generic "$name"');
    expect(script).toContain('--from-literal=mysql-root-password="$root"');
    expect(script).toContain('--from-literal=mysql-password="$user"');
    expect(script).toContain("random() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \\n'; }");
    expect(script).toContain('*"\\"$name\\" already exists"*)');
    expect(stack.secret.name).toEqual('test-blog-credentials');
  });

  test('the generator may only create Secrets', () => {
    // GIVEN
    const chart = newChart({ namespace: 'shop' });

    // WHEN
    const stack = new WordPressStack(chart, 'blog');

    // THEN
    const manifests = synth(chart);
    const account = findOne(manifests, 'ServiceAccount', stack.credentialsGeneratorServiceAccount!.name);
    expect(account.metadata.namespace).toEqual('shop');
    expect(account.automountServiceAccountToken).toBe(false);
    const role = findOne(manifests, 'Role', stack.credentialsGeneratorRole!.name);
    expect(role.metadata.namespace).toEqual('shop');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
    ]);
    const binding = findOne(manifests, 'RoleBinding', stack.credentialsGeneratorRoleBinding!.name);
    expect(binding.metadata.namespace).toEqual('shop');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name });
    expect(binding.subjects).toEqual([{ apiGroup: '', kind: 'ServiceAccount', name: account.metadata.name, namespace: 'shop' }]);
    expect(findOne(manifests, 'Job', stack.credentialsGenerator!.name).spec.template.spec.serviceAccountName).toEqual(account.metadata.name);
    expect(manifests.filter(m => m.kind === 'ClusterRole' || m.kind === 'ClusterRoleBinding')).toEqual([]);
  });

  test('the generator script creates the Secret once, with two random passwords', () => {
    // GIVEN
    const chart = newChart();
    const stack = new WordPressStack(chart, 'blog');
    const script = generatorScript(findOne(synth(chart), 'Job', stack.credentialsGenerator!.name));

    // WHEN: the Secret is missing
    const first = runGenerator(script, 'created');
    const second = runGenerator(script, 'created');

    // THEN: created with two keys, 48 hex characters each, different every time
    expect([first.status, first.stdout]).toEqual([0, 'secret/test-blog-credentials created\n']);
    expect(first.invocations).toHaveLength(1);
    const passwords = [first, second].flatMap(run => {
      const [create] = run.invocations;
      expect(create.slice(0, 4)).toEqual(['create', 'secret', 'generic', 'test-blog-credentials']);
      expect(create).toHaveLength(6);
      expect(create[4]).toMatch(/^--from-literal=mysql-root-password=[0-9a-f]{48}$/);
      expect(create[5]).toMatch(/^--from-literal=mysql-password=[0-9a-f]{48}$/);
      return create.slice(4).map(arg => arg.split('=')[2]);
    });
    expect(new Set(passwords).size).toEqual(4);
    expect(first.stdout + first.stderr).not.toContain(passwords[0]);

    // WHEN/THEN: an existing Secret (a conflict on create) is left alone; any other failure fails the pod
    const existing = runGenerator(script, 'conflict');
    expect([existing.status, existing.stdout]).toEqual([0, 'Secret test-blog-credentials exists; nothing to do\n']);
    const forbidden = runGenerator(script, 'forbidden');
    expect(forbidden.status).toEqual(1);
    expect(forbidden.stderr).toContain('cannot create resource');
  });

  test('no credentials generator with generateSecret false; the Secret name stays', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const stack = new WordPressStack(chart, 'blog', { generateSecret: false });

    // THEN
    expect([
      stack.credentialsGenerator,
      stack.credentialsGeneratorServiceAccount,
      stack.credentialsGeneratorRole,
      stack.credentialsGeneratorRoleBinding,
    ]).toEqual([undefined, undefined, undefined, undefined]);
    const manifests = synth(chart);
    expect(manifests.map(m => m.kind).filter(kind => ['Job', 'ServiceAccount', 'Role', 'RoleBinding', 'Secret'].includes(kind))).toEqual([]);
    expect(stack.secret.name).toEqual('test-blog-credentials');
    expect(env(findOne(manifests, 'Deployment', stack.wordpress.name), 'WORDPRESS_DB_PASSWORD').valueFrom.secretKeyRef)
      .toEqual({ name: 'test-blog-credentials', key: 'mysql-password' });
  });

  test('an existing Secret', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const stack = new WordPressStack(chart, 'blog', { secret: kplus.Secret.fromSecretName(chart, 'Db', 'blog-db') });

    // THEN
    expect(stack.credentialsGenerator).toBeUndefined();
    const manifests = synth(chart);
    expect(manifests.map(m => m.kind).filter(kind => ['Job', 'ServiceAccount', 'Role', 'RoleBinding', 'Secret'].includes(kind))).toEqual([]);
    const refs = manifests
      .filter(m => m.kind === 'Deployment')
      .flatMap(d => container(d).env)
      .filter((e: any) => e.valueFrom !== undefined)
      .map((e: any) => e.valueFrom.secretKeyRef.name);
    expect(refs).toEqual(['blog-db', 'blog-db', 'blog-db']);
    expect(stack.secret.name).toEqual('blog-db');
  });

  test('data on PersistentVolumeClaims, mounted from a subdirectory', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const stack = new WordPressStack(chart, 'blog');

    // THEN
    const manifests = synth(chart);
    const claims = [
      { deployment: stack.mysql!, claim: stack.mysqlData!, path: '/var/lib/mysql', subPath: 'mysql' },
      { deployment: stack.wordpress, claim: stack.wordpressContent, path: '/var/www/html', subPath: 'html' },
    ];
    for (const { deployment, claim, path, subPath } of claims) {
      expect(findOne(manifests, 'PersistentVolumeClaim', claim.name).spec).toEqual({
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '20Gi' } },
        volumeMode: 'Filesystem',
      });
      const { mount, volume } = mountAt(findOne(manifests, 'Deployment', deployment.name), path);
      expect(mount.subPath).toEqual(subPath);
      expect(mount.readOnly).toBeUndefined();
      expect(volume.persistentVolumeClaim).toEqual({ claimName: claim.name, readOnly: false });
    }
  });

  test('volume sizes and storage class', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const stack = new WordPressStack(chart, 'blog', {
      wordpressStorage: Size.gibibytes(5),
      mysqlStorage: Size.gibibytes(50),
      storageClassName: 'fast-ssd',
    });

    // THEN
    const manifests = synth(chart);
    const mysql = findOne(manifests, 'PersistentVolumeClaim', stack.mysqlData!.name).spec;
    const wordpress = findOne(manifests, 'PersistentVolumeClaim', stack.wordpressContent.name).spec;
    expect([mysql.resources.requests.storage, mysql.storageClassName]).toEqual(['50Gi', 'fast-ssd']);
    expect([wordpress.resources.requests.storage, wordpress.storageClassName]).toEqual(['5Gi', 'fast-ssd']);
  });

  test('one replica each, recreated on update so two pods never share a ReadWriteOnce volume', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const stack = new WordPressStack(chart, 'blog');

    // THEN
    const manifests = synth(chart);
    for (const deployment of [stack.wordpress, stack.mysql!]) {
      const spec = findOne(manifests, 'Deployment', deployment.name).spec;
      expect(spec.replicas).toEqual(1);
      expect(spec.strategy).toEqual({ type: 'Recreate' });
    }
  });

  test('more WordPress replicas on a ReadWriteMany volume, with rolling updates', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const stack = new WordPressStack(chart, 'blog', {
      wordpressReplicas: 3,
      wordpressStorageAccessMode: kplus.PersistentVolumeAccessMode.READ_WRITE_MANY,
      storageClassName: 'nfs',
    });

    // THEN
    const manifests = synth(chart);
    const wordpress = findOne(manifests, 'Deployment', stack.wordpress.name).spec;
    expect(wordpress.replicas).toEqual(3);
    expect(wordpress.strategy.type).toEqual('RollingUpdate');
    expect(findOne(manifests, 'PersistentVolumeClaim', stack.wordpressContent.name).spec.accessModes).toEqual(['ReadWriteMany']);
    expect(findOne(manifests, 'Deployment', stack.mysql!.name).spec.strategy).toEqual({ type: 'Recreate' });
    expect(findOne(manifests, 'PersistentVolumeClaim', stack.mysqlData!.name).spec.accessModes).toEqual(['ReadWriteOnce']);
  });

  test('WordPress on node port 30000 by default', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const stack = new WordPressStack(chart, 'blog');

    // THEN
    const manifests = synth(chart);
    const service = findOne(manifests, 'Service', stack.wordpressService.name);
    expect(service.spec.type).toEqual('NodePort');
    expect(service.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 80, nodePort: 30000 }]);
    const wordpress = findOne(manifests, 'Deployment', stack.wordpress.name);
    expect(service.spec.selector).toEqual(wordpress.spec.selector.matchLabels);
    expect(container(wordpress).ports).toEqual([{ containerPort: 80, name: 'http' }]);
  });

  test('another node port, a LoadBalancer or a ClusterIP Service', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const nodePort = new WordPressStack(chart, 'a', { nodePort: 30100 });
    const balanced = new WordPressStack(chart, 'b', { serviceType: ServiceKind.LOAD_BALANCER });
    const internal = new WordPressStack(chart, 'c', { serviceType: ServiceKind.CLUSTER_IP });

    // THEN
    expect(balanced.wordpressService).toBeInstanceOf(LoadBalancerService);
    expect(internal.wordpressService).toBeInstanceOf(ClusterIPService);
    const manifests = synth(chart);
    const spec = (stack: WordPressStack) => findOne(manifests, 'Service', stack.wordpressService.name).spec;
    expect(spec(nodePort).ports).toEqual([{ name: 'http', port: 80, targetPort: 80, nodePort: 30100 }]);
    expect(spec(balanced).type).toEqual('LoadBalancer');
    expect(spec(balanced).ports).toEqual([{ name: 'http', port: 80, targetPort: 80 }]);
    expect(spec(internal).type).toEqual('ClusterIP');
    expect(spec(internal).ports).toEqual([{ name: 'http', port: 80, targetPort: 80 }]);
  });

  test('a NetworkPolicy lets only WordPress pods reach MySQL, on 3306', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const stack = new WordPressStack(chart, 'blog');

    // THEN
    const manifests = synth(chart);
    const policy = findOne(manifests, 'NetworkPolicy', stack.mysqlNetworkPolicy!.name);
    const mysql = findOne(manifests, 'Deployment', stack.mysql!.name);
    const wordpress = findOne(manifests, 'Deployment', stack.wordpress.name);
    expect(policy.spec.policyTypes).toEqual(['Ingress']);
    expect(selects(policy.spec.podSelector, mysql)).toBe(true);
    expect(selects(policy.spec.podSelector, wordpress)).toBe(false);
    expect(policy.spec.ingress).toHaveLength(1);
    const [rule] = policy.spec.ingress;
    expect(rule.ports).toEqual([{ port: 3306, protocol: 'TCP' }]);
    expect(rule.from).toHaveLength(1);
    expect(Object.keys(rule.from[0])).toEqual(['podSelector']);
    expect(selects(rule.from[0].podSelector, wordpress)).toBe(true);
    expect(selects(rule.from[0].podSelector, mysql)).toBe(false);
    const generator = findOne(manifests, 'Job', stack.credentialsGenerator!.name);
    expect(selects(rule.from[0].podSelector, generator)).toBe(false);
    expect(selects(policy.spec.podSelector, generator)).toBe(false);
  });

  test('runs the official images unprivileged, with a read-only root filesystem', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const stack = new WordPressStack(chart, 'blog');

    // THEN
    const manifests = synth(chart);
    const images = [
      { deployment: stack.wordpress, uid: 33, writable: ['/var/run/apache2', '/var/lock/apache2', '/tmp'] },
      { deployment: stack.mysql!, uid: 999, writable: ['/var/run/mysqld', '/tmp'] },
    ];
    for (const { deployment, uid, writable } of images) {
      const manifest = findOne(manifests, 'Deployment', deployment.name);
      expect(container(manifest).securityContext).toEqual({
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        privileged: false,
        readOnlyRootFilesystem: true,
        runAsGroup: uid,
        runAsNonRoot: true,
        runAsUser: uid,
      });
      const pod = manifest.spec.template.spec;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, fsGroup: uid, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.automountServiceAccountToken).toBe(false);
      for (const path of writable) {
        expect(mountAt(manifest, path).volume.emptyDir).toEqual({});
      }
    }
    expect(findOne(manifests, 'Deployment', stack.wordpress.name).spec.template.spec.securityContext.sysctls)
      .toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }]);
    expect(findOne(manifests, 'Deployment', stack.mysql!.name).spec.template.spec.securityContext.sysctls).toBeUndefined();
  });

  test('an init container creates the html directory as www-data before WordPress copies itself into it', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const stack = new WordPressStack(chart, 'blog', { wordpressImage: 'wordpress:6.7.1-apache' });

    // THEN
    const wordpress = findOne(synth(chart), 'Deployment', stack.wordpress.name);
    const pod = wordpress.spec.template.spec;
    // one init container, which runs before WordPress: the same image, nothing else to pull
    expect(pod.initContainers).toHaveLength(1);
    const [prepare] = pod.initContainers;
    expect(prepare.name).toEqual('prepare-content');
    expect(prepare.image).toEqual('wordpress:6.7.1-apache');
    expect(prepare.command).toEqual(['mkdir', '-p', '/mnt/html']);
    // as www-data (so it owns the directory), on the volume's root (no subPath), which fsGroup 33 makes writable
    expect(prepare.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsGroup: 33,
      runAsNonRoot: true,
      runAsUser: 33,
    });
    expect(pod.securityContext.fsGroup).toEqual(33);
    expect(prepare.volumeMounts).toEqual([{ mountPath: '/mnt', name: 'wordpress-content' }]);
    // WordPress mounts the directory it created, of the same claim
    const { mount, volume } = mountAt(wordpress, '/var/www/html');
    expect(mount).toEqual({ mountPath: '/var/www/html', name: 'wordpress-content', subPath: 'html' });
    expect(volume.persistentVolumeClaim).toEqual({ claimName: stack.wordpressContent.name, readOnly: false });
    expect(pod.volumes.filter((v: any) => v.name === 'wordpress-content')).toHaveLength(1);
    expect(prepare.resources).toEqual({ requests: { cpu: '50m', memory: '32Mi' }, limits: { cpu: '500m', memory: '64Mi' } });
    expect(prepare.startupProbe ?? prepare.readinessProbe ?? prepare.livenessProbe).toBeUndefined();
  });

  test('the first copy succeeds in the directory the init container made, and fails in one the kubelet made', () => {
    // GIVEN: the WordPress image's copy, as its entrypoint runs it as www-data: GNU tar (the image's
    // Debian has 1.34) with the flags of docker-entrypoint.sh for a non-root user. Needs root (to
    // play the kubelet and switch users with setpriv); skipped elsewhere.
    const setpriv = spawnSync('setpriv', ['--version']);
    if (process.getuid?.() !== 0 || setpriv.error !== undefined || !/GNU tar/.test(spawnSync('tar', ['--version'], { encoding: 'utf8' }).stdout ?? '')) {
      console.warn('not root, or no setpriv or GNU tar: the first-copy test of WordPress\'s volume is skipped');
      return;
    }
    const chart = newChart();
    const stack = new WordPressStack(chart, 'blog');
    const prepare = findOne(synth(chart), 'Deployment', stack.wordpress.name).spec.template.spec.initContainers[0];
    const dir = mkdtempSync(join(tmpdir(), 'wordpress-volume-'));
    chmodSync(dir, 0o755);
    const asWwwData = (command: string[], cwd: string) =>
      spawnSync('setpriv', ['--reuid', '33', '--regid', '33', '--clear-groups', ...command], { cwd, encoding: 'utf8' });
    const copy = (target: string) => asWwwData(['bash', '-c', [
      'set -Eeuo pipefail',
      `tar --create --file - --directory ${dir}/src --owner 33 --group 33 . | tar --extract --file - --no-overwrite-dir --touch`,
    ].join('\n')], target);
    try {
      // /usr/src/wordpress, in short
      mkdirSync(join(dir, 'src', 'wp-content', 'plugins', 'akismet'), { recursive: true });
      writeFileSync(join(dir, 'src', 'index.php'), '<?php\n');
      writeFileSync(join(dir, 'src', 'wp-content', 'plugins', 'akismet', 'akismet.php'), '<?php\n');
      spawnSync('chmod', ['-R', 'a+rX', join(dir, 'src')]);
      // the volume's root as the kubelet leaves it with fsGroup 33: group www-data, g+rwx, setgid
      const volume = join(dir, 'volume');
      mkdirSync(volume);
      chownSync(volume, 0, 33);
      chmodSync(volume, 0o2775);

      // WHEN: the kubelet creates the subPath directory (as root, with the volume root's mode)
      mkdirSync(join(volume, 'html'));
      chownSync(join(volume, 'html'), 0, 33);
      chmodSync(join(volume, 'html'), 0o2775);
      const kubelets = copy(join(volume, 'html'));

      // THEN: tar cannot chmod a directory it does not own, and fails the entrypoint
      expect(kubelets.stderr).toContain('tar: .: Cannot change mode to rwxrwxr-x: Operation not permitted');
      expect(kubelets.status).not.toEqual(0);

      // WHEN: the init container's command creates it first, as www-data, on the volume's root
      rmSync(join(volume, 'html'), { recursive: true });
      const made = asWwwData(prepare.command.map((arg: string) => arg.replace(/^\/mnt\//, `${volume}/`)), volume);
      const init = copy(join(volume, 'html'));

      // THEN: the copy succeeds, into a directory www-data owns
      expect(made.status).toEqual(0);
      expect([init.status, init.stderr]).toEqual([0, '']);
      expect(statSync(join(volume, 'html')).uid).toEqual(33);
      expect(statSync(join(volume, 'html', 'wp-content', 'plugins', 'akismet', 'akismet.php')).uid).toEqual(33);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('every pod is admitted under Pod Security "restricted": WordPress, its init container, MySQL and the Job', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const stack = new WordPressStack(chart, 'blog');

    // THEN
    const manifests = synth(chart);
    const pods = [stack.wordpress, stack.mysql!].map(d => findOne(manifests, 'Deployment', d.name))
      .concat(findOne(manifests, 'Job', stack.credentialsGenerator!.name));
    expect(restrictedPodViolations(pods)).toEqual([]);
    for (const workload of pods) {
      expect(workload.spec.template.spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
      for (const c of [...workload.spec.template.spec.containers, ...(workload.spec.template.spec.initContainers ?? [])]) {
        expect(c.securityContext.capabilities).toEqual({ drop: ['ALL'] });
      }
    }
    // Apache binds 80 through the safe sysctl, not a capability
    expect(container(pods[0]).securityContext.capabilities.add).toBeUndefined();
  });

  test('probes, requests and limits', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const stack = new WordPressStack(chart, 'blog');

    // THEN
    const manifests = synth(chart);
    const wordpress = container(findOne(manifests, 'Deployment', stack.wordpress.name));
    expect(wordpress.readinessProbe).toEqual({
      httpGet: { path: '/wp-login.php', port: 80, scheme: 'HTTP' },
      periodSeconds: 10,
      timeoutSeconds: 5,
      failureThreshold: 3,
    });
    expect(wordpress.livenessProbe).toEqual({ tcpSocket: { port: 80 }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 });
    expect(wordpress.startupProbe).toEqual({ tcpSocket: { port: 80 }, periodSeconds: 10, failureThreshold: 30 });
    expect(wordpress.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } });

    const mysql = container(findOne(manifests, 'Deployment', stack.mysql!.name));
    expect(mysql.readinessProbe).toEqual({
      exec: { command: ['mysqladmin', 'ping', '--host=127.0.0.1', '--port=3306'] },
      periodSeconds: 10,
      timeoutSeconds: 5,
      failureThreshold: 3,
    });
    expect(mysql.livenessProbe).toEqual({ tcpSocket: { port: 3306 }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 });
    expect(mysql.startupProbe).toEqual({ tcpSocket: { port: 3306 }, periodSeconds: 10, failureThreshold: 30 });
    expect(mysql.resources).toEqual({ requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1024Mi' } });
  });

  test('images, database name and user, resources', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const stack = new WordPressStack(chart, 'blog', {
      wordpressImage: 'wordpress:6.7.2-php8.3-apache',
      mysqlImage: 'mysql:8.0.40',
      databaseName: 'blog',
      databaseUser: 'blog_user',
      mysqlResources: { memory: { request: Size.gibibytes(1), limit: Size.gibibytes(2) } },
    });

    // THEN
    const manifests = synth(chart);
    const wordpress = findOne(manifests, 'Deployment', stack.wordpress.name);
    const mysql = findOne(manifests, 'Deployment', stack.mysql!.name);
    expect(container(wordpress).image).toEqual('wordpress:6.7.2-php8.3-apache');
    expect(container(mysql).image).toEqual('mysql:8.0.40');
    expect([env(wordpress, 'WORDPRESS_DB_NAME').value, env(wordpress, 'WORDPRESS_DB_USER').value]).toEqual(['blog', 'blog_user']);
    expect([env(mysql, 'MYSQL_DATABASE').value, env(mysql, 'MYSQL_USER').value]).toEqual(['blog', 'blog_user']);
    // only memory given: the CPU defaults stay
    expect(container(mysql).resources).toEqual({ requests: { cpu: '250m', memory: '1024Mi' }, limits: { cpu: '1', memory: '2048Mi' } });
  });

  test('an external database through an ExternalName Service, and no MySQL objects', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const stack = new WordPressStack(chart, 'blog', { externalDatabase: { host: 'db.example.com', port: 3307 } });

    // THEN
    expect(stack.databaseService).toBeInstanceOf(ExternalNameService);
    expect([stack.mysql, stack.mysqlService, stack.mysqlData, stack.mysqlNetworkPolicy]).toEqual([undefined, undefined, undefined, undefined]);
    const manifests = synth(chart);
    expect(manifests.map(m => `${m.kind}/${m.metadata.name}`)).toEqual([
      `Service/${stack.databaseService.name}`,
      `PersistentVolumeClaim/${stack.wordpressContent.name}`,
      `Deployment/${stack.wordpress.name}`,
      `Service/${stack.wordpressService.name}`,
    ]);
    expect(manifests.filter(m => m.kind === 'NetworkPolicy')).toEqual([]);
    expect(JSON.stringify(manifests)).not.toMatch(/mysql:8|MYSQL_|var\/lib\/mysql/);
    const external = findOne(manifests, 'Service', stack.databaseService.name);
    expect(external.spec).toEqual({ type: 'ExternalName', externalName: 'db.example.com', ports: [{ name: 'mysql', port: 3307, targetPort: 3307 }] });
    const wordpress = findOne(manifests, 'Deployment', stack.wordpress.name);
    expect(env(wordpress, 'WORDPRESS_DB_HOST').value).toEqual(`${external.metadata.name}:3307`);
    expect(env(wordpress, 'WORDPRESS_DB_PASSWORD').valueFrom.secretKeyRef).toEqual({ name: 'test-blog-credentials', key: 'mysql-password' });
    expect(findOne(manifests, 'Deployment').metadata.name).toEqual(stack.wordpress.name);
    expect(stack.credentialsGenerator).toBeUndefined();
  });

  test('an external database with a generated Secret, on request', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const stack = new WordPressStack(chart, 'blog', { externalDatabase: { host: 'db.example.com' }, generateSecret: true });

    // THEN
    const manifests = synth(chart);
    expect(generatorScript(findOne(manifests, 'Job', stack.credentialsGenerator!.name))).toContain("name='test-blog-credentials'");
    expect(findOne(manifests, 'Role', stack.credentialsGeneratorRole!.name).rules).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['create'] }]);
  });

  test('the external database port defaults to 3306', () => {
    const chart = newChart();
    const stack = new WordPressStack(chart, 'blog', { externalDatabase: { host: 'db.example.com' } });
    const manifests = synth(chart);
    expect(env(findOne(manifests, 'Deployment'), 'WORDPRESS_DB_HOST').value).toEqual(`${stack.databaseService.name}:3306`);
  });

  test('two stacks in one chart', () => {
    const chart = newChart();
    new WordPressStack(chart, 'a', { nodePort: 30001 });
    new WordPressStack(chart, 'b', { nodePort: 30002 });
    expect(synth(chart).filter(m => m.kind === 'Deployment')).toHaveLength(4);
  });

  test('fails when serviceType cannot expose WordPress', () => {
    const chart = newChart();
    expect(() => new WordPressStack(chart, 'blog', { serviceType: ServiceKind.HEADLESS }))
      .toThrow("WordPressStack 'test/blog': serviceType Headless cannot expose WordPress; use ServiceKind.NODE_PORT, ServiceKind.LOAD_BALANCER or ServiceKind.CLUSTER_IP");
  });

  test('fails when nodePort is set on a ClusterIP Service', () => {
    const chart = newChart();
    expect(() => new WordPressStack(chart, 'blog', { serviceType: ServiceKind.CLUSTER_IP, nodePort: 30000 }))
      .toThrow(/nodePort 30000 is set, but a ClusterIP Service has no node ports/);
  });

  test('fails when nodePort is outside the node port range', () => {
    const chart = newChart();
    expect(() => new WordPressStack(chart, 'blog', { nodePort: 29999 }))
      .toThrow("WordPressStack 'test/blog': nodePort 29999 is outside 30000-32767; pick a port in that range or omit it");
    expect(() => new WordPressStack(chart, 'custom', { nodePort: 29999, nodePortRange: { min: 20000, max: 29999 } })).not.toThrow();
  });

  test('fails when nodePortRange leaves out the default nodePort, naming the props to change', () => {
    // GIVEN
    const chart = newChart();
    const nodePortRange = { min: 31000, max: 31999 };

    // WHEN / THEN: 30000 is a default the user never wrote, so the message asks for nodePort
    expect(() => new WordPressStack(chart, 'blog', { nodePortRange }))
      .toThrow("WordPressStack 'test/blog': nodePortRange 31000-31999 leaves out the default nodePort 30000; set nodePort to a port in 31000-31999, or change nodePortRange");
    expect(() => new WordPressStack(chart, 'out', { nodePortRange, nodePort: 30500 }))
      .toThrow("WordPressStack 'test/out': nodePort 30500 is outside 31000-31999 (nodePortRange); pick a port in that range");
    expect(() => new WordPressStack(chart, 'lb', { nodePortRange, serviceType: ServiceKind.LOAD_BALANCER })).not.toThrow();
    const stack = new WordPressStack(chart, 'in', { nodePortRange, nodePort: 31080 });
    expect(findOne(synth(chart), 'Service', stack.wordpressService.name).spec.ports[0].nodePort).toEqual(31080);
  });

  test('fails when nodePortRange is not a range, in the stack\'s words', () => {
    const chart = newChart();
    expect(() => new WordPressStack(chart, 'blog', { nodePortRange: { min: 32000, max: 31000 } }))
      .toThrow("WordPressStack 'test/blog': nodePortRange 32000-31000 is not a port range; use integers min <= max in 1-65535");
  });

  test('fails when wordpressReplicas is not a replica count', () => {
    const chart = newChart();
    expect(() => new WordPressStack(chart, 'blog', { wordpressReplicas: 0 }))
      .toThrow("WordPressStack 'test/blog': wordpressReplicas 0 is not a replica count; use a whole number of at least 1");
  });

  test('fails when the WordPress volume is read-only', () => {
    const chart = newChart();
    expect(() => new WordPressStack(chart, 'blog', { wordpressStorageAccessMode: kplus.PersistentVolumeAccessMode.READ_ONLY_MANY }))
      .toThrow(/wordpressStorageAccessMode ReadOnlyMany does not let WordPress write its files/);
  });

  test('fails when more than one WordPress replica would share a ReadWriteOnce volume', () => {
    const chart = newChart();
    expect(() => new WordPressStack(chart, 'blog', { wordpressReplicas: 2 }))
      .toThrow(/wordpressReplicas 2 needs a volume every replica can mount, but wordpressStorageAccessMode is ReadWriteOnce; use READ_WRITE_MANY/);
  });

  test('fails when databaseName is not a plain identifier', () => {
    const chart = newChart();
    expect(() => new WordPressStack(chart, 'blog', { databaseName: 'my-blog' }))
      .toThrow(/databaseName 'my-blog' is not a database name this stack accepts; use 1-64 characters of \[A-Za-z0-9_\]/);
  });

  test('fails when databaseUser is too long', () => {
    const chart = newChart();
    expect(() => new WordPressStack(chart, 'blog', { databaseUser: 'u'.repeat(33) }))
      .toThrow(/databaseUser 'u{33}' is not a user name this stack accepts; use 1-32 characters/);
  });

  test('fails when databaseUser is root with the in-cluster MySQL', () => {
    const chart = newChart();
    expect(() => new WordPressStack(chart, 'blog', { databaseUser: 'root' })).toThrow(/databaseUser 'root' is refused by the mysql image/);
    expect(() => new WordPressStack(chart, 'external', { databaseUser: 'root', externalDatabase: { host: 'db.example.com' } })).not.toThrow();
  });

  test('fails when clusterDomain is not a DNS domain', () => {
    const chart = newChart();
    expect(() => new WordPressStack(chart, 'blog', { clusterDomain: 'Cluster.Local' }))
      .toThrow("WordPressStack 'test/blog': clusterDomain 'Cluster.Local' is not a valid DNS domain; use a lowercase RFC 1123 subdomain such as cluster.local");
  });

  test('fails when generateSecret comes with secret', () => {
    const chart = newChart();
    expect(() => new WordPressStack(chart, 'blog', { generateSecret: true, secret: kplus.Secret.fromSecretName(chart, 'Db', 'blog-db') }))
      .toThrow("WordPressStack 'test/blog': generateSecret creates the default Secret, but secret names one managed elsewhere; drop generateSecret or secret");
    expect(() => new WordPressStack(chart, 'other', { generateSecret: false, secret: kplus.Secret.fromSecretName(chart, 'Other', 'blog-db') })).not.toThrow();
  });

  test('fails when MySQL props come with externalDatabase', () => {
    const chart = newChart();
    expect(() => new WordPressStack(chart, 'blog', {
      externalDatabase: { host: 'db.example.com' },
      mysqlImage: 'mysql:8.4',
      mysqlStorage: Size.gibibytes(1),
    })).toThrow(/mysqlImage, mysqlStorage configure the in-cluster MySQL, which externalDatabase replaces/);
  });

  test.each(['10.0.0.5', '10.0.0.5.', '2001:db8::5', '[2001:db8::5]'])('fails when the external database host is an IP address: %p', host => {
    const chart = newChart();
    expect(() => new WordPressStack(chart, 'blog', { externalDatabase: { host } }))
      .toThrow(`WordPressStack 'test/blog': externalDatabase.host '${host}' is an IP address; an ExternalName Service is a DNS CNAME`);
  });

  test('fails when the external database host is not a DNS name', () => {
    const chart = newChart();
    expect(() => new WordPressStack(chart, 'blog', { externalDatabase: { host: 'DB_Server' } }))
      .toThrow(/externalDatabase.host 'DB_Server' is not a valid DNS name/);
  });

  test('fails when the external database port is not a port', () => {
    const chart = newChart();
    expect(() => new WordPressStack(chart, 'blog', { externalDatabase: { host: 'db.example.com', port: 70000 } }))
      .toThrow(/externalDatabase.port 70000 is not a valid port number; use an integer in 1-65535/);
  });

  test('a resources prop replaces only the fields it gives', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const stack = new WordPressStack(chart, 'blog', {
      wordpressResources: { cpu: { limit: kplus.Cpu.millis(500) } },
      // below the default request of 512Mi: the request comes down to the limit
      mysqlResources: { memory: { limit: Size.mebibytes(384) } },
    });

    // THEN
    const manifests = synth(chart);
    expect(container(findOne(manifests, 'Deployment', stack.wordpress.name)).resources)
      .toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
    expect(container(findOne(manifests, 'Deployment', stack.mysql!.name)).resources)
      .toEqual({ requests: { cpu: '250m', memory: '384Mi' }, limits: { cpu: '1', memory: '384Mi' } });
  });

  test('a request above the default limit raises the limit', () => {
    const chart = newChart();
    const stack = new WordPressStack(chart, 'blog', { wordpressResources: { cpu: { request: kplus.Cpu.units(2) } } });
    expect(container(findOne(synth(chart), 'Deployment', stack.wordpress.name)).resources.limits.cpu).toEqual('2');
  });

  test('fails when a resources prop asks for more than its limit', () => {
    const chart = newChart();
    expect(() => new WordPressStack(chart, 'blog', { mysqlResources: { memory: { request: Size.gibibytes(2), limit: Size.gibibytes(1) } } }))
      .toThrow("WordPressStack 'test/blog': mysqlResources.memory request 2Gi is above its limit 1Gi; a container may not request more than its limit");
  });

  test('fails before creating anything', () => {
    const chart = newChart();
    expect(() => new WordPressStack(chart, 'blog', { wordpressReplicas: -1 })).toThrow();
    expect(synth(chart)).toEqual([]);
  });
});

// What a re-apply after a refactoring or a prop change keeps: names, and so the data of the claims.
describe('WordPressStack upgrades', () => {
  /** The manifests of a stack in chart `test`, directly under it or under a wrapper construct. */
  function stackAt(wrapped: boolean, props: WordPressStackProps = {}): { stack: WordPressStack; manifests: any[] } {
    const chart = newChart();
    const stack = new WordPressStack(wrapped ? new Construct(chart, 'Site') : chart, 'blog', props);
    return { stack, manifests: synth(chart) };
  }

  test('with an instanceName, moving the stack under another construct changes nothing it writes', () => {
    for (const props of [{}, { externalDatabase: { host: 'db.example.com' }, generateSecret: true }]) {
      // GIVEN
      const before = stackAt(false, { ...props, instanceName: 'blog' }).manifests;
      // WHEN
      const after = stackAt(true, { ...props, instanceName: 'blog' }).manifests;
      // THEN
      expect(after).toEqual(before);
    }
  });

  test('instanceName names every object, is the instance label, and selects the pods by workload name', () => {
    // GIVEN
    const { stack, manifests } = stackAt(false, { instanceName: 'blog' });

    // THEN
    expect(manifests.map(m => `${m.kind}/${m.metadata.name}`)).toEqual([
      'ServiceAccount/blog-credentials-generator',
      'Role/blog-credentials-generator',
      'RoleBinding/blog-credentials-generator',
      'Job/blog-credentials-generator',
      'PersistentVolumeClaim/blog-mysql-data',
      'Deployment/blog-mysql',
      'Service/blog-mysql',
      'PersistentVolumeClaim/blog-wordpress-content',
      'Deployment/blog-wordpress',
      'Service/blog-wordpress',
      'NetworkPolicy/blog-mysql',
    ]);
    expect(stack.secret.name).toEqual('blog-credentials');
    for (const object of manifests) {
      expect(object.metadata.labels['app.kubernetes.io/instance']).toEqual('blog');
    }
    const mysql = findOne(manifests, 'Deployment', 'blog-mysql');
    expect(mysql.spec.selector).toEqual({ matchLabels: { 'cdk8s.io/metadata.addr': 'blog-mysql' } });
    expect(mysql.spec.template.metadata.labels['cdk8s.io/metadata.addr']).toEqual('blog-mysql');
    expect(findOne(manifests, 'Service', 'blog-mysql').spec.selector).toEqual({ 'cdk8s.io/metadata.addr': 'blog-mysql' });
    expect(findOne(manifests, 'Service', 'blog-wordpress').spec.selector).toEqual({ 'cdk8s.io/metadata.addr': 'blog-wordpress' });
    const policy = findOne(manifests, 'NetworkPolicy', 'blog-mysql');
    expect(policy.spec.podSelector).toEqual({ matchLabels: { 'cdk8s.io/metadata.addr': 'blog-mysql' } });
    expect(policy.spec.ingress[0].from[0].podSelector).toEqual({ matchLabels: { 'cdk8s.io/metadata.addr': 'blog-wordpress' } });
    expect(findOne(manifests, 'Job').spec.template.metadata.labels['cdk8s.io/metadata.addr']).toEqual('blog-credentials-generator');
    expect(env(findOne(manifests, 'Deployment', 'blog-wordpress'), 'WORDPRESS_DB_HOST').value).toEqual('blog-mysql:3306');
  });

  test('without an instanceName, moving the stack renames every object, its claims and Secret included', () => {
    // GIVEN
    const before = stackAt(false);
    // WHEN
    const after = stackAt(true);
    // THEN
    const names = (manifests: any[]) => manifests.map(m => m.metadata.name);
    for (const name of names(after.manifests)) {
      expect(names(before.manifests)).not.toContain(name);
    }
    expect(after.stack.secret.name).not.toEqual(before.stack.secret.name);
  });

  test('claims and the Secret pinned by name survive a move', () => {
    // GIVEN a running stack's names
    const running = stackAt(false).stack;
    const pinned = {
      mysqlDataClaimName: running.mysqlData!.name,
      wordpressContentClaimName: running.wordpressContent.name,
      credentialsSecretName: running.secret.name,
    };

    // WHEN it moves, or gets an instanceName, with its stateful names pinned
    for (const [wrapped, instanceName] of [[true, undefined], [false, 'blog']] as const) {
      const { stack, manifests } = stackAt(wrapped, { ...pinned, instanceName });

      // THEN the claims and the Secret keep their names, and WordPress and MySQL mount and read them
      expect(findOne(manifests, 'PersistentVolumeClaim', pinned.mysqlDataClaimName)).toBeDefined();
      expect(findOne(manifests, 'PersistentVolumeClaim', pinned.wordpressContentClaimName)).toBeDefined();
      expect(mountAt(findOne(manifests, 'Deployment', stack.mysql!.name), '/var/lib/mysql').volume.persistentVolumeClaim.claimName).toEqual(pinned.mysqlDataClaimName);
      expect(mountAt(findOne(manifests, 'Deployment', stack.wordpress.name), '/var/www/html').volume.persistentVolumeClaim.claimName).toEqual(pinned.wordpressContentClaimName);
      expect(env(findOne(manifests, 'Deployment', stack.wordpress.name), 'WORDPRESS_DB_PASSWORD').valueFrom.secretKeyRef.name).toEqual(pinned.credentialsSecretName);
      expect(generatorScript(findOne(manifests, 'Job'))).toContain(`name='${pinned.credentialsSecretName}'`);
    }
  });

  test('switching to an external database renames the database Service, so WordPress restarts', () => {
    const inCluster = stackAt(false, { instanceName: 'blog' }).manifests;
    const external = stackAt(false, { instanceName: 'blog', externalDatabase: { host: 'db.example.com' } }).manifests;
    expect(findOne(external, 'Service', 'blog-external-database').spec.externalName).toEqual('db.example.com');
    expect(env(findOne(external, 'Deployment', 'blog-wordpress'), 'WORDPRESS_DB_HOST').value).toEqual('blog-external-database:3306');
    expect(env(findOne(inCluster, 'Deployment', 'blog-wordpress'), 'WORDPRESS_DB_HOST').value).toEqual('blog-mysql:3306');
  });

  test('without instanceName and pinned names the output is what it was', () => {
    // the defaults snapshot holds it; the props only add names
    const { stack } = stackAt(false);
    expect(stack.secret.name).toEqual('test-blog-credentials');
    expect(stack.mysqlData!.name).toMatch(/^test-blog-mysqldata-c8[0-9a-f]{6}$/);
  });

  test('fails when instanceName cannot start the object names', () => {
    const chart = newChart();
    expect(() => new WordPressStack(chart, 'blog', { instanceName: 'Blog' }))
      .toThrow("WordPressStack 'test/blog': instanceName 'Blog' cannot start the stack's object names (such as 'Blog-credentials-generator'); use 1-41 characters of [a-z0-9-], starting with a letter and ending with a letter or digit");
    expect(() => new WordPressStack(chart, 'long', { instanceName: 'a'.repeat(42) })).toThrow(/use 1-41 characters/);
    expect(() => new WordPressStack(chart, 'max', { instanceName: 'a'.repeat(41), nodePort: 30001 })).not.toThrow();
  });

  test('fails when a pinned name is not an object name', () => {
    const chart = newChart();
    expect(() => new WordPressStack(chart, 'blog', { mysqlDataClaimName: 'MySQL_Data' }))
      .toThrow("WordPressStack 'test/blog': mysqlDataClaimName 'MySQL_Data' is not a valid object name; use at most 253 characters of [a-z0-9-.], starting and ending with a letter or digit");
  });

  test('fails when credentialsSecretName comes with secret', () => {
    const chart = newChart();
    expect(() => new WordPressStack(chart, 'blog', { credentialsSecretName: 'blog-db', secret: kplus.Secret.fromSecretName(chart, 'Db', 'blog-db') }))
      .toThrow("WordPressStack 'test/blog': credentialsSecretName names the default Secret, but secret replaces it; drop credentialsSecretName or secret");
  });

  test('fails when mysqlDataClaimName comes with externalDatabase', () => {
    const chart = newChart();
    expect(() => new WordPressStack(chart, 'blog', { externalDatabase: { host: 'db.example.com' }, mysqlDataClaimName: 'blog-mysql-data' }))
      .toThrow(/mysqlDataClaimName configure the in-cluster MySQL, which externalDatabase replaces/);
  });
});

describe('WordPressStack gateway', () => {
  const GATEWAY = { parentRefs: [EDGE], hostnames: ['blog.example.com'] };

  test('instead of the node port: a ClusterIP Service and an HTTPRoute to it', () => {
    // GIVEN
    const chart = newChart({ namespace: 'blog' });
    addGateway(chart);

    // WHEN
    const stack = new WordPressStack(chart, 'blog', { serviceType: ServiceKind.CLUSTER_IP, gateway: GATEWAY });

    // THEN
    const manifests = synth(chart);
    expect(stack.wordpressService).toBeInstanceOf(ClusterIPService);
    expect(stack.wordpressRoute!.node.id).toEqual('WordPressRoute');
    const route = findOne(manifests, 'HTTPRoute', stack.wordpressRoute!.name);
    expect(route.metadata.namespace).toEqual('blog');
    expect(route.metadata.labels).toEqual(findOne(manifests, 'Service', stack.wordpressService.name).metadata.labels);
    expect(route.spec).toEqual({
      parentRefs: [EDGE],
      hostnames: ['blog.example.com'],
      rules: [{ backendRefs: [{ name: stack.wordpressService.name, port: 80 }] }],
    });
    // no node port anywhere; the route comes last, after what it sends requests to
    expect(manifests.filter(m => m.kind === 'Service').map(m => m.spec.type)).toEqual(['ClusterIP', 'ClusterIP']);
    expect(manifests[manifests.length - 1].kind).toEqual('HTTPRoute');
    // no NetworkPolicy selects the WordPress pods: the Gateway's data plane reaches them
    const wordpress = findOne(manifests, 'Deployment', stack.wordpress.name);
    for (const policy of manifests.filter(m => m.kind === 'NetworkPolicy')) {
      expect(selects(policy.spec.podSelector, wordpress)).toBe(false);
    }
    expect(ServiceWiringCheck.of(chart).findings).toEqual([]);
    expect(manifests).toMatchSnapshot();
  });

  test('as well as the node port: NodePort 30000 stays the default', () => {
    // GIVEN
    const chart = newChart();
    addGateway(chart);

    // WHEN
    const stack = new WordPressStack(chart, 'blog', { gateway: GATEWAY });

    // THEN
    const manifests = synth(chart);
    expect(stack.wordpressService).toBeInstanceOf(NodePortService);
    expect(findOne(manifests, 'Service', stack.wordpressService.name).spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 80, nodePort: 30000 }]);
    expect(findOne(manifests, 'HTTPRoute').spec.rules).toEqual([{ backendRefs: [{ name: stack.wordpressService.name, port: 80 }] }]);
    expect(ServiceWiringCheck.of(chart).findings).toEqual([]);
  });

  test('without a gateway: no route, the output of before', () => {
    const chart = newChart();
    const stack = new WordPressStack(chart, 'blog');
    expect(stack.wordpressRoute).toBeUndefined();
    expect(synth(chart).filter(m => m.kind === 'HTTPRoute')).toEqual([]);
  });

  test('with an instanceName, the route is named like the Service', () => {
    const chart = newChart();
    const stack = new WordPressStack(chart, 'blog', { instanceName: 'blog', serviceType: ServiceKind.CLUSTER_IP, gateway: GATEWAY });
    const route = findOne(synth(chart), 'HTTPRoute');
    expect(route.metadata.name).toEqual('blog-wordpress');
    expect(stack.wordpressService.name).toEqual('blog-wordpress');
    expect(route.metadata.labels['app.kubernetes.io/instance']).toEqual('blog');
  });

  test('fails when the gateway names no Gateway, in HttpRoute\'s words with the route\'s path', () => {
    const chart = newChart();
    expect(() => new WordPressStack(chart, 'blog', { gateway: { parentRefs: [] } }))
      .toThrow("HttpRoute 'test/blog/WordPressRoute': has no parentRefs; name the Gateway (or Gateways) the route attaches to");
  });
});
