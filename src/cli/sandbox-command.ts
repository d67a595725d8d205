// `roomban sandbox`: the three vendor simulators on loopback until Ctrl-C.

import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { SANDBOX_ACCOUNTS, startAllSimulators } from '../sandbox/index.ts';

export const SANDBOX_HELP = `Usage: roomban sandbox [flags]

Runs the TRTC, Chat and Volcengine simulators on 127.0.0.1 until Ctrl-C. They verify signatures
with the sandbox accounts below, enforce the documented per-second caps and keep room membership.

Flags:
  --seed=<n>       PRNG seed for RequestIds and injected faults (default: 1)
  --lift-caps      do not enforce the vendors' per-second caps
  -h, --help       show this help
`;

export async function sandboxCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      seed: { type: 'string', default: '1' },
      'lift-caps': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(SANDBOX_HELP);
    return 0;
  }
  const caps = values['lift-caps'] ? { requestsPerSecond: Infinity } : {};
  const sims = await startAllSimulators({ seed: Number(values.seed), trtc: caps, chat: caps, volcengine: caps });
  process.stdout.write(
    [
      `tencentTRTC    ${sims.trtc.url}   sdkAppId ${SANDBOX_ACCOUNTS.trtc.sdkAppId}, secretId ${SANDBOX_ACCOUNTS.trtc.secretId}, secretKey ${SANDBOX_ACCOUNTS.trtc.secretKey}`,
      `tencentChat    ${sims.chat.url}   sdkAppId ${SANDBOX_ACCOUNTS.chat.sdkAppId}, secretKey ${SANDBOX_ACCOUNTS.chat.secretKey}`,
      `volcengineRTC  ${sims.volcengine.url}   appId ${SANDBOX_ACCOUNTS.volcengine.appIds[0]}, accessKeyId ${SANDBOX_ACCOUNTS.volcengine.accessKeyId}, secretAccessKey ${SANDBOX_ACCOUNTS.volcengine.secretAccessKey}`,
      'These are sandbox-only test credentials. Ctrl-C stops.',
      '',
    ].join('\n'),
  );
  await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
  await sims.close();
  return 0;
}
