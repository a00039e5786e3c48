import { spawn, spawnSync } from 'child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'fs';
import { createServer, request } from 'http';
import { AddressInfo, createServer as createTcpServer } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { ApiObject, JsonPatch, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { ClusterIPService, LoadBalancerService, NodePortService, ReverseProxyStack, ServiceKind, ServiceWiringCheck } from 'cdk8s-service-patterns';
import { restrictedPodViolations } from '../pod-security';
import { addGateway, EDGE, findOne, newChart, synth } from '../util';
import { FakeDns } from './fake-dns';
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

/** The synthesized nginx.conf template of a stack. */
function nginxConf(manifests: any[], stack: ReverseProxyStack): string {
  return findOne(manifests, 'ConfigMap', stack.nginxConfig.name).data['nginx.conf.template'];
}

/** The environment variables the nginx image's entrypoint substitutes in the template. */
const TEMPLATE_VARIABLES = /\$\{(\w+)\}|\$(\w+)/g;

/**
 * The template rendered as the nginx image's entrypoint renders it (20-envsubst-on-templates.sh:
 * envsubst of the defined variables whose names match NGINX_ENVSUBST_FILTER, here `NGINX_`).
 */
function render(template: string, env: Record<string, string>): string {
  return template.replace(TEMPLATE_VARIABLES, (whole, braced, bare) => {
    const name = braced ?? bare;
    return name.includes('NGINX_') && env[name] !== undefined ? env[name] : whole;
  });
}

/**
 * What every generated config must say: a complete main context, the resolver from the image's
 * NGINX_LOCAL_RESOLVERS, and a server on 8080 that proxies `/` to `http://<upstreamServer>`
 * through a variable (resolved per request) and answers `/healthz` itself; no `upstream` block
 * (nginx would resolve its servers at start).
 */
function expectProxyConf(conf: ParsedDirective[], upstreamServer: string): void {
  expect(one(conf, 'events').block).toBeDefined();
  const http = one(conf, 'http').block;
  expect(one(http, 'resolver').args).toEqual(['${NGINX_LOCAL_RESOLVERS}']);
  expect(one(http, 'resolver_timeout').args).toEqual(['5s']);
  expect(all(http, 'upstream')).toEqual([]);
  const server = one(http, 'server').block;
  expect(one(server, 'listen').args).toEqual(['8080']);
  const root = one(server, 'location', '/');
  expect(one(root.block, 'set').args).toEqual(['$backend', `http://${upstreamServer}`]);
  expect(one(root.block, 'proxy_pass').args).toEqual(['$backend']);
  expect(all(root.block, 'proxy_set_header').map(d => d.args[0])).toEqual(['Host', 'X-Real-IP', 'X-Forwarded-For', 'X-Forwarded-Proto']);
  expect(one(one(server, 'location', '=', '/healthz').block, 'return').args).toEqual(['200', 'ok']);
  expect(all(conf, 'user')).toEqual([]);
}

/** The nginx binary: on the PATH, or where Debian installs it (/usr/sbin is not on every user's PATH). */
function findNginx(): string | undefined {
  return ['nginx', '/usr/sbin/nginx'].find(candidate => spawnSync(candidate, ['-v']).error === undefined);
}

/**
 * The nginx binary, or undefined (with a warning) where it is not installed; REQUIRE_NGINX=1 (CI)
 * makes a missing nginx an error.
 */
function requireNginx(): string | undefined {
  const nginx = findNginx();
  if (nginx === undefined) {
    if (process.env.REQUIRE_NGINX === '1') {
      throw new Error('REQUIRE_NGINX=1 but nginx is not installed: the nginx tests cannot run');
    }
    console.warn('nginx is not installed: the generated nginx.conf was checked structurally only (install nginx to run it)');
  }
  return nginx;
}

/** A TCP port free at the moment. */
async function freePort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise(resolve => server.close(resolve));
  return port;
}

