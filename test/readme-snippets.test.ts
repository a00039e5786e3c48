import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

// Every TypeScript snippet of the README is a complete program: it must type-check against the
// package as a user's app sees it (`import ... from 'cdk8s-service-patterns'`, resolved through
// the package's own `exports` to the compiled lib/), and run.
const root = path.join(__dirname, '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const snippets = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map(match => ({
  line: readme.slice(0, match.index).split('\n').length + 1,
  code: match[1],
}));

describe('README snippets', () => {
  // inside the package, so `cdk8s-service-patterns` resolves to this package (self-reference)
  // and cdk8s, cdk8s-plus-27 and constructs to its node_modules, as in an app that installed it
  const dir = fs.mkdtempSync(path.join(root, '.snippets-'));
  const files = snippets.map(snippet => {
    const file = path.join(dir, `readme-line-${snippet.line}.ts`);
    fs.writeFileSync(file, snippet.code);
    return file;
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('there are snippets, each a complete program', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(8);
    for (const snippet of snippets) {
      expect(`line ${snippet.line}: ${/^import .* from 'cdk8s-service-patterns';$/m.test(snippet.code)}`).toEqual(`line ${snippet.line}: true`);
    }
  });

  test('they type-check', () => {
    const program = ts.createProgram(files, {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      types: ['node'],
      skipLibCheck: true,
    });
    const errors = ts.getPreEmitDiagnostics(program).map(d => {
      const where = d.file ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(errors).toEqual([]);
  }, 60_000);

  test.each(snippets.map(s => [s.line]))('the snippet at line %p runs', line => {
    const file = files[snippets.findIndex(s => s.line === line)];
    const outdir = fs.mkdtempSync(path.join(dir, 'dist-'));
    execFileSync(process.execPath, ['--import', 'tsx', file], {
      cwd: dir,
      env: { ...process.env, CDK8S_OUTDIR: outdir },
      stdio: 'pipe',
    });
  }, 60_000);
});
