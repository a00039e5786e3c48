// The Pod Security Standards "restricted" profile as the 1.27 admission plugin enforces it
// (`pod-security.kubernetes.io/enforce: restricted`, version latest at 1.27): the baseline checks
// plus the restricted ones, each the newest version of the check whose minimum version is at most
// 1.27, matched to k8s.io/pod-security-admission/policy/check_*.go. A pod template passes when this
// returns no violation.
// https://kubernetes.io/docs/concepts/security/pod-security-standards/

type Container = any;

/** Every container of the pod: init, regular and ephemeral (policy/visitor.go visitContainers). */
function containersOf(spec: any): Container[] {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
}

function names(containers: Container[]): string {
  return containers.map(c => `"${c.name}"`).join(', ');
}

/** check_sysctls.go sysctls_1_0 (the 1.27 set; net.ipv4.ip_local_reserved_ports came in 1.29). */
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
]);

/** check_capabilities_baseline.go capabilities_allowed_1_0. */
const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

/** check_seLinuxOptions.go selinux_allowed_types_1_0. */
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);

/** check_restrictedVolumes.go restrictedVolumes_1_0: the only volume sources allowed. */
const RESTRICTED_VOLUME_SOURCES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];

const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

/** check_seccompProfile_baseline.go validSeccomp. */
function validSeccomp(type: string | undefined): boolean {
  return type === 'RuntimeDefault' || type === 'Localhost';
}

type Check = (metadata: any, spec: any) => string | undefined;

const BASELINE: Record<string, Check> = {
  // check_hostNamespaces.go hostNamespaces_1_0
  hostNamespaces: (_, spec) => {
    const used = ['hostIPC', 'hostNetwork', 'hostPID'].filter(field => spec[field] === true);
    return used.length > 0 ? used.join(', ') : undefined;
  },
  // check_privileged.go privileged_1_0
  privileged: (_, spec) => {
    const bad = containersOf(spec).filter(c => c.securityContext?.privileged === true);
    return bad.length > 0 ? `${names(bad)} must not set securityContext.privileged=true` : undefined;
  },
  // check_capabilities_baseline.go capabilitiesBaseline_1_0
  capabilities_baseline: (_, spec) => {
    const bad = containersOf(spec).filter(c => (c.securityContext?.capabilities?.add ?? []).some((cap: string) => !BASELINE_CAPABILITIES.has(cap)));
    return bad.length > 0 ? `${names(bad)} add non-default capabilities` : undefined;
  },
  // check_hostPathVolumes.go hostPathVolumes_1_0
  hostPathVolumes: (_, spec) => {
    const bad = (spec.volumes ?? []).filter((v: any) => v.hostPath !== undefined);
    return bad.length > 0 ? `hostPath volumes ${names(bad)}` : undefined;
  },
  // check_hostPorts.go hostPorts_1_0
  hostPorts: (_, spec) => {
    const bad = containersOf(spec).filter(c => (c.ports ?? []).some((p: any) => (p.hostPort ?? 0) !== 0));
    return bad.length > 0 ? `${names(bad)} use hostPorts` : undefined;
  },
  // check_appArmorProfile.go appArmorProfileV1Dot0 (annotations only in 1.27)
  appArmorProfile: metadata => {
    const bad = Object.entries(metadata?.annotations ?? {}).filter(([key, value]) =>
      key.startsWith(APPARMOR_PREFIX) && !(value === '' || value === 'runtime/default' || String(value).startsWith('localhost/')));
    return bad.length > 0 ? bad.map(([key, value]) => `${key}="${value}"`).join(', ') : undefined;
  },
  // check_seLinuxOptions.go seLinuxOptions_1_0
  seLinuxOptions: (_, spec) => {
    const valid = (o: any) => o === undefined || (SELINUX_TYPES.has(o.type ?? '') && !o.user && !o.role);
    const bad = [spec.securityContext, ...containersOf(spec).map(c => c.securityContext)].filter(sc => !valid(sc?.seLinuxOptions));
    return bad.length > 0 ? 'forbidden securityContext.seLinuxOptions' : undefined;
  },
  // check_procMount.go procMount_1_0
  procMount: (_, spec) => {
    const bad = containersOf(spec).filter(c => c.securityContext?.procMount !== undefined && c.securityContext.procMount !== 'Default');
    return bad.length > 0 ? `${names(bad)} must not set securityContext.procMount` : undefined;
  },
  // check_seccompProfile_baseline.go seccompProfileBaseline_1_19
  seccompProfile_baseline: (_, spec) => {
    const setters = [spec.securityContext, ...containersOf(spec).map(c => c.securityContext)];
    const bad = setters.filter(sc => sc?.seccompProfile !== undefined && !validSeccomp(sc.seccompProfile.type));
    return bad.length > 0 ? 'seccompProfile.type must not be Unconfined' : undefined;
  },
  // check_sysctls.go sysctls_1_0
  sysctls: (_, spec) => {
    const bad = (spec.securityContext?.sysctls ?? []).map((s: any) => s.name).filter((name: string) => !SAFE_SYSCTLS.has(name));
    return bad.length > 0 ? `forbidden sysctls ${bad.join(', ')}` : undefined;
  },
  // check_windowsHostProcess.go windowsHostProcess_1_0
  windowsHostProcess: (_, spec) => {
    const setters = [spec.securityContext, ...containersOf(spec).map(c => c.securityContext)];
    return setters.some(sc => sc?.windowsOptions?.hostProcess === true) ? 'must not set securityContext.windowsOptions.hostProcess=true' : undefined;
  },
};

