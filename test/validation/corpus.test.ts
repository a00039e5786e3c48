import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { readManifestPaths } from '../../src/validation/manifest-reader';
import { RULES } from '../../src/validation/rules';

// The acceptance corpus: `cdk8s-svc lint test/fixtures/corpus --output json`, run as the built
// command (test/global-setup.ts builds lib/ first), must report exactly what
// test/fixtures/corpus/EXPECTED.md lists, rule by rule: no finding more (a false alarm on what a
// Kubernetes 1.27 cluster accepts and runs), none fewer (a miss), and the same skipped documents,
// bad inputs and summary.

const ROOT = path.join(__dirname, '..', '..');
const MAIN = path.join(ROOT, 'lib', 'cli', 'main.js');
const CORPUS = 'test/fixtures/corpus';

interface ExpectedFinding {
  readonly rule: string;
  /** `file:line`, relative to the corpus directory */
  readonly where: string;
  readonly severity: string;
  readonly field: string;
}

interface Expected {
  readonly findings: ExpectedFinding[];
  readonly skipped: string[];
  readonly badInputs: string[];
  readonly silent: { where: string; object: string }[];
  readonly summary: Record<string, number>;
}

/** The tables of EXPECTED.md, by section (`## Findings` has one `### <rule>` table per rule). */
function parseExpected(text: string): Expected {
  const expected: Expected = { findings: [], skipped: [], badInputs: [], silent: [], summary: {} };
  const columns: Record<string, number> = { 'Findings': 4, 'Skipped documents': 2, 'Bad inputs': 2, 'Must stay silent': 3, 'Summary': 8 };
  let section = '';
  let rule = '';
  let summaryHeader: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.startsWith('## ')) {
      section = line.slice(3).trim();
      return;
    }
    if (line.startsWith('### ')) {
      rule = line.slice(4).trim();
      return;
    }
    if (!line.startsWith('|') || /^\|[-|\s]+\|$/.test(line)) {
      return;
    }
    const cells = line.trim().slice(1, -1).split('|').map(cell => cell.trim().replace(/^`(.*)`$/, '$1'));
    if (cells.length !== columns[section]) {
      throw new Error(`EXPECTED.md line ${i + 1}: ${cells.length} cells in section '${section}', expected ${columns[section]}`);
    }
    if (cells[0] === 'where') {
      return; // a header row
    }
    if (section === 'Findings') {
      expected.findings.push({ rule, where: cells[0], severity: cells[1], field: cells[2] });
    } else if (section === 'Skipped documents') {
      expected.skipped.push(cells[0]);
    } else if (section === 'Bad inputs') {
      expected.badInputs.push(cells[0]);
    } else if (section === 'Must stay silent') {
      expected.silent.push({ where: cells[0], object: cells[1] });
    } else if (cells[0] === 'files') {
      summaryHeader = cells;
    } else {
      summaryHeader.forEach((key, c) => { expected.summary[key] = Number(cells[c]); });
    }
  });
  return expected;
}

interface Report {
  readonly status: number | null;
  readonly stderr: string;
  readonly json: any;
}

function lintCorpus(): Promise<Report> {
  return new Promise(resolve => {
    execFile(process.execPath, [MAIN, 'lint', CORPUS, '--output', 'json'], { cwd: ROOT, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stderr, json: JSON.parse(stdout) });
    });
  });
}

/** A location relative to the corpus directory. */
function local(source: string): string {
  return source.startsWith(`${CORPUS}/`) ? source.slice(CORPUS.length + 1) : source;
}

/** One line per finding, in a stable order, for exact comparison. */
function lines(findings: { where: string; severity: string; field: string }[]): string[] {
  return findings.map(f => `${f.where} ${f.severity} ${f.field}`).sort();
}

describe('the lint corpus (test/fixtures/corpus)', () => {
  const expected = parseExpected(fs.readFileSync(path.join(ROOT, CORPUS, 'EXPECTED.md'), 'utf8'));
  let report: Report;

  beforeAll(async () => {
    report = await lintCorpus();
  });

  const actual = (rule: string) => report.json.findings
    .filter((finding: any) => finding.rule === rule)
    .map((finding: any) => ({ where: local(finding.resource.source), severity: finding.severity, field: finding.field }));

  test.each(RULES.map(rule => rule.id))('%s: exactly the expected findings', rule => {
    // THEN no finding is missing and none is added
    expect(lines(actual(rule))).toEqual(lines(expected.findings.filter(finding => finding.rule === rule)));
  });

  test('every rule of the engine is planted in the corpus, and no finding is of another rule', () => {
    const ids = RULES.map(rule => rule.id);
    expect([...new Set(expected.findings.map(finding => finding.rule))].sort()).toEqual([...ids].sort());
    expect(report.json.findings.filter((finding: any) => !ids.includes(finding.rule))).toEqual([]);
  });

  test('each finding names its object with the file and line it starts on', () => {
    for (const finding of report.json.findings) {
      expect(finding.message).toContain(`(${finding.resource.source})`);
    }
  });

  test('the template document is skipped and the broken document is bad input, each with its line; the other documents of both files are linted', () => {
    expect(report.json.skipped.map((skip: any) => `${local(skip.file)}:${skip.line}`)).toEqual(expected.skipped);
    expect(report.json.errors.map((error: any) => `${local(error.file)}:${error.line}`)).toEqual(expected.badInputs);
    expect(report.stderr).toEqual(report.json.errors.map((error: any) => `${error.message}\n`).join(''));
  });

  test('the objects that must stay silent are in the corpus, and no finding names them', () => {
    // GIVEN every object of the corpus by the location the lint gives it
    const read = readManifestPaths([path.join(ROOT, CORPUS)], () => '');
    const objects = new Map(read.inputs.map(input => {
      const { kind, metadata } = input.manifest;
      return [path.relative(path.join(ROOT, CORPUS), input.source!), `${kind} ${metadata.namespace ?? 'default'}/${metadata.name}`];
    }));
    // THEN each row names the object at its location ...
    expect(expected.silent.map(row => `${row.where} ${objects.get(row.where)}`)).toEqual(expected.silent.map(row => `${row.where} ${row.object}`));
    // ... and no finding is about it
    const named = new Set(report.json.findings.map((finding: any) => local(finding.resource.source)));
    expect(expected.silent.filter(row => named.has(row.where))).toEqual([]);
  });

  test('the summary counts and the exit status (2: a bad input)', () => {
    const { exit, ...summary } = expected.summary;
    expect(report.json.summary).toEqual(summary);
    expect(report.status).toEqual(exit);
  });
});
