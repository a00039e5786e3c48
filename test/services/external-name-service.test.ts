import * as kplus from 'cdk8s-plus-27';
import { ExternalNameService, ServiceShorthand, WordPressStack } from 'cdk8s-service-patterns';
import { findOne, newChart, synth } from '../util';

describe('ExternalNameService', () => {
  test('defaults', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const service = new ExternalNameService(chart, 'Db', { externalName: 'db.example.com' });

    // THEN
    const manifests = synth(chart);
    expect(findOne(manifests, 'Service', service.name).spec).toEqual({ type: 'ExternalName', externalName: 'db.example.com' });
    expect(manifests).toMatchSnapshot();
  });

  test('keeps ports and accepts a trailing dot', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    new ExternalNameService(chart, 'Db', { metadata: { name: 'db' }, externalName: 'db.example.com.', ports: [{ port: 3306 }] });

    // THEN
    expect(findOne(synth(chart), 'Service', 'db').spec).toEqual({
      type: 'ExternalName',
      externalName: 'db.example.com.',
      ports: [{ port: 3306, targetPort: 3306 }],
    });
  });

  test('fails when externalName is not a lowercase DNS name', () => {
    const chart = newChart();
    expect(() => new ExternalNameService(chart, 'A', { externalName: 'DB.example.com' })).toThrow(/externalName 'DB.example.com' is not a valid DNS name/);
    expect(() => new ExternalNameService(chart, 'B', { externalName: 'db_1.example.com' })).toThrow(/externalName 'db_1.example.com'/);
    expect(() => new ExternalNameService(chart, 'C', { externalName: '' })).toThrow(/externalName ''/);
    expect(() => new ExternalNameService(chart, 'D', { externalName: `${'a'.repeat(64)}.com` })).toThrow(/is not a valid DNS name/);
  });

  test.each(['10.0.0.1', '10.0.0.1.', '2001:db8::1', '[2001:db8::1]', 'fe80::1%eth0'])('fails when externalName is an IP address: %p', ip => {
    // GIVEN
    const chart = newChart();

    // WHEN / THEN: one rule for the construct, the shorthand (and so the CLI) and WordPressStack
    const reason = 'is an IP address; an ExternalName Service is a DNS CNAME, and cluster DNS does not resolve a name that looks like an IP address';
    expect(() => new ExternalNameService(chart, 'Db', { externalName: ip })).toThrow(`ExternalNameService 'test/Db': externalName '${ip}' ${reason}`);
    expect(() => ServiceShorthand.parse([`@${ip}`])).toThrow(`entry '@${ip}' has externalName '${ip}', which ${reason}`);
    expect(() => ServiceShorthand.create(chart, 'Short', { entries: [`@${ip}`] })).toThrow(reason);
    expect(() => new WordPressStack(chart, 'blog', { externalDatabase: { host: ip } })).toThrow(`externalDatabase.host '${ip}' ${reason}`);
  });

  test('a name made of digits that is no IP address is a DNS name', () => {
    const chart = newChart();
    expect(new ExternalNameService(chart, 'Db', { externalName: '10.0.0' }).externalName).toEqual('10.0.0');
  });

  test('fails when a selector is added', () => {
    const chart = newChart();
    const service = new ExternalNameService(chart, 'Db', { externalName: 'db.example.com' });
    const pods = kplus.Pods.select(chart, 'Pods', { labels: { app: 'db' } });
    expect(() => service.select(pods)).toThrow(/ExternalNameService 'test\/Db': select\(test\/Pods\) is not allowed: an ExternalName Service has no selector/);
    expect(() => service.selectLabel('app', 'db')).toThrow(/selectLabel\('app', 'db'\) is not allowed/);
  });
});
