import { execFileSync } from 'child_process';
import * as path from 'path';

// Publishing readiness: what `npm pack` ships (lib/ is built by the jest global setup).
describe('npm pack', () => {
  const root = path.join(__dirname, '..');
  const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }));
  const files: string[] = pack.files.map((f: { path: string }) => f.path).sort();

  test('ships the compiled library, its types, the README and the license', () => {
    expect(files).toEqual(expect.arrayContaining([
      'LICENSE',
      'README.md',
      'package.json',
      'lib/index.js',
      'lib/index.d.ts',
      'lib/cli/main.js',
      'lib/services/typed-service.js',
      'lib/services/typed-service.d.ts',
    ]));
  });

  test('ships nothing else', () => {
    const other = files.filter(f => !['LICENSE', 'README.md', 'package.json'].includes(f) && !/^lib\/.*\.(js|d\.ts)$/.test(f));
    expect(other).toEqual([]);
    expect(files.filter(f => /^(src|test|examples|bench|build|scripts)\//.test(f))).toEqual([]);
  });

  test('every compiled module has its declarations', () => {
    const js = files.filter(f => f.endsWith('.js')).map(f => f.replace(/\.js$/, ''));
    const dts = new Set(files.filter(f => f.endsWith('.d.ts')).map(f => f.replace(/\.d\.ts$/, '')));
    expect(js.filter(f => !dts.has(f))).toEqual([]);
  });

  test('has no runtime dependencies; cdk8s, cdk8s-plus-27 and constructs are peers', () => {
    const pkg = require(path.join(root, 'package.json'));
    expect(pkg.dependencies).toBeUndefined();
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual(['cdk8s', 'cdk8s-plus-27', 'constructs']);
    expect(pkg.bin).toEqual({ 'cdk8s-svc': 'lib/cli/main.js' });
  });
});
