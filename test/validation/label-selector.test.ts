import { labelSelector, selectorMatches, selectorText } from '../../src/validation/label-selector';

describe('label selectors', () => {
  test('an absent selector is empty (matches everything); a malformed one is undefined', () => {
    expect(labelSelector(undefined)).toEqual({ matchLabels: {}, matchExpressions: [] });
    expect(labelSelector(null)).toEqual({ matchLabels: {}, matchExpressions: [] });
    expect(labelSelector('app=web')).toBeUndefined();
    expect(labelSelector({ matchLabels: ['app'] })).toBeUndefined();
    expect(labelSelector({ matchExpressions: [{ key: 'app', operator: 'Equals', values: ['web'] }] })).toBeUndefined();
  });

  test('matches as Requirement.Matches: In, NotIn, Exists, DoesNotExist and matchLabels all hold', () => {
    const selector = labelSelector({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['a', 'b'] },
        { key: 'track', operator: 'NotIn', values: ['canary'] },
        { key: 'team', operator: 'Exists' },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    })!;
    expect(selectorMatches(selector, { app: 'web', tier: 'a', team: 'x' })).toBe(true);
    expect(selectorMatches(selector, { app: 'web', tier: 'a', team: 'x', track: 'canary' })).toBe(false);
    expect(selectorMatches(selector, { app: 'web', tier: 'c', team: 'x' })).toBe(false);
    expect(selectorMatches(selector, { app: 'web', tier: 'a' })).toBe(false);
    expect(selectorMatches(selector, { app: 'web', tier: 'a', team: 'x', legacy: '' })).toBe(false);
    expect(selectorMatches(labelSelector(undefined)!, {})).toBe(true);
  });

  test('with incomplete labels, a requirement on a missing label is not known, and false still wins', () => {
    const selector = labelSelector({ matchLabels: { team: 'shop' } })!;
    expect(selectorMatches(selector, { 'kubernetes.io/metadata.name': 'shop' }, false)).toBeUndefined();
    expect(selectorMatches(selector, { 'kubernetes.io/metadata.name': 'shop' }, true)).toBe(false);
    const both = labelSelector({ matchLabels: { 'kubernetes.io/metadata.name': 'other', 'team': 'shop' } })!;
    expect(selectorMatches(both, { 'kubernetes.io/metadata.name': 'shop' }, false)).toBe(false);
  });

  test('text as kubectl -l writes it; everything when empty', () => {
    expect(selectorText(labelSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }, { key: 'legacy', operator: 'DoesNotExist' }, { key: 'team', operator: 'Exists' }] })!))
      .toEqual('app=web, tier in (a,b), !legacy, team');
    expect(selectorText(labelSelector(undefined)!)).toEqual('everything');
  });
});
