/**
 * How an `HttpHeaderMatch` compares the header's value.
 */
export enum HttpHeaderMatchType {
  /** The value equals the given one. */
  EXACT = 'Exact',
  /** The value matches a regular expression (the dialect is the implementation's, mostly RE2). */
  REGULAR_EXPRESSION = 'RegularExpression',
}

/**
 * A request header an `HttpRouteMatch` asks for: `HttpHeaderMatch.exact('x-canary', 'true')` or
 * `HttpHeaderMatch.regularExpression('user-agent', '.*Mobile.*')`. Header names are compared
 * case-insensitively.
 *
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#httpheadermatch
 */
export class HttpHeaderMatch {
  /**
   * Requests with header `name` set to exactly `value`.
   */
  public static exact(name: string, value: string): HttpHeaderMatch {
    return new HttpHeaderMatch(HttpHeaderMatchType.EXACT, name, value);
  }

  /**
   * Requests with header `name` matching `pattern` (Gateway API "Implementation-specific" support).
   */
  public static regularExpression(name: string, pattern: string): HttpHeaderMatch {
    return new HttpHeaderMatch(HttpHeaderMatchType.REGULAR_EXPRESSION, name, pattern);
  }

  /**
   * @param matchType How the value is compared.
   * @param name The header's name.
   * @param value The value, or the regular expression.
   */
  private constructor(public readonly matchType: HttpHeaderMatchType, public readonly name: string, public readonly value: string) {}
}
