import * as fs from 'fs';
import * as path from 'path';
import type * as YamlModule from 'yaml';
import { ManifestInput } from './from-manifests';

// Reads manifests for the wiring rules: YAML (one or many documents) and JSON, `List` objects
// flattened, each object with the file and line it starts on. Used by `cdk8s-svc lint` and by the
// cdk8s validation plugin.

/**
 * The `yaml` package cdk8s bundles: its errors carry positions, and it is already installed
 * wherever cdk8s is, so the library needs no dependency of its own.
 */
let yamlModule: typeof YamlModule | undefined;
function yaml(): typeof YamlModule {
  if (yamlModule === undefined) {
    yamlModule = require(require.resolve('yaml', { paths: [path.dirname(require.resolve('cdk8s'))] })) as typeof YamlModule;
  }
  return yamlModule;
}

/**
 * A file that could not be linted, or was skipped.
 * @internal
 */
export interface InputProblem {
  /** The file as the user named it (`<stdin>` for standard input). */
  readonly file: string;
  /** 1-based line, when the problem has one. */
  readonly line?: number;
  /** The whole message, starting with who reports it. */
  readonly message: string;
}

/** @internal */
export interface ParsedManifests {
  readonly inputs: ManifestInput[];
  /** Set when the file is a template (a Helm action, see `isHelmAction`, or `{{` and no valid YAML), which is not linted. */
  readonly skipped?: InputProblem;
  /** Set when the file is not valid YAML or JSON. */
  readonly error?: InputProblem;
}

/** @internal */
export interface ReadManifestsResult {
  /** The files read, in order. */
  readonly files: string[];
  readonly inputs: ManifestInput[];
  readonly skipped: InputProblem[];
  readonly errors: InputProblem[];
}

const WHO = 'cdk8s-svc lint';
const MANIFEST_FILE = /\.(ya?ml|json)$/i;
const TEMPLATE_ACTION = /\{\{[\s\S]*?\}\}/g;

function isObject(value: unknown): value is Record<string, any> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function invalid(file: string, line: number, column: number, format: string, detail: string): InputProblem {
  return {
    file,
    line,
    message: `${WHO}: '${file}' line ${line}, column ${column}: not valid ${format} (${detail}); fix the file, only valid YAML and JSON are linted`,
  };
}

/** The ranges of block scalars (`|`, `>`), where a ConfigMap may legitimately carry `{{ }}`. */
function addBlockScalars(doc: YamlModule.Document.Parsed, blocks: [number, number][]): void {
  yaml().visit(doc, {
    Scalar(_key, node) {
      if ((node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') && node.range) {
        blocks.push([node.range[0], node.range[1]]);
      }
    },
  });
}

/** Helm's built-in objects: `.Values.x`, `$.Release.Name`, ... */
const HELM_OBJECT = /(^|[^A-Za-z0-9_])\.(Values|Release|Chart|Capabilities|Files|Template)\b/;
/** Actions and functions Helm templates use, as the first word of an action or pipeline element. */
const HELM_WORDS = new Set([
  'include', 'template', 'define', 'if', 'else', 'end', 'range', 'with', 'toYaml', 'tpl', 'required', 'default', 'quote', 'nindent', 'indent',
]);

/**
 * Whether a template action looks like Helm's, not like the Go templates that valid rendered
 * manifests carry as data (Prometheus rule annotations `{{ $labels.instance }}`, Argo Workflows
 * `{{inputs.parameters.x}}`, ...): trim markers (`{{-`, `-}}`), Helm's built-in objects, or a Helm
 * action or function as the first word of a pipeline element.
 */
function isHelmAction(action: string): boolean {
  if (action.startsWith('{{-') || action.endsWith('-}}')) {
    return true;
  }
  const body = action.slice(2, -2);
  if (HELM_OBJECT.test(body)) {
    return true;
  }
  return body.split('|').some(element => {
    // `$x := include ...` and `(include ...)`: the word after the assignment or parenthesis
    const word = /^\s*(?:\$[A-Za-z0-9_]*\s*:?=\s*)?\(*\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(element);
    return word !== null && HELM_WORDS.has(word[1]);
  });
}

/**
 * The first template action (`{{ ... }}`) outside `blocks`: with `helmOnly`, the first that looks
 * like Helm (`isHelmAction`).
 */
function templateAction(text: string, blocks: [number, number][], helmOnly: boolean): { at: number; action: string } | undefined {
  for (const match of text.matchAll(TEMPLATE_ACTION)) {
    const at = match.index!;
    if (blocks.some(([start, end]) => at >= start && at < end)) {
      continue;
    }
    if (!helmOnly || isHelmAction(match[0])) {
      return { at, action: match[0] };
    }
  }
  return undefined;
}

class JsonSyntaxError extends Error {
  constructor(public readonly offset: number, message: string) {
    super(message);
  }
}

/**
 * The first syntax error of a text that JSON.parse rejected, with its offset (JSON.parse's own
 * messages carry no position for most errors).
 */
function jsonError(text: string): JsonSyntaxError {
  let i = 0;
  const fail = (what: string): never => {
    throw new JsonSyntaxError(i, i < text.length ? `unexpected ${JSON.stringify(text[i])}, expected ${what}` : `unexpected end of input, expected ${what}`);
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) {
      i++;
    }
  };
  const string = () => {
    i++; // the opening quote
    while (text[i] !== '"') {
      if (i >= text.length || text.charCodeAt(i) < 0x20) {
        fail('a closing \'"\'');
      }
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) {
          i += 4;
        } else if (text[i] === undefined || !'"\\/bfnrt'.includes(text[i])) {
          fail('an escape sequence');
        }
      }
      i++;
    }
    i++;
  };
  const value = (): void => {
    space();
    const char = text[i];
    if (char === '{' || char === '[') {
      const close = char === '{' ? '}' : ']';
      i++;
      space();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (close === '}') {
          space();
          if (text[i] !== '"') {
            fail('a property name in double quotes');
          }
          string();
          space();
          if (text[i] !== ':') {
            fail('\':\'');
          }
          i++;
        }
        value();
        space();
        if (text[i] === ',') {
          i++;
        } else if (text[i] === close) {
          i++;
          return;
        } else {
          fail(`',' or '${close}'`);
        }
      }
    }
    if (char === '"') {
      string();
      return;
    }
    const token = /^(-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (token === null) {
      fail('a value');
    }
    i += token![0].length;
  };
  try {
    value();
    space();
    if (i < text.length) {
      fail('the end of the document');
    }
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      return error;
    }
    throw error;
  }
  return new JsonSyntaxError(0, 'not JSON');
}

