import * as fs from 'fs';
import * as path from 'path';
import type * as YamlModule from 'yaml';
import { DuplicateKey, ManifestInput } from './from-manifests';
import { isObject } from './json-value';

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
 * A document (or a path) that could not be linted, or was skipped.
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
  /** How many documents were read and linted (empty documents do not count). */
  readonly documents: number;
  /** The documents that are templates (see `templateSyntax`), which are not linted. */
  readonly skipped: InputProblem[];
  /** The documents that are not valid YAML or JSON. */
  readonly errors: InputProblem[];
}

/** @internal */
export interface ReadManifestsResult {
  /** The files read, in order. */
  readonly files: string[];
  readonly inputs: ManifestInput[];
  /** How many documents were read and linted. */
  documents: number;
  readonly skipped: InputProblem[];
  readonly errors: InputProblem[];
}

const WHO = 'cdk8s-svc lint';
const MANIFEST_FILE = /\.(ya?ml|json)$/i;
/** A document marker at the start of a line: `---` followed by a space, a tab or the line end. */
const DOCUMENT_MARKER = /^---(?=[ \t\r\n]|$)/gm;

function invalid(file: string, line: number, column: number, format: string, detail: string): InputProblem {
  return {
    file,
    line,
    message: `${WHO}: '${file}' line ${line}, column ${column}: not valid ${format} (${detail}); fix the file, only valid YAML and JSON are linted`,
  };
}

/** 1-based lines and columns of the offsets of one text, by binary search over its line starts. */
class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) {
      this.starts.push(at + 1);
    }
  }

  public position(offset: number): { line: number; col: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= offset) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return { line: low + 1, col: offset - this.starts[low] + 1 };
  }

  public line(offset: number): number {
    return this.position(offset).line;
  }
}

/**
 * The parts of a YAML stream, split before each document marker (`---` at the start of a line):
 * what YAML itself does with a valid stream (a marker at the start of a line ends any scalar or
 * collection), and what keeps a document that does not parse (an unclosed quote or bracket) from
 * swallowing the documents after it. Directives (`%YAML`) before a marker stay with its document.
 */
function documentParts(text: string): [number, number][] {
  const starts = [0];
  for (const match of text.matchAll(DOCUMENT_MARKER)) {
    let start = match.index!;
    while (start > 0) {
      const lineStart = text.lastIndexOf('\n', start - 2) + 1;
      if (text[lineStart] !== '%') {
        break;
      }
      start = lineStart;
    }
    if (start > starts[starts.length - 1]) {
      starts.push(start);
    }
  }
  return starts.map((start, i) => [start, i + 1 < starts.length ? starts[i + 1] : text.length]);
}

/** Where a part's text is a quoted scalar, a block scalar or a comment (`data`), or a plain scalar. */
interface TextRange {
  readonly start: number;
  readonly end: number;
  readonly plain: boolean;
}

interface SourceToken {
  readonly type: string;
  readonly offset: number;
  readonly source: string;
}

function isSourceToken(value: object): value is SourceToken {
  const token = value as Partial<SourceToken>;
  return typeof token.type === 'string' && typeof token.offset === 'number' && typeof token.source === 'string';
}

/** The scalar and comment ranges of CST tokens (`yaml`'s Parser output), in any order. */
function addScalarRanges(value: unknown, ranges: TextRange[]): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      addScalarRanges(item, ranges);
    }
    return;
  }
  if (value === null || typeof value !== 'object') {
    return;
  }
  if (isSourceToken(value)) {
    const { type, offset, source } = value;
    if (type === 'comment' || type === 'single-quoted-scalar' || type === 'double-quoted-scalar') {
      ranges.push({ start: offset, end: offset + source.length, plain: false });
    } else if (type === 'scalar') {
      ranges.push({ start: offset, end: offset + source.length, plain: true });
    } else if (type === 'block-scalar') {
      // `offset` is the header's (`|-`); the body (`source`) follows the header line's props
      const props = (value as { props?: unknown }).props;
      const last = Array.isArray(props) && props.length > 0 ? props[props.length - 1] : undefined;
      const bodyStart = isObject(last) && isSourceToken(last) ? last.offset + last.source.length : offset;
      ranges.push({ start: offset, end: bodyStart + source.length, plain: false });
    }
  }
  for (const [key, child] of Object.entries(value)) {
    if (key !== 'source' && child !== null && typeof child === 'object') {
      addScalarRanges(child, ranges);
    }
  }
}

