import { ObjectRef } from './finding';

/**
 * How findings name an object: `Service 'shop/web' (shop/Web)` at synth (the construct path),
 * `Service 'shop/web' (web.yaml:12)` in lint (the file and line).
 * @internal
 */
export function describeRef(ref: ObjectRef): string {
  const where = ref.constructPath !== undefined ? ` (${ref.constructPath})` : ref.source !== undefined ? ` (${ref.source})` : '';
  return `${ref.kind} '${ref.namespace}/${ref.name}'${where}`;
}
