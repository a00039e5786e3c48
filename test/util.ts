import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Testing, Yaml } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ExposedDeployment, ExposedStatefulSet, ReverseProxyStack, ServiceWiringCheck, WordPressStack } from '../src';
import { isDns1123Label, isDns1123Subdomain } from '../src/services/kubernetes-names';
import { runRules } from '../src/validation/engine';
import { SERVICE_SPEC_RULES } from '../src/validation/service-spec-rules';
import { gatewayApiErrors } from './gateway-api-schema';
import * as definitions from './k8s-schema/definitions-1.27.json';
import { restrictedPodViolations } from './pod-security';

// The shared test helper: synthesize a chart as `cdk8s synth` would (validations first) and check
// every object against the Kubernetes 1.27 OpenAPI schema, strictly (unknown fields are errors),
// every pod the library's patterns create against the Pod Security Standard "restricted",
// and Gateway API objects against their CRDs' schemas and CEL rules (gateway-api-schema.ts).

type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  required?: string[];
  items?: Schema;
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[];
};

const DEFS = (definitions as unknown as { definitions: Record<string, Schema> }).definitions;
const BY_GVK = new Map<string, Schema>();
for (const schema of Object.values(DEFS)) {
  for (const gvk of schema['x-kubernetes-group-version-kind'] ?? []) {
    const apiVersion = gvk.group === '' ? gvk.version : `${gvk.group}/${gvk.version}`;
    BY_GVK.set(`${apiVersion}/${gvk.kind}`, schema);
  }
}

