import { ApiObject, App, Chart, ChartProps } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ExposedDeployment, ReverseProxyStack, ServiceKind } from 'cdk8s-service-patterns';
import { Construct } from 'constructs';

/**
 * The patterns behind a Gateway, one prop each: an ExposedDeployment reached through its `route`,
 * and a ReverseProxyStack reached only through its `gateway` (a ClusterIP Service, no node port).
 */
export class GatewayPatternsChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);

    // The Gateway, usually the platform team's: here so the checks and the traffic map see it. Its
    // listener admits the routes of its own namespace, for the hosts under example.org.
    new ApiObject(this, 'Gateway', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'public' },
      spec: {
        gatewayClassName: 'example',
        listeners: [{ name: 'http', port: 80, protocol: 'HTTP', hostname: '*.example.org', allowedRoutes: { namespaces: { from: 'Same' } } }],
      },
    });

    // docs.example.org: to the Deployment's ClusterIP Service, on its first TCP port (8080, the container's)
    new ExposedDeployment(this, 'Docs', {
      container: {
        // nginx built to run unprivileged: it listens on 8080 as user 101; temp files go to /tmp
        image: 'nginxinc/nginx-unprivileged:1.27.4',
        portNumber: 8080,
        volumeMounts: [{ path: '/tmp', volume: kplus.Volume.fromEmptyDir(this, 'DocsTmp', 'tmp') }],
      },
      replicas: 1,
      route: { parentRefs: [{ name: 'public' }], hostnames: ['docs.example.org'] },
    });

    // shop.example.org: to nginx, in front of Tomcat; the Gateway is the only way in
    new ReverseProxyStack(this, 'shop', {
      serviceType: ServiceKind.CLUSTER_IP,
      gateway: { parentRefs: [{ name: 'public' }], hostnames: ['shop.example.org'] },
    });
  }
}

if (require.main === module) {
  const app = new App();
  new GatewayPatternsChart(app, 'gateway-patterns');
  app.synth();
}
