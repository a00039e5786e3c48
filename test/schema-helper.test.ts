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
