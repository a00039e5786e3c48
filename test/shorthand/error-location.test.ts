import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { ExposedDeployment, ExposedStatefulSet, ServiceExposure, ServiceShorthand } from 'cdk8s-service-patterns';
import { findOne, newChart, synth } from '../util';

// Shorthand errors say where the entries were given: ServiceShorthand.create names the Service's
// construct path, a ServiceExposure.shorthand inside a pattern names the pattern and the
// exposure; and a huge entry is quoted shortened, so the message stays readable.

/** The message of what `fn` throws. */
function thrown(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return (error as Error).message;
  }
  throw new Error('expected an Error, nothing was thrown');
}

const HUGE = '8'.repeat(100_000);

describe('ServiceShorthand errors say where', () => {
  test('create names the construct path of the Service', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'app');
    const team = new Construct(chart, 'Team');

    // THEN
    expect(() => ServiceShorthand.create(chart, 'web', { entries: ['80:x!'] }))
      .toThrow("ServiceShorthand 'app/web': entry '80:x!' has targetPort 'x!', which is neither a port number nor a port name");
    expect(() => ServiceShorthand.create(team, 'db', { entries: ['#', '5432'] }))
      .toThrow("ServiceShorthand 'app/Team/db': entry '#' (headless, no ports) cannot be combined with '5432'");
    // parse has no construct: the subject is ServiceShorthand alone
    expect(() => ServiceShorthand.parse(['80:x!'])).toThrow(/^ServiceShorthand: entry '80:x!' has targetPort/);
  });

  test('a shorthand exposure in a pattern names the pattern and the exposure', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'app');
    const bad = ServiceExposure.shorthand(['80:x!']);

    // THEN
    expect(() => new ExposedDeployment(chart, 'Web', { container: { image: 'nginx', portNumber: 80 }, services: [bad] }))
      .toThrow("ExposedDeployment 'app/Web': services[0]: entry '80:x!' has targetPort 'x!'");
    expect(() => new ExposedDeployment(chart, 'Api', {
      container: { image: 'nginx', portNumber: 80 },
      services: [ServiceExposure.shorthand(['80']), ServiceExposure.shorthand(['!29999:80:80'])],
    })).toThrow("ExposedDeployment 'app/Api': services[1]: entry '!29999:80:80' has nodePort 29999, which is outside 30000-32767");
    expect(() => new ExposedStatefulSet(chart, 'Db', { container: { image: 'postgres', portNumber: 5432 }, services: [ServiceExposure.shorthand(['5432', '!5433'])] }))
      .toThrow("ExposedStatefulSet 'app/Db': services[0]: entries '5432' (ClusterIP) and '!5433' (NodePort) ask for different kinds of Service");
  });

  test('a shorthand exposure is checked where it is used; reading it directly names no pattern', () => {
    const bad = ServiceExposure.shorthand(['80:x!']);
    expect(() => bad.serviceType).toThrow(/^ServiceShorthand: entry '80:x!' has targetPort 'x!'/);
    expect(() => bad.ports).toThrow(/^ServiceShorthand: entry '80:x!'/);
    expect(ServiceExposure.shorthand(['!30080:80:8080']).ports).toEqual([{ name: '80-8080', port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP' }]);
  });

  test('a shorthand exposure copies its entries', () => {
    const entries = ['80:8080'];
    const exposure = ServiceExposure.shorthand(entries);
    entries[0] = '80:x!';
    expect(exposure.ports?.map(port => port.name)).toEqual(['80-8080']);
  });

  test('a lone # in a pattern makes a headless Service without ports', () => {
    const chart = newChart();
    const web = new ExposedDeployment(chart, 'Web', {
      container: { image: 'nginx', portNumber: 80 },
      services: [ServiceExposure.of(), ServiceExposure.shorthand(['#'])],
    });
    const spec = findOne(synth(chart), 'Service', web.services[1].name).spec;
    expect(spec.clusterIP).toEqual('None');
    expect(spec.ports).toBeUndefined();
  });
});

describe('a huge bad entry is quoted shortened', () => {
  test('on parse: its first 40 characters and its length', () => {
    // WHEN
    const message = thrown(() => ServiceShorthand.parse([HUGE]));

    // THEN
    expect(message.length).toBeLessThan(1000);
    expect(message).toContain(`ServiceShorthand: entry '${'8'.repeat(40)}...' (100000 characters) has port '${'8'.repeat(40)}...' (100000 characters), which is not a port number`);
  });

  test('on parse, in every message that quotes an entry', () => {
    const cases = [
      [`80:${HUGE}`],
      [`@${'a'.repeat(100_000)}`],
      [`80/${'u'.repeat(100_000)}`],
      ['80', `!${HUGE}:80:80`],
      [`80:${'h'.repeat(100_000)}`, '80'],
      ['@db.example.com', HUGE],
      ['#', HUGE],
      [HUGE, 8080 as unknown as string],
      [{ toString: () => HUGE } as unknown as string],
    ];
    const messages = cases.map(entries => thrown(() => ServiceShorthand.parse(entries)));
    expect(messages.filter(message => message.length >= 1000).map(message => message.slice(0, 200))).toEqual([]);
    expect(messages.every(message => message.includes('...\' (10000'))).toBe(true);
  });

  test('on create and in a pattern', () => {
    const chart = new Chart(Testing.app(), 'app');
    const created = thrown(() => ServiceShorthand.create(chart, 'web', { entries: [`80:${HUGE}`] }));
    expect(created.length).toBeLessThan(1000);
    expect(created).toContain(`ServiceShorthand 'app/web': entry '80:${'8'.repeat(37)}...' (100003 characters) has targetPort '${'8'.repeat(40)}...' (100000 characters)`);

    const exposed = thrown(() => new ExposedDeployment(chart, 'Web', { container: { image: 'nginx', portNumber: 80 }, services: [ServiceExposure.shorthand([HUGE])] }));
    expect(exposed.length).toBeLessThan(1000);
    expect(exposed).toContain(`ExposedDeployment 'app/Web': services[0]: entry '${'8'.repeat(40)}...' (100000 characters)`);
  });

  test('a Service name is quoted shortened too', () => {
    const chart = new Chart(Testing.app(), 'app');
    const message = thrown(() => ServiceShorthand.create(chart, 'web', { entries: ['80'], metadata: { name: 'W'.repeat(100_000) } }));
    expect(message.length).toBeLessThan(1000);
    expect(message).toContain(`name '${'W'.repeat(40)}...' (100000 characters) is not a valid Service name`);
  });
});
