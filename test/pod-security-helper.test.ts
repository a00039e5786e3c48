import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { restrictedPodViolations, restrictedViolations } from './pod-security';
import { expectLibraryPodsRestricted, newChart } from './util';

// The Pod Security "restricted" check itself must flag what the 1.27 admission plugin rejects, and
// only that: one case per check of k8s.io/pod-security-admission/policy.
describe('pod security helper', () => {
  /** A pod the restricted profile admits; each case below breaks one rule of it. */
  const container = (extra: any = {}) => ({
    name: 'app',
    image: 'app',
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, ...extra },
  });
  const pod = (spec: any = {}, containerExtra: any = {}) => ({
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [container(containerExtra)],
    ...spec,
  });

  test('admits a restricted pod, with the safe sysctl, NET_BIND_SERVICE and the allowed volume kinds', () => {
    const spec = pod({
      securityContext: { runAsNonRoot: true, runAsUser: 33, seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' }, sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }] },
      volumes: [{ name: 'a', emptyDir: {} }, { name: 'b', persistentVolumeClaim: { claimName: 'c' } }, { name: 'c', configMap: { name: 'x' } }, { name: 'd', projected: { sources: [] } }],
    }, { capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } });
    expect(restrictedViolations({ annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'runtime/default' } }, spec)).toEqual([]);
  });

  test('admits container-level runAsNonRoot and seccompProfile in place of pod-level ones', () => {
    const spec = { containers: [container({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } })] };
    expect(restrictedViolations({}, spec)).toEqual([]);
  });

  test.each([
    ['hostNamespaces', pod({ hostNetwork: true })],
    ['privileged', pod({}, { privileged: true })],
    ['capabilities_baseline', pod({}, { capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] } })],
    ['hostPathVolumes', pod({ volumes: [{ name: 'h', hostPath: { path: '/' } }] })],
    ['hostPorts', pod({ containers: [{ ...container(), ports: [{ containerPort: 80, hostPort: 80 }] }] })],
    ['seLinuxOptions', pod({}, { seLinuxOptions: { type: 'spc_t' } })],
    ['procMount', pod({}, { procMount: 'Unmasked' })],
    ['seccompProfile_baseline', pod({}, { seccompProfile: { type: 'Unconfined' } })],
    ['sysctls', pod({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, sysctls: [{ name: 'net.ipv4.ip_forward', value: '1' }] } })],
    ['windowsHostProcess', pod({}, { windowsOptions: { hostProcess: true } })],
    ['restrictedVolumes', pod({ volumes: [{ name: 'n', nfs: { server: 's', path: '/' } }] })],
    ['allowPrivilegeEscalation', pod({ containers: [{ name: 'app', securityContext: { capabilities: { drop: ['ALL'] } } }] })],
    ['runAsNonRoot', pod({ securityContext: { seccompProfile: { type: 'RuntimeDefault' } } })],
    ['runAsUser', pod({}, { runAsUser: 0 })],
    ['seccompProfile_restricted', pod({ securityContext: { runAsNonRoot: true } })],
    ['capabilities_restricted', pod({}, { capabilities: { drop: ['CAP_ALL'], add: ['CAP_NET_BIND_SERVICE'] } })],
  ])('flags %s', (check, spec) => {
    const violations = restrictedViolations({}, spec);
    expect(violations.some(v => v.startsWith(`${check}: `))).toBe(true);
  });

  test('flags a forbidden AppArmor profile', () => {
    expect(restrictedViolations({ annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' } }, pod()))
      .toEqual(['appArmorProfile: container.apparmor.security.beta.kubernetes.io/app="unconfined"']);
  });

  test('checks init containers too', () => {
    const spec = pod({ initContainers: [{ name: 'init', securityContext: { allowPrivilegeEscalation: false } }] });
    expect(restrictedViolations({}, spec)).toEqual(['capabilities_restricted: "init" must set securityContext.capabilities.drop=["ALL"]']);
  });

  test('cdk8s-plus-27 defaults miss exactly capabilities and seccompProfile', () => {
    const chart = newChart();
    new kplus.Deployment(chart, 'Web', { containers: [{ image: 'nginx', portNumber: 8080 }] });
    expect(restrictedPodViolations(Testing.synth(chart)).map(v => v.split(': ')[1])).toEqual(['seccompProfile_restricted', 'capabilities_restricted']);
  });

  test('the shared synth check covers what the patterns create, not other workloads', () => {
    const manifests = [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'plain' }, spec: { template: { spec: pod({ hostPID: true }) } } }];
    expect(() => expectLibraryPodsRestricted(newChart(), manifests)).not.toThrow();
    expect(restrictedPodViolations(manifests)).toEqual(['Deployment/plain: hostNamespaces: hostPID']);
  });
});