/** GET http://127.0.0.1:<port><path>; a refused connection is status 0. */
function get(port: number, path: string, host?: string): Promise<{ status: number; body: string }> {
  return new Promise(resolve => {
    const req = request({ host: '127.0.0.1', port, path, headers: host === undefined ? {} : { host } }, response => {
      let body = '';
      response.on('data', chunk => { body += chunk; });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end();
  });
}

/** Call `attempt` every 100 ms until `done` holds of its result, for up to 10 seconds. */
async function poll<T>(attempt: () => Promise<T>, done: (result: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const result = await attempt();
    if (done(result) || Date.now() > deadline) {
      return result;
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
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

  test('nginx.conf is a template from the backend Service, which the image\'s entrypoint renders at start', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const stack = new ReverseProxyStack(chart, 'web');

    // THEN
    const manifests = synth(chart);
    const service = findOne(manifests, 'Service', stack.backendService.name);
    const template = nginxConf(manifests, stack);
    expectProxyConf(parseNginxConf(template), `${service.metadata.name}.\${NGINX_POD_NAMESPACE}.svc.cluster.local:8080`);
    const nginx = findOne(manifests, 'Deployment', stack.nginx.name);
    // mounted where the entrypoint looks for templates (/etc/nginx/templates/*.template)
    const { mount, volume } = mountAt(nginx, '/etc/nginx/templates/nginx.conf.template');
    expect(mount).toEqual({ mountPath: '/etc/nginx/templates/nginx.conf.template', name: 'nginx-conf', subPath: 'nginx.conf.template', readOnly: true });
    expect(volume.configMap).toEqual({ name: stack.nginxConfig.name });
    // rendered into an emptyDir (the root filesystem is read-only), which nginx is started with
    expect(mountAt(nginx, '/etc/nginx/rendered').volume.emptyDir).toEqual({});
    expect(container(nginx).args).toEqual(['nginx', '-c', '/etc/nginx/rendered/nginx.conf', '-g', 'daemon off;']);
    expect(container(nginx).command).toBeUndefined();
    expect(container(nginx).env).toEqual([
      { name: 'NGINX_ENTRYPOINT_LOCAL_RESOLVERS', value: 'true' },
      { name: 'NGINX_ENVSUBST_OUTPUT_DIR', value: '/etc/nginx/rendered' },
      { name: 'NGINX_ENVSUBST_FILTER', value: 'NGINX_' },
      { name: 'NGINX_POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    ]);
    // the entrypoint substitutes only the NGINX_ variables; every other $ is one of nginx's own
    const references = [...template.matchAll(TEMPLATE_VARIABLES)].map(match => match[1] ?? match[2]);
    expect([...new Set(references.filter(name => name.includes('NGINX_')))].sort()).toEqual(['NGINX_LOCAL_RESOLVERS', 'NGINX_POD_NAMESPACE']);
    expect([...new Set(references.filter(name => !name.includes('NGINX_')))].sort())
      .toEqual(['backend', 'host', 'proxy_add_x_forwarded_for', 'remote_addr', 'scheme']);
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
    expectProxyConf(parseNginxConf(reported.conf), `${reported.service.metadata.name}.\${NGINX_POD_NAMESPACE}.svc.cluster.local:9000`);
    expect(reported.service.spec.ports).toEqual([{ name: 'http', port: 9000, targetPort: 9000 }]);
    expect(container(reported.backend).ports).toEqual([{ containerPort: 9000, name: 'http' }]);
    expect(container(reported.backend).readinessProbe.tcpSocket).toEqual({ port: 9000 });
    const hashes = [base.hash, renamed.hash, reported.hash];
    expect(hashes.every(hash => /^[0-9a-f]{64}$/.test(hash))).toBe(true);
    expect(new Set(hashes).size).toEqual(3);
  });

  test('the upstream of a namespaced chart is the fully qualified name, with the cluster domain', () => {
    const chart = newChart({ namespace: 'shop' });
    const stack = new ReverseProxyStack(chart, 'web', { clusterDomain: 'corp.internal' });
    const manifests = synth(chart);
    expectProxyConf(parseNginxConf(nginxConf(manifests, stack)), `${stack.backendService.name}.shop.svc.corp.internal:8080`);
    // the namespace is known: no downward API variable
    expect(container(findOne(manifests, 'Deployment', stack.nginx.name)).env.map((e: any) => e.name)).not.toContain('NGINX_POD_NAMESPACE');
  });

  test('without a namespace the upstream is qualified with the pod\'s own namespace, where the manifests are applied', () => {
    // GIVEN: nginx's resolver does not apply the pod's DNS search domains, so a short name would not resolve
    const chart = newChart();

    // WHEN
    const stack = new ReverseProxyStack(chart, 'web', { clusterDomain: 'corp.internal' });

    // THEN
    const manifests = synth(chart);
    const template = nginxConf(manifests, stack);
    expectProxyConf(parseNginxConf(template), `${stack.backendService.name}.\${NGINX_POD_NAMESPACE}.svc.corp.internal:8080`);
    expect(container(findOne(manifests, 'Deployment', stack.nginx.name)).env)
      .toContainEqual({ name: 'NGINX_POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } });
    const rendered = render(template, { NGINX_LOCAL_RESOLVERS: '10.96.0.10 ', NGINX_POD_NAMESPACE: 'blog' });
    expect(rendered).toContain(`set $backend http://${stack.backendService.name}.blog.svc.corp.internal:8080;`);
    expect(rendered).toContain('resolver 10.96.0.10 ;');
  });

  test('nginx -t accepts the rendered nginx.conf (a structural check where nginx is not installed)', () => {
    // GIVEN: the template rendered as the image's entrypoint renders it; 15-local-resolvers.envsh
    // writes each nameserver followed by a space
    const chart = newChart();
    const stack = new ReverseProxyStack(chart, 'web');
    const manifests = synth(chart);
    const conf = render(nginxConf(manifests, stack), { NGINX_LOCAL_RESOLVERS: '127.0.0.1 ', NGINX_POD_NAMESPACE: 'default' });

    // THEN: the structure, always
    const host = `${stack.backendService.name}.default.svc.cluster.local`;
    const parsed = parseNginxConf(conf);
    expect(one(one(parsed, 'http').block, 'resolver').args).toEqual(['127.0.0.1']);
    expect(conf).not.toContain('${');
    const nginx = requireNginx();
    if (nginx === undefined) {
      return;
    }
    // Nothing is changed: the backend's cluster DNS name does not resolve here, and nginx need not
    // resolve it to start (it does at request time).
    const dir = mkdtempSync(join(tmpdir(), 'nginx-t-'));
    try {
      const file = join(dir, 'nginx.conf');
      writeFileSync(file, conf);
      expect(conf).toContain(`http://${host}:8080;`);
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

  test('nginx starts while the backend\'s name does not resolve, and proxies once it does, the request URI unchanged', async () => {
    // GIVEN: a backend that echoes what it receives, on 127.0.0.1, and a DNS server that does not
    // know the backend Service's name yet
    const nginx = requireNginx();
    if (nginx === undefined) {
      return;
    }
    const backend = createServer((request, response) => {
      response.end(`${request.method} ${request.url} host=${request.headers.host} forwarded-for=${request.headers['x-forwarded-for']}`);
    });
    await new Promise<void>(resolve => backend.listen(0, '127.0.0.1', resolve));
    const backendPort = (backend.address() as AddressInfo).port;
    const dns = await FakeDns.start();
    const chart = newChart();
    const stack = new ReverseProxyStack(chart, 'web', { backendPort });
    const host = `${stack.backendService.name}.default.svc.cluster.local`;
    // the template as the entrypoint renders it, the resolver being this DNS server; here only,
    // nginx listens on a free port and keeps its pid and temp files in a scratch directory
    const listen = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'nginx-run-'));
    const rendered = render(nginxConf(synth(chart), stack), { NGINX_LOCAL_RESOLVERS: `127.0.0.1:${dns.port} `, NGINX_POD_NAMESPACE: 'default' });
    // the lines replaced below are there (a replace of missing text would silently do nothing)
    expect(rendered).toContain('listen 8080;');
    expect(rendered).toContain('pid /var/run/nginx.pid;');
    const conf = rendered
      .replace('listen 8080;', `listen 127.0.0.1:${listen};`)
      .replace('pid /var/run/nginx.pid;', `pid ${dir}/nginx.pid;`)
      .replace('http {\n', `http {\n${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(t => `  ${t}_temp_path ${dir}/${t};\n`).join('')}`);
    writeFileSync(join(dir, 'nginx.conf'), conf);
    const stdout = openSync(join(dir, 'stdout'), 'w');
    const proxy = spawn(nginx, ['-p', `${dir}/`, '-e', 'stderr', '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', stdout, 'pipe'] });
    let stderr = '';
    proxy.stderr?.on('data', chunk => { stderr += chunk; });
    try {
      // WHEN: nginx starts before the name resolves
      const health = await poll(() => get(listen, '/healthz'), response => response.status === 200);
      if (health.status !== 200) {
        throw new Error(`nginx did not start:\n${stderr}`);
      }
      expect(health).toEqual({ status: 200, body: 'ok' });
      expect(proxy.exitCode).toBeNull();
      // THEN: it answers 502 for the proxied paths and keeps running
      expect((await get(listen, '/app/items?page=2')).status).toEqual(502);
      expect(dns.queries).toContain(host);
      expect(proxy.exitCode).toBeNull();

      // WHEN: the Service's name resolves
      dns.names.add(host);

      // THEN: the next requests reach the backend, with the client's URI and Host as they were
      const proxied = await poll(() => get(listen, '/app/items?page=2&q=a%20b', 'shop.example.com'), response => response.status === 200);
      expect(proxied.body).toEqual('GET /app/items?page=2&q=a%20b host=shop.example.com forwarded-for=127.0.0.1');
    } finally {
      proxy.kill('SIGTERM');
      await new Promise(resolve => (proxy.exitCode === null ? proxy.once('exit', resolve) : resolve(undefined)));
      closeSync(stdout);
      await dns.close();
      await new Promise(resolve => backend.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    }
    expect(stderr).not.toContain('[emerg]');
  }, 30_000);

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
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsGroup: uid,
      runAsNonRoot: true,
      runAsUser: uid,
    });
    expect(container(nginx).securityContext).toEqual(restricted(101));
    expect(container(backend).securityContext).toEqual(restricted(10001));
    for (const path of ['/etc/nginx/rendered', '/var/cache/nginx', '/var/run']) {
      expect(mountAt(nginx, path).volume.emptyDir).toEqual({});
    }
    for (const path of ['/tmp', '/usr/local/tomcat/logs', '/usr/local/tomcat/temp', '/usr/local/tomcat/work', '/usr/local/tomcat/conf/Catalina']) {
      expect(mountAt(backend, path).volume.emptyDir).toEqual({});
    }
    for (const deployment of [nginx, backend]) {
      expect(deployment.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(deployment.spec.template.spec.automountServiceAccountToken).toBe(false);
    }
  });

  test('every pod is admitted under Pod Security "restricted", containers added later included', () => {
    // GIVEN
    const chart = newChart();
    const stack = new ReverseProxyStack(chart, 'web');

    // WHEN: a sidecar and an init container added by the user after construction
    stack.nginx.addContainer({ name: 'exporter', image: 'nginx/nginx-prometheus-exporter:1.1.0', securityContext: { user: 65534, group: 65534 } });
    stack.backend.addInitContainer({ name: 'migrate', image: 'ghcr.io/example/migrate:1.0', securityContext: { user: 10001, group: 10001 } });

    // THEN
    const manifests = synth(chart);
    const nginx = findOne(manifests, 'Deployment', stack.nginx.name);
    const backend = findOne(manifests, 'Deployment', stack.backend.name);
    expect(restrictedPodViolations([nginx, backend])).toEqual([]);
    expect(nginx.spec.template.spec.containers.map((c: any) => [c.name, c.securityContext.capabilities]))
      .toEqual([['nginx', { drop: ['ALL'] }], ['exporter', { drop: ['ALL'] }]]);
    expect(backend.spec.template.spec.initContainers[0].securityContext.capabilities).toEqual({ drop: ['ALL'] });
  });

  test('a JSON patch of the user wins over the restricted defaults', () => {
    // GIVEN
    const chart = newChart();
    const stack = new ReverseProxyStack(chart, 'web');

    // WHEN: NET_BIND_SERVICE added (restricted allows it), and the seccomp profile of one container
    const sidecar = '/spec/template/spec/containers/1/securityContext';
    stack.nginx.addContainer({ name: 'sidecar', image: 'busybox:1.36' });
    ApiObject.of(stack.nginx).addJsonPatch(
      JsonPatch.add('/spec/template/spec/containers/0/securityContext/capabilities', { drop: ['ALL'], add: ['NET_BIND_SERVICE'] }),
      JsonPatch.add(`${sidecar}/seccompProfile`, { type: 'Localhost', localhostProfile: 'profiles/sidecar.json' }),
    );

    // THEN
    const nginx = findOne(synth(chart), 'Deployment', stack.nginx.name);
    const [main, side] = nginx.spec.template.spec.containers;
    expect(main.securityContext.capabilities).toEqual({ drop: ['ALL'], add: ['NET_BIND_SERVICE'] });
    expect(side.securityContext.seccompProfile).toEqual({ type: 'Localhost', localhostProfile: 'profiles/sidecar.json' });
    expect(side.securityContext.capabilities).toEqual({ drop: ['ALL'] });
    expect(nginx.spec.template.spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
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
    expectProxyConf(parseNginxConf(nginxConf(manifests, stack)), `${stack.backendService.name}.\${NGINX_POD_NAMESPACE}.svc.cluster.local:3000`);
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
    expect(findOne(manifests, 'ConfigMap').data['nginx.conf.template']).toContain('set $backend http://shop-backend.${NGINX_POD_NAMESPACE}.svc.cluster.local:8080;');
  });

  test('fails when instanceName cannot start the object names', () => {
    const chart = newChart();
    expect(() => new ReverseProxyStack(chart, 'web', { instanceName: '1shop' }))
      .toThrow("ReverseProxyStack 'test/web': instanceName '1shop' cannot start the stack's object names (such as '1shop-backend'); use 1-55 characters of [a-z0-9-], starting with a letter");
  });
});

describe('ReverseProxyStack gateway and serviceType', () => {
  const GATEWAY = { parentRefs: [EDGE], hostnames: ['shop.example.com'] };

  test('instead of the node port: a ClusterIP Service for nginx and an HTTPRoute to it', () => {
    // GIVEN
    const chart = newChart();
    addGateway(chart);

    // WHEN
    const stack = new ReverseProxyStack(chart, 'web', { serviceType: ServiceKind.CLUSTER_IP, gateway: GATEWAY });

    // THEN
    const manifests = synth(chart);
    expect(stack.nginxService).toBeInstanceOf(ClusterIPService);
    expect(stack.nginxRoute!.node.id).toEqual('NginxRoute');
    expect(findOne(manifests, 'Service', stack.nginxService.name).spec).toEqual({
      type: 'ClusterIP',
      ports: [{ name: 'http', port: 80, targetPort: 8080 }],
      selector: findOne(manifests, 'Deployment', stack.nginx.name).spec.selector.matchLabels,
    });
    const route = findOne(manifests, 'HTTPRoute', stack.nginxRoute!.name);
    expect(route.metadata.labels).toEqual(findOne(manifests, 'Service', stack.nginxService.name).metadata.labels);
    expect(route.spec).toEqual({
      parentRefs: [EDGE],
      hostnames: ['shop.example.com'],
      rules: [{ backendRefs: [{ name: stack.nginxService.name, port: 80 }] }],
    });
    // the stack has no NetworkPolicy: the Gateway's data plane reaches nginx
    expect(manifests.filter(m => m.kind === 'NetworkPolicy')).toEqual([]);
    expect(ServiceWiringCheck.of(chart).findings).toEqual([]);
    expect(manifests).toMatchSnapshot();
  });

  test('as well as the node port, by default; a LoadBalancer on request', () => {
    // GIVEN
    const chart = newChart();
    addGateway(chart);

    // WHEN
    const nodePort = new ReverseProxyStack(chart, 'web', { nodePort: 30090, gateway: GATEWAY });
    const balanced = new ReverseProxyStack(chart, 'lb', { serviceType: ServiceKind.LOAD_BALANCER, nodePort: 30091 });

    // THEN
    const manifests = synth(chart);
    expect(nodePort.nginxService).toBeInstanceOf(NodePortService);
    expect(findOne(manifests, 'Service', nodePort.nginxService.name).spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 8080, nodePort: 30090 }]);
    expect(findOne(manifests, 'HTTPRoute').spec.rules).toEqual([{ backendRefs: [{ name: nodePort.nginxService.name, port: 80 }] }]);
    expect(balanced.nginxService).toBeInstanceOf(LoadBalancerService);
    expect(balanced.nginxRoute).toBeUndefined();
    expect(findOne(manifests, 'Service', balanced.nginxService.name).spec).toMatchObject({ type: 'LoadBalancer', ports: [{ port: 80, targetPort: 8080, nodePort: 30091 }] });
    expect(ServiceWiringCheck.of(chart).findings).toEqual([]);
  });

  test('with an instanceName, the route is named like the Service', () => {
    const chart = newChart();
    new ReverseProxyStack(chart, 'web', { instanceName: 'shop', serviceType: ServiceKind.CLUSTER_IP, gateway: GATEWAY });
    const manifests = synth(chart);
    expect(manifests.map(m => `${m.kind}/${m.metadata.name}`)).toEqual([
      'Deployment/shop-backend',
      'Service/shop-backend',
      'ConfigMap/shop-nginx',
      'Deployment/shop-nginx',
      'Service/shop-nginx',
      'HTTPRoute/shop-nginx',
    ]);
  });

  test('fails when serviceType cannot expose nginx', () => {
    const chart = newChart();
    expect(() => new ReverseProxyStack(chart, 'web', { serviceType: ServiceKind.HEADLESS }))
      .toThrow("ReverseProxyStack 'test/web': serviceType Headless cannot expose nginx; use ServiceKind.NODE_PORT, ServiceKind.LOAD_BALANCER or ServiceKind.CLUSTER_IP");
  });

  test('fails when a node port comes with a ClusterIP Service', () => {
    const chart = newChart();
    expect(() => new ReverseProxyStack(chart, 'web', { serviceType: ServiceKind.CLUSTER_IP, nodePort: 30090 }))
      .toThrow("ReverseProxyStack 'test/web': nodePort 30090 is set, but a ClusterIP Service has no node ports; drop it or use serviceType NODE_PORT or LOAD_BALANCER");
    expect(() => new ReverseProxyStack(newChart(), 'web', { serviceType: ServiceKind.CLUSTER_IP, nodePortRange: { min: 30000, max: 30100 } }))
      .toThrow("ReverseProxyStack 'test/web': nodePortRange is set, but a ClusterIP Service has no node ports");
  });

  test('fails when the gateway names no Gateway, in HttpRoute\'s words with the route\'s path', () => {
    const chart = newChart();
    expect(() => new ReverseProxyStack(chart, 'web', { gateway: { parentRefs: [] } }))
      .toThrow("HttpRoute 'test/web/NginxRoute': has no parentRefs; name the Gateway (or Gateways) the route attaches to");
  });
});
