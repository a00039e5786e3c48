import { App, Chart, ChartProps } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ExposedStatefulSet, ServiceExposure } from 'cdk8s-service-patterns';
import { Construct } from 'constructs';

/** redis in the official redis image (Debian). */
const REDIS_UID = 999;

/**
 * A three-pod StatefulSet governed by a headless Service, plus a ClusterIP Service for clients.
 */
export class StatefulSetChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);

    const cache = new ExposedStatefulSet(this, 'Cache', {
      container: {
        image: 'redis:7.2',
        ports: [{ number: 6379, name: 'redis' }],
        // cdk8s-plus defaults kept but for the user: the image has no USER (its entrypoint starts as
        // root and steps down to redis); runAsNonRoot needs a numeric non-root one: redis's own.
        securityContext: { user: REDIS_UID, group: REDIS_UID },
        // With the read-only root filesystem: redis saves its snapshots in its working directory,
        // /data. An emptyDir lives as long as the pod, which suits a cache; a database would claim a
        // PersistentVolume per pod.
        volumeMounts: [{ path: '/data', volume: kplus.Volume.fromEmptyDir(this, 'CacheData', 'data') }],
      },
      replicas: 3,
      publishNotReadyAddresses: true,
      services: [ServiceExposure.of({ metadata: { name: 'cache' } })],
    });

    // Every pod learns the stable DNS name of pod 0, e.g. to replicate from it.
    cache.statefulSet.containers[0].env.addVariable('PRIMARY_HOST', kplus.EnvValue.fromValue(cache.podDnsName(0)));
  }
}

if (require.main === module) {
  const app = new App();
  new StatefulSetChart(app, 'stateful-set');
  app.synth();
}