/** Whether a restricted check that is "Linux only in v1.25+" skips this pod (spec.os.name: windows). */
function windows(spec: any): boolean {
  return spec.os?.name === 'windows';
}

const RESTRICTED: Record<string, Check> = {
  // check_restrictedVolumes.go restrictedVolumes_1_0
  restrictedVolumes: (_, spec) => {
    const bad = (spec.volumes ?? []).filter((v: any) => !RESTRICTED_VOLUME_SOURCES.some(source => v[source] !== undefined));
    return bad.length > 0 ? `volumes ${names(bad)} have restricted types` : undefined;
  },
  // check_allowPrivilegeEscalation.go allowPrivilegeEscalation_1_8 (Linux only in 1.25+)
  allowPrivilegeEscalation: (_, spec) => {
    const bad = windows(spec) ? [] : containersOf(spec).filter(c => c.securityContext?.allowPrivilegeEscalation !== false);
    return bad.length > 0 ? `${names(bad)} must set securityContext.allowPrivilegeEscalation=false` : undefined;
  },
  // check_runAsNonRoot.go runAsNonRoot_1_0
  runAsNonRoot: (_, spec) => {
    const pod = spec.securityContext?.runAsNonRoot;
    if (pod === false) {
      return 'pod must not set securityContext.runAsNonRoot=false';
    }
    const explicit = containersOf(spec).filter(c => c.securityContext?.runAsNonRoot === false);
    if (explicit.length > 0) {
      return `${names(explicit)} must not set securityContext.runAsNonRoot=false`;
    }
    const implicit = pod === true ? [] : containersOf(spec).filter(c => c.securityContext?.runAsNonRoot === undefined);
    return implicit.length > 0 ? `pod or ${names(implicit)} must set securityContext.runAsNonRoot=true` : undefined;
  },
  // check_runAsUser.go runAsUser_1_23
  runAsUser: (_, spec) => {
    const setters = [spec.securityContext, ...containersOf(spec).map(c => c.securityContext)];
    return setters.some(sc => sc?.runAsUser === 0) ? 'must not set runAsUser=0' : undefined;
  },
  // check_seccompProfile_restricted.go seccompProfileRestricted_1_19 (Linux only in 1.25+)
  seccompProfile_restricted: (_, spec) => {
    if (windows(spec)) {
      return undefined;
    }
    const pod = spec.securityContext?.seccompProfile;
    if (pod !== undefined && !validSeccomp(pod.type)) {
      return `pod must not set securityContext.seccompProfile.type to "${pod.type}"`;
    }
    const explicit = containersOf(spec).filter(c => c.securityContext?.seccompProfile !== undefined && !validSeccomp(c.securityContext.seccompProfile.type));
    if (explicit.length > 0) {
      return `${names(explicit)} must not set securityContext.seccompProfile.type to Unconfined`;
    }
    const implicit = pod !== undefined ? [] : containersOf(spec).filter(c => c.securityContext?.seccompProfile === undefined);
    return implicit.length > 0 ? `pod or ${names(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"` : undefined;
  },
  // check_capabilities_restricted.go capabilitiesRestricted_1_22 (Linux only in 1.25+)
  capabilities_restricted: (_, spec) => {
    if (windows(spec)) {
      return undefined;
    }
    const containers = containersOf(spec);
    const missingDropAll = containers.filter(c => !(c.securityContext?.capabilities?.drop ?? []).includes('ALL'));
    const adding = containers.filter(c => (c.securityContext?.capabilities?.add ?? []).some((cap: string) => cap !== 'NET_BIND_SERVICE'));
    const details = [
      ...(missingDropAll.length > 0 ? [`${names(missingDropAll)} must set securityContext.capabilities.drop=["ALL"]`] : []),
      ...(adding.length > 0 ? [`${names(adding)} must not add capabilities other than NET_BIND_SERVICE`] : []),
    ];
    return details.length > 0 ? details.join('; ') : undefined;
  },
};

/**
 * The "restricted" (v1.27) violations of one pod: `<check>: <detail>` for each failing check.
 */
export function restrictedViolations(metadata: any, spec: any): string[] {
  return Object.entries({ ...BASELINE, ...RESTRICTED }).flatMap(([id, check]) => {
    const detail = check(metadata ?? {}, spec);
    return detail === undefined ? [] : [`${id}: ${detail}`];
  });
}

/**
 * The pod template of a workload manifest (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job),
 * a CronJob's job template, or a Pod itself; undefined for other kinds.
 */
export function podTemplateOf(manifest: any): { metadata: any; spec: any } | undefined {
  if (manifest?.kind === 'Pod') {
    return { metadata: manifest.metadata, spec: manifest.spec };
  }
  const template = manifest?.kind === 'CronJob' ? manifest.spec?.jobTemplate?.spec?.template : manifest?.spec?.template;
  return template?.spec?.containers !== undefined ? { metadata: template.metadata, spec: template.spec } : undefined;
}

/**
 * The violations of every pod template in `manifests`, each as `<Kind>/<name>: <check>: <detail>`.
 */
export function restrictedPodViolations(manifests: any[]): string[] {
  return manifests.flatMap(manifest => {
    const pod = podTemplateOf(manifest);
    return pod === undefined ? [] : restrictedViolations(pod.metadata, pod.spec).map(v => `${manifest.kind}/${manifest.metadata?.name}: ${v}`);
  });
}
