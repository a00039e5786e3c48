import { ApiObject, App, Chart, ChartProps } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ExposedDeployment, HttpPathMatch, HttpRoute, ServiceExposure } from 'cdk8s-service-patterns';
import { Construct } from 'constructs';

/**
 * A shop behind a Gateway API HTTPRoute: `/api` goes to the API in its own namespace (the route
 * creates the ReferenceGrant that allows it), every other path to the web Deployment, with 10% of
 * the requests on its canary.
 */
export class GatewayRoutesChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);

    // The namespaces, first, so `kubectl apply` creates them before what goes in them. The
    // Gateway admits routes from the namespaces labelled gateway-access=true.
    new kplus.Namespace(this, 'Infra', { metadata: { name: 'infra' } });
    new kplus.Namespace(this, 'Shop', { metadata: { name: 'shop', labels: { 'gateway-access': 'true' } } });
    new kplus.Namespace(this, 'ShopApi', { metadata: { name: 'shop-api' } });

    // The Gateway, usually the platform team's: here so the checks and the traffic map see it.
    new ApiObject(this, 'Gateway', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'edge', namespace: 'infra' },
      spec: {
        gatewayClassName: 'example',
        listeners: [{
          name: 'http',
          port: 80,
          protocol: 'HTTP',
          hostname: '*.example.com',
          allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { 'gateway-access': 'true' } } } },
        }],
      },
    });

    const web = (deploymentId: string, name: string, namespace: string) => new ExposedDeployment(this, deploymentId, {
      metadata: { namespace },
      container: {
        // nginx built to run unprivileged: it listens on 8080 as user 101; temp files go to /tmp
        image: 'nginxinc/nginx-unprivileged:1.27.4',
        portNumber: 8080,
        volumeMounts: [{ path: '/tmp', volume: kplus.Volume.fromEmptyDir(this, `${deploymentId}Tmp`, 'tmp') }],
      },
      replicas: 1,
      services: [ServiceExposure.shorthand(['80:8080'], { metadata: { name } })],
    });
    const stable = web('Web', 'web', 'shop');
    const canary = web('WebCanary', 'web-canary', 'shop');
    const api = web('Api', 'api', 'shop-api');

    new HttpRoute(this, 'Route', {
      metadata: { name: 'shop', namespace: 'shop' },
      parentRefs: [{ name: 'edge', namespace: 'infra' }],
      hostnames: ['shop.example.com'],
      rules: [
        { matches: [{ path: HttpPathMatch.pathPrefix('/api') }], backends: [{ service: api.service }] },
        { backends: [{ service: stable.service, weight: 90 }, { service: canary.service, weight: 10 }] },
      ],
    });
  }
}

if (require.main === module) {
  const app = new App();
  new GatewayRoutesChart(app, 'gateway-routes');
  app.synth();
}
