import * as fs from 'fs';
import * as path from 'path';
import { celEnv, CelInput, isCelError, parse, plan } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import * as YAML from 'yaml';

// What a Kubernetes 1.27 API server with the Gateway API v1.6.1 CRDs (test/fixtures/gateway-api/)
// does with a Gateway API object on create: apply the schema's defaults, validate the object
// against the version's structural OpenAPI v3 schema (types, required, enum, pattern, lengths,
// item counts, bounds, list-type uniqueness; unknown fields are errors, as with kubectl's strict
// field validation), and evaluate its CEL rules (x-kubernetes-validations) with @bufbuild/cel, a
// conformance-tested CEL implementation with RE2 regular expressions and the strings extension
// (`split`) Kubernetes adds. Transition rules (oldSelf) only apply to updates and are skipped.
// `metadata` is ObjectMeta, which the caller checks against the Kubernetes schema.

/** The subset of a structural schema the CRDs use. */
interface CrdSchema {
  type?: string;
  format?: string;
  properties?: Record<string, CrdSchema>;
  additionalProperties?: CrdSchema | boolean;
  items?: CrdSchema;
  required?: string[];
  enum?: unknown[];
  pattern?: string;
  maxLength?: number;
  minLength?: number;
  maxItems?: number;
  minItems?: number;
  maxProperties?: number;
  minimum?: number;
  maximum?: number;
  default?: unknown;
  nullable?: boolean;
  'x-kubernetes-validations'?: { rule: string; message?: string; messageExpression?: string }[];
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
}

const CRD_DIR = path.join(__dirname, 'fixtures', 'gateway-api');

/** The schema of each served version, by `<apiVersion>/<kind>`. */
const SCHEMAS = new Map<string, CrdSchema>();
for (const file of fs.readdirSync(CRD_DIR).filter(name => name.endsWith('.yaml')).sort()) {
  const crd = YAML.parse(fs.readFileSync(path.join(CRD_DIR, file), 'utf8'));
  for (const version of crd.spec.versions) {
    if (version.served) {
      SCHEMAS.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, version.schema.openAPIV3Schema);
    }
  }
}

/** The `<apiVersion>/<kind>` keys the CRDs serve, e.g. `gateway.networking.k8s.io/v1/HTTPRoute`. */
export const GATEWAY_API_KINDS = [...SCHEMAS.keys()];

/** Every CEL rule of the served versions, once. */
export const CEL_RULES: string[] = [...new Set([...SCHEMAS.values()].flatMap(function rules(schema: CrdSchema): string[] {
  return [
    ...(schema['x-kubernetes-validations'] ?? []).map(validation => validation.rule),
    ...Object.values(schema.properties ?? {}).flatMap(rules),
    ...(schema.items !== undefined ? rules(schema.items) : []),
    ...(typeof schema.additionalProperties === 'object' ? rules(schema.additionalProperties) : []),
  ];
}))];

const INT32 = { min: -2147483648, max: 2147483647 };

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function childSchema(schema: CrdSchema, key: string): CrdSchema | undefined {
  return schema.properties?.[key] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
}

/** The API server's structural defaulting: a missing property with a default gets it, then its own defaults. */
function applyDefaults(value: unknown, schema: CrdSchema): void {
  if (Array.isArray(value)) {
    value.forEach(item => applyDefaults(item, schema.items ?? {}));
    return;
  }
  if (!isObject(value)) {
    return;
  }
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    if (value[key] === undefined && property.default !== undefined) {
      value[key] = structuredClone(property.default);
    }
  }
  for (const [key, child] of Object.entries(value)) {
    const sub = childSchema(schema, key);
    if (sub !== undefined) {
      applyDefaults(child, sub);
    }
  }
}

/** Go's `len([]rune(s))`: what maxLength counts. */
function runes(value: string): number {
  return [...value].length;
}

const PATTERNS = new Map<string, RegExp>();
function pattern(source: string): RegExp {
  let compiled = PATTERNS.get(source);
  if (compiled === undefined) {
    compiled = new RegExp(source);
    PATTERNS.set(source, compiled);
  }
  return compiled;
}

