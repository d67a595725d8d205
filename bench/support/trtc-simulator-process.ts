// Runs a TRTC simulator with its cap lifted in its own process, so the benchmark's CPU figures
// measure only the clients. Prints {"url": ...} on stdout, exits when stdin closes.

import { startTrtcSimulator } from '../../src/sandbox/index.ts';

const accounts = JSON.parse(process.argv[2] ?? '[]') as Parameters<typeof startTrtcSimulator>[0]['accounts'];
const simulator = await startTrtcSimulator({ accounts, requestsPerSecond: Infinity });
simulator.addMembers('bench-room', ['keeper']);
process.stdout.write(`${JSON.stringify({ url: simulator.url })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void simulator.close().then(() => process.exit(0));
});
