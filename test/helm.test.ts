import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { notManifests } from './util';

// `cdk8s synth --format helm` on the examples app writes a Helm chart.
describe('helm output', () => {
  test('cdk8s synth --format helm --chart-version 0.1.0 writes a chart of every example', () => {
    // GIVEN
    const root = path.join(__dirname, '..');
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-'));

    try {
      // WHEN
      execFileSync('npx', ['cdk8s', 'synth', '--format', 'helm', '--chart-version', '0.1.0', '--output', out], {
        cwd: root,
        env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
        stdio: 'pipe',
      });

      // THEN
      const chart = fs.readFileSync(path.join(out, 'Chart.yaml'), 'utf8');
      expect(chart).toMatch(/^apiVersion: "v2"$/m);
      expect(chart).toMatch(/^version: "0.1.0"$/m);
      expect(chart).toMatch(/^type: application$/m);
      expect(fs.readdirSync(out).sort()).toEqual(expect.arrayContaining(['Chart.yaml', 'README.md', 'templates']));
      const templates = fs.readdirSync(path.join(out, 'templates')).sort();
      expect(templates).toEqual(expect.arrayContaining([
        'exposed-deployment.k8s.yaml',
        'nginx-tomcat.k8s.yaml',
        'services.k8s.yaml',
        'stateful-set.k8s.yaml',
        'wordpress.k8s.yaml',
      ]));
      expect(fs.readFileSync(path.join(out, 'templates', 'wordpress.k8s.yaml'), 'utf8')).toContain('nodePort: 30000');
      // what the README's plugin section says to remove: the validation plugin's construct metadata, and the traffic maps
      const templatesDir = path.join(out, 'templates');
      const extra = notManifests(templatesDir);
      expect(extra).toContain('construct-metadata.json');
      expect(extra.filter(file => file !== 'construct-metadata.json' && !file.endsWith('.traffic.md'))).toEqual([]);
      const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
      expect(readme).toContain('rm dist/templates/construct-metadata.json\nmv dist/templates/*.traffic.md dist/');
      fs.rmSync(path.join(templatesDir, 'construct-metadata.json'));
      for (const file of extra.filter(name => name.endsWith('.traffic.md'))) {
        fs.renameSync(path.join(templatesDir, file), path.join(out, file));
      }
      expect(notManifests(templatesDir)).toEqual([]);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