function structural(value: unknown, schema: CrdSchema, at: string, errors: string[]): void {
  if (value === null) {
    if (!schema.nullable) {
      errors.push(`${at}: null is not allowed`);
    }
    return;
  }
  if (schema['x-kubernetes-int-or-string']) {
    if (!(typeof value === 'string' || Number.isInteger(value))) {
      errors.push(`${at}: expected an integer or a string, got ${JSON.stringify(value)}`);
    }
    return;
  }
  if (schema.enum !== undefined && !schema.enum.includes(value)) {
    errors.push(`${at}: Unsupported value ${JSON.stringify(value)}: supported values: ${schema.enum.map(v => JSON.stringify(v)).join(', ')}`);
  }
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') {
        errors.push(`${at}: expected a string, got ${JSON.stringify(value)}`);
        return;
      }
      if (schema.maxLength !== undefined && runes(value) > schema.maxLength) {
        errors.push(`${at}: Too long: may not be longer than ${schema.maxLength}`);
      }
      if (schema.minLength !== undefined && runes(value) < schema.minLength) {
        errors.push(`${at}: Invalid value: should be at least ${schema.minLength} chars long`);
      }
      if (schema.pattern !== undefined && !pattern(schema.pattern).test(value)) {
        errors.push(`${at}: Invalid value ${JSON.stringify(value)}: should match '${schema.pattern}'`);
      }
      return;
    case 'integer':
    case 'number':
      if (typeof value !== 'number' || (schema.type === 'integer' && !Number.isInteger(value))) {
        errors.push(`${at}: expected ${schema.type === 'integer' ? 'an integer' : 'a number'}, got ${JSON.stringify(value)}`);
        return;
      }
      if (schema.format === 'int32' && (value < INT32.min || value > INT32.max)) {
        errors.push(`${at}: ${value} is not an int32`);
      }
      if (schema.minimum !== undefined && value < schema.minimum) {
        errors.push(`${at}: Invalid value: ${value}: should be greater than or equal to ${schema.minimum}`);
      }
      if (schema.maximum !== undefined && value > schema.maximum) {
        errors.push(`${at}: Invalid value: ${value}: should be less than or equal to ${schema.maximum}`);
      }
      return;
    case 'boolean':
      if (typeof value !== 'boolean') {
        errors.push(`${at}: expected a boolean, got ${JSON.stringify(value)}`);
      }
      return;
    case 'array':
      if (!Array.isArray(value)) {
        errors.push(`${at}: expected an array, got ${JSON.stringify(value)}`);
        return;
      }
      if (schema.maxItems !== undefined && value.length > schema.maxItems) {
        errors.push(`${at}: Too many: ${value.length}: must have at most ${schema.maxItems} items`);
      }
      if (schema.minItems !== undefined && value.length < schema.minItems) {
        errors.push(`${at}: Invalid value: should have at least ${schema.minItems} items`);
      }
      listUniqueness(value, schema, at, errors);
      value.forEach((item, i) => structural(item, schema.items ?? {}, `${at}[${i}]`, errors));
      return;
    case 'object':
      break;
    default:
      return;
  }
  if (!isObject(value)) {
    errors.push(`${at}: expected an object, got ${JSON.stringify(value)}`);
    return;
  }
  for (const required of schema.required ?? []) {
    if (value[required] === undefined) {
      errors.push(`${at}.${required}: Required value`);
    }
  }
  if (schema.maxProperties !== undefined && Object.keys(value).length > schema.maxProperties) {
    errors.push(`${at}: Too many: must have at most ${schema.maxProperties} properties`);
  }
  for (const [key, child] of Object.entries(value)) {
    const sub = childSchema(schema, key);
    if (sub !== undefined) {
      structural(child, sub, `${at}.${key}`, errors);
    } else if (!schema['x-kubernetes-preserve-unknown-fields']) {
      errors.push(`${at}.${key}: unknown field`);
    }
  }
}

