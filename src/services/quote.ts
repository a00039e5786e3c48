// Values in error messages. Quoting: a message echoes the bad value, but a huge one (a 100 KB
// entry pasted by mistake) is shortened so that the message stays readable.

/** The longest value quoted whole (a DNS name that is a little too long is still shown whole). */
const MAX_QUOTED = 100;
/** How much of a longer value is quoted. */
const SHOWN = 40;

/**
 * `'value'`, or for a value longer than 100 characters its first 40, `...` and its length:
 * `'8080808080...' (100000 characters)`.
 * @internal
 */
export function quote(value: string): string {
  if (value.length <= MAX_QUOTED) {
    return `'${value}'`;
  }
  // do not cut a surrogate pair in two
  const end = /[\uD800-\uDBFF]/.test(value[SHOWN - 1]) ? SHOWN - 1 : SHOWN;
  return `'${value.slice(0, end)}...' (${value.length} characters)`;
}

/**
 * Builds the Error of the construct that checks its input, in the library's one style
 * (`<Class> '<construct path>': <message>`), from the message.
 * @internal
 */
export type Fail = (message: string) => Error;

/**
 * Ports as messages list them: `80, 443 (https)`.
 * @internal
 */
export function portListText(mappings: readonly { readonly port: number; readonly name?: string }[]): string {
  return mappings.map(m => (m.name ? `${m.port} (${m.name})` : `${m.port}`)).join(', ');
}
