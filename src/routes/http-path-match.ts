/**
 * How an `HttpPathMatch` compares the request path.
 */
export enum HttpPathMatchType {
  /** The path equals the value. */
  EXACT = 'Exact',
  /** The path starts with the value, element by element: `/api` matches `/api` and `/api/x`, not `/apix`. */
  PATH_PREFIX = 'PathPrefix',
  /** The path matches a regular expression (the dialect is the implementation's, mostly RE2). */
  REGULAR_EXPRESSION = 'RegularExpression',
}

/**
 * The request path an `HttpRouteMatch` asks for: `HttpPathMatch.pathPrefix('/api')`,
 * `HttpPathMatch.exact('/login')` or `HttpPathMatch.regularExpression('^/v[0-9]+/')`.
 *
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#httppathmatch
 */
export class HttpPathMatch {
  /**
   * Requests whose path is exactly `path` (an absolute path, such as `/login`).
   */
  public static exact(path: string): HttpPathMatch {
    return new HttpPathMatch(HttpPathMatchType.EXACT, path);
  }

  /**
   * Requests whose path starts with `path`, element by element: `/api` matches `/api` and
   * `/api/orders`, not `/apis`. `/` matches every request.
   */
  public static pathPrefix(path: string): HttpPathMatch {
    return new HttpPathMatch(HttpPathMatchType.PATH_PREFIX, path);
  }

  /**
   * Requests whose path matches `pattern` (Gateway API "Implementation-specific" support: the
   * regular expression dialect is the implementation's, mostly RE2).
   */
  public static regularExpression(pattern: string): HttpPathMatch {
    return new HttpPathMatch(HttpPathMatchType.REGULAR_EXPRESSION, pattern);
  }

  /**
   * @param matchType How the path is compared.
   * @param value The path, or the regular expression.
   */
  private constructor(public readonly matchType: HttpPathMatchType, public readonly value: string) {}
}