/** Helm's built-in objects: `.Values.x`, `$.Release.Name`, ... */
const HELM_OBJECT = /(^|[^A-Za-z0-9_])\.(Values|Release|Chart|Capabilities|Files|Template)\b/;
/**
 * Functions only Helm's template engine has (not Go's text/template, Prometheus' or
 * Alertmanager's), as the first word of a pipeline element.
 */
const HELM_FUNCTIONS = new Set(['include', 'tpl', 'toYaml', 'toJson', 'required', 'default', 'quote', 'nindent', 'indent', 'lookup']);

/**
 * Whether a template action in a plain scalar is Helm's (`web-{{ .Values.x }}`), rather than the
 * Go template text that rendered manifests carry as data, unquoted as YAML serializers write it
 * (`description: Pod {{ $labels.namespace }}/{{ $labels.pod }} is {{ if ... }}`).
 */
function isHelmAction(action: string): boolean {
  const body = action.replace(/^\{\{-?/, '').replace(/-?\}\}$/, '');
  if (HELM_OBJECT.test(body)) {
    return true;
  }
  return body.split('|').some(element => {
    // `$x := include ...` and `(include ...)`: the word after the assignment or parenthesis
    const word = /^\s*(?:\$[A-Za-z0-9_]*\s*:?=\s*)?\(*\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(element);
    return word !== null && HELM_FUNCTIONS.has(word[1]);
  });
}

/** The template action that starts at `at`: up to its `}}`, or to the end of the line. */
function actionAt(text: string, at: number): string {
  const close = text.indexOf('}}', at + 2);
  const lineEnd = text.indexOf('\n', at);
  const end = close >= 0 ? close + 2 : lineEnd >= 0 ? lineEnd : text.length;
  return text.slice(at, end);
}

/**
 * The template syntax of a part of a YAML stream, in order: every `{{` in the YAML structure (an
 * action on a line of its own, `{{ .Values.x }}` as a value or key, which YAML reads as a flow
 * mapping), and Helm actions inside plain scalars (`name: web-{{ .Values.x }}`). `{{ }}` in
 * quoted and block scalars is data (Prometheus rule annotations, Alertmanager titles, Argo
 * Workflows parameters, templates a ConfigMap carries), as is `{{ }}` in comments.
 */
function templateSyntax(text: string, tokens: unknown): { at: number; action: string }[] {
  const found: { at: number; action: string }[] = [];
  let at = text.indexOf('{{');
  if (at < 0) {
    return found;
  }
  const ranges: TextRange[] = [];
  addScalarRanges(tokens, ranges);
  ranges.sort((a, b) => a.start - b.start);
  let next = 0; // ranges before the current `{{` are passed over once
  for (; at >= 0; at = text.indexOf('{{', at + 2)) {
    while (next < ranges.length && ranges[next].end <= at) {
      next++;
    }
    const range = next < ranges.length && ranges[next].start <= at ? ranges[next] : undefined;
    const action = actionAt(text, at);
    if (range === undefined || (range.plain && isHelmAction(action))) {
      found.push({ at, action });
    }
  }
  return found;
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

/**
 * How the cluster's tools read YAML: kubectl 1.27 (sigs.k8s.io/yaml over gopkg.in/yaml.v2, not
 * strict) keeps the last value of a duplicate key; merge keys (`<<: *labels`) as YAML 1.1 reads them.
 */
const COMPOSER_OPTIONS = { prettyErrors: false, logLevel: 'error', merge: true, uniqueKeys: false } as const;

/** What `parseManifestText` collects, document by document. */
interface Reading {
  readonly file: string;
  readonly lines: LineIndex;
  readonly inputs: ManifestInput[];
  documents: number;
  readonly skipped: InputProblem[];
  readonly errors: InputProblem[];
}

/**
 * The objects of one file's text, `List` items flattened, each with the line it starts on. Each
 * document is read on its own: a template document is skipped and a document that is not valid
 * YAML is reported, and the other documents of the text are still read.
 * @internal
 */
export function parseManifestText(content: string, file: string, options: { readonly detectTemplates: boolean }): ParsedManifests {
  // editors on Windows may write a byte order mark, which JSON.parse rejects
  const text = content.startsWith('\uFEFF') ? content.slice(1) : content;
  const reading: Reading = { file, lines: new LineIndex(text), inputs: [], documents: 0, skipped: [], errors: [] };
  const json = /\.json$/i.test(file);
  if (json) {
    try {
      JSON.parse(text);
    } catch {
      const error = jsonError(text);
      // an early end is reported where the text ends, not on the empty line after it
      const { line, col } = reading.lines.position(Math.min(error.offset, text.trimEnd().length));
      return { inputs: [], documents: 0, skipped: [], errors: [invalid(file, line, col, 'JSON', error.message)] };
    }
  }
  for (const [start, end] of json ? [[0, text.length]] : documentParts(text)) {
    readPart(text.slice(start, end), start, reading, options.detectTemplates);
  }
  return { inputs: reading.inputs, documents: reading.documents, skipped: reading.skipped, errors: reading.errors };
}

/** The documents of one part of a stream (`documentParts`): usually one, more after a `...` line. */
function readPart(text: string, offset: number, reading: Reading, detectTemplates: boolean): void {
  const y = yaml();
  const tokens = Array.from(new y.Parser().parse(text));
  const composer = new y.Composer(COMPOSER_OPTIONS);
  // Parts are read one at a time, so only one document's syntax tree is in memory.
  const docs = Array.from(composer.compose(tokens));
  const templates = detectTemplates ? templateSyntax(text, tokens) : [];
  const { file, lines } = reading;
  let reported = false; // a stream-level error is reported only for a part with no other problem
  docs.forEach((doc, i) => {
    // a document's text runs to the next one's: template syntax there is the document's
    const from = i === 0 ? 0 : doc.range[0];
    const to = i + 1 < docs.length ? docs[i + 1].range[0] : text.length;
    const template = templates.find(({ at }) => at >= from && at < to);
    if (template !== undefined) {
      const line = lines.line(offset + template.at);
      reading.skipped.push({
        file,
        line,
        message: `${WHO}: '${file}' line ${line}: a template document ('${template.action.replace(/\s+/g, ' ')}'), skipped; render it first (helm template, kustomize build) and lint the output`,
      });
      reported = true;
      return;
    }
    const error = doc.errors[0];
    if (error !== undefined) {
      // an early end (an unclosed quote or bracket) is reported where the text ends, not on the next marker
      const { line, col } = lines.position(offset + Math.min(error.pos[0], text.trimEnd().length));
      reading.errors.push(invalid(file, line, col, 'YAML', error.message));
      reported = true;
      return;
    }
    if (doc.contents === null) {
      return; // an empty document, or only comments
    }
    const start = offset + doc.contents.range[0];
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (error_) {
      const { line, col } = lines.position(start);
      reading.errors.push(invalid(file, line, col, 'YAML', (error_ as Error).message));
      reported = true;
      return;
    }
    if (value === null || value === undefined) {
      return; // an empty document after `---`
    }
    reading.documents++;
    addObjects(value, doc.contents, lines.line(start), at => lines.line(offset + at), file, reading.inputs);
  });
  const streamError = composer.streamInfo().errors[0];
  if (streamError !== undefined && !reported) {
    const { line, col } = lines.position(offset + streamError.pos[0]);
    reading.errors.push(invalid(file, line, col, 'YAML', streamError.message));
  }
}

/** The path of a key below `path`: `spec.selector.app`, `metadata.labels["app.kubernetes.io/name"]`. */
function fieldPath(path: string, key: string): string {
  if (!/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key)) {
    return `${path}[${JSON.stringify(key)}]`;
  }
  return path === '' ? key : `${path}.${key}`;
}

/**
 * The keys written more than once in a mapping of `node` or below it, as the JSON keys they become
 * (`80` and `"80"` are one key), in the order of their first line. Merge keys (`<<`) are not keys.
 */
function duplicateKeys(node: unknown, lineOf: (offset: number) => number): DuplicateKey[] {
  const y = yaml();
  const found: DuplicateKey[] = [];
  const visit = (value: unknown, path: string) => {
    if (y.isSeq(value)) {
      value.items.forEach((item, i) => visit(item, `${path}[${i}]`));
    } else if (y.isMap(value)) {
      const seen = new Map<string, number[]>();
      for (const pair of value.items) {
        if (!y.isScalar(pair.key) || typeof pair.key.value === 'symbol' || pair.key.range == null) {
          continue;
        }
        const key = String(pair.key.value ?? '');
        const lines = seen.get(key) ?? [];
        lines.push(lineOf(pair.key.range[0]));
        seen.set(key, lines);
        visit(pair.value, fieldPath(path, key));
      }
      for (const [key, lines] of seen) {
        if (lines.length > 1) {
          found.push({ field: fieldPath(path, key), lines });
        }
      }
    }
  };
  visit(node, '');
  return found.sort((a, b) => a.lines[0] - b.lines[0]);
}

function addObjects(value: unknown, node: unknown, line: number, lineOf: (offset: number) => number, file: string, inputs: ManifestInput[]): void {
  if (!isObject(value)) {
    return;
  }
  if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) {
    // `kind: List` (kubectl get -o yaml), or a typed list (ServiceList) whose items carry no kind
    const itemKind = value.kind === 'List' ? undefined : value.kind.slice(0, -'List'.length);
    const itemNodes = yaml().isMap(node) ? node.get('items', true) : undefined;
    value.items.forEach((item: unknown, i: number) => {
      const itemNode = yaml().isSeq(itemNodes) ? itemNodes.items[i] : undefined;
      const itemLine = yaml().isNode(itemNode) && itemNode.range ? lineOf(itemNode.range[0]) : line;
      const withKind = itemKind !== undefined && isObject(item) && item.kind === undefined ? { ...item, kind: itemKind } : item;
      addObjects(withKind, itemNode, itemLine, lineOf, file, inputs);
    });
    return;
  }
  if (typeof value.kind === 'string') { // Kubernetes objects only, not values.yaml or package.json
    const duplicates = duplicateKeys(node, lineOf);
    inputs.push(duplicates.length > 0 ? { manifest: value, source: `${file}:${line}`, duplicateKeys: duplicates } : { manifest: value, source: `${file}:${line}` });
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
 * named `node_modules` or starting with `.`) and `-` (standard input, read by `readStdin`, as a
 * file). A file that cannot be read, or a document that cannot be parsed, is reported and the
 * others are still read.
 * @internal
 */
export function readManifestPaths(paths: string[], readStdin: () => string): ReadManifestsResult {
  const result: ReadManifestsResult = { files: [], inputs: [], documents: 0, skipped: [], errors: [] };
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
    for (const input of parsed.inputs) {
      result.inputs.push(input);
    }
    result.documents += parsed.documents;
    result.skipped.push(...parsed.skipped);
    result.errors.push(...parsed.errors);
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
  if (parsed.errors.length > 0) {
    throw new Error(parsed.errors[0].message.replace(`${WHO}:`, `${who}:`));
  }
  return parsed.inputs;
}
