import * as fs from 'fs';
import * as path from 'path';
import { quote } from '../services/quote';

// The `cdk8s-svc` front end: picks a subcommand by the first argument and runs it. A subcommand
// parses its own arguments and calls the library; what it throws is printed on stderr, and the
// exit code is 2 for a UsageError (bad arguments), 1 for any other Error.

/**
 * Where a subcommand writes its output.
 */
export interface CommandIO {
  /** Write to standard output. */
  stdout(text: string): void;
  /** Write to standard error. */
  stderr(text: string): void;
}

/**
 * A subcommand of `cdk8s-svc`.
 */
export interface Command {
  /** The first argument that selects it, such as `service`. */
  readonly name: string;
  /** One line for `cdk8s-svc --help`. */
  readonly summary: string;
  /**
   * Run with the arguments after the name; returns the exit code. A UsageError thrown means
   * exit 2, any other Error exit 1. `--help` and `-h` print the command's help on stdout (exit 0).
   */
  run(args: string[], io: CommandIO): number;
}

/**
 * Bad arguments: the message names the argument and says what is allowed; the exit code is 2.
 */
export class UsageError extends Error {}

/** The exit code of bad arguments, as lint, kubectl's and most tools' usage errors. */
const EXIT_USAGE = 2;

const PROCESS_IO: CommandIO = {
  stdout: text => process.stdout.write(text),
  stderr: text => process.stderr.write(text),
};

function usage(commands: Command[]): string {
  const width = Math.max(...commands.map(command => command.name.length));
  return [
    'Usage: cdk8s-svc <command> [arguments]',
    '',
    'Commands:',
    ...commands.map(command => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Options:',
    '  -h, --help     show this help',
    '  --version      print the version of cdk8s-service-patterns',
    '',
    "Run 'cdk8s-svc <command> --help' or 'cdk8s-svc help <command>' for a command's arguments.",
    '',
  ].join('\n');
}

/**
 * The version in the package's package.json: the nearest one above this file named
 * cdk8s-service-patterns (lib/cli/ when installed, src/cli/ in the repository's tests).
 */
export function packageVersion(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (manifest.name === 'cdk8s-service-patterns' && typeof manifest.version === 'string') {
        return manifest.version;
      }
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`cdk8s-svc: no package.json of cdk8s-service-patterns above ${__dirname}; reinstall the package`);
    }
  }
}

function names(commands: Command[]): string {
  return commands.map(c => c.name).join(', ');
}

/**
 * Run the command named by `argv[0]` with the rest of `argv`; returns the exit code.
 */
export function dispatch(argv: string[], commands: Command[], io: CommandIO = PROCESS_IO): number {
  const [name, ...args] = argv;
  if (name === '--version') {
    io.stdout(`${packageVersion()}\n`);
    return 0;
  }
  if (name === '--help' || name === '-h' || (name === 'help' && args.length === 0)) {
    io.stdout(usage(commands));
    return 0;
  }
  // cdk8s-svc help <command>, as git and kubectl: the command's own --help
  const [wanted, commandArgs] = name === 'help' ? [args[0], ['--help', ...args.slice(1)]] : [name, args];
  const command = commands.find(candidate => candidate.name === wanted);
  if (command === undefined) {
    const what = wanted === undefined ? `no command given; use one of: ${names(commands)}`
      : wanted.startsWith('-') ? `unknown option ${quote(wanted)}; before a command the options are -h/--help and --version, and a command takes its own after its name`
        : `unknown command ${quote(wanted)}; use one of: ${names(commands)}`;
    io.stderr(`cdk8s-svc: ${what}\n\n${usage(commands)}`);
    return EXIT_USAGE;
  }
  try {
    return command.run(commandArgs, io);
  } catch (error) {
    if (!(error instanceof Error)) {
      throw error;
    }
    io.stderr(`${error.message}\n`);
    return error instanceof UsageError ? EXIT_USAGE : 1;
  }
}
