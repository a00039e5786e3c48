import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { addExamples } from '../examples/app';
import { ExposedDeploymentChart } from '../examples/exposed-deployment/main';
import { NginxTomcatChart } from '../examples/nginx-tomcat/main';
import { ServicesChart } from '../examples/services/main';
import { ShorthandChart } from '../examples/shorthand/main';
import { StatefulSetChart } from '../examples/stateful-set/main';
import { WordPressChart } from '../examples/wordpress/main';
import { synthApp } from './util';

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
    expect(manifests.filter(m => m.kind === 'Service').map(m => m.spec.type).sort()).toEqual(['ClusterIP', 'ClusterIP', 'NodePort']);
    const client = manifests.find(m => m.kind === 'Deployment' && m.spec.template.spec.containers[0].env);
    expect(client.spec.template.spec.containers[0].env).toEqual([
      { name: 'WEB_HOST', value: 'web.default.svc.cluster.local' },
      { name: 'WEB_PORT', value: '80' },
    ]);
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
    expect(fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8')).toContain(`\`\`\`sh\n${generator.command[2]}\`\`\`\n`);
  });

  test('nginx-tomcat', () => {
    const app = new App({ outdir: 'unused' });
    new NginxTomcatChart(app, 'nginx-tomcat');
    const manifests = synthApp(app);
    expect(manifests.map(m => m.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'Deployment', 'Service', 'Service']);
    const backend = manifests.find(m => m.kind === 'Service' && m.spec.type === 'ClusterIP');
    const conf = manifests.find(m => m.kind === 'ConfigMap').data['nginx.conf'];
    expect(conf).toContain(`server ${backend.metadata.name}.default.svc.cluster.local:8080;`);
    expect(manifests.find(m => m.kind === 'Service' && m.spec.type === 'NodePort').spec.ports[0].nodePort).toEqual(30090);
  });
});
