import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { TypedService } from '../services/typed-service';
import { ObjectRef } from './finding';
import { PodTemplateInfo, ServiceInfo, WiringModel } from './model';

// Builds the wiring model from a construct tree, without synthesizing it: one walk over the
// tree, reading what the cdk8s-plus objects already hold.

function refOf(resource: kplus.Resource): ObjectRef {
  return {
    kind: resource.kind,
    name: resource.name,
    namespace: resource.metadata.namespace ?? 'default',
    constructPath: resource.node.path,
  };
}

function podTemplateOf(pod: kplus.AbstractPod): PodTemplateInfo {
  return {
    ref: refOf(pod),
    labels: pod.podMetadata.toJson().labels ?? {},
    ports: pod.containers.flatMap(container => container.ports.map(port => ({
      name: port.name,
      containerPort: port.number,
      protocol: port.protocol ?? kplus.Protocol.TCP,
    }))),
    env: [],
  };
}

function typedServiceInfo(service: TypedService): ServiceInfo {
  return {
    ref: refOf(service),
    type: service.type,
    headless: service.clusterIP === 'None',
    selector: service.selectorLabels,
    ports: service.portMappings.map(mapping => ({
      name: mapping.name,
      port: mapping.port,
      targetPort: mapping.targetPortName ?? mapping.targetPort ?? mapping.port,
      nodePort: mapping.nodePort,
      protocol: mapping.protocol ?? kplus.Protocol.TCP,
    })),
    // A selector built from a workload of this app must match it; a label query may target pods
    // that live outside the app, so it is not reported.
    checkSelector: service.selectors.some(selector => selector instanceof kplus.AbstractPod),
  };
}

function plainServiceInfo(service: kplus.Service): ServiceInfo {
  // cdk8s-plus keeps the selector private; its own spec builder returns it (and throws on a
  // Service it could not synthesize anyway, which synth reports, so skip those here).
  const renderable = service.type === kplus.ServiceType.EXTERNAL_NAME
    ? service.externalName !== undefined
    : service.ports.length > 0;
  return {
    ref: refOf(service),
    type: service.type,
    headless: service.clusterIP === 'None',
    selector: renderable ? service._toKube().selector : undefined,
    ports: service.ports.map(port => ({
      name: port.name,
      port: port.port,
      targetPort: port.targetPort ?? port.port,
      nodePort: port.nodePort,
      protocol: port.protocol ?? kplus.Protocol.TCP,
    })),
    checkSelector: false,
  };
}

/**
 * The wiring model of every cdk8s-plus workload and Service under `root`.
 * @internal
 */
export function modelFromConstructs(root: IConstruct): WiringModel {
  const model: WiringModel = { podTemplates: [], services: [], statefulSets: [], ingresses: [] };
  const statefulSets: kplus.StatefulSet[] = [];
  const templates = new Map<kplus.AbstractPod, PodTemplateInfo>();
  for (const construct of root.node.findAll()) {
    if (construct instanceof TypedService) {
      model.services.push(typedServiceInfo(construct));
    } else if (construct instanceof kplus.Service) {
      model.services.push(plainServiceInfo(construct));
    } else if (construct instanceof kplus.AbstractPod) {
      const template = podTemplateOf(construct);
      templates.set(construct, template);
      model.podTemplates.push(template);
      if (construct instanceof kplus.StatefulSet) {
        statefulSets.push(construct);
      }
    }
  }
  for (const sts of statefulSets) {
    model.statefulSets.push({ ref: refOf(sts), serviceName: sts.service.name, template: templates.get(sts)! });
  }
  return model;
}
