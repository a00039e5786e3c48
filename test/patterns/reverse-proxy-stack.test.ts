import { spawnSync } from 'child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Size } from 'cdk8s';
import { Construct } from 'constructs';
import { ReverseProxyStack } from 'cdk8s-service-patterns';
import { findOne, newChart, synth } from '../util';
import { all, one, parseNginxConf, ParsedDirective } from './nginx-conf-parser';

function container(deployment: any): any {
  expect(deployment.spec.template.spec.containers).toHaveLength(1);
  return deployment.spec.template.spec.containers[0];
}

function mountAt(deployment: any, path: string): { mount: any; volume: any } {
  const mount = container(deployment).volumeMounts.find((m: any) => m.mountPath === path);
  expect(mount).toBeDefined();
  const volume = deployment.spec.template.spec.volumes.find((v: any) => v.name === mount.name);
  expect(volume).toBeDefined();
  return { mount, volume };
}

/** The synthesized nginx.conf of a stack. */
function nginxConf(manifests: any[], stack: ReverseProxyStack): string {
  return findOne(manifests, 'ConfigMap', stack.nginxConfig.name).data['nginx.conf'];
}

/**
 * What every generated config must say: a complete main context, an `upstream` whose one server is
 * `upstreamServer`, and a server on 8080 that proxies `/` to it and answers `/healthz` itself.
 */
function expectProxyConf(conf: ParsedDirective[], upstreamServer: string): void {
  expect(one(conf, 'events').block).toBeDefined();
  const http = one(conf, 'http').block;
  const upstream = one(http, 'upstream');
  expect(upstream.args).toEqual(['backend']);
  expect(upstream.block).toEqual([{ name: 'server', args: [upstreamServer] }]);
  const server = one(http, 'server').block;
  expect(one(server, 'listen').args).toEqual(['8080']);
  const root = one(server, 'location', '/');
  expect(one(root.block, 'proxy_pass').args).toEqual(['http://backend']);
  expect(all(root.block, 'proxy_set_header').map(d => d.args[0])).toEqual(['Host', 'X-Real-IP', 'X-Forwarded-For', 'X-Forwarded-Proto']);
  expect(one(one(server, 'location', '=', '/healthz').block, 'return').args).toEqual(['200', 'ok']);
  expect(all(conf, 'user')).toEqual([]);
}

/** The nginx binary: on the PATH, or where Debian installs it (/usr/sbin is not on every user's PATH). */
function findNginx(): string | undefined {
  return ['nginx', '/usr/sbin/nginx'].find(candidate => spawnSync(candidate, ['-v']).error === undefined);
}

