import * as kplus from 'cdk8s-plus-27';
import {
  ClusterIPService,
  ExternalNameService,
  HeadlessService,
  LoadBalancerService,
  NodePortService,
  ServiceKind,
  ServiceShorthand,
} from 'cdk8s-service-patterns';
import { findOne, serviceOnlyChart, synth } from '../util';

const TCP = kplus.Protocol.TCP;
const UDP = kplus.Protocol.UDP;
const SCTP = kplus.Protocol.SCTP;

describe('ServiceShorthand', () => {
  // Every row of the notation, and the extensions: the entries, the typed Service they make, and
  // the spec it synthesizes (selector app=web, added by the test).
  const NOTATION: [string[], Function, object][] = [
    [['80'], ClusterIPService, { type: 'ClusterIP', ports: [{ name: '80', port: 80, targetPort: 80, protocol: 'TCP' }] }],
    [['80:8080'], ClusterIPService, { type: 'ClusterIP', ports: [{ name: '80-8080', port: 80, targetPort: 8080, protocol: 'TCP' }] }],
    [['80:http'], ClusterIPService, { type: 'ClusterIP', ports: [{ name: '80-http', port: 80, targetPort: 'http', protocol: 'TCP' }] }],
    [['#80:80'], HeadlessService, { type: 'ClusterIP', clusterIP: 'None', ports: [{ name: '80-80', port: 80, targetPort: 80, protocol: 'TCP' }] }],
    [['#5432'], HeadlessService, { type: 'ClusterIP', clusterIP: 'None', ports: [{ name: '5432', port: 5432, targetPort: 5432, protocol: 'TCP' }] }],
    [['#'], HeadlessService, { type: 'ClusterIP', clusterIP: 'None' }],
    [['!80:8080'], NodePortService, { type: 'NodePort', ports: [{ name: '80-8080', port: 80, targetPort: 8080, protocol: 'TCP' }] }],
    [['!30080:80:8080'], NodePortService, { type: 'NodePort', ports: [{ name: '80-8080', port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP' }] }],
    [['^80:8080'], LoadBalancerService, { type: 'LoadBalancer', ports: [{ name: '80-8080', port: 80, targetPort: 8080, protocol: 'TCP' }] }],
    [['^30080:80:8080'], LoadBalancerService, { type: 'LoadBalancer', ports: [{ name: '80-8080', port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP' }] }],
    [['@db.example.com'], ExternalNameService, { type: 'ExternalName', externalName: 'db.example.com' }],
    [['@db.example.com.'], ExternalNameService, { type: 'ExternalName', externalName: 'db.example.com.' }],
    [['53:53/udp'], ClusterIPService, { type: 'ClusterIP', ports: [{ name: '53-53', port: 53, targetPort: 53, protocol: 'UDP' }] }],
    [['80/tcp'], ClusterIPService, { type: 'ClusterIP', ports: [{ name: '80', port: 80, targetPort: 80, protocol: 'TCP' }] }],
    [['!30900:9000:sctp-data/sctp'], NodePortService, { type: 'NodePort', ports: [{ name: '9000-sctp-data', port: 9000, targetPort: 'sctp-data', nodePort: 30900, protocol: 'SCTP' }] }],
    [['80:8080', '443:8443'], ClusterIPService, {
      type: 'ClusterIP',
      ports: [
        { name: '80-8080', port: 80, targetPort: 8080, protocol: 'TCP' },
        { name: '443-8443', port: 443, targetPort: 8443, protocol: 'TCP' },
      ],
    }],
    [['53', '53/udp'], ClusterIPService, {
      type: 'ClusterIP',
      ports: [
        { name: '53', port: 53, targetPort: 53, protocol: 'TCP' },
        { name: '53-udp', port: 53, targetPort: 53, protocol: 'UDP' },
      ],
    }],
    [['!30053:53:53', '!30053:53:53/udp', '!30053:53:53/sctp'], NodePortService, {
      type: 'NodePort',
      ports: [
        { name: '53-53', port: 53, targetPort: 53, nodePort: 30053, protocol: 'TCP' },
        { name: '53-53-udp', port: 53, targetPort: 53, nodePort: 30053, protocol: 'UDP' },
        { name: '53-53-sctp', port: 53, targetPort: 53, nodePort: 30053, protocol: 'SCTP' },
      ],
    }],
    [['1:65535', '65535:1'], ClusterIPService, {
      type: 'ClusterIP',
      ports: [
        { name: '1-65535', port: 1, targetPort: 65535, protocol: 'TCP' },
        { name: '65535-1', port: 65535, targetPort: 1, protocol: 'TCP' },
      ],
    }],
    [['^30000:80:http', '^32767:443:https'], LoadBalancerService, {
      type: 'LoadBalancer',
      ports: [
        { name: '80-http', port: 80, targetPort: 'http', nodePort: 30000, protocol: 'TCP' },
        { name: '443-https', port: 443, targetPort: 'https', nodePort: 32767, protocol: 'TCP' },
      ],
    }],
  ];

  test.each(NOTATION)('%j creates the right Service', (entries, type, spec) => {
    // GIVEN
    const chart = serviceOnlyChart();
    const external = entries[0].startsWith('@');
    const selector = external ? undefined : kplus.Pods.select(chart, 'Pods', { labels: { app: 'web' } });

    // WHEN
    const service = ServiceShorthand.create(chart, 'Service', { metadata: { name: 'web' }, entries, selector });

    // THEN
    expect(service).toBeInstanceOf(type);
    expect(service.serviceKind).toEqual(ServiceShorthand.parse(entries).kind);
    expect(findOne(synth(chart), 'Service', 'web').spec).toEqual(external ? spec : { ...spec, selector: { app: 'web' } });
  });

  test('parse returns a description and creates nothing', () => {
    expect(ServiceShorthand.parse(['!30080:80:8080', '!53:dns/udp'])).toEqual({
      kind: ServiceKind.NODE_PORT,
      ports: [
        { name: '80-8080', port: 80, targetPort: 8080, nodePort: 30080, protocol: TCP },
        { name: '53-dns', port: 53, targetPortName: 'dns', protocol: UDP },
      ],
    });
    expect(ServiceShorthand.parse(['@db.example.com'])).toEqual({ kind: ServiceKind.EXTERNAL_NAME, ports: [], externalName: 'db.example.com' });
    expect(ServiceShorthand.parse(['#80'])).toEqual({
      kind: ServiceKind.HEADLESS,
      ports: [{ name: '80', port: 80, targetPort: 80, protocol: TCP }],
    });
    expect(ServiceShorthand.parse(['53/udp', '53/sctp']).ports.map(p => [p.name, p.protocol])).toEqual([['53-udp', UDP], ['53-sctp', SCTP]]);
  });

  test('names ports as kubectl create service --tcp does: the entry\'s ports, : made -', () => {
    const names = (entries: string[]) => ServiceShorthand.parse(entries).ports.map(port => port.name);
    expect(names(['80', '443:8443', '8080:http'])).toEqual(['80', '443-8443', '8080-http']);
    expect(names(['80:80'])).toEqual(['80-80']);
    expect(names(['!30080:80:8080', '!443'])).toEqual(['80-8080', '443']);
    expect(names(['^80', '^53/udp'])).toEqual(['80', '53']);
  });

  test('a lone # is a headless Service without ports', () => {
    // WHEN
    const description = ServiceShorthand.parse(['#']);
    const chart = serviceOnlyChart();
    const selector = kplus.Pods.select(chart, 'Pods', { labels: { app: 'db' } });
    const service = ServiceShorthand.create(chart, 'Service', { metadata: { name: 'db' }, entries: ['#'], selector });

    // THEN
    expect(description).toEqual({ kind: ServiceKind.HEADLESS, ports: [] });
    expect(service).toBeInstanceOf(HeadlessService);
    expect(service.portMappings).toEqual([]);
    expect(findOne(synth(chart), 'Service', 'db').spec).toEqual({ type: 'ClusterIP', clusterIP: 'None', selector: { app: 'db' } });
  });

  test('defaults', () => {
    // GIVEN
    const chart = serviceOnlyChart();
    const selector = kplus.Pods.select(chart, 'Pods', { labels: { app: 'web' } });

    // WHEN
    ServiceShorthand.create(chart, 'Service', { entries: ['80:http', '443:8443'], selector });

    // THEN
    expect(synth(chart)).toMatchSnapshot();
  });

  test('keeps metadata and the id-based name', () => {
    const chart = serviceOnlyChart();
    const service = ServiceShorthand.create(chart, 'Api', { metadata: { labels: { tier: 'back' } }, entries: ['8080'] });
    const manifest = findOne(synth(chart), 'Service', service.name);
    expect(manifest.metadata.labels).toEqual({ tier: 'back' });
    expect(manifest.spec.selector).toBeUndefined();
  });

  // Every rejected input: the entries, and a stable fragment of the message (which quotes the
  // offending entry, or both entries when two do not fit together).
  const ERRORS: [string[], string][] = [
    // kinds are mutually exclusive within one Service
    [['80', '!30080:80:80'], "entries '80' (ClusterIP) and '!30080:80:80' (NodePort) ask for different kinds of Service"],
    [['#80:80', '^80:80'], "entries '#80:80' (Headless) and '^80:80' (LoadBalancer) ask for different kinds"],
    [['!80', '!81', '82'], "entries '!80' (NodePort) and '82' (ClusterIP)"],
    // @ is alone
    [['@db.example.com', '80'], "entry '@db.example.com' (ExternalName) cannot be combined with '80'"],
    [['5432', '@db.example.com'], "entry '@db.example.com' (ExternalName) cannot be combined with '5432'"],
    [['@a.example.com', '@b.example.com'], "entry '@a.example.com' (ExternalName) cannot be combined with '@b.example.com'"],
    [['80:8088', '#80:80', '!31234:80:8088', '@www.baidu.com'], "entry '@www.baidu.com' (ExternalName) cannot be combined with '80:8088'"],
    // prefixes exclude each other
    [['#!80:80'], "entry '#!80:80' starts with '#!', but # (headless), ! (NodePort), ^ (LoadBalancer) and @ (ExternalName) exclude each other"],
    [['!#80:80'], "entry '!#80:80' starts with '!#'"],
    [['!!80'], "entry '!!80' starts with '!!'"],
    [['^!30080:80:80'], "entry '^!30080:80:80' starts with '^!'"],
    [['#@db.example.com'], "entry '#@db.example.com' starts with '#@'"],
    // three parts need ! or ^; at most three parts
    [['30080:80:8080'], "entry '30080:80:8080' gives a nodePort (nodePort:port:targetPort), but a ClusterIP Service has no node ports"],
    [['#30080:80:8080'], "entry '#30080:80:8080' gives a nodePort (nodePort:port:targetPort), but a Headless Service has no node ports"],
    [['1:2:3:4'], "entry '1:2:3:4' has 4 ':'-separated parts"],
    [['!30080:80:8080:1'], "entry '!30080:80:8080:1' has 4 ':'-separated parts"],
    // non-numeric
    [['http'], "entry 'http' has port 'http', which is not a port number"],
    [['abc:80'], "entry 'abc:80' has port 'abc', which is not a port number"],
    [['!http:80:80'], "entry '!http:80:80' has nodePort 'http', which is not a port number"],
    [['80.5'], "entry '80.5' has port '80.5', which is not a port number"],
    [['0x50'], "entry '0x50' has port '0x50'"],
    [['8e1:80'], "entry '8e1:80' has port '8e1'"],
    // empty
    [[''], "entry '' is empty"],
    [['#/udp'], "entry '#/udp' has an empty port"],
    [['#:80'], "entry '#:80' has an empty port"],
    [['!'], "entry '!' has an empty port"],
    [[':80'], "entry ':80' has an empty port"],
    [['80:'], "entry '80:' has an empty targetPort"],
    [['!:80:80'], "entry '!:80:80' has an empty nodePort"],
    [['/udp'], "entry '/udp' has an empty port"],
    // signed
    [['-80'], "entry '-80' has port '-80', which is not a port number"],
    [['+80'], "entry '+80' has port '+80'"],
    [['80:-8080'], "entry '80:-8080' has targetPort '-8080', which is neither a port number nor a port name"],
    [['80:+8080'], "entry '80:+8080' has targetPort '+8080'"],
    [['!-30080:80:80'], "entry '!-30080:80:80' has nodePort '-30080'"],
    // padded
    [[' 80'], "entry ' 80' has port ' 80', which is not a port number"],
    [['80 '], "entry '80 ' has port '80 '"],
    [['80: 8080'], "entry '80: 8080' has targetPort ' 8080'"],
    [['80:8080 '], "entry '80:8080 ' has targetPort '8080 '"],
    [['080'], "entry '080' has port '080', which is not a port number; write a whole number in 1-65535 without sign, spaces or leading zeros"],
    [['80:08080'], "entry '80:08080' has targetPort '08080', which is not a port number"],
    // zero and out of range
    [['0'], "entry '0' has port '0', which is not a port number"],
    [['80:0'], "entry '80:0' has targetPort '0', which is not a port number"],
    [['!0:80:80'], "entry '!0:80:80' has nodePort '0', which is not a port number"],
    [['65536'], "entry '65536' has port '65536', which is not a port number"],
    [['80:65536'], "entry '80:65536' has targetPort '65536'"],
    [['99999999999999999999'], "entry '99999999999999999999' has port '99999999999999999999'"],
    [['!29999:80:80'], "entry '!29999:80:80' has nodePort 29999, which is outside 30000-32767; pick a nodePort in that range, or leave it out (!port:targetPort)"],
    [['!32768:80:80'], "entry '!32768:80:80' has nodePort 32768, which is outside 30000-32767"],
    [['^8080:80:80'], "entry '^8080:80:80' has nodePort 8080, which is outside 30000-32767; pick a nodePort in that range, or leave it out (^port:targetPort)"],
    // invalid external names
    [['@'], "entry '@' has externalName '', which is not a valid DNS name"],
    [['@DB.example.com'], "entry '@DB.example.com' has externalName 'DB.example.com', which is not a valid DNS name"],
    [['@db_1.example.com'], "entry '@db_1.example.com' has externalName 'db_1.example.com'"],
    [['@-db.example.com'], "entry '@-db.example.com' has externalName '-db.example.com'"],
    [['@db..example.com'], "entry '@db..example.com' has externalName 'db..example.com'"],
    [[`@${'a'.repeat(64)}.com`], `entry '@${'a'.repeat(64)}.com' has externalName`],
    [['@db.example.com:5432'], "entry '@db.example.com:5432' has externalName 'db.example.com:5432'"],
    [['@db.example.com/udp'], "entry '@db.example.com/udp' has externalName 'db.example.com/udp'"],
    [['@ db.example.com'], "entry '@ db.example.com' has externalName ' db.example.com'"],
    // invalid target port names
    [['80:HTTP'], "entry '80:HTTP' has targetPort 'HTTP', which is neither a port number nor a port name"],
    [['80:http_alt'], "entry '80:http_alt' has targetPort 'http_alt'"],
    [['80:http--alt'], "entry '80:http--alt' has targetPort 'http--alt'"],
    [['80:-http'], "entry '80:-http' has targetPort '-http'"],
    [['80:http-'], "entry '80:http-' has targetPort 'http-'"],
    [['80:a234567890123456'], "entry '80:a234567890123456' has targetPort 'a234567890123456'"],
    // protocols
    [['80/UDP'], "entry '80/UDP' has protocol 'UDP'; end a port entry with /tcp, /udp or /sctp, or with nothing for TCP"],
    [['80/http'], "entry '80/http' has protocol 'http'"],
    [['80/'], "entry '80/' has protocol ''"],
    [['80/udp/tcp'], "entry '80/udp/tcp' has protocol 'udp/tcp'"],
    [['80/constructor'], "entry '80/constructor' has protocol 'constructor'"],
    // two entries that collide
    [['80:8080', '80:9090'], "entries '80:8080' and '80:9090' both use port 80/TCP; a port number may appear twice only with different protocols"],
    [['80', '80/tcp'], "entries '80' and '80/tcp' both use port 80/TCP"],
    [['53/udp', '53:dns/udp'], "entries '53/udp' and '53:dns/udp' both use port 53/UDP"],
    [['!30080:80:80', '!30080:81:81'], "entries '!30080:80:80' and '!30080:81:81' both use nodePort 30080/TCP"],
    [['80:http/udp', '80:http', '80:http-udp/sctp'], "entries '80:http/udp' and '80:http-udp/sctp' both get the port name '80-http-udp'"],
    [['53/udp', '53', '53:udp/sctp'], "entries '53/udp' and '53:udp/sctp' both get the port name '53-udp'"],
    // a lone # (headless without ports) is alone
    [['#', '#80'], "entry '#' (headless, no ports) cannot be combined with '#80'; a lone # makes a headless Service without ports, so give it alone"],
    [['#80:80', '#'], "entry '#' (headless, no ports) cannot be combined with '#80:80'"],
    [['80', '#'], "entry '#' (headless, no ports) cannot be combined with '80'"],
    [['#', '#'], "entry '#' (headless, no ports) cannot be combined with '#'"],
    [['#', '@db.example.com'], "entry '@db.example.com' (ExternalName) cannot be combined with '#'"],
  ];

  test.each(ERRORS)('fails on %j', (entries, says) => {
    let thrown: unknown;
    try {
      ServiceShorthand.parse(entries);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect(Object.getPrototypeOf(thrown)).toBe(Error.prototype);
    const message = (thrown as Error).message;
    expect(message).toContain(`ServiceShorthand: ${says}`);
    expect(message).toContain('(forms: 80, 80:8080, 80:http, #80:80, # alone, !80:8080, !30080:80:8080, ^80:8080, ^30080:80:8080, @db.example.com;');
    // create() throws the same error, with the Service's construct path, before it creates anything
    const chart = serviceOnlyChart();
    expect(() => ServiceShorthand.create(chart, 'Service', { entries })).toThrow(message.replace('ServiceShorthand: ', "ServiceShorthand 'test/Service': "));
    expect(chart.node.children).toHaveLength(0);
  });

  test('fails when there are no entries', () => {
    expect(() => ServiceShorthand.parse([])).toThrow('ServiceShorthand: no entries; give at least one, one per port, such as 80:8080 (forms: ');
  });

  test('fails when an entry is not a string', () => {
    expect(() => ServiceShorthand.parse(['80', 8080 as unknown as string])).toThrow('ServiceShorthand: entry 8080 is not a string');
  });

  test('fails when an ExternalName gets a selector', () => {
    const chart = serviceOnlyChart();
    const selector = kplus.Pods.select(chart, 'Pods', { labels: { app: 'db' } });
    expect(() => ServiceShorthand.create(chart, 'Service', { entries: ['@db.example.com'], selector }))
      .toThrow("ServiceShorthand 'test/Service': entry '@db.example.com' makes an ExternalName Service, which selects no pods; drop the selector");
  });

  test('fails when the Service name is invalid, in the Service class', () => {
    const chart = serviceOnlyChart();
    expect(() => ServiceShorthand.create(chart, 'Service', { metadata: { name: 'Web' }, entries: ['80'] }))
      .toThrow("ClusterIPService 'test/Service': name 'Web' is not a valid Service name");
  });
});

describe('ServiceShorthand with a custom node port range', () => {
  const range = { min: 20000, max: 20999 };

  test('parse checks fixed nodePorts against the given range', () => {
    expect(ServiceShorthand.parse(['!20080:80:8080'], { nodePortRange: range }).ports[0].nodePort).toEqual(20080);
    expect(() => ServiceShorthand.parse(['!30080:80:8080'], { nodePortRange: range }))
      .toThrow("entry '!30080:80:8080' has nodePort 30080, which is outside 20000-20999");
  });

  test('create passes the range to the Service', () => {
    const chart = serviceOnlyChart();
    ServiceShorthand.create(chart, 'Svc', { entries: ['^20443:443:8443'], nodePortRange: range, metadata: { name: 'edge' } });
    expect(findOne(synth(chart), 'Service', 'edge').spec.ports[0].nodePort).toEqual(20443);
  });
});
