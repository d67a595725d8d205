#!/usr/bin/env node
// The `roomban` command.

import './node-version.ts';
import { demoCommand } from './demo-command.ts';
import { OPERATOR_HELP, operatorCommand, UsageError } from './operator-command.ts';
import { sandboxCommand } from './sandbox-command.ts';

const HELP = `Usage: roomban <command> [flags]

Commands:
  operator   run the RoomBan controller (see: roomban operator --help)
  sandbox    run the vendor simulators (TRTC, Chat, Volcengine) on loopback (see: roomban sandbox --help)
  demo       start a local control plane, the simulators and the operator; apply examples/; show progress
`;

const commands: Record<string, (argv: string[]) => Promise<number>> = {
  operator: operatorCommand,
  sandbox: sandboxCommand,
  demo: demoCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help') {
    process.stdout.write(HELP);
    return name === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(`roomban: unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  return command(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`roomban: ${(error as Error).message}\n`);
    if (usage) process.stderr.write(`\n${OPERATOR_HELP}`);
    process.exit(usage ? 2 : 1);
  },
);
