import { execFile, execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { dispatch, packageVersion } from '../../src/cli/dispatch';
import { LINT_COMMAND } from '../../src/cli/lint-command';
import { SERVICE_COMMAND } from '../../src/cli/service-command';
import { expectSchemaValid } from '../util';

// Runs the built command (test/global-setup.ts builds lib/ first) as a user would:
// `node lib/cli/main.js ...`, which is what the package's bin `cdk8s-svc` points at.

const ROOT = path.join(__dirname, '..', '..');
const PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const MAIN = path.join(ROOT, PACKAGE.bin['cdk8s-svc']);

interface Result {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run `cdk8s-svc <args>` in a child process (async, so a test can run several at once). */
function cdk8sSvc(...args: string[]): Promise<Result> {
  return new Promise(resolve => {
    execFile(process.execPath, [MAIN, ...args], { encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

/** The one Service printed on stdout, checked against the Kubernetes 1.27 schema. */
function printedService(stdout: string): any {
  const manifests = parseAllDocuments(stdout).map(doc => doc.toJS());
  expectSchemaValid(manifests);
  expect(manifests).toHaveLength(1);
  return manifests[0];
}

function kubectl(...args: string[]): any {
  return JSON.parse(execFileSync('kubectl', ['create', 'service', ...args, '--dry-run=client', '-o', 'json'], { encoding: 'utf8' }));
}

describe('cdk8s-svc service', () => {
  test('is the package bin, a node script, and the package has no runtime dependencies', () => {
    expect(PACKAGE.bin).toEqual({ 'cdk8s-svc': 'lib/cli/main.js' });
    expect(fs.readFileSync(MAIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(PACKAGE.dependencies).toBeUndefined();
  });

  test('prints a ClusterIP Service as kubectl create service does', async () => {
    // WHEN
    const [result, again] = await Promise.all([cdk8sSvc('service', 'web', '80:8080'), cdk8sSvc('service', 'web', '80:8080')]);

    // THEN
    expect(result).toEqual({ status: 0, stdout: expect.any(String), stderr: '' });
    const ours = printedService(result.stdout);
    const theirs = kubectl('clusterip', 'web', '--tcp=80:8080');
    expect(ours.metadata).toEqual({ name: 'web', labels: { app: 'web' } });
    expect(ours.spec.type).toEqual(theirs.spec.type);
    expect(ours.spec.ports).toEqual(theirs.spec.ports);
    expect(ours.spec.selector).toEqual(theirs.spec.selector);
    expect(ours.metadata.labels).toEqual(theirs.metadata.labels);
    // the same input gives the same bytes
    expect(again.stdout).toEqual(result.stdout);
  });

  test('prints NodePort, headless, LoadBalancer and ExternalName Services', async () => {
    // WHEN
    const [nodePort, headless, loadBalancer, external] = await Promise.all([
      cdk8sSvc('service', 'web', '!30080:80:8080', '!443:8443'),
      cdk8sSvc('service', 'db', '#5432:5432'),
      cdk8sSvc('service', 'dns', '^53:53/udp', '^53:53'),
      cdk8sSvc('service', 'db', '@db.example.com'),
    ]);

    // THEN
    const kubectlNodePort = kubectl('nodeport', 'web', '--tcp=80:8080,443:8443');
    kubectlNodePort.spec.ports[0].nodePort = 30080; // kubectl's --node-port puts it on every port (a duplicate the API server rejects)
    expect(printedService(nodePort.stdout).spec.type).toEqual(kubectlNodePort.spec.type);
    expect(printedService(nodePort.stdout).spec.ports).toEqual(kubectlNodePort.spec.ports);

    const kubectlHeadless = kubectl('clusterip', 'db', '--clusterip=None', '--tcp=5432:5432');
    expect(printedService(headless.stdout).spec).toEqual({
      type: kubectlHeadless.spec.type,
      clusterIP: kubectlHeadless.spec.clusterIP,
      ports: kubectlHeadless.spec.ports,
      selector: kubectlHeadless.spec.selector,
    });

    expect(printedService(loadBalancer.stdout).spec).toEqual({
      type: 'LoadBalancer',
      ports: [
        { name: '53-53-udp', port: 53, targetPort: 53, protocol: 'UDP' },
        { name: '53-53', port: 53, targetPort: 53, protocol: 'TCP' },
      ],
      selector: { app: 'dns' },
    });

    expect(printedService(external.stdout)).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'db', labels: { app: 'db' } },
      spec: { type: 'ExternalName', externalName: 'db.example.com' },
    });
  });

  test('--namespace and --selector', async () => {
    const result = await cdk8sSvc('service', 'web', '--namespace', 'shop', '80:http', '--selector', 'tier=front', '--selector=app.kubernetes.io/name=web');
    expect(result.stderr).toEqual('');
    const service = printedService(result.stdout);
    expect(service.metadata).toEqual({ name: 'web', namespace: 'shop', labels: { app: 'web' } });
    expect(service.spec.selector).toEqual({ 'tier': 'front', 'app.kubernetes.io/name': 'web' });
  });

  test('-n, --namespace=, -n= set the namespace, as kubectl -n does', async () => {
    // WHEN
    const results = await Promise.all([
      cdk8sSvc('service', 'web', '80', '-n', 'shop'),
      cdk8sSvc('service', 'web', '-n', 'shop', '80'),
      cdk8sSvc('service', 'web', '80', '--namespace=shop'),
      cdk8sSvc('service', 'web', '80', '-n=shop'),
    ]);

    // THEN
    const theirs = JSON.parse(execFileSync('kubectl', ['create', 'service', 'clusterip', 'web', '--tcp=80', '-n', 'shop', '--dry-run=client', '-o', 'json'], { encoding: 'utf8' }));
    for (const result of results) {
      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
      const ours = printedService(result.stdout);
      expect(ours.metadata).toEqual({ name: 'web', namespace: theirs.metadata.namespace, labels: { app: 'web' } });
      expect(ours.spec.ports).toEqual(theirs.spec.ports);
    }
  });

  test('a lone # prints a headless Service without ports, as kubectl --clusterip=None', async () => {
    const result = await cdk8sSvc('service', 'db', '#');
    expect(result.stderr).toEqual('');
    const theirs = kubectl('clusterip', 'db', '--clusterip=None');
    expect(printedService(result.stdout)).toEqual({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', labels: theirs.metadata.labels }, spec: theirs.spec });
  });

  test('--version prints the package version; --help and help <command> print help on stdout', async () => {
    // WHEN
    const [version, serviceHelp, helpService, lintHelp, helpLint, topHelp, h] = await Promise.all([
      cdk8sSvc('--version'),
      cdk8sSvc('service', '--help'),
      cdk8sSvc('help', 'service'),
      cdk8sSvc('lint', '--help'),
      cdk8sSvc('help', 'lint'),
      cdk8sSvc('help'),
      cdk8sSvc('service', 'web', '80', '-h'),
    ]);

    // THEN
    expect(version).toEqual({ status: 0, stdout: `${PACKAGE.version}\n`, stderr: '' });
    expect(serviceHelp).toEqual({ status: 0, stdout: expect.stringMatching(/^Usage: cdk8s-svc service /), stderr: '' });
    expect(helpService).toEqual(serviceHelp);
    expect(h).toEqual(serviceHelp);
    expect(lintHelp).toEqual({ status: 0, stdout: expect.stringMatching(/^Usage: cdk8s-svc lint /), stderr: '' });
    expect(helpLint).toEqual(lintHelp);
    expect(topHelp).toEqual({ status: 0, stdout: expect.stringContaining('  --version '), stderr: '' });
    // in-process, from src/: the same package.json
    expect(packageVersion()).toEqual(PACKAGE.version);
  });

  test('a 100 KB entry gives a short message', async () => {
    const huge = '8'.repeat(100_000);
    const result = await cdk8sSvc('service', 'web', `80:${huge}`);
    expect(result.status).toEqual(2);
    expect(result.stdout).toEqual('');
    expect(result.stderr.length).toBeLessThan(1000);
    expect(result.stderr).toContain(`cdk8s-svc service: entry '80:${'8'.repeat(37)}...' (100003 characters) has targetPort '${'8'.repeat(40)}...' (100000 characters)`);
  });

  test('--selector with an empty value keeps it (app= selects pods labelled app: "")', async () => {
    const [alone, withOther] = await Promise.all([
      cdk8sSvc('service', 'web', '80:8080', '--selector', 'app='),
      cdk8sSvc('service', 'web', '80:8080', '--selector=app=', '--selector', 'tier=front'),
    ]);
    expect(alone.stderr).toEqual('');
    expect(printedService(alone.stdout).spec.selector).toEqual({ app: '' });
    expect(alone.stdout).toContain('  selector:\n    app: ""\n  type: ClusterIP\n');
    expect(printedService(withOther.stdout).spec.selector).toEqual({ app: '', tier: 'front' });
  });

  test('--help lists the notation', async () => {
    const [service, top] = await Promise.all([cdk8sSvc('service', '--help'), cdk8sSvc('--help')]);
    expect(service.status).toEqual(0);
    for (const form of ['80:8080', '80:http', '#80:80', '#', '!80:8080', '!30080:80:8080', '^80:8080', '^30080:80:8080', '@db.example.com', '-n, --namespace <ns>', '--selector']) {
      expect(service.stdout).toContain(`  ${form} `);
    }
    expect(service.stdout).toMatch(/^ {2}!30080:80:8080 +NodePort, fixed nodePort 30080/m);
    expect(service.stdout).toContain('/tcp (the default), /udp or /sctp');
    expect(top.status).toEqual(0);
    expect(top.stdout).toMatch(/^ {2}service +print the YAML of a Service/m);
  });

  test('prints what the README shows', async () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const examples = [...readme.matchAll(/```console\n\$ npx cdk8s-svc (.*)\n([\s\S]*?)```/g)].map(([, command, output]) => ({
      args: [...command.matchAll(/'([^']*)'|(\S+)/g)].map(match => match[1] ?? match[2]),
      output,
    }));
    expect(examples.length).toBeGreaterThanOrEqual(2);
    const results = await Promise.all(examples.map(example => cdk8sSvc(...example.args)));
    results.forEach((result, i) => expect(result.stdout + result.stderr).toEqual(examples[i].output));
  });

  test('fails on a bad entry or bad arguments: message on stderr, nothing on stdout, exit code 2', async () => {
    const results = await Promise.all([
      cdk8sSvc('service', 'web', '80:8080', '!30080:80:80'),
      cdk8sSvc('service', 'demo', '80:8088', '#80:80', '!31234:80:8088', '@www.baidu.com'),
      cdk8sSvc('service', 'web', '80', '--port', '80'),
    ]);
    for (const result of results) {
      expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 2, stdout: '' });
    }
    expect(results[0].stderr).toMatch(/^cdk8s-svc service: entries '80:8080' \(ClusterIP\) and '!30080:80:80' \(NodePort\) ask for different kinds of Service; .* \(forms: 80, 80:8080, .*\)\n$/);
    expect(results[1].stderr).toContain("cdk8s-svc service: entry '@www.baidu.com' (ExternalName) cannot be combined with '80:8088'");
    expect(results[2].stderr).toEqual("cdk8s-svc service: unknown option '--port'; the options are -n/--namespace <ns>, --selector <key>=<value> and -h/--help (see cdk8s-svc service --help)\n");
  });
});

// The same front end in-process, for the many ways arguments go wrong (fast: no child process).
// Every message speaks of the command's arguments: none shows a construct path (cdk8s-svc/...).
describe('cdk8s-svc argument errors', () => {
  const CASES: [string[], string][] = [
    [['service', 'web', '-80'], "cdk8s-svc service: unknown option '-80'; the options are -n/--namespace <ns>, --selector <key>=<value> and -h/--help (an entry never starts with -: write a port such as 80)"],
    [['service', 'web', '--', '-80'], "cdk8s-svc service: entry '-80' has port '-80', which is not a port number"],
    [['service', 'web', '80:eighty!'], "cdk8s-svc service: entry '80:eighty!' has targetPort 'eighty!', which is neither a port number nor a port name"],
    [['service', 'web', '!29999:80:80'], "cdk8s-svc service: entry '!29999:80:80' has nodePort 29999, which is outside 30000-32767"],
    [['service', 'db', '#', '5432'], "cdk8s-svc service: entry '#' (headless, no ports) cannot be combined with '5432'; a lone # makes a headless Service without ports"],
    [['service', 'db', '@db.example.com', '--selector', 'app=db'], "cdk8s-svc service: entry '@db.example.com' makes an ExternalName Service, which selects no pods; drop --selector"],
    [['service', 'web', '80', '-x'], "cdk8s-svc service: unknown option '-x'; the options are -n/--namespace <ns>"],
    [['service', 'web', '80', '--namespaces', 'shop'], "cdk8s-svc service: unknown option '--namespaces'"],
    [['service', 'web', '80', '-n'], 'cdk8s-svc service: option -n has no value; write -n shop'],
    [['service', 'web', '80', '-n', 'a', '--namespace=b'], "cdk8s-svc service: --namespace is given twice ('a', 'b')"],
    [['service', 'web', '80', '--namespace='], "cdk8s-svc service: namespace '' is not a valid namespace name"],
    [['service'], 'cdk8s-svc service: missing <name> and entries'],
    [['service', 'web'], "cdk8s-svc service: missing entries after the name 'web'"],
    [['service', 'web', '80', '--namespace'], 'cdk8s-svc service: option --namespace has no value'],
    [['service', 'web', '80', '--namespace', 'a', '--namespace', 'b'], "cdk8s-svc service: --namespace is given twice ('a', 'b')"],
    [['service', 'web', '80', '--namespace', 'Shop'], "cdk8s-svc service: namespace 'Shop' is not a valid namespace name"],
    [['service', 'web', '80', '--selector', 'app'], "cdk8s-svc service: selector 'app' is not key=value"],
    [['service', 'web', '80', '--selector', '=web'], "cdk8s-svc service: selector '=web' has label key ''"],
    [['service', 'web', '80', '--selector', 'app=a b'], "cdk8s-svc service: selector 'app=a b' has label value 'a b'"],
    [['service', 'web', '80', '--selector', 'app=a', '--selector', 'app=b'], "cdk8s-svc service: selector 'app=b' repeats the label key 'app'"],
    [['service', 'Web', '80'], "cdk8s-svc service: name 'Web' is not a valid Service name; use at most 63 characters of [a-z0-9-], starting with a letter"],
    [['service', `w${'e'.repeat(63)}`, '80'], `cdk8s-svc service: name 'w${'e'.repeat(63)}' is not a valid Service name`],
    [['servise', 'web', '80'], "cdk8s-svc: unknown command 'servise'; use one of: service, lint"],
    [['help', 'servise'], "cdk8s-svc: unknown command 'servise'; use one of: service, lint"],
    [['-n', 'shop', 'service', 'web', '80'], "cdk8s-svc: unknown option '-n'; before a command the options are -h/--help and --version"],
    [[], 'cdk8s-svc: no command given; use one of: service, lint'],
    [['lint', 'x', '--strict'], "cdk8s-svc lint: unknown option '--strict'"],
    [['lint', 'x', '-q'], "cdk8s-svc lint: unknown option '-q'"],
  ];

  /** Run in-process; a usage error: exit code 2, nothing on stdout. Returns stderr. */
  function usageError(args: string[]): string {
    const out: string[] = [];
    const err: string[] = [];
    const status = dispatch(args, [SERVICE_COMMAND, LINT_COMMAND], { stdout: text => out.push(text), stderr: text => err.push(text) });
    expect({ status, stdout: out.join('') }).toEqual({ status: 2, stdout: '' });
    return err.join('');
  }

  test.each(CASES)('%j', (args, says) => {
    const message = usageError(args);
    expect(message).toContain(says);
    expect(message).not.toContain('cdk8s-svc/');
  });

  test('a huge name, entry, option or value is quoted shortened', () => {
    const HUGE = 'x'.repeat(100_000);
    const messages = [
      usageError(['service', `W${HUGE}`, '80']),
      usageError(['service', 'web', `80:${HUGE}`]),
      usageError(['service', 'web', '80', `--${HUGE}`]),
      usageError(['service', 'web', '80', '-n', HUGE]),
      usageError(['service', 'web', '80', '--selector', `app=${HUGE}`]),
      usageError(['lint', 'x', '--output', HUGE]),
      usageError([HUGE]),
    ];
    expect(messages.filter(message => message.length > 1000).map(message => message.slice(0, 100))).toEqual([]);
    expect(messages[0]).toContain(`cdk8s-svc service: name 'W${'x'.repeat(39)}...' (100001 characters) is not a valid Service name`);
    expect(messages[2]).toContain(`cdk8s-svc service: unknown option '--${'x'.repeat(38)}...' (100002 characters)`);
  });

  test('-- ends the options', () => {
    const out: string[] = [];
    const status = dispatch(['service', 'web', '--', '80:8080'], [SERVICE_COMMAND], { stdout: text => out.push(text), stderr: () => undefined });
    expect(status).toEqual(0);
    expect(out.join('')).toContain('name: 80-8080');
  });
});
