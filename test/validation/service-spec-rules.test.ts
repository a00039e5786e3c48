import { Finding, Severity } from 'cdk8s-service-patterns';
import { externalNameProblem, isDns1123Subdomain } from '../../src/services/kubernetes-names';
import { runRules, RunRulesOptions } from '../../src/validation/engine';
import { SERVICE_SPEC_RULES } from '../../src/validation/service-spec-rules';

// The Service spec rules (src/validation/service-spec-rules.ts): what a Kubernetes 1.27 API server
// rejects in a Service, or accepts although its traffic is lost, over plain manifests through
// runRules. Per rule: a `fails when ...` test, and the accepted counterparts that must stay silent.

function service(spec: any, metadata: any = { name: 'web' }): any {
  return { apiVersion: 'v1', kind: 'Service', metadata, spec };
}

function lint(manifests: any[], options?: RunRulesOptions): Finding[] {
  return runRules(manifests.map((manifest, i) => ({ manifest, source: `svc.yaml:${i * 10 + 1}` })), options);
}

const SPEC_RULES = new Set(SERVICE_SPEC_RULES.map(rule => rule.id));

/** The findings of the spec rules alone over one Service (not service-selects-nothing: no pods here). */
function check(spec: any, metadata?: any): Finding[] {
  return lint([service(spec, metadata)]).filter(finding => SPEC_RULES.has(finding.rule));
}

function rules(findings: Finding[]): string[] {
  return findings.map(finding => finding.rule);
}

const PORT = [{ port: 80, targetPort: 8080 }];

