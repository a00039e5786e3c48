// Reading manifests as the JSON they are: any value may have any type.

/**
 * Whether `value` is a JSON object (a mapping): not null, not an array.
 * @internal
 */
export function isObject(value: unknown): value is Record<string, any> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * `list` with `item` at its end: a new one-element array when `list` is undefined. For the short
 * lists of the model (a Service's ports, a route's backends): a literal `[item]` has room for one,
 * where a push onto `[]` makes room for 17.
 * @internal
 */
export function append<T>(list: T[] | undefined, item: T): T[] {
  if (list === undefined) {
    return [item];
  }
  list.push(item);
  return list;
}

/**
 * The empty list of the model, shared and frozen (the rules and the traffic map only read the
 * model; typed `never[]` so that it stands for any list of it).
 * @internal
 */
export const EMPTY = Object.freeze([]) as unknown as never[];

/**
 * `value` as a string map (labels, a selector), added to `out` (a new object by default), each
 * value as the API server decodes it.
 * @internal
 */
export function stringMap(value: unknown, out: Record<string, string> = {}): Record<string, string> {
  if (isObject(value)) {
    for (const k in value) {
      if (Object.prototype.hasOwnProperty.call(value, k)) {
        const v = value[k];
        // the API server decodes a null value of a string map as ''
        out[k] = v === null || v === undefined ? '' : String(v);
      }
    }
  }
  return out;
}

/**
 * The value at `path` in `value` (`['spec', 'template']`), undefined where a step is no object.
 * @internal
 */
export function valueAt(value: unknown, path: readonly string[]): unknown {
  let v = value;
  for (let i = 0; i < path.length; i++) {
    v = isObject(v) ? v[path[i]] : undefined;
  }
  return v;
}