describe('ReverseProxyStack', () => {
  test('defaults', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const stack = new ReverseProxyStack(chart, 'web');

    // THEN
    const manifests = synth(chart);
    expect(manifests.map(m => `${m.kind}/${m.metadata.name}`)).toEqual([
      `Deployment/${stack.backend.name}`,
      `Service/${stack.backendService.name}`,
      `ConfigMap/${stack.nginxConfig.name}`,
      `Deployment/${stack.nginx.name}`,
      `Service/${stack.nginxService.name}`,
    ]);
    expect(container(findOne(manifests, 'Deployment', stack.nginx.name)).image).toEqual('nginx:1.27.4');
    expect(container(findOne(manifests, 'Deployment', stack.backend.name)).image).toEqual('tomcat:10.1-jre21');
    expect(manifests).toMatchSnapshot();
  });

  test('nginx on a NodePort Service in front of the backend on a ClusterIP Service', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const stack = new ReverseProxyStack(chart, 'web', { nodePort: 30090 });

    // THEN
    const manifests = synth(chart);
    const nginx = findOne(manifests, 'Deployment', stack.nginx.name);
    const backend = findOne(manifests, 'Deployment', stack.backend.name);
    const front = findOne(manifests, 'Service', stack.nginxService.name);
    expect(front.spec.type).toEqual('NodePort');
    expect(front.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 8080, nodePort: 30090 }]);
    expect(front.spec.selector).toEqual(nginx.spec.selector.matchLabels);
    expect(container(nginx).ports).toEqual([{ containerPort: 8080, name: 'http' }]);
    const back = findOne(manifests, 'Service', stack.backendService.name);
    expect(back.spec.type).toEqual('ClusterIP');
    expect(back.spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 8080 }]);
    expect(back.spec.selector).toEqual(backend.spec.selector.matchLabels);
    expect(container(backend).ports).toEqual([{ containerPort: 8080, name: 'http' }]);
  });

  test('nginx.conf comes from the backend Service and is mounted over the image\'s', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const stack = new ReverseProxyStack(chart, 'web');

    // THEN
    const manifests = synth(chart);
    const service = findOne(manifests, 'Service', stack.backendService.name);
    expectProxyConf(parseNginxConf(nginxConf(manifests, stack)), `${service.metadata.name}:8080`);
    const { mount, volume } = mountAt(findOne(manifests, 'Deployment', stack.nginx.name), '/etc/nginx/nginx.conf');
    expect(mount).toEqual({ mountPath: '/etc/nginx/nginx.conf', name: 'nginx-conf', subPath: 'nginx.conf', readOnly: true });
    expect(volume.configMap).toEqual({ name: stack.nginxConfig.name });
  });

  test('renaming or re-porting the backend changes the config, and rolls the nginx pods', () => {
    // GIVEN
    const build = (id: string, props: { backendPort?: number; namespace?: string }) => {
      const chart = newChart({ namespace: props.namespace });
      const stack = new ReverseProxyStack(chart, id, { backendPort: props.backendPort });
      const manifests = synth(chart);
      return {
        service: findOne(manifests, 'Service', stack.backendService.name),
        backend: findOne(manifests, 'Deployment', stack.backend.name),
        conf: nginxConf(manifests, stack),
        hash: findOne(manifests, 'Deployment', stack.nginx.name).spec.template.metadata.annotations['cdk8s-service-patterns/nginx-conf-sha256'],
      };
    };

    // WHEN
    const base = build('web', {});
    const renamed = build('shop', { namespace: 'retail' });
    const reported = build('web', { backendPort: 9000 });

    // THEN
    expectProxyConf(parseNginxConf(renamed.conf), `${renamed.service.metadata.name}.retail.svc.cluster.local:8080`);
    expect(renamed.service.metadata.name).not.toEqual(base.service.metadata.name);
    expectProxyConf(parseNginxConf(reported.conf), `${reported.service.metadata.name}:9000`);
    expect(reported.service.spec.ports).toEqual([{ name: 'http', port: 9000, targetPort: 9000 }]);
    expect(container(reported.backend).ports).toEqual([{ containerPort: 9000, name: 'http' }]);
    expect(container(reported.backend).readinessProbe.tcpSocket).toEqual({ port: 9000 });
    const hashes = [base.hash, renamed.hash, reported.hash];
    expect(hashes.every(hash => /^[0-9a-f]{64}$/.test(hash))).toBe(true);
    expect(new Set(hashes).size).toEqual(3);
  });

  test('the cluster domain reaches the upstream of a namespaced chart', () => {
    const chart = newChart({ namespace: 'shop' });
    const stack = new ReverseProxyStack(chart, 'web', { clusterDomain: 'corp.internal' });
    const manifests = synth(chart);
    expectProxyConf(parseNginxConf(nginxConf(manifests, stack)), `${stack.backendService.name}.shop.svc.corp.internal:8080`);
  });

  test('without a namespace the upstream is the short name, which resolves wherever the manifests are applied', () => {
    const chart = newChart();
    const stack = new ReverseProxyStack(chart, 'web');
    expectProxyConf(parseNginxConf(nginxConf(synth(chart), stack)), `${stack.backendService.name}:8080`);
  });

  test('nginx -t accepts the generated nginx.conf (a structural check where nginx is not installed)', () => {
    // GIVEN
    const chart = newChart();
    const stack = new ReverseProxyStack(chart, 'web');
    const manifests = synth(chart);
    const conf = nginxConf(manifests, stack);
    const host = stack.backendService.hostName();

    // THEN: the structure, always
    expectProxyConf(parseNginxConf(conf), `${host}:8080`);
    const nginx = findNginx();
    if (nginx === undefined) {
      if (process.env.REQUIRE_NGINX === '1') {
        throw new Error('REQUIRE_NGINX=1 but nginx is not installed: nginx -t cannot run');
      }
      console.warn('nginx is not installed: nginx.conf was checked structurally only (install nginx to run nginx -t)');
      return;
    }
    // nginx -t resolves upstream hosts, and the cluster DNS name does not resolve here: map it to
    // 127.0.0.1, as a hosts entry would, in a copy of the config. Nothing else is changed.
    expect(conf.split(`${host}:`)).toHaveLength(2); // once: the upstream server
    const local = conf.replace(`${host}:`, '127.0.0.1:');
    const dir = mkdtempSync(join(tmpdir(), 'nginx-t-'));
    try {
      const file = join(dir, 'nginx.conf');
      writeFileSync(file, local);
      // nginx opens /dev/stdout for the access log: give it a file (in a pod it is a pipe; a child
      // process of node gets a socket, which cannot be opened by path).
      const stdout = openSync(join(dir, 'stdout'), 'w');
      const result = spawnSync(nginx, ['-t', '-p', `${dir}/`, '-e', 'stderr', '-c', file], { encoding: 'utf8', stdio: ['ignore', stdout, 'pipe'] });
      closeSync(stdout);
      expect(result.stderr).toContain('syntax is ok');
      expect(result.stderr).toContain('test is successful');
      expect(result.status).toEqual(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('runs the official images unprivileged, with a read-only root filesystem', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const stack = new ReverseProxyStack(chart, 'web');

    // THEN
    const manifests = synth(chart);
    const nginx = findOne(manifests, 'Deployment', stack.nginx.name);
    const backend = findOne(manifests, 'Deployment', stack.backend.name);
    const restricted = (uid: number) => ({
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsGroup: uid,
      runAsNonRoot: true,
      runAsUser: uid,
    });
    expect(container(nginx).securityContext).toEqual(restricted(101));
    expect(container(backend).securityContext).toEqual(restricted(10001));
    for (const path of ['/var/cache/nginx', '/var/run']) {
      expect(mountAt(nginx, path).volume.emptyDir).toEqual({});
    }
    for (const path of ['/tmp', '/usr/local/tomcat/logs', '/usr/local/tomcat/temp', '/usr/local/tomcat/work', '/usr/local/tomcat/conf/Catalina']) {
      expect(mountAt(backend, path).volume.emptyDir).toEqual({});
    }
    for (const deployment of [nginx, backend]) {
      expect(deployment.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
      expect(deployment.spec.template.spec.automountServiceAccountToken).toBe(false);
    }
  });

  test('probes, requests and limits', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const stack = new ReverseProxyStack(chart, 'web');

    // THEN
    const manifests = synth(chart);
    const nginx = container(findOne(manifests, 'Deployment', stack.nginx.name));
    expect(nginx.readinessProbe).toEqual({ httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, periodSeconds: 10, failureThreshold: 3 });
    expect(nginx.livenessProbe).toEqual({ httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 });
    expect(nginx.startupProbe).toBeUndefined();
    expect(nginx.resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } });
    const backend = container(findOne(manifests, 'Deployment', stack.backend.name));
    expect(backend.startupProbe).toEqual({ tcpSocket: { port: 8080 }, periodSeconds: 5, failureThreshold: 30 });
    expect(backend.readinessProbe).toEqual({ tcpSocket: { port: 8080 }, periodSeconds: 10, failureThreshold: 3 });
    expect(backend.livenessProbe).toEqual({ tcpSocket: { port: 8080 }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 });
    expect(backend.resources).toEqual({ requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1024Mi' } });
  });

  test('another backend: image, port, security context, writable paths, replicas, resources', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const stack = new ReverseProxyStack(chart, 'web', {
      nginxImage: 'nginx:1.26.3',
      backendImage: 'ghcr.io/example/api:1.4.2',
      backendPort: 3000,
      backendSecurityContext: { user: 1000, group: 1000, readOnlyRootFilesystem: false },
      backendWritablePaths: [],
      backendReplicas: 3,
      nginxReplicas: 2,
      backendResources: { memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) } },
    });

    // THEN
    const manifests = synth(chart);
    const nginx = findOne(manifests, 'Deployment', stack.nginx.name);
    const backend = findOne(manifests, 'Deployment', stack.backend.name);
    expect(container(nginx).image).toEqual('nginx:1.26.3');
    expect(nginx.spec.replicas).toEqual(2);
    expect(backend.spec.replicas).toEqual(3);
    expect(container(backend).image).toEqual('ghcr.io/example/api:1.4.2');
    expect(container(backend).securityContext).toMatchObject({ runAsUser: 1000, readOnlyRootFilesystem: false, runAsNonRoot: true });
    expect(container(backend).volumeMounts).toBeUndefined();
    // only memory given: the CPU defaults stay
    expect(container(backend).resources).toEqual({ requests: { cpu: '250m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } });
    expectProxyConf(parseNginxConf(nginxConf(manifests, stack)), `${stack.backendService.name}:3000`);
  });

  test('fails when backendPort is not a port', () => {
    const chart = newChart();
    expect(() => new ReverseProxyStack(chart, 'web', { backendPort: 0 }))
      .toThrow("ReverseProxyStack 'test/web': backendPort 0 is not a valid port number; use an integer in 1-65535");
  });

  test('fails when nodePort is outside the node port range', () => {
    const chart = newChart();
    expect(() => new ReverseProxyStack(chart, 'web', { nodePort: 8080 }))
      .toThrow("ReverseProxyStack 'test/web': nodePort 8080 is outside 30000-32767; pick a port in that range or omit it");
  });

  test('fails when nodePortRange is not a range, in the stack\'s words', () => {
    const chart = newChart();
    expect(() => new ReverseProxyStack(chart, 'web', { nodePortRange: { min: 0, max: 100 } }))
      .toThrow("ReverseProxyStack 'test/web': nodePortRange 0-100 is not a port range");
  });

  test('fails when the construct id gives no app name, saying what to change', () => {
    const chart = newChart();
    expect(() => new ReverseProxyStack(chart, '***'))
      .toThrow("ReverseProxyStack 'test/***': the construct id '***' gives no app.kubernetes.io/name label (it has no letters or digits); use a construct id with letters or digits");
  });

  test('a resources prop replaces only the fields it gives', () => {
    const chart = newChart();
    const stack = new ReverseProxyStack(chart, 'web', { nginxResources: { memory: { limit: Size.mebibytes(32) } } });
    expect(container(findOne(synth(chart), 'Deployment', stack.nginx.name)).resources)
      .toEqual({ requests: { cpu: '50m', memory: '32Mi' }, limits: { cpu: '500m', memory: '32Mi' } });
  });

  test('fails when a replica count is not one', () => {
    const chart = newChart();
    expect(() => new ReverseProxyStack(chart, 'a', { nginxReplicas: 0 })).toThrow(/nginxReplicas 0 is not a replica count/);
    expect(() => new ReverseProxyStack(chart, 'b', { backendReplicas: 1.5 })).toThrow(/backendReplicas 1.5 is not a replica count/);
  });

  test('fails when a writable path is not absolute', () => {
    const chart = newChart();
    expect(() => new ReverseProxyStack(chart, 'web', { backendWritablePaths: ['tmp'] }))
      .toThrow(/backendWritablePaths entry 'tmp' is not an absolute directory path/);
  });

  test('fails when a writable path is given twice', () => {
    const chart = newChart();
    expect(() => new ReverseProxyStack(chart, 'web', { backendWritablePaths: ['/tmp', '/data', '/tmp'] }))
      .toThrow(/backendWritablePaths lists '\/tmp' twice/);
  });

  test('fails when clusterDomain is not a DNS domain', () => {
    const chart = newChart();
    expect(() => new ReverseProxyStack(chart, 'web', { clusterDomain: 'cluster_local' }))
      .toThrow(/clusterDomain 'cluster_local' is not a valid DNS domain/);
  });
});

describe('ReverseProxyStack upgrades', () => {
  test('with an instanceName, moving the stack under another construct changes nothing it writes', () => {
    // GIVEN
    const direct = newChart();
    new ReverseProxyStack(direct, 'web', { instanceName: 'shop', nodePort: 30090 });
    // WHEN
    const wrapped = newChart();
    new ReverseProxyStack(new Construct(wrapped, 'Site'), 'web', { instanceName: 'shop', nodePort: 30090 });
    // THEN
    const manifests = synth(direct);
    expect(synth(wrapped)).toEqual(manifests);
    expect(manifests.map(m => `${m.kind}/${m.metadata.name}`)).toEqual([
      'Deployment/shop-backend',
      'Service/shop-backend',
      'ConfigMap/shop-nginx',
      'Deployment/shop-nginx',
      'Service/shop-nginx',
    ]);
    for (const object of manifests) {
      expect(object.metadata.labels['app.kubernetes.io/instance']).toEqual('shop');
    }
    expect(findOne(manifests, 'Service', 'shop-backend').spec.selector).toEqual({ 'cdk8s.io/metadata.addr': 'shop-backend' });
    expect(findOne(manifests, 'Deployment', 'shop-nginx').spec.selector).toEqual({ matchLabels: { 'cdk8s.io/metadata.addr': 'shop-nginx' } });
    expect(findOne(manifests, 'ConfigMap').data['nginx.conf']).toContain('server shop-backend:8080');
  });

  test('fails when instanceName cannot start the object names', () => {
    const chart = newChart();
    expect(() => new ReverseProxyStack(chart, 'web', { instanceName: '1shop' }))
      .toThrow("ReverseProxyStack 'test/web': instanceName '1shop' cannot start the stack's object names (such as '1shop-backend'); use 1-55 characters of [a-z0-9-], starting with a letter");
  });
});