/** 1-based line and column of an offset. */
function position(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return { line, col: offset - lineStart + 1 };
}

/**
 * The objects of one file's text, `List` items flattened, each with the line it starts on.
 * @internal
 */
export function parseManifestText(content: string, file: string, options: { readonly detectTemplates: boolean }): ParsedManifests {
  // editors on Windows may write a byte order mark, which JSON.parse rejects
  const text = content.startsWith('\uFEFF') ? content.slice(1) : content;
  const y = yaml();
  const lineCounter = new y.LineCounter();
  const json = /\.json$/i.test(file);
  if (json) {
    try {
      JSON.parse(text);
    } catch {
      const error = jsonError(text);
      // an early end is reported where the text ends, not on the empty line after it
      const { line, col } = position(text, Math.min(error.offset, text.trimEnd().length));
      return { inputs: [], error: invalid(file, line, col, 'JSON', error.message) };
    }
  }
  // Documents are composed and converted one at a time, so only one syntax tree is in memory.
  const mayBeTemplate = options.detectTemplates && text.includes('{{');
  const blocks: [number, number][] = [];
  const inputs: ManifestInput[] = [];
  let failure: { offset: number; message: string } | undefined;
  // merge keys (`<<: *labels`) as Kubernetes' own YAML 1.1 parser reads them
  const composer = new y.Composer({ prettyErrors: false, logLevel: 'error', merge: true });
  for (const doc of composer.compose(new y.Parser(lineCounter.addNewLine).parse(text))) {
    if (doc.errors.length > 0) {
      failure = { offset: doc.errors[0].pos[0], message: doc.errors[0].message };
      break;
    }
    if (mayBeTemplate) {
      addBlockScalars(doc, blocks);
    }
    const start = doc.contents?.range[0] ?? 0;
    try {
      addObjects(doc.toJS({ maxAliasCount: 1000 }), doc.contents, lineCounter.linePos(start).line, file, lineCounter, inputs);
    } catch (error) {
      failure = { offset: start, message: (error as Error).message };
      break;
    }
  }
  const streamError = failure === undefined ? composer.streamInfo().errors[0] : undefined;
  if (streamError !== undefined) {
    failure = { offset: streamError.pos[0], message: streamError.message };
  }
  // A file is a template when it has an action that looks like Helm's (outside block scalars,
  // where ConfigMaps carry Alertmanager and Grafana templates as data), or when it has `{{` and
  // does not parse. Other `{{ }}` in a file that parses is data: the file is linted.
  const template = mayBeTemplate
    ? (failure === undefined ? templateAction(text, blocks, true) : templateAction(text, [], true) ?? templateAction(text, [], false))
    : undefined;
  if (template !== undefined) {
    const action = template.action.replace(/\s+/g, ' ');
    const line = position(text, template.at).line;
    return {
      inputs: [],
      skipped: { file, line, message: `${WHO}: '${file}' is a template ('${action}' on line ${line}), skipped; render it first (helm template, kustomize build) and lint the output` },
    };
  }
  if (failure !== undefined) {
    const { line, col } = position(text, failure.offset);
    return { inputs: [], error: invalid(file, line, col, json ? 'JSON' : 'YAML', failure.message) };
  }
  return { inputs };
}

