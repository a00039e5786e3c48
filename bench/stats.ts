import { spawnSync, SpawnSyncOptions } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

// Small helpers shared by the benchmark sections.

/** The median of a non-empty list. */
export function median(values: number[]): number {
  if (values.length === 0) {
    throw new Error('median of no values');
  }
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Run a command to completion; throw with its output when it fails. */
export function run(command: string, args: string[], options: SpawnSyncOptions = {}): string {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error !== undefined) {
    throw result.error;
  }
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  }
  return String(result.stdout);
}

/** Wall time of one run of a command, ms. */
export function timeCommand(command: string, args: string[], options: SpawnSyncOptions = {}): number {
  const start = performance.now();
  run(command, args, options);
  return performance.now() - start;
}

/** `a` over `b`, two decimals. */
export function ratio(a: number, b: number): string {
  return (a / b).toFixed(2);
}

/** Milliseconds, rounded sensibly for a table. */
export function ms(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

/** Bytes as MiB. */
export function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(0);
}

/**
 * Replace the block between `begin` and `end` in `readme` with `section` (append it when absent),
 * leaving the rest of the file alone.
 */
export function writeReadmeSection(readme: string, begin: string, end: string, section: string): void {
  const block = `${begin}\n${section}\n${end}`;
  const current = fs.existsSync(readme) ? fs.readFileSync(readme, 'utf8') : '# Benchmarks\n';
  const start = current.indexOf(begin);
  const stop = current.indexOf(end);
  const next = start >= 0 && stop > start
    ? current.slice(0, start) + block + current.slice(stop + end.length)
    : `${current.trimEnd()}\n\n${block}\n`;
  fs.writeFileSync(readme, next);
}

/**
 * Transpile the workload child (bench/workload.ts and the bench/sides.ts it imports) to CommonJS in
 * `scratch`, so that it runs on bare node against the compiled lib/ (as an app would), without a
 * TypeScript loader in the measurement. Returns the path of the child's script.
 */
export function prepareWorkload(scratch: string): string {
  for (const name of ['sides', 'workload']) {
    const { outputText } = ts.transpileModule(fs.readFileSync(path.join(__dirname, `${name}.ts`), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    });
    fs.writeFileSync(path.join(scratch, `${name}.js`), outputText);
  }
  return path.join(scratch, 'workload.js');
}
