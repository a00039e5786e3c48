#!/usr/bin/env node
import { dispatch } from './dispatch';
import { LINT_COMMAND } from './lint-command';
import { SERVICE_COMMAND } from './service-command';

// cdk8s-svc <command> [arguments]: the subcommands, in the order `cdk8s-svc --help` lists them.
process.exitCode = dispatch(process.argv.slice(2), [SERVICE_COMMAND, LINT_COMMAND]);