/** `x-kubernetes-list-type: set` (unique items) and `map` (unique keys). */
function listUniqueness(items: unknown[], schema: CrdSchema, at: string, errors: string[]): void {
  const type = schema['x-kubernetes-list-type'];
  if (type !== 'set' && type !== 'map') {
    return;
  }
  const keys = schema['x-kubernetes-list-map-keys'] ?? [];
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const key = type === 'set' ? JSON.stringify(item) : JSON.stringify(keys.map(k => (isObject(item) ? item[k] : undefined)));
    if (seen.has(key)) {
      errors.push(`${at}[${i}]: Duplicate value: ${key}`);
    }
    seen.add(key);
  });
}

/** CEL's reserved words, which Kubernetes escapes in property names as `__<word>__`. */
const CEL_RESERVED = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);

/** How Kubernetes names a property in CEL (k8s.io/apiserver/pkg/cel escaping.go Escape). */
function celName(property: string): string {
  if (CEL_RESERVED.has(property)) {
    return `__${property}__`;
  }
  return property.replace(/__/g, '__underscores__').replace(/\./g, '__dot__').replace(/-/g, '__dash__').replace(/\//g, '__slash__');
}

/** A JSON value as Kubernetes hands it to CEL: integers as int, objects as maps (escaped property names). */
function celValue(value: unknown, schema: CrdSchema): CelInput {
  if (Array.isArray(value)) {
    return value.map(item => celValue(item, schema.items ?? {}));
  }
  if (isObject(value)) {
    const map = new Map<string, CelInput>();
    for (const [key, child] of Object.entries(value)) {
      const property = schema.properties?.[key];
      if (property !== undefined) {
        map.set(celName(key), celValue(child, property));
      } else if (typeof schema.additionalProperties === 'object') {
        map.set(key, celValue(child, schema.additionalProperties));
      }
    }
    return map;
  }
  if (typeof value === 'number' && schema.type === 'integer') {
    return BigInt(value);
  }
  return value as CelInput;
}

const ENV = celEnv({ funcs: strings });
const PROGRAMS = new Map<string, ReturnType<typeof plan>>();

/** The rule compiled (parsed and planned) by @bufbuild/cel; throws when it cannot be. */
export function program(rule: string): ReturnType<typeof plan> {
  let compiled = PROGRAMS.get(rule);
  if (compiled === undefined) {
    compiled = plan(ENV, parse(rule));
    PROGRAMS.set(rule, compiled);
  }
  return compiled;
}

function celRules(value: unknown, schema: CrdSchema, at: string, errors: string[]): void {
  if (value === undefined || value === null) {
    return;
  }
  for (const validation of schema['x-kubernetes-validations'] ?? []) {
    if (/\boldSelf\b/.test(validation.rule)) {
      continue; // a transition rule: it only applies to updates
    }
    const result = program(validation.rule)({ self: celValue(value, schema) });
    if (isCelError(result)) {
      errors.push(`${at}: Invalid value: rule ${JSON.stringify(validation.rule)} failed to evaluate: ${result.message}`);
    } else if (result !== true) {
      errors.push(`${at}: Invalid value: ${validation.message ?? `failed rule: ${validation.rule}`}`);
    }
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => celRules(item, schema.items ?? {}, `${at}[${i}]`, errors));
  } else if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      const sub = childSchema(schema, key);
      if (sub !== undefined) {
        celRules(child, sub, `${at}.${key}`, errors);
      }
    }
  }
}

/**
 * The errors a 1.27 API server with the Gateway API CRDs reports on creating `manifest` (apart from
 * its metadata); undefined when the CRDs do not serve its apiVersion and kind.
 */
export function gatewayApiErrors(manifest: Record<string, unknown>): string[] | undefined {
  const schema = SCHEMAS.get(`${manifest.apiVersion}/${manifest.kind}`);
  if (schema === undefined) {
    return undefined;
  }
  const at = `${manifest.kind}/${isObject(manifest.metadata) ? manifest.metadata.name : undefined}`;
  // as written: a JSON round trip drops undefined fields
  const defaulted = JSON.parse(JSON.stringify(manifest));
  applyDefaults(defaulted, schema);
  const errors: string[] = [];
  const { metadata, ...rest } = defaulted;
  structural(rest, { ...schema, properties: { ...schema.properties, metadata: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }, at, errors);
  celRules(rest, schema, at, errors);
  return errors;
}
