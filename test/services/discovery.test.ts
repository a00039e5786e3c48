import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ClusterIPService, ExternalNameService, HeadlessService, NodePortService } from 'cdk8s-service-patterns';
import { findOne, newChart, synth, synthApp } from '../util';

describe('service discovery', () => {
  test('DNS names follow name and namespace', () => {
    // GIVEN
    const chart = newChart({ namespace: 'shop' });

    // WHEN
    const service = new ClusterIPService(chart, 'Db', {
      metadata: { name: 'mysql' },
      ports: [{ port: 3306, name: 'mysql' }, { port: 33060, name: 'x', protocol: kplus.Protocol.UDP }],
    });

    // THEN
    expect(service.namespace).toEqual('shop');
    expect(service.dnsName()).toEqual('mysql.shop.svc.cluster.local');
    expect(service.dnsName({ clusterDomain: 'corp.internal' })).toEqual('mysql.shop.svc.corp.internal');
    expect(service.dnsNames()).toEqual(['mysql', 'mysql.shop', 'mysql.shop.svc', 'mysql.shop.svc.cluster.local']);
    expect(service.srvRecordNames()).toEqual([
      '_mysql._tcp.mysql.shop.svc.cluster.local',
      '_x._udp.mysql.shop.svc.cluster.local',
    ]);
  });

  test('namespace defaults to default and the generated name is used', () => {
    const chart = newChart();
    const service = new ClusterIPService(chart, 'Db', { ports: [{ port: 3306 }] });
    expect(service.dnsName()).toEqual(`${service.name}.default.svc.cluster.local`);
    expect(service.name).toMatch(/^test-db-/);
  });

  test('hostName is the full name in a namespace, else the short name', () => {
    const namespaced = new ClusterIPService(newChart({ namespace: 'shop' }), 'Db', { metadata: { name: 'mysql' }, ports: [{ port: 3306 }] });
    expect(namespaced.hostName()).toEqual('mysql.shop.svc.cluster.local');
    expect(namespaced.hostName({ clusterDomain: 'corp.internal' })).toEqual('mysql.shop.svc.corp.internal');
    const own = new ClusterIPService(newChart(), 'Db', { metadata: { name: 'mysql', namespace: 'data' }, ports: [{ port: 3306 }] });
    expect(own.hostName()).toEqual('mysql.data.svc.cluster.local');
    const anywhere = new ClusterIPService(newChart(), 'Db', { metadata: { name: 'mysql' }, ports: [{ port: 3306 }] });
    expect(anywhere.hostName()).toEqual('mysql');
    expect(anywhere.dnsName()).toEqual('mysql.default.svc.cluster.local');
  });

  test('kubelet environment variable names', () => {
    const chart = newChart();
    const service = new NodePortService(chart, 'Db', {
      metadata: { name: 'my-sql' },
      ports: [{ port: 3306, name: 'mysql' }, { port: 9104, name: 'metrics' }],
    });
    expect(service.kubeletEnvVarNames()).toEqual([
      'MY_SQL_SERVICE_HOST',
      'MY_SQL_SERVICE_PORT',
      'MY_SQL_SERVICE_PORT_MYSQL',
      'MY_SQL_SERVICE_PORT_METRICS',
      'MY_SQL_PORT',
      'MY_SQL_PORT_3306_TCP',
      'MY_SQL_PORT_3306_TCP_PROTO',
      'MY_SQL_PORT_3306_TCP_PORT',
      'MY_SQL_PORT_3306_TCP_ADDR',
      'MY_SQL_PORT_9104_TCP',
      'MY_SQL_PORT_9104_TCP_PROTO',
      'MY_SQL_PORT_9104_TCP_PORT',
      'MY_SQL_PORT_9104_TCP_ADDR',
    ]);
  });

  test('no kubelet variables for headless and ExternalName Services', () => {
    const chart = newChart();
    expect(new HeadlessService(chart, 'H', { ports: [{ port: 80 }] }).kubeletEnvVarNames()).toEqual([]);
    expect(new ExternalNameService(chart, 'E', { externalName: 'a.example.com', ports: [{ port: 80 }] }).kubeletEnvVarNames()).toEqual([]);
  });

  test('bindEnv wires a consumer to the real name, and follows a rename', () => {
    // GIVEN
    const chart = newChart();
    const db = new ClusterIPService(chart, 'Db', { metadata: { name: 'wp-db' }, ports: [{ port: 3306, name: 'mysql' }] });
    const app = new kplus.Deployment(chart, 'App', { containers: [{ image: 'wordpress', portNumber: 80 }] });

    // WHEN
    db.bindEnv(app.containers[0], 'WORDPRESS_DB_HOST');
    db.bindEnv(app.containers[0], 'DB_ADDRESS', { port: 3306 });
    db.bindPortEnv(app.containers[0], 'DB_PORT', { portName: 'mysql' });

    // THEN
    const env = findOne(synth(chart), 'Deployment').spec.template.spec.containers[0].env;
    expect(env).toEqual([
      { name: 'WORDPRESS_DB_HOST', value: 'wp-db' },
      { name: 'DB_ADDRESS', value: 'wp-db:3306' },
      { name: 'DB_PORT', value: '3306' },
    ]);
  });

  test('fails when bindEnv names a port the Service lacks', () => {
    const chart = newChart();
    const db = new ClusterIPService(chart, 'Db', { ports: [{ port: 3306 }] });
    const app = new kplus.Deployment(chart, 'App', { containers: [{ image: 'wordpress' }] });
    expect(() => db.bindEnv(app.containers[0], 'DB', { port: 5432 })).toThrow(/bindEnv\('DB'\) port 5432 is not a port of this Service; use one of 3306/);
    expect(() => db.bindPortEnv(app.containers[0], 'DB_PORT', { portName: 'pg' })).toThrow(/needs a port named 'pg', but the Service has 3306/);
  });

  test('fails when the cluster domain is not a DNS name', () => {
    const chart = newChart();
    const db = new ClusterIPService(chart, 'Db', { ports: [{ port: 3306 }] });
    expect(() => db.dnsName({ clusterDomain: 'Cluster_Local' })).toThrow(/clusterDomain 'Cluster_Local' is not a valid DNS domain/);
  });

  describe('bindEnv resolves from where the consumer runs', () => {
    /** A Service `db` on 5432 in a chart with `serviceNamespace`, and a Deployment in one with `consumerNamespace`. */
    function twoCharts(serviceNamespace?: string, consumerNamespace?: string) {
      const app = Testing.app();
      const data = new Chart(app, 'data', { namespace: serviceNamespace });
      const shop = new Chart(app, 'shop', { namespace: consumerNamespace });
      const db = new ClusterIPService(data, 'Db', { metadata: { name: 'db' }, ports: [{ port: 5432, name: 'pg' }] });
      new kplus.Deployment(data, 'Postgres', { containers: [{ image: 'postgres', portNumber: 5432 }] }).podMetadata.addLabel('app', 'db');
      db.selectLabel('app', 'db');
      const client = new kplus.Deployment(shop, 'Client', { replicas: 1, containers: [{ image: 'client' }] });
      return { app, db, client };
    }

    function clientEnv(app: App, client: kplus.Deployment): unknown {
      return findOne(synthApp(app), 'Deployment', client.name).spec.template.spec.containers[0].env;
    }

    test.each([
      ['neither sets a namespace: the short name (both are applied to one namespace)', undefined, undefined, 'db:5432'],
      ['both in one namespace: the fully qualified name', 'shop', 'shop', 'db.shop.svc.cluster.local:5432'],
      ['in two namespaces: the fully qualified name', 'data', 'shop', 'db.data.svc.cluster.local:5432'],
      ['the Service in a namespace, the consumer in none: the fully qualified name', 'data', undefined, 'db.data.svc.cluster.local:5432'],
    ])('%s', (_, serviceNamespace, consumerNamespace, host) => {
      // GIVEN
      const { app, db, client } = twoCharts(serviceNamespace, consumerNamespace);

      // WHEN
      db.bindEnv(client.containers[0], 'DB_ADDRESS', { port: 5432 });
      db.bindPortEnv(client.containers[0], 'DB_PORT');

      // THEN
      expect(clientEnv(app, client)).toEqual([{ name: 'DB_ADDRESS', value: host }, { name: 'DB_PORT', value: '5432' }]);
      expect(db.hostNameFrom(client)).toEqual(host.replace(':5432', ''));
    });

    test('fails synth when the consumer has a namespace and the Service none', () => {
      // GIVEN
      const { app, db, client } = twoCharts(undefined, 'shop');

      // WHEN
      db.bindEnv(client.containers[0], 'DB_HOST');

      // THEN
      expect(() => app.synth()).toThrow("ClusterIPService 'data/Db': bindEnv('DB_HOST'): Deployment 'shop/Client' is in namespace 'shop', but this Service sets no namespace, so its short name 'db' resolves from there only if the Service is applied to 'shop' too; set the namespace of the Service's chart (or its metadata.namespace)");
      expect(() => db.hostNameFrom(client)).toThrow(/ClusterIPService 'data\/Db': hostNameFrom\(shop\/Client\): Deployment 'shop\/Client' is in namespace 'shop'/);
    });

    test('a container attached to its pod after bindEnv is resolved at synth', () => {
      // GIVEN
      const { app, db } = twoCharts(undefined, 'shop');
      const container = new kplus.Container({ image: 'client' });
      db.bindEnv(container, 'DB_HOST');

      // WHEN
      const late = new kplus.Deployment(app.charts[1], 'Late', { replicas: 1 });
      late.attachContainer(container);

      // THEN
      expect(() => synthApp(app)).toThrow(/bindEnv\('DB_HOST'\): Deployment 'shop\/Late' is in namespace 'shop'/);
    });

    test('an init container and a Job are consumers too', () => {
      // GIVEN
      const { app, db } = twoCharts('data', 'shop');
      const job = new kplus.Job(app.charts[1], 'Migrate', {});
      const init = job.addInitContainer({ image: 'migrate' });
      job.addContainer({ image: 'app' });

      // WHEN
      db.bindEnv(init, 'DB_HOST');

      // THEN
      expect(findOne(synthApp(app), 'Job').spec.template.spec.initContainers[0].env).toEqual([{ name: 'DB_HOST', value: 'db.data.svc.cluster.local' }]);
    });

    test('fails when the container runs in another app and the Service has no namespace', () => {
      // GIVEN
      const { db } = twoCharts();
      const other = new Chart(Testing.app(), 'other', { namespace: 'shop' });
      const elsewhere = new kplus.Deployment(other, 'Client', { replicas: 1, containers: [{ image: 'client' }] });

      // WHEN
      db.bindEnv(elsewhere.containers[0], 'DB_HOST');

      // THEN
      expect(() => Testing.synth(other)).toThrow(/bindEnv\('DB_HOST'\): the container is in no pod or workload of this Service's app, so the namespace it runs in is unknown/);
    });
  });
});
