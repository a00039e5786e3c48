import { CEL_RULES, GATEWAY_API_KINDS, program } from './gateway-api-schema';
import { expectSchemaValid, schemaErrors } from './util';

// The schema check itself must catch what the API server rejects.
describe('schema helper', () => {
  const service = (spec: any) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec });

  test('accepts a valid Service', () => {
    expect(schemaErrors(service({ ports: [{ port: 80, targetPort: 'http' }] }))).toEqual([]);
  });

  test('rejects an unknown field', () => {
    expect(schemaErrors(service({ clusterIp: 'None' }))).toEqual(['Service/x.spec.clusterIp: unknown field']);
  });

  test('rejects a wrong type and a missing required field', () => {
    expect(schemaErrors(service({ ports: [{ port: '80' }, { name: 'a' }] }))).toEqual([
      'Service/x.spec.ports[0].port: expected an integer, got "80"',
      'Service/x.spec.ports[1].port: required field missing',
    ]);
  });

  test('rejects an unknown kind', () => {
    expect(() => expectSchemaValid([{ apiVersion: 'v1', kind: 'Servise' }])).toThrow(/no such kind in Kubernetes 1.27/);
  });
});

// The Gateway API check (gateway-api-schema.ts) must catch what a 1.27 API server with the v1.6.1
// CRDs rejects: the structural schema after defaulting, and the CEL rules.
describe('schema helper: Gateway API kinds', () => {
  const route = (spec: any, metadata: any = { name: 'shop', namespace: 'shop' }) => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata, spec });
  const valid = { parentRefs: [{ name: 'edge', namespace: 'infra' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] };

  test('accepts a valid HTTPRoute, Gateway, GRPCRoute and ReferenceGrant (v1 and v1beta1)', () => {
    expect(schemaErrors(route(valid))).toEqual([]);
    expect(schemaErrors({
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'edge' },
      spec: { gatewayClassName: 'envoy', listeners: [{ name: 'https', port: 443, protocol: 'HTTPS', hostname: '*.example.com', tls: { certificateRefs: [{ name: 'tls' }] } }] },
    })).toEqual([]);
    expect(schemaErrors({
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GRPCRoute', metadata: { name: 'g' },
      spec: { rules: [{ matches: [{ method: { service: 'shop.v1.Cart', method: 'Add' } }], backendRefs: [{ name: 'cart', port: 9090 }] }] },
    })).toEqual([]);
    for (const version of ['v1', 'v1beta1']) {
      expect(schemaErrors({
        apiVersion: `gateway.networking.k8s.io/${version}`, kind: 'ReferenceGrant', metadata: { name: 'g', namespace: 'data' },
        spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'shop' }], to: [{ group: '', kind: 'Service' }] },
      })).toEqual([]);
    }
  });

  test('rejects unknown fields, wrong types, patterns, enums, lengths, counts and bounds', () => {
    expect(schemaErrors(route({
      parentRefs: [{ name: 'edge', namespace: 'Infra', port: 70000 }],
      hostnames: ['Shop.example.com'],
      rules: [{ backendRefs: [{ name: 'web', port: '80', weight: -1 }], matches: [{ path: { type: 'Prefix', value: '/' } }], timeout: '1s' }],
      extra: true,
    }, { name: 'shop', labelz: {} }))).toEqual([
      'HTTPRoute/shop.spec.parentRefs[0].namespace: Invalid value "Infra": should match \'^[a-z0-9]([-a-z0-9]*[a-z0-9])?$\'',
      'HTTPRoute/shop.spec.parentRefs[0].port: Invalid value: 70000: should be less than or equal to 65535',
      'HTTPRoute/shop.spec.hostnames[0]: Invalid value "Shop.example.com": should match \'^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$\'',
      'HTTPRoute/shop.spec.rules[0].backendRefs[0].port: expected an integer, got "80"',
      'HTTPRoute/shop.spec.rules[0].backendRefs[0].weight: Invalid value: -1: should be greater than or equal to 0',
      'HTTPRoute/shop.spec.rules[0].matches[0].path.type: Unsupported value "Prefix": supported values: "Exact", "PathPrefix", "RegularExpression"',
      'HTTPRoute/shop.spec.rules[0].timeout: unknown field',
      'HTTPRoute/shop.spec.extra: unknown field',
      // the CEL rule on the path runs too (the type is none of the known ones)
      "HTTPRoute/shop.spec.rules[0].matches[0].path: Invalid value: type must be one of ['Exact', 'PathPrefix', 'RegularExpression']",
      'HTTPRoute/shop.metadata.labelz: unknown field',
    ]);
    expect(schemaErrors(route({ ...valid, hostnames: Array.from({ length: 17 }, (_, i) => `h${i}.example.com`) }))).toEqual([
      'HTTPRoute/shop.spec.hostnames: Too many: 17: must have at most 16 items',
    ]);
    expect(schemaErrors(route({ ...valid, rules: [{ matches: [{ headers: [{ name: 'x', value: 'a' }, { name: 'x', value: 'b' }] }] }] }))).toEqual([
      'HTTPRoute/shop.spec.rules[0].matches[0].headers[1]: Duplicate value: ["x"]',
    ]);
    expect(schemaErrors(route(valid, { name: 'Shop' }))).toEqual(['HTTPRoute/Shop.metadata.name: Invalid value: not a DNS-1123 subdomain']);
  });

  test('applies the defaults, then evaluates the CEL rules', () => {
    // group '' and kind Service are defaults: a backendRef without port breaks the CEL rule only through them
    expect(schemaErrors(route({ rules: [{ backendRefs: [{ name: 'web' }] }] }))).toEqual([
      'HTTPRoute/shop.spec.rules[0].backendRefs[0]: Invalid value: Must have port for Service reference',
    ]);
    expect(schemaErrors(route({ rules: [{ backendRefs: [{ group: 'example.com', kind: 'Bucket', name: 'b' }] }] }))).toEqual([]);
    // parentRefs: `namespace` is escaped as __namespace__ in CEL
    expect(schemaErrors(route({ ...valid, parentRefs: [{ name: 'edge', namespace: 'infra' }, { name: 'edge', namespace: 'infra', sectionName: 'http' }] }))).toEqual([
      'HTTPRoute/shop.spec.parentRefs: Invalid value: sectionName must be specified when parentRefs includes 2 or more references to the same parent',
    ]);
    expect(schemaErrors(route({ ...valid, parentRefs: [{ name: 'edge', sectionName: 'http' }, { name: 'edge', sectionName: 'http' }] }))).toEqual([
      'HTTPRoute/shop.spec.parentRefs: Invalid value: sectionName must be unique when parentRefs includes 2 or more references to the same parent',
    ]);
    expect(schemaErrors(route({ ...valid, rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/a//b' } }], backendRefs: [{ name: 'web', port: 80 }] }] }))).toEqual([
      "HTTPRoute/shop.spec.rules[0].matches[0].path: Invalid value: must not contain '//' when type one of ['Exact', 'PathPrefix']",
    ]);
    // RE2 (?i) in a GRPCRoute rule, durations in an HTTPRoute rule
    expect(schemaErrors({
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GRPCRoute', metadata: { name: 'g' },
      spec: { rules: [{ matches: [{ method: { service: 'Shop.V1.Cart' } }, { method: { service: '1shop' } }] }] },
    })).toEqual(['GRPCRoute/g.spec.rules[0].matches[1].method: Invalid value: service must only contain valid characters (matching ^(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*$)']);
    expect(schemaErrors(route({ ...valid, rules: [{ backendRefs: [{ name: 'web', port: 80 }], timeouts: { request: '10s', backendRequest: '1m' } }] }))).toEqual([
      'HTTPRoute/shop.spec.rules[0].timeouts: Invalid value: backendRequest timeout cannot be longer than request timeout',
    ]);
    // a Gateway: unique listener names, tls only on HTTPS and TLS, `split` of the strings extension
    expect(schemaErrors({
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'edge' },
      spec: {
        gatewayClassName: 'envoy',
        infrastructure: { annotations: { [`${'a'.repeat(253)}/x`]: 'y' } },
        listeners: [{ name: 'web', port: 80, protocol: 'HTTP', tls: { certificateRefs: [{ name: 'tls' }] } }, { name: 'web', port: 81, protocol: 'HTTP' }],
      },
    })).toEqual([
      // listeners are a list-type map keyed by name
      'Gateway/edge.spec.listeners[1]: Duplicate value: ["web"]',
      'Gateway/edge.spec.infrastructure.annotations: Invalid value: If specified, the annotation key\'s prefix must be a DNS subdomain not longer than 253 characters in total.',
      "Gateway/edge.spec.listeners: Invalid value: tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']",
      'Gateway/edge.spec.listeners: Invalid value: Listener name must be unique within the Gateway',
    ]);
  });
});

describe('schema helper: the CEL rules of the Gateway API CRDs', () => {
  test('@bufbuild/cel compiles every one (all but transition rules are evaluated)', () => {
    // THEN
    expect(CEL_RULES.length).toBeGreaterThan(60);
    for (const rule of CEL_RULES) {
      expect(() => program(rule)).not.toThrow();
    }
    expect(GATEWAY_API_KINDS).toEqual(expect.arrayContaining([
      'gateway.networking.k8s.io/v1/HTTPRoute', 'gateway.networking.k8s.io/v1/GRPCRoute', 'gateway.networking.k8s.io/v1/Gateway',
      'gateway.networking.k8s.io/v1/GatewayClass', 'gateway.networking.k8s.io/v1beta1/ReferenceGrant', 'gateway.networking.k8s.io/v1/ReferenceGrant',
    ]));
  });
});