function addObjects(value: unknown, node: unknown, line: number, file: string, lineCounter: YamlModule.LineCounter, inputs: ManifestInput[]): void {
  if (!isObject(value)) {
    return;
  }
  if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) {
    // `kind: List` (kubectl get -o yaml), or a typed list (ServiceList) whose items carry no kind
    const itemKind = value.kind === 'List' ? undefined : value.kind.slice(0, -'List'.length);
    const itemNodes = yaml().isMap(node) ? node.get('items', true) : undefined;
    value.items.forEach((item: unknown, i: number) => {
      const itemNode = yaml().isSeq(itemNodes) ? itemNodes.items[i] : undefined;
      const itemLine = yaml().isNode(itemNode) && itemNode.range ? lineCounter.linePos(itemNode.range[0]).line : line;
      const withKind = itemKind !== undefined && isObject(item) && item.kind === undefined ? { ...item, kind: itemKind } : item;
      addObjects(withKind, itemNode, itemLine, file, lineCounter, inputs);
    });
    return;
  }
  if (typeof value.kind === 'string') { // Kubernetes objects only, not values.yaml or package.json
    inputs.push({ manifest: value, source: `${file}:${line}` });
  }
}

function listFiles(dir: string, files: string[], errors: InputProblem[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    errors.push(unreadable(dir, error));
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      // not .git/, .github/, node_modules/ (package.json, tsconfig.json, ...): only what is named
      if (!entry.name.startsWith('.') && entry.name !== 'node_modules') {
        listFiles(full, files, errors);
      }
    } else if (MANIFEST_FILE.test(entry.name) && (entry.isFile() || (entry.isSymbolicLink() && isFile(full)))) {
      files.push(full);
    }
  }
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function unreadable(file: string, error: unknown): InputProblem {
  // fs errors are Errors, but of another realm under some test runners: read the message directly
  const message = (error as { message?: unknown } | undefined)?.message;
  const reason = typeof message === 'string' ? message : String(error);
  return { file, message: `${WHO}: cannot read '${file}' (${reason}); give existing files, directories, or - for standard input` };
}

/**
 * Read manifests from files, directories (recursively: *.yaml, *.yml, *.json, not in directories
 * named `node_modules` or starting with `.`) and `-` (standard input, read by `readStdin`). A file
 * that cannot be read or parsed is reported and the others are still read.
 * @internal
 */
export function readManifestPaths(paths: string[], readStdin: () => string): ReadManifestsResult {
  const result: ReadManifestsResult = { files: [], inputs: [], skipped: [], errors: [] };
  const seen = new Set<string>();
  const read = (file: string, text: () => string) => {
    let content: string;
    try {
      content = text();
    } catch (error) {
      result.errors.push(unreadable(file, error));
      return;
    }
    result.files.push(file);
    const parsed = parseManifestText(content, file, { detectTemplates: true });
    result.inputs.push(...parsed.inputs);
    if (parsed.skipped) {
      result.skipped.push(parsed.skipped);
    }
    if (parsed.error) {
      result.errors.push(parsed.error);
    }
  };
  for (const given of paths) {
    if (given === '-') {
      read('<stdin>', readStdin);
      continue;
    }
    let files: string[];
    try {
      files = fs.statSync(given).isDirectory() ? [] : [given];
    } catch (error) {
      result.errors.push(unreadable(given, error));
      continue;
    }
    if (files.length === 0) {
      listFiles(given, files, result.errors);
    }
    for (const file of files) {
      const key = path.resolve(file);
      if (!seen.has(key)) {
        seen.add(key);
        read(file, () => fs.readFileSync(file, 'utf8'));
      }
    }
  }
  return result;
}

/**
 * The objects of one manifest file that cdk8s wrote; throws when it cannot be read or parsed.
 * @internal
 */
export function readManifestFile(file: string, who: string): ManifestInput[] {
  const parsed = parseManifestText(fs.readFileSync(file, 'utf8'), file, { detectTemplates: false });
  if (parsed.error) {
    throw new Error(parsed.error.message.replace(`${WHO}:`, `${who}:`));
  }
  return parsed.inputs;
}
