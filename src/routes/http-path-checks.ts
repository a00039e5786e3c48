import { Fail, quote } from '../services/quote';
import { HttpPathMatch, HttpPathMatchType } from './http-path-match';

// The checks of an HTTPRoute path match, shared by HttpRoute and the patterns' routes: the HTTPRoute
// CRD's schema and CEL rules (Gateway API v1.6.1, standard channel) on `matches[].path`.

const MAX_PATH_LENGTH = 1024;
/** The characters of an Exact or PathPrefix path (the CRD's CEL rule). */
const PATH_CHARACTERS = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$/;
/** The CRD's CEL rules on an Exact or PathPrefix path: what it must not contain or end with. */
const PATH_FORBIDDEN: [string, (path: string, part: string) => boolean][] = [
  ['//', (path, part) => path.includes(part)],
  ['/./', (path, part) => path.includes(part)],
  ['/../', (path, part) => path.includes(part)],
  ['%2f', (path, part) => path.includes(part)],
  ['%2F', (path, part) => path.includes(part)],
  ['#', (path, part) => path.includes(part)],
  ['/..', (path, part) => path.endsWith(part)],
  ['/.', (path, part) => path.endsWith(part)],
];

/**
 * Throw `fail(...)` when `path` breaks the CRD's rules; `where` names it in the message.
 * @internal
 */
export function checkPathMatch(path: HttpPathMatch, where: string, fail: Fail): void {
  if (path.value.length > MAX_PATH_LENGTH) {
    throw fail(`${where} ${quote(path.value)} is longer than ${MAX_PATH_LENGTH} characters`);
  }
  if (path.matchType === HttpPathMatchType.REGULAR_EXPRESSION) {
    if (path.value === '') {
      throw fail(`${where} is an empty regular expression; give a pattern, or use HttpPathMatch.pathPrefix('/') for every path`);
    }
    return;
  }
  if (!path.value.startsWith('/')) {
    throw fail(`${where} ${quote(path.value)} is not an absolute path; start it with '/'`);
  }
  for (const [part, found] of PATH_FORBIDDEN) {
    if (found(path.value, part)) {
      const how = part === '/..' || part === '/.' ? 'ends with' : 'contains';
      throw fail(`${where} ${quote(path.value)} ${how} '${part}'; Gateway API refuses ${part === '#' ? 'fragments' : 'paths that are not normalized'} in ${path.matchType} matches (use the normalized path)`);
    }
  }
  if (!PATH_CHARACTERS.test(path.value)) {
    throw fail(`${where} ${quote(path.value)} has characters a path may not have; use letters, digits, -._~!$&'()*+,;=:@/ and %-escapes such as %20`);
  }
}
