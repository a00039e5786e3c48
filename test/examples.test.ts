import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { addExamples } from '../examples/app';
import { ExposedDeploymentChart } from '../examples/exposed-deployment/main';
import { GatewayPatternsChart } from '../examples/gateway-patterns/main';
import { GatewayRoutesChart } from '../examples/gateway-routes/main';
import { NginxTomcatChart } from '../examples/nginx-tomcat/main';
import { ServicesChart } from '../examples/services/main';
import { ShorthandChart } from '../examples/shorthand/main';
import { StatefulSetChart } from '../examples/stateful-set/main';
import { WordPressChart } from '../examples/wordpress/main';
import { synthApp } from './util';

/**
 * What the examples' images do, as far as running them goes: the numeric user runAsNonRoot needs
 * where the image's own USER is root or a name, the ports the image listens on, and the
 * directories it writes to (which need a volume on the read-only root filesystem).
 */
const IMAGES: Record<string, { user?: number; listens: number[]; writes: string[] }> = {
  // USER 101 (numeric); nginx on 8080, its pid file and temp files in /tmp
  'nginxinc/nginx-unprivileged:1.27.4': { listens: [8080], writes: ['/tmp'] },
  // USER curl_user, a name: uid 100, gid 101; a shell to exec into, serving nothing
  'curlimages/curl:8.8.0': { user: 100, listens: [], writes: [] },
  // no USER (the entrypoint starts as root and steps down to redis, 999); snapshots in /data
  'redis:7.2': { user: 999, listens: [6379], writes: ['/data'] },
};

/** The directories of a container backed by an emptyDir volume of its pod. */
function emptyDirMounts(pod: any, container: any): string[] {
  const emptyDirs = new Set((pod.volumes ?? []).filter((volume: any) => volume.emptyDir).map((volume: any) => volume.name));
  return (container.volumeMounts ?? []).filter((mount: any) => emptyDirs.has(mount.name)).map((mount: any) => mount.mountPath).sort();
}

