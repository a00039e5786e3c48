import { App, ImplicitTokenResolver, LazyResolver, NumberStringUnionResolver } from 'cdk8s';
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

/** The labels of a pod template that the rules read. */
type LabelReader = (pod: kplus.AbstractPod) => Record<string, string>;

/**
 * Reads pod template labels for the keys some Service selects by: no rule reads the others, and
 * reading every label means a full resolve of the pod metadata (`toJson()`), about a third of the
 * validation's time. With only cdk8s' own resolvers a plain string resolves to itself, so such
 * labels are read as written; a Lazy value, or an app with resolvers of its own, goes through
 * `toJson()`.
 */
function labelReader(root: IConstruct, keys: Set<string>): LabelReader {
  const resolved: LabelReader = pod => pod.podMetadata.toJson().labels ?? {};
  const resolvers = root instanceof App ? root.resolvers : [];
  if (!resolvers.every(r => r instanceof LazyResolver || r instanceof ImplicitTokenResolver || r instanceof NumberStringUnionResolver)) {
    return resolved;
  }
  return pod => {
    const labels: Record<string, string> = {};
    for (const key of keys) {
      const value: unknown = pod.podMetadata.getLabel(key);
      if (typeof value === 'string') {
        labels[key] = value;
      } else if (value !== undefined) {
        return resolved(pod);
      }
    }
    return labels;
  };
}

function podTemplateOf(pod: kplus.AbstractPod, labels: LabelReader): PodTemplateInfo {
  return {
    ref: refOf(pod),
    labels: labels(pod),
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
 * The wiring model of every cdk8s-plus workload and Service under `root`. Pod template `labels`
 * hold the keys the Services select by (see `labelReader`).
 * @internal
 */
export function modelFromConstructs(root: IConstruct, constructs: IConstruct[] = root.node.findAll()): WiringModel {
  const model: WiringModel = { podTemplates: [], services: [], statefulSets: [], ingresses: [] };
  const pods: kplus.AbstractPod[] = [];
  for (const construct of constructs) {
    // most constructs are ApiObjects and plain constructs: one check skips them
    if (!(construct instanceof kplus.Resource)) {
      continue;
    }
    if (construct instanceof TypedService) {
      model.services.push(typedServiceInfo(construct));
    } else if (construct instanceof kplus.Service) {
      model.services.push(plainServiceInfo(construct));
    } else if (construct instanceof kplus.AbstractPod) {
      pods.push(construct);
    }
  }
  const selectorKeys = new Set<string>();
  for (const service of model.services) {
    for (const key of Object.keys(service.selector ?? {})) {
      selectorKeys.add(key);
    }
  }
  const labels = labelReader(root, selectorKeys);
  for (const pod of pods) {
    const template = podTemplateOf(pod, labels);
    model.podTemplates.push(template);
    if (pod instanceof kplus.StatefulSet) {
      model.statefulSets.push({ ref: refOf(pod), serviceName: pod.service.name, template });
    }
  }
  return model;
}
