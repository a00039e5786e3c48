import { createHash } from 'crypto';
import { ApiObject, ApiObjectMetadata, Names } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { isDns1035Label, isDns1123Label, isDns1123Subdomain } from './kubernetes-names';

// Generated `metadata.name`s that always fit their kind. cdk8s names an object
// `<path components>-<8 characters of its address>`, at most 63 characters, keeping the last
// components (Chart.generateObjectName); that name stays whenever the kind accepts it. When it does not (a StatefulSet over 52
// characters, a Service name that starts with a digit, a `_` from a construct id), the name is
// rebuilt from the same path in [a-z0-9-], the end of the path kept, with a hash of the full path:
// deterministic, and distinct for distinct paths.

/** The id of a cdk8s-plus resource's ApiObject, under the resource. */
const RESOURCE_ID = 'Resource';
/** The length of the hash cdk8s appends. */
const HASH_LENGTH = 8;
/** A construct path whose generated name is its components joined by '-', starting with a letter. */
const SIMPLE_PATH = /^[A-Za-z][-A-Za-z0-9/]*$/;
/** cdk8s drops the name pieces 'default' and 'resource': as the first, the next would start the name. */
const PIECE_DROPPED_FIRST = /^(default|resource)([-/]|$)/i;

/**
 * What a generated name must be for one kind of object.
 * @internal
 */
export interface NameRule {
  /** The longest name the kind works with. */
  readonly maxLen: number;
  /** Whether a name is valid for the kind. */
  readonly valid: (name: string) => boolean;
}

/**
 * Most objects (Deployment, ConfigMap, Secret, PersistentVolumeClaim, Job, NetworkPolicy, ...): a
 * DNS-1123 subdomain, kept within the 63 characters cdk8s generates (a Job's name is also its pods'
 * `job-name` label value).
 * @internal
 */
export const OBJECT_NAME: NameRule = { maxLen: 63, valid: isDns1123Subdomain };

/**
 * A Service: a DNS-1035 label (at most 63 characters, starting with a letter).
 * @internal
 */
export const SERVICE_NAME: NameRule = { maxLen: 63, valid: isDns1035Label };

/**
 * A StatefulSet: a DNS-1123 label (its pods' host names are `<name>-<ordinal>`) of at most 52
 * characters, so that the controller's `controller-revision-hash` label value, `<name>-<hash of
 * up to 10>`, stays within 63; with a longer name the StatefulSet is accepted and never gets a pod.
 * @internal
 */
export const STATEFUL_SET_NAME: NameRule = { maxLen: 52, valid: name => name.length <= 52 && isDns1123Label(name) };

/**
 * The `metadata.name` for the object `id` in `scope`: undefined when the name its chart generates
 * fits `rule` (so that name stays), else a name that does. The object is the ApiObject child
 * `Resource` of the construct `id` (a cdk8s-plus resource, a typed Service), or, with `own`, the
 * construct `id` itself (an `HttpRoute`, a ReferenceGrant).
 * @internal
 */
export function generatedName(scope: IConstruct, id: string, rule: NameRule, own: boolean = false): string | undefined {
  // A short path of letters, digits and '-' that starts with a letter gives a name that fits, with
  // or without the hash: at most the path, '-' and 8 characters, as the ApiObject's path (with
  // '/Resource' for a resource's), and the hash are not cut (the common case, without building a name).
  const path = scope.node.path === '' ? id : `${scope.node.path}/${id}`;
  const child = own ? 0 : 1 + RESOURCE_ID.length;
  if (path.length + child + 1 + HASH_LENGTH <= rule.maxLen && SIMPLE_PATH.test(path) && !PIECE_DROPPED_FIRST.test(path)) {
    return undefined;
  }
  const fits = (name: string) => name.length <= rule.maxLen && rule.valid(name);
  // Names.toDnsLabel of the same path with the scope's address instead of the ApiObject's has the
  // length and characters of the ApiObject's own name (an address is 'c8' and hex digits), with
  // the chart's name hashes and without (`disableResourceNameHashes`): the usual, quick case.
  const extra = own ? [id] : [id, RESOURCE_ID];
  if (fits(Names.toDnsLabel(scope, { extra })) && fits(Names.toDnsLabel(scope, { extra, includeHash: false }))) {
    return undefined;
  }
  // Else the exact name the chart would give it (Chart.generateObjectName), from a stand-in at its place.
  const props = { apiVersion: 'v1', kind: 'NamePreview' };
  const standIn = own ? new ApiObject(scope, id, props) : new ApiObject(new Construct(scope, id), RESOURCE_ID, props);
  const name = standIn.name;
  scope.node.tryRemoveChild(id);
  return fits(name) ? undefined : fittedName(path, rule.maxLen);
}

/**
 * `metadata` with the name of `generatedName()` (`own` as there) when it gives one and `metadata` has none (cdk8s
 * takes a `name: undefined` for a name); `metadata` itself (not a copy) otherwise.
 * @internal
 */
export function withGeneratedName(metadata: ApiObjectMetadata | undefined, scope: IConstruct, id: string, rule: NameRule, own: boolean = false): ApiObjectMetadata {
  if (metadata?.name !== undefined && metadata.name !== null) {
    return metadata;
  }
  const name = generatedName(scope, id, rule, own);
  return name === undefined ? metadata ?? {} : { ...metadata, name };
}

/**
 * A name of at most `maxLen` characters of [a-z0-9-] that starts with a letter, for the construct
 * path `path`: its components, the end kept, and 8 hex digits of a hash of the whole path. Valid for
 * every kind of object.
 * @internal
 */
export function fittedName(path: string, maxLen: number): string {
  const hash = createHash('sha256').update(path).digest('hex').slice(0, 8);
  const parts = path.split('/')
    .map(part => part.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, ''))
    .filter(part => part !== '');
  const body = parts.filter((part, i) => part !== parts[i - 1]).join('-');
  const room = maxLen - hash.length - 1;
  const tail = body.slice(Math.max(0, body.length - room)).replace(/^[^a-z]+/, '');
  return `${tail === '' ? 'object' : tail}-${hash}`;
}