describe('Service spec rules', () => {
  describe('service-name-invalid', () => {
    test('fails when the name is not a DNS-1035 label', () => {
      // GIVEN a Service named with an upper-case letter
      const findings = check({ ports: PORT }, { name: 'Web' });
      // THEN
      expect(findings).toEqual([{
        rule: 'service-name-invalid',
        severity: Severity.ERROR,
        message: "Service 'default/Web' (svc.yaml:1) has name 'Web', which is not a valid Service name (DNS-1035 label: at most 63 characters of [a-z0-9-], starting with a letter, ending with a letter or digit); the API server rejects it",
        recommendation: 'Use at most 63 characters of [a-z0-9-], starting with a letter and ending with a letter or digit (a DNS-1035 label).',
        resource: { kind: 'Service', name: 'Web', namespace: 'default', source: 'svc.yaml:1', constructPath: undefined },
        field: 'metadata.name',
      }]);
    });

    test.each([['1web'], ['web-'], ['w'.repeat(64)], ['web.shop']])('fails for %s', name => {
      expect(rules(check({ ports: PORT }, { name }))).toEqual(['service-name-invalid']);
    });

    test('fails when there is no name, or generateName is not a name prefix', () => {
      expect(rules(check({ ports: PORT }, { namespace: 'shop' }))).toEqual(['service-name-invalid']);
      expect(check({ ports: PORT }, { generateName: '1web-' })[0].field).toEqual('metadata.generateName');
    });

    test('stays silent for DNS-1035 names and a generateName prefix ending in -', () => {
      expect(check({ ports: PORT }, { name: 'w'.repeat(63) })).toEqual([]);
      expect(check({ ports: PORT }, { name: 'web-2' })).toEqual([]);
      expect(check({ ports: PORT }, { generateName: 'web-' })).toEqual([]);
    });
  });

  describe('service-type-invalid', () => {
    test('fails when type is not a Service type, and names the one meant', () => {
      const findings = check({ type: 'Nodeport', ports: PORT });
      expect(rules(findings)).toEqual(['service-type-invalid']);
      expect(findings[0].message).toContain("has type \"Nodeport\", which is not a Service type; the API server rejects it");
      expect(findings[0].recommendation).toEqual('Write type: NodePort.');
    });

    test('stays silent for the four types, and for an empty type (ClusterIP)', () => {
      for (const type of ['ClusterIP', 'NodePort', 'LoadBalancer', '', undefined]) {
        expect(check({ type, ports: PORT })).toEqual([]);
      }
      expect(check({ type: 'ExternalName', externalName: 'db.example.com' })).toEqual([]);
    });
  });

  describe('service-ports-missing', () => {
    test('fails when a ClusterIP, NodePort or LoadBalancer Service has no ports', () => {
      for (const type of ['ClusterIP', 'NodePort', 'LoadBalancer']) {
        const findings = check({ type, selector: { app: 'web' } });
        expect(rules(findings)).toEqual(['service-ports-missing']);
        expect(findings[0].message).toContain(`is a ${type} Service without ports; the API server rejects it`);
      }
      expect(rules(check({ ports: [] }))).toEqual(['service-ports-missing']);
    });

    test('stays silent for a headless Service and an ExternalName Service without ports', () => {
      expect(check({ clusterIP: 'None', selector: { app: 'db' } })).toEqual([]);
      expect(check({ type: 'ExternalName', externalName: 'db.example.com' })).toEqual([]);
    });
  });

  describe('service-port-invalid', () => {
    test('fails when port is a quoted number, and says to unquote it', () => {
      const findings = check({ ports: [{ port: '80', targetPort: 8080 }] });
      expect(findings).toEqual([expect.objectContaining({
        rule: 'service-port-invalid',
        field: 'spec.ports[0].port',
        message: "Service 'default/web' (svc.yaml:1) has port \"80\" at spec.ports[0], a quoted number: port is an integer field, so the API server cannot decode the string and rejects the manifest",
        recommendation: 'Unquote it: port: 80.',
      })]);
    });

    test.each([[0], [65536], [-1], [80.5]])('fails for port %s', port => {
      expect(rules(check({ ports: [{ port }] }))).toEqual(['service-port-invalid']);
    });

    test('fails when the port is missing, nodePort is a quoted number, or the protocol is not TCP, UDP or SCTP', () => {
      expect(rules(check({ ports: [{ targetPort: 8080 }] }))).toEqual(['service-port-invalid']);
      const quoted = check({ type: 'NodePort', ports: [{ port: 80, nodePort: '30080' }] });
      expect(quoted[0]).toMatchObject({ rule: 'service-port-invalid', field: 'spec.ports[0].nodePort', recommendation: 'Unquote it: nodePort: 30080.' });
      const protocol = check({ ports: [{ port: 53, protocol: 'udp' }] });
      expect(protocol[0]).toMatchObject({ rule: 'service-port-invalid', field: 'spec.ports[0].protocol', recommendation: 'Write protocol: UDP.' });
    });

    test("fails when a LoadBalancer exposes the kubelet's port 10250", () => {
      expect(rules(check({ type: 'LoadBalancer', ports: [{ port: 10250 }] }))).toEqual(['service-port-invalid']);
    });

    test('stays silent for ports 1 and 65535, SCTP, and 10250 on a ClusterIP Service', () => {
      expect(check({ ports: [{ name: 'a', port: 1 }, { name: 'b', port: 65535, protocol: 'SCTP' }] })).toEqual([]);
      expect(check({ ports: [{ port: 10250 }] })).toEqual([]);
    });
  });

  describe('target-port-invalid', () => {
    test('fails when targetPort is a quoted number: a port name needs a letter; the fix is to unquote it', () => {
      // GIVEN targetPort "8080", and pods that declare 8080 (unnamed)
      const pods = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web' },
        spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web', ports: [{ containerPort: 8080 }] }] } } },
      };
      // WHEN
      const findings = lint([service({ selector: { app: 'web' }, ports: [{ port: 80, targetPort: '8080' }] }), pods]);
      // THEN one finding, and never "name a container port '8080'" (named-target-port-missing)
      expect(findings).toEqual([{
        rule: 'target-port-invalid',
        severity: Severity.ERROR,
        message: "Service 'default/web' (svc.yaml:1) port 80 has targetPort \"8080\", a quoted number: the API server reads a string targetPort as a port name, and a port name (IANA_SVC_NAME) needs at least one letter, so it rejects the Service",
        recommendation: 'Unquote it: targetPort: 8080.',
        resource: expect.objectContaining({ kind: 'Service', name: 'web' }),
        field: 'spec.ports[0].targetPort',
      }]);
    });

    test.each([['HTTP'], ['http_port'], ['-http'], ['h--p'], ['a-very-long-port-name']])('fails for the port name %s', targetPort => {
      const findings = check({ ports: [{ port: 80, targetPort }] });
      expect(rules(findings)).toEqual(['target-port-invalid']);
      expect(findings[0].message).toContain('which is not a valid port name (IANA_SVC_NAME');
    });

    test.each([[-1], [65536], [8080.5]])('fails for the number %s', targetPort => {
      expect(rules(check({ ports: [{ port: 80, targetPort }] }))).toEqual(['target-port-invalid']);
    });

    test('stays silent for a number, a name, and 0 or an empty string (the API server uses the port)', () => {
      for (const targetPort of [8080, 'http', 'web-1', 0, '', undefined]) {
        expect(check({ ports: [{ port: 80, targetPort }] })).toEqual([]);
      }
    });
  });

  describe('service-port-name-invalid', () => {
    test('fails when a port of a multi-port Service has no name', () => {
      const findings = check({ ports: [{ name: 'http', port: 80 }, { port: 443 }] });
      expect(findings).toEqual([expect.objectContaining({
        rule: 'service-port-name-invalid',
        field: 'spec.ports[1].name',
        message: "Service 'default/web' (svc.yaml:1) has 2 ports and port 443 has no name; the API server rejects it: with more than one port every port needs a unique name",
      })]);
    });

    test('fails when a name is not a DNS-1123 label, or is used twice', () => {
      expect(rules(check({ ports: [{ name: 'HTTP', port: 80 }] }))).toEqual(['service-port-name-invalid']);
      const twice = check({ ports: [{ name: 'http', port: 80 }, { name: 'http', port: 8080 }] });
      expect(twice[0].message).toContain("port 8080 has name 'http', which spec.ports[0] already uses");
    });

    test('stays silent for a single unnamed port and for unique names', () => {
      expect(check({ ports: [{ port: 80 }] })).toEqual([]);
      expect(check({ ports: [{ name: '8080-tcp', port: 80 }, { name: 'metrics', port: 9090 }] })).toEqual([]);
    });
  });

  describe('service-port-duplicate', () => {
    test('fails when one port number appears twice with one protocol', () => {
      const findings = check({ ports: [{ name: 'a', port: 80 }, { name: 'b', port: 80, protocol: 'TCP' }] });
      expect(findings).toEqual([expect.objectContaining({ rule: 'service-port-duplicate', field: 'spec.ports[1]' })]);
      expect(findings[0].message).toContain('defines port 80/TCP twice (spec.ports[0] and spec.ports[1])');
    });

    test('stays silent for the same port with TCP and UDP', () => {
      expect(check({ ports: [{ name: 'dns-tcp', port: 53 }, { name: 'dns-udp', port: 53, protocol: 'UDP' }] })).toEqual([]);
    });
  });

  describe('node-port-not-allowed', () => {
    test('fails when a ClusterIP Service (headless or not) sets a nodePort', () => {
      const findings = check({ ports: [{ port: 80, nodePort: 30080 }] });
      expect(findings).toEqual([expect.objectContaining({
        rule: 'node-port-not-allowed',
        field: 'spec.ports[0].nodePort',
        message: "Service 'default/web' (svc.yaml:1) is a ClusterIP Service, but port 80 sets nodePort 30080; the API server rejects it (nodePort may not be used when type is 'ClusterIP')",
      })]);
      expect(rules(check({ clusterIP: 'None', ports: [{ port: 80, nodePort: 30080 }] }))).toEqual(['node-port-not-allowed']);
    });

    test('stays silent for nodePort 0 (let the cluster allocate) and on NodePort and LoadBalancer', () => {
      expect(check({ ports: [{ port: 80, nodePort: 0 }] })).toEqual([]);
      expect(check({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] })).toEqual([]);
      expect(check({ type: 'LoadBalancer', ports: [{ port: 80, nodePort: 30080 }] })).toEqual([]);
    });
  });

  describe('node-port-out-of-range', () => {
    test('fails when a nodePort is outside 30000-32767', () => {
      const findings = check({ type: 'NodePort', ports: [{ port: 80, nodePort: 29999 }] });
      expect(findings).toEqual([expect.objectContaining({
        rule: 'node-port-out-of-range',
        field: 'spec.ports[0].nodePort',
        recommendation: 'Pick a nodePort in 30000-32767, or omit it (or set 0) to let the cluster allocate one.',
      })]);
      expect(findings[0].message).toContain('port 80 has nodePort 29999, outside the node port range 30000-32767; the API server rejects it');
      expect(rules(check({ type: 'LoadBalancer', ports: [{ port: 80, nodePort: 32768 }] }))).toEqual(['node-port-out-of-range']);
    });

    test('uses the range nodePortRangeOf gives per object, else 30000-32767', () => {
      const manifests = [
        service({ type: 'NodePort', ports: [{ port: 80, nodePort: 8080 }] }, { name: 'edge', namespace: 'edge' }),
        service({ type: 'NodePort', ports: [{ port: 80, nodePort: 8081 }] }, { name: 'web', namespace: 'shop' }),
      ];
      const findings = lint(manifests, { nodePortRangeOf: ref => (ref.namespace === 'edge' ? { min: 1, max: 32767 } : undefined) });
      expect(findings.map(finding => [finding.rule, finding.resource.name])).toEqual([['node-port-out-of-range', 'web']]);
    });

    test('stays silent for the edges of the range and for nodePort 0', () => {
      expect(check({ type: 'NodePort', ports: [{ name: 'a', port: 80, nodePort: 30000 }, { name: 'b', port: 81, nodePort: 32767 }, { name: 'c', port: 82, nodePort: 0 }] })).toEqual([]);
    });
  });

  describe('cluster-ip-invalid', () => {
    test('fails when a NodePort or LoadBalancer Service is headless', () => {
      const findings = check({ type: 'NodePort', clusterIP: 'None', ports: PORT });
      expect(findings).toEqual([expect.objectContaining({
        rule: 'cluster-ip-invalid',
        field: 'spec.clusterIP',
        message: "Service 'default/web' (svc.yaml:1) is a NodePort Service with clusterIP: None; only a ClusterIP Service can be headless, and the API server rejects it (may not be set to 'None' for NodePort services)",
      })]);
      expect(rules(check({ type: 'LoadBalancer', clusterIP: 'None', ports: PORT }))).toEqual(['cluster-ip-invalid']);
    });

    test('fails when clusterIP is not an IP address, or clusterIPs do not go with it', () => {
      expect(rules(check({ clusterIP: 'none', ports: PORT }))).toEqual(['cluster-ip-invalid']);
      expect(rules(check({ clusterIP: '10.0.0.300', ports: PORT }))).toEqual(['cluster-ip-invalid']);
      expect(rules(check({ clusterIP: '10.0.0.10', clusterIPs: ['10.0.0.11'], ports: PORT }))).toEqual(['cluster-ip-invalid']);
      expect(rules(check({ clusterIPs: ['10.0.0.10'], ports: PORT }))).toEqual(['cluster-ip-invalid']);
    });

    test('stays silent for an IP address, None on ClusterIP, and matching clusterIPs', () => {
      expect(check({ clusterIP: '10.96.0.10', ports: PORT })).toEqual([]);
      expect(check({ clusterIP: 'fd00::10', clusterIPs: ['fd00::10', '10.96.0.10'], ports: PORT })).toEqual([]);
      expect(check({ type: 'NodePort', clusterIP: '10.96.0.10', ports: PORT })).toEqual([]);
      expect(check({ clusterIP: 'None', clusterIPs: ['None'] })).toEqual([]);
      expect(check({ clusterIP: '', ports: PORT })).toEqual([]);
    });
  });

  describe('externalname-invalid', () => {
    test('fails when externalName is an IP address: accepted, but never resolved', () => {
      const findings = check({ type: 'ExternalName', externalName: '10.0.0.5' });
      expect(findings).toEqual([expect.objectContaining({
        rule: 'externalname-invalid',
        severity: Severity.ERROR,
        field: 'spec.externalName',
        message: "Service 'default/web' (svc.yaml:1) has externalName '10.0.0.5', an IP address: an ExternalName Service is a DNS CNAME, and IP addresses in externalName are not resolved (Kubernetes documentation). The API server accepts it, but clients of the Service reach nothing: their traffic is silently lost",
      })]);
      expect(check({ type: 'ExternalName', externalName: '2001:db8::1' })[0].message).toContain("an IPv6 address: an ExternalName Service is a DNS CNAME and needs a DNS name; the API server rejects it");
    });

    test('fails when an externalName label is over 63 characters: accepted, but never resolved', () => {
      // GIVEN a name IsDNS1123Subdomain accepts (no per-label limit), which DNS cannot carry
      const label = 'a'.repeat(64);
      expect(isDns1123Subdomain(`${label}.com`)).toBe(true);

      // WHEN
      const findings = check({ type: 'ExternalName', externalName: `${label}.com` });

      // THEN the same verdict as ExternalNameService
      expect(findings).toEqual([expect.objectContaining({ rule: 'externalname-invalid', field: 'spec.externalName' })]);
      expect(findings[0].message).toContain(`whose label '${label}' has 64 characters: a DNS label has at most 63`);
      expect(externalNameProblem(`${label}.com`)).toContain('a DNS label has at most 63');
      expect(check({ type: 'ExternalName', externalName: `${'a'.repeat(63)}.com` })).toEqual([]);
    });

    test('fails when externalName is missing or not a lowercase RFC 1123 subdomain', () => {
      expect(rules(check({ type: 'ExternalName' }))).toEqual(['externalname-invalid']);
      expect(rules(check({ type: 'ExternalName', externalName: 'DB.example.com' }))).toEqual(['externalname-invalid']);
      expect(rules(check({ type: 'ExternalName', externalName: 'db_1.example.com' }))).toEqual(['externalname-invalid']);
    });

    test('fails when an ExternalName Service has a cluster IP or IP families', () => {
      expect(check({ type: 'ExternalName', externalName: 'db.example.com', clusterIP: 'None' })[0]).toMatchObject({ rule: 'externalname-invalid', field: 'spec.clusterIP' });
      expect(check({ type: 'ExternalName', externalName: 'db.example.com', ipFamilyPolicy: 'SingleStack' })[0]).toMatchObject({ rule: 'externalname-invalid', field: 'spec.ipFamilyPolicy' });
    });

    test('stays silent for a DNS name with a trailing dot, ports, and an empty clusterIP', () => {
      expect(check({ type: 'ExternalName', externalName: 'db.example.com.' })).toEqual([]);
      expect(check({ type: 'ExternalName', externalName: 'db', clusterIP: '', ports: [{ name: 'pg', port: 5432 }, { name: 'http', port: 80, nodePort: 30080 }] })).toEqual([]);
    });
  });

  describe('traffic-policy-invalid', () => {
    test('fails when a ClusterIP Service sets externalTrafficPolicy (1.27 rejects it even with externalIPs)', () => {
      const findings = check({ externalTrafficPolicy: 'Cluster', externalIPs: ['203.0.113.10'], ports: PORT });
      expect(findings).toEqual([expect.objectContaining({
        rule: 'traffic-policy-invalid',
        field: 'spec.externalTrafficPolicy',
        message: "Service 'default/web' (svc.yaml:1) is a ClusterIP Service with externalTrafficPolicy \"Cluster\"; the API server (1.27) rejects it: externalTrafficPolicy may only be set when type is NodePort or LoadBalancer",
      })]);
      expect(rules(check({ type: 'ExternalName', externalName: 'db.example.com', externalTrafficPolicy: 'Local' }))).toEqual(['traffic-policy-invalid']);
    });

    test('fails for a policy other than Cluster or Local, and a healthCheckNodePort without LoadBalancer and Local', () => {
      expect(rules(check({ type: 'NodePort', externalTrafficPolicy: 'local', ports: PORT }))).toEqual(['traffic-policy-invalid']);
      expect(rules(check({ internalTrafficPolicy: 'Node', ports: PORT }))).toEqual(['traffic-policy-invalid']);
      expect(rules(check({ type: 'LoadBalancer', healthCheckNodePort: 30100, ports: PORT }))).toEqual(['traffic-policy-invalid']);
    });

    test('stays silent for externalTrafficPolicy on NodePort and LoadBalancer, and internalTrafficPolicy anywhere', () => {
      expect(check({ type: 'NodePort', externalTrafficPolicy: 'Local', internalTrafficPolicy: 'Local', ports: PORT })).toEqual([]);
      expect(check({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 30100, ports: PORT })).toEqual([]);
      expect(check({ internalTrafficPolicy: 'Cluster', externalTrafficPolicy: '', ports: PORT })).toEqual([]);
    });
  });

  describe('load-balancer-field-invalid', () => {
    test('fails when a Service that is not a LoadBalancer sets a loadBalancer field', () => {
      const findings = check({ type: 'NodePort', loadBalancerSourceRanges: ['203.0.113.0/24'], ports: PORT });
      expect(findings).toEqual([expect.objectContaining({
        rule: 'load-balancer-field-invalid',
        field: 'spec.loadBalancerSourceRanges',
        message: "Service 'default/web' (svc.yaml:1) is a NodePort Service with loadBalancerSourceRanges; the API server rejects it (may only be used when type is 'LoadBalancer')",
      })]);
      expect(rules(check({ loadBalancerClass: 'example.com/lb', ports: PORT }))).toEqual(['load-balancer-field-invalid']);
      expect(rules(check({ allocateLoadBalancerNodePorts: false, ports: PORT }))).toEqual(['load-balancer-field-invalid']);
      const annotated = check({ ports: PORT }, { name: 'web', annotations: { 'service.beta.kubernetes.io/load-balancer-source-ranges': '10.0.0.0/8' } });
      expect(rules(annotated)).toEqual(['load-balancer-field-invalid']);
    });

    test('fails for a source range that is not a CIDR and a loadBalancerClass that is not a label-style name', () => {
      expect(rules(check({ type: 'LoadBalancer', loadBalancerSourceRanges: ['10.0.0.0/33'], ports: PORT }))).toEqual(['load-balancer-field-invalid']);
      expect(rules(check({ type: 'LoadBalancer', loadBalancerClass: 'internal vip', ports: PORT }))).toEqual(['load-balancer-field-invalid']);
    });

    test('stays silent on a LoadBalancer with CIDRs (space-padded too), a class and allocateLoadBalancerNodePorts', () => {
      expect(check({
        type: 'LoadBalancer',
        loadBalancerSourceRanges: ['203.0.113.0/24', ' 2001:db8::/32 ', '10.0.0.1/8'],
        loadBalancerClass: 'example.com/internal-vip',
        allocateLoadBalancerNodePorts: false,
        ports: PORT,
      })).toEqual([]);
    });
  });

  describe('session-affinity-invalid', () => {
    test('fails when the ClientIP timeout is outside 1-86400', () => {
      const findings = check({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 86401 } }, ports: PORT });
      expect(findings).toEqual([expect.objectContaining({
        rule: 'session-affinity-invalid',
        field: 'spec.sessionAffinityConfig.clientIP.timeoutSeconds',
        message: "Service 'default/web' (svc.yaml:1) has ClientIP affinity timeoutSeconds 86401; the API server accepts an integer in 1-86400 (one day)",
      })]);
      expect(rules(check({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } }, ports: PORT }))).toEqual(['session-affinity-invalid']);
    });

    test('fails for a sessionAffinity other than ClientIP or None', () => {
      expect(rules(check({ sessionAffinity: 'clientIP', ports: PORT }))).toEqual(['session-affinity-invalid']);
    });

    test('stays silent for ClientIP with 1 or 86400 seconds or no timeout, and for None', () => {
      for (const timeoutSeconds of [1, 86400, undefined]) {
        expect(check({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds } }, ports: PORT })).toEqual([]);
      }
      expect(check({ sessionAffinity: 'ClientIP', ports: PORT })).toEqual([]);
      expect(check({ sessionAffinity: 'None', ports: PORT })).toEqual([]);
    });
  });

  describe('service-selector-invalid', () => {
    test('fails when a selector value is a number, and says to quote it', () => {
      const findings = check({ selector: { app: 'web', version: 2 }, ports: PORT });
      expect(findings).toEqual([expect.objectContaining({
        field: "spec.selector['version']",
        message: "Service 'default/web' (svc.yaml:1) selector version=2 has a number value: selector values are strings, and the API server cannot decode a number and rejects the manifest",
        recommendation: 'Quote the value: version: "2".',
      })]);
    });

    test('fails when a key or value is not a valid label key or value', () => {
      expect(rules(check({ selector: { 'app name': 'web' }, ports: PORT }))).toEqual(['service-selector-invalid']);
      expect(rules(check({ selector: { app: 'web app' }, ports: PORT }))).toEqual(['service-selector-invalid']);
    });

    test('stays silent for valid keys and values, an empty value, and null (decoded as empty)', () => {
      const selectors = [{ 'app.kubernetes.io/name': 'web', 'tier': '' }, { app: null }];
      for (const selector of selectors) {
        expect(check({ selector, ports: PORT })).toEqual([]);
      }
    });
  });
});
