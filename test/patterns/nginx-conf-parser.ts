// A small nginx.conf parser for the tests: tokens (quotes, comments and `${variable}` honoured), statements ending
// in ';', blocks in braces. It throws on what nginx itself would reject structurally: an unclosed
// or unopened brace, a statement without ';', an empty statement.

export interface ParsedDirective {
  readonly name: string;
  readonly args: string[];
  readonly block?: ParsedDirective[];
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '{' || c === '}' || c === ';') {
      tokens.push(c);
      i++;
    } else if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw new Error(`unterminated quote at offset ${i}`);
      tokens.push(text.slice(i + 1, end));
      i = end + 1;
    } else {
      let j = i;
      while (j < text.length && !/[\s{};#]/.test(text[j])) {
        // `${name}` is one variable, braces included, as nginx reads it
        if (text[j] === '$' && text[j + 1] === '{') {
          const close = text.indexOf('}', j);
          if (close < 0) throw new Error(`unterminated variable at offset ${j}`);
          j = close;
        }
        j++;
      }
      tokens.push(text.slice(i, j));
      i = j;
    }
  }
  return tokens;
}

/**
 * Parse nginx.conf text into its directive tree.
 */
export function parseNginxConf(text: string): ParsedDirective[] {
  const tokens = tokenize(text);
  let pos = 0;
  const parseBlock = (nested: boolean): ParsedDirective[] => {
    const directives: ParsedDirective[] = [];
    while (pos < tokens.length) {
      if (tokens[pos] === '}') {
        if (!nested) throw new Error('unexpected "}"');
        pos++;
        return directives;
      }
      const words: string[] = [];
      while (pos < tokens.length && !['{', '}', ';'].includes(tokens[pos])) words.push(tokens[pos++]);
      if (words.length === 0) throw new Error(`empty statement before "${tokens[pos]}"`);
      if (tokens[pos] === ';') {
        pos++;
        directives.push({ name: words[0], args: words.slice(1) });
      } else if (tokens[pos] === '{') {
        pos++;
        directives.push({ name: words[0], args: words.slice(1), block: parseBlock(true) });
      } else {
        throw new Error(`"${words.join(' ')}" is not terminated by ";"`);
      }
    }
    if (nested) throw new Error('unexpected end of file, expecting "}"');
    return directives;
  };
  return parseBlock(false);
}

/**
 * The directives named `name` among `directives`.
 */
export function all(directives: ParsedDirective[] | undefined, name: string): ParsedDirective[] {
  return (directives ?? []).filter(d => d.name === name);
}

/**
 * The one directive named `name` (and with these leading arguments) among `directives`.
 */
export function one(directives: ParsedDirective[] | undefined, name: string, ...args: string[]): ParsedDirective {
  const found = all(directives, name).filter(d => args.every((arg, i) => d.args[i] === arg));
  if (found.length !== 1) {
    throw new Error(`expected one "${[name, ...args].join(' ')}", found ${found.length}`);
  }
  return found[0];
}
