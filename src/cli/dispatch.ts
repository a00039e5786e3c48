// The `cdk8s-svc` front end: picks a subcommand by the first argument and runs it. A subcommand
// parses its own arguments and calls the library; what it throws is printed, and the exit code is 1.

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
  /** Run with the arguments after the name; returns the exit code. An Error thrown means exit 1. */
  run(args: string[], io: CommandIO): number;
}

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
    "Run 'cdk8s-svc <command> --help' for a command's arguments.",
    '',
  ].join('\n');
}

/**
 * Run the command named by `argv[0]` with the rest of `argv`; returns the exit code.
 */
export function dispatch(argv: string[], commands: Command[], io: CommandIO = PROCESS_IO): number {
  const [name, ...args] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage(commands));
    return 0;
  }
  const command = commands.find(candidate => candidate.name === name);
  if (command === undefined) {
    const what = name === undefined ? 'no command given' : `unknown command '${name}'`;
    io.stderr(`cdk8s-svc: ${what}; use one of: ${commands.map(c => c.name).join(', ')}\n\n${usage(commands)}`);
    return 1;
  }
  try {
    return command.run(args, io);
  } catch (error) {
    if (!(error instanceof Error)) {
      throw error;
    }
    io.stderr(`${error.message}\n`);
    return 1;
  }
}