function check(value: unknown, schema: Schema, path: string, errors: string[]): void {
  if (schema.$ref !== undefined) {
    const target = DEFS[schema.$ref.replace('#/definitions/', '')];
    if (target === undefined) {
      errors.push(`${path}: schema reference ${schema.$ref} not found`);
      return;
    }
    check(value, target, path, errors);
    return;
  }
  if (schema.format === 'int-or-string') {
    if (!(typeof value === 'string' || Number.isInteger(value))) {
      errors.push(`${path}: expected an integer or a string, got ${JSON.stringify(value)}`);
    }
    return;
  }
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') errors.push(`${path}: expected a string, got ${JSON.stringify(value)}`);
      return;
    case 'integer':
      if (!Number.isInteger(value)) errors.push(`${path}: expected an integer, got ${JSON.stringify(value)}`);
      return;
    case 'number':
      if (typeof value !== 'number') errors.push(`${path}: expected a number, got ${JSON.stringify(value)}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') errors.push(`${path}: expected a boolean, got ${JSON.stringify(value)}`);
      return;
    case 'array':
      if (!Array.isArray(value)) {
        errors.push(`${path}: expected an array, got ${JSON.stringify(value)}`);
        return;
      }
      value.forEach((item, i) => check(item, schema.items ?? {}, `${path}[${i}]`, errors));
      return;
    case 'object':
      break;
    default:
      return; // no type: any value (e.g. RawExtension)
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    errors.push(`${path}: expected an object, got ${JSON.stringify(value)}`);
    return;
  }
  const record = value as Record<string, unknown>;
  for (const required of schema.required ?? []) {
    if (record[required] === undefined) errors.push(`${path}.${required}: required field missing`);
  }
  for (const [key, child] of Object.entries(record)) {
    const prop = schema.properties?.[key];
    if (prop !== undefined) {
      check(child, prop, `${path}.${key}`, errors);
    } else if (typeof schema.additionalProperties === 'object') {
      check(child, schema.additionalProperties, `${path}.${key}`, errors);
    } else if (schema.properties !== undefined || schema.additionalProperties === false) {
      errors.push(`${path}.${key}: unknown field`);
    }
  }
}

/**
 * The schema errors of one Kubernetes object (empty when it is valid).
 */
export function schemaErrors(manifest: any): string[] {
  const crdErrors = manifest !== null && typeof manifest === 'object' ? gatewayApiErrors(manifest) : undefined;
  if (crdErrors !== undefined) {
    // a custom resource: ObjectMeta, and a name that is a DNS-1123 subdomain
    const errors = [...crdErrors];
    const where = `${manifest.kind}/${manifest.metadata?.name}`;
    check(manifest.metadata, { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }, `${where}.metadata`, errors);
    if (!isDns1123Subdomain(String(manifest.metadata?.name ?? ''))) {
      errors.push(`${where}.metadata.name: Invalid value: not a DNS-1123 subdomain`);
    }
    if (manifest.metadata?.namespace !== undefined && !isDns1123Label(String(manifest.metadata.namespace))) {
      errors.push(`${where}.metadata.namespace: Invalid value: not a DNS-1123 label`);
    }
    return errors;
  }
  const schema = BY_GVK.get(`${manifest?.apiVersion}/${manifest?.kind}`);
  if (schema === undefined) {
    return [`${manifest?.apiVersion}/${manifest?.kind}: no such kind in Kubernetes 1.27`];
  }
  const errors: string[] = [];
  check(manifest, schema, `${manifest.kind}/${manifest.metadata?.name}`, errors);
  return errors;
}

/**
 * The rules that stand for the API server's own validation of a Service, and duplicate objects.
 * Not node-port-out-of-range: the range is the cluster's, and tests give typed Services others.
 */
const API_SERVER_RULES = new Set([...SERVICE_SPEC_RULES.map(rule => rule.id), 'duplicate-object']);
API_SERVER_RULES.delete('node-port-out-of-range');

/**
 * The findings of the engine's Service spec rules (what a 1.27 API server rejects) and of
 * duplicate-object over the objects: what the library builds must pass them.
 */
function apiServerErrors(manifests: any[]): string[] {
  return runRules(manifests.map((manifest, i) => ({ manifest, source: `#${i}` })))
    .filter(finding => API_SERVER_RULES.has(finding.rule))
    .map(finding => `${finding.message} [${finding.rule}]`);
}

/**
 * Throws when any object fails the Kubernetes 1.27 schema, or a Service the API server's
 * validation (the engine's Service spec rules).
 */
export function expectSchemaValid(manifests: any[]): void {
  const errors = [...manifests.flatMap(schemaErrors), ...apiServerErrors(manifests)];
  if (errors.length > 0) {
    throw new Error(`objects fail the Kubernetes 1.27 schema:\n  ${errors.join('\n  ')}`);
  }
}

/** The constructs of this library that create pods: everything they create must be admitted under "restricted". */
const PATTERNS = [ExposedDeployment, ExposedStatefulSet, ReverseProxyStack, WordPressStack];

/**
 * The manifests among `manifests` of the objects the library's patterns under `scope` create.
 */
export function libraryObjects(scope: IConstruct, manifests: any[]): any[] {
  const created = new Set(scope.node.findAll()
    .filter(construct => PATTERNS.some(pattern => construct instanceof pattern))
    .flatMap(pattern => pattern.node.findAll().filter(ApiObject.isApiObject))
    .map(object => `${object.kind}/${object.name}`));
  return manifests.filter(manifest => created.has(`${manifest.kind}/${manifest.metadata?.name}`));
}

/**
 * Throws when a pod template the library's patterns create under `scope` would not be admitted in a
 * namespace that enforces the "restricted" Pod Security Standard (v1.27).
 */
export function expectLibraryPodsRestricted(scope: IConstruct, manifests: any[]): void {
  const violations = restrictedPodViolations(libraryObjects(scope, manifests));
  if (violations.length > 0) {
    throw new Error(`pods the library creates violate Pod Security "restricted":\n  ${violations.join('\n  ')}`);
  }
}

/**
 * Run the validations of every construct under `root`, as `cdk8s synth` does, and throw their
 * errors in cdk8s' own format.
 */
export function validate(root: IConstruct): void {
  const errors: string[] = [];
  for (const child of root.node.findAll()) {
    for (const error of child.node.validate()) {
      errors.push(`[${child.node.path}] ${error}`);
    }
  }
  if (errors.length > 0) {
    throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  }
}

/**
 * Synthesize a chart like `cdk8s synth`: the app's validations first, then every object, each
 * checked against the Kubernetes 1.27 schema.
 */
export function synth(chart: Chart): any[] {
  validate(chart.node.root);
  const manifests = Testing.synth(chart);
  expectSchemaValid(manifests);
  expectLibraryPodsRestricted(chart, manifests);
  return manifests;
}

/**
 * Synthesize every chart of an app (validations, then schema check), in order.
 */
export function synthApp(app: App): any[] {
  validate(app);
  const manifests = app.charts.flatMap(chart => Testing.synth(chart));
  expectSchemaValid(manifests);
  expectLibraryPodsRestricted(app, manifests);
  return manifests;
}

/**
 * A fresh chart in a fresh app.
 */
export function newChart(props: { namespace?: string } = {}): Chart {
  return new Chart(Testing.app(), 'test', props);
}

/** The Gateway `addGateway` adds, as a parentRef. */
export const EDGE = { name: 'edge', namespace: 'infra' };

/**
 * The platform team's Gateway of the route tests, `edge` (in `infra` by default): one HTTP listener
 * for *.example.com, admitting the routes of every namespace.
 */
export function addGateway(chart: Chart, namespace: string = EDGE.namespace): ApiObject {
  return new ApiObject(chart, 'Gateway', {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: EDGE.name, namespace },
    spec: {
      gatewayClassName: 'example',
      listeners: [{ name: 'http', port: 80, protocol: 'HTTP', hostname: '*.example.com', allowedRoutes: { namespaces: { from: 'All' } } }],
    },
  });
}

/**
 * A fresh chart for tests of a Service on its own: the synth-time wiring check does not report
 * that its selector matches no pod template (its pods are not what such a test is about).
 */
export function serviceOnlyChart(props: { namespace?: string } = {}): Chart {
  const chart = newChart(props);
  ServiceWiringCheck.of(chart).disableRule('service-selects-nothing');
  return chart;
}

/**
 * The one object of this kind (and name, when given); fails when there is not exactly one.
 */
export function findOne(manifests: any[], kind: string, name?: string): any {
  const found = manifests.filter(m => m.kind === kind && (name === undefined || m.metadata?.name === name));
  if (found.length !== 1) {
    throw new Error(`expected one ${kind}${name ? ` named ${name}` : ''}, found ${found.length}`);
  }
  return found[0];
}

/**
 * The files of a Helm chart's templates/ (`cdk8s synth --format helm`) that Helm cannot take for
 * manifests: not YAML, or with a document without apiVersion or kind.
 */
export function notManifests(templates: string): string[] {
  return fs.readdirSync(templates).sort().filter(file => {
    try {
      return Yaml.load(path.join(templates, file)).some(doc => typeof doc?.apiVersion !== 'string' || typeof doc?.kind !== 'string');
    } catch {
      return true;
    }
  });
}