// The examples are what the README shows; they must synthesize and pass the schema check.
describe('examples', () => {
  test('the whole examples app synthesizes, deterministically', () => {
    const build = () => {
      const app = new App({ outdir: 'unused' });
      addExamples(app);
      return JSON.stringify(synthApp(app));
    };
    expect(build()).toEqual(build());
  });

  test('the examples app writes the same bytes twice, and under the C and the Danish locale', () => {
    // GIVEN the app as `cdk8s synth` runs it (compiled by jest's global setup), in three processes
    const root = path.join(__dirname, '..');
    const locales = [{ LANG: 'C', LC_ALL: 'C' }, { LANG: 'C', LC_ALL: 'C' }, { LANG: 'da_DK.UTF-8', LC_ALL: 'da_DK.UTF-8' }];

    // WHEN
    const runs = locales.map(locale => {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'examples-locale-'));
      try {
        execFileSync(process.execPath, [path.join(root, 'scripts', 'run-examples.js')], {
          cwd: root,
          env: { ...process.env, ...locale, CDK8S_OUTDIR: out },
          stdio: 'pipe',
        });
        return Object.fromEntries(fs.readdirSync(out).sort().map(file => [file, fs.readFileSync(path.join(out, file), 'utf8')]));
      } finally {
        fs.rmSync(out, { recursive: true, force: true });
      }
    });

    // THEN
    expect(Object.keys(runs[0])).toEqual(expect.arrayContaining(['wordpress.k8s.yaml', 'wordpress.traffic.md', 'services.traffic.md']));
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
    // the Danish locale did reach the process: ICU sorts 'aa' after 'z' there (Node's ICU needs no installed locale)
    const danish = execFileSync(process.execPath, ['-e', "process.stdout.write(['aa', 'z'].sort((a, b) => a.localeCompare(b)).join())"], {
      env: { ...process.env, ...locales[2] },
    });
    expect(danish.toString()).toEqual('z,aa');
  }, 60_000);

  // Accepted by the API server is not enough: the pods must start and the Services must reach them.
  test.each([
    ['services', ServicesChart],
    ['exposed-deployment', ExposedDeploymentChart],
    ['stateful-set', StatefulSetChart],
    ['shorthand', ShorthandChart],
    ['gateway-routes', GatewayRoutesChart],
  ])('%s: every container would run, with the cdk8s-plus security defaults', (id, ChartClass) => {
    const app = new App({ outdir: 'unused' });
    new ChartClass(app, id);
    const workloads = synthApp(app).filter(m => m.spec?.template?.spec?.containers);
    expect(workloads.length).toBeGreaterThan(0);
    for (const workload of workloads) {
      const pod = workload.spec.template.spec;
      for (const container of pod.containers) {
        const where = `${workload.kind} ${workload.metadata.name} ${container.image}`;
        const image = IMAGES[container.image];
        expect(`${where}: ${image !== undefined}`).toEqual(`${where}: true`);
        expect(container.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
        expect(pod.securityContext.runAsNonRoot).toBe(true);
        expect([where, container.securityContext.runAsUser]).toEqual([where, image.user]);
        expect([where, emptyDirMounts(pod, container)]).toEqual([where, image.writes]);
        for (const port of container.ports ?? []) {
          expect([where, image.listens]).toEqual([where, expect.arrayContaining([port.containerPort])]);
        }
      }
    }
  });

  test('services', () => {
    const app = new App({ outdir: 'unused' });
    new ServicesChart(app, 'services');
    const kinds = synthApp(app).filter(m => m.kind === 'Service').map(m => m.spec.type);
    expect(kinds.sort()).toEqual(['ClusterIP', 'ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']);
  });

  test('exposed-deployment', () => {
    const app = new App({ outdir: 'unused' });
    new ExposedDeploymentChart(app, 'exposed-deployment');
    const manifests = synthApp(app);
    // the web pods behind a ClusterIP and a NodePort Service; the client, serving nothing, has none
    expect(manifests.filter(m => m.kind === 'Service').map(m => m.spec.type).sort()).toEqual(['ClusterIP', 'NodePort']);
    const client = manifests.find(m => m.kind === 'Deployment' && m.spec.template.spec.containers[0].env).spec.template.spec.containers[0];
    // the Service's real name, short or fully qualified
    expect(client.env[0].name).toEqual('WEB_HOST');
    expect(client.env[0].value).toEqual('web');
    expect(client.env[1]).toEqual({ name: 'WEB_PORT', value: '80' });
    // sleep in place of the image's entrypoint, which hands `args` to curl unless they name a command
    expect(client.command).toEqual(['sleep', 'infinity']);
    expect(client.args).toBeUndefined();
    // no probe on a port nothing listens on
    expect(client.ports).toBeUndefined();
    expect(client.startupProbe).toBeUndefined();
  });

  test('stateful-set', () => {
    const app = new App({ outdir: 'unused' });
    new StatefulSetChart(app, 'stateful-set');
    const manifests = synthApp(app);
    const sts = manifests.find(m => m.kind === 'StatefulSet');
    const headless = manifests.find(m => m.kind === 'Service' && m.spec.clusterIP === 'None');
    expect(sts.spec.serviceName).toEqual(headless.metadata.name);
    expect(sts.spec.template.spec.containers[0].env).toEqual([
      { name: 'PRIMARY_HOST', value: `${sts.metadata.name}-0.${headless.metadata.name}.default.svc.cluster.local` },
    ]);
  });

  test('shorthand', () => {
    const app = new App({ outdir: 'unused' });
    new ShorthandChart(app, 'shorthand');
    const services = synthApp(app).filter(m => m.kind === 'Service');
    expect(services.map(m => m.spec.type)).toEqual(['ClusterIP', 'NodePort', 'ExternalName']);
    expect(services.find(m => m.spec.type === 'NodePort').spec.ports).toEqual([{ name: '80-8080', port: 80, targetPort: 8080, nodePort: 30082, protocol: 'TCP' }]);
    // both ports of the ClusterIP Service reach the one port nginx listens on, by name and by number
    expect(services.find(m => m.spec.type === 'ClusterIP').spec.ports).toEqual([
      { name: '80-http', port: 80, targetPort: 'http', protocol: 'TCP' },
      { name: '8080', port: 8080, targetPort: 8080, protocol: 'TCP' },
    ]);
  });

  test('wordpress', () => {
    const app = new App({ outdir: 'unused' });
    new WordPressChart(app, 'wordpress');
    const manifests = synthApp(app);
    expect(manifests.map(m => m.kind).sort()).toEqual([
      'Deployment', 'Deployment', 'Job', 'NetworkPolicy', 'PersistentVolumeClaim', 'PersistentVolumeClaim', 'Role', 'RoleBinding',
      'Service', 'Service', 'ServiceAccount',
    ]);
    const web = manifests.find(m => m.kind === 'Service' && m.spec.type === 'NodePort');
    expect(web.spec.ports[0].nodePort).toEqual(30000);
    const wordpress = manifests.find(m => m.kind === 'Deployment' && m.spec.template.spec.containers[0].name === 'wordpress');
    const password = wordpress.spec.template.spec.containers[0].env.find((e: any) => e.name === 'WORDPRESS_DB_PASSWORD');
    expect(password.valueFrom.secretKeyRef).toEqual({ name: 'wordpress-blog-credentials', key: 'mysql-password' });
    const generator = manifests.find(m => m.kind === 'Job').spec.template.spec.containers[0];
    expect(generator.command[2]).toContain("name='wordpress-blog-credentials'");
    // the README shows the script as it is
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    expect(readme).toContain(`\`\`\`sh\n${generator.command[2]}\`\`\`\n`);
    // its upgrade and prune commands name this stack's real instance label and claims
    expect(readme).toContain(`-l app.kubernetes.io/instance=${wordpress.metadata.labels['app.kubernetes.io/instance']} \\\n`);
    for (const claim of manifests.filter(m => m.kind === 'PersistentVolumeClaim')) {
      expect(readme).toContain(`ClaimName: '${claim.metadata.name}'`);
    }
  });

  test('gateway-routes', () => {
    const app = new App({ outdir: 'unused' });
    new GatewayRoutesChart(app, 'gateway-routes');
    // synthApp checks the Gateway, the HTTPRoute and the ReferenceGrant against their CRDs (schema and CEL rules)
    const manifests = synthApp(app);
    // the namespaces first, so `kubectl apply -f` creates them before the objects in them
    expect(manifests.slice(0, 3).map(m => [m.kind, m.metadata.name])).toEqual([['Namespace', 'infra'], ['Namespace', 'shop'], ['Namespace', 'shop-api']]);
    expect(manifests.map(m => m.kind).sort()).toEqual([
      'Deployment', 'Deployment', 'Deployment', 'Gateway', 'HTTPRoute', 'Namespace', 'Namespace', 'Namespace', 'ReferenceGrant', 'Service', 'Service', 'Service',
    ]);
    const route = manifests.find(m => m.kind === 'HTTPRoute');
    expect(route.metadata).toEqual({ name: 'shop', namespace: 'shop' });
    expect(route.spec).toEqual({
      parentRefs: [{ name: 'edge', namespace: 'infra' }],
      hostnames: ['shop.example.com'],
      rules: [
        { matches: [{ path: { type: 'PathPrefix', value: '/api' } }], backendRefs: [{ name: 'api', namespace: 'shop-api', port: 80 }] },
        { backendRefs: [{ name: 'web', port: 80, weight: 90 }, { name: 'web-canary', port: 80, weight: 10 }] },
      ],
    });
    const grant = manifests.find(m => m.kind === 'ReferenceGrant');
    expect(grant.metadata.namespace).toEqual('shop-api');
    expect(grant.spec).toEqual({ from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'shop' }], to: [{ group: '', kind: 'Service', name: 'api' }] });
    // each Service selects its own Deployment's pods (stable and canary apart)
    const deployments = manifests.filter(m => m.kind === 'Deployment');
    for (const service of manifests.filter(m => m.kind === 'Service')) {
      const selected = deployments.filter(d => d.metadata.namespace === service.metadata.namespace
        && Object.entries(service.spec.selector).every(([k, v]) => d.spec.template.metadata.labels[k] === v));
      expect([service.metadata.name, selected.length]).toEqual([service.metadata.name, 1]);
    }
  });

  test('gateway-patterns', () => {
    const app = new App({ outdir: 'unused' });
    new GatewayPatternsChart(app, 'gateway-patterns');
    // synthApp checks the Gateway and the HTTPRoutes against their CRDs (schema and CEL rules)
    const manifests = synthApp(app);
    expect(manifests.map(m => m.kind).sort()).toEqual([
      'ConfigMap', 'Deployment', 'Deployment', 'Deployment', 'Gateway', 'HTTPRoute', 'HTTPRoute', 'Service', 'Service', 'Service',
    ]);
    // no node port: the Gateway is the only way in from outside
    expect(manifests.filter(m => m.kind === 'Service').map(m => m.spec.type)).toEqual(['ClusterIP', 'ClusterIP', 'ClusterIP']);
    const services = new Map(manifests.filter(m => m.kind === 'Service').map(m => [m.metadata.name, m]));
    const routes = manifests.filter(m => m.kind === 'HTTPRoute');
    expect(routes.map(route => route.spec.hostnames)).toEqual([['docs.example.org'], ['shop.example.org']]);
    for (const route of routes) {
      expect(route.spec.parentRefs).toEqual([{ name: 'public' }]);
      // each goes to a Service of the chart, on one of its ports
      const [backend] = route.spec.rules[0].backendRefs;
      expect(services.get(backend.name).spec.ports.map((p: any) => p.port)).toContain(backend.port);
    }
    // docs: the container's port; shop: nginx's Service, port 80
    expect(routes.map(route => route.spec.rules[0].backendRefs[0].port)).toEqual([8080, 80]);
  });

  test('nginx-tomcat', () => {
    const app = new App({ outdir: 'unused' });
    new NginxTomcatChart(app, 'nginx-tomcat');
    const manifests = synthApp(app);
    expect(manifests.map(m => m.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'Deployment', 'Service', 'Service']);
    const backend = manifests.find(m => m.kind === 'Service' && m.spec.type === 'ClusterIP');
    const conf = manifests.find(m => m.kind === 'ConfigMap').data['nginx.conf.template'];
    // the backend Service's real name, fully qualified (with the pod's namespace, the chart setting none)
    expect(conf).toContain(`set $backend http://${backend.metadata.name}.\${NGINX_POD_NAMESPACE}.svc.cluster.local:8080;`);
    expect(manifests.find(m => m.kind === 'Service' && m.spec.type === 'NodePort').spec.ports[0].nodePort).toEqual(30090);
  });
});
