// Reading manifests as the JSON they are: any value may have any type.

/**
 * Whether `value` is a JSON object (a mapping): not null, not an array.
 * @internal
 */
export function isObject(value: unknown): value is Record<string, any> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
