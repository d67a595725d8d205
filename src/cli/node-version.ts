// Refuses, with a sentence, to run on a Node.js older than the project supports: undici (the vendor
// HTTP client) crashes on those at import time with an error that names neither Node nor the fix.
// main.ts imports this module first, so it runs before anything that loads undici.

/** package.json's engines.node (test/unit/typecheck.test.ts checks the two agree). */
export const MINIMUM_NODE = '22.19.0';

/** Why `version` (e.g. process.versions.node) cannot run roomban, or undefined when it can. */
export function unsupportedNode(version: string): string | undefined {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const [needMajor = 0, needMinor = 0] = MINIMUM_NODE.split('.').map(Number);
  if (major > needMajor || (major === needMajor && minor >= needMinor)) return undefined;
  return `roomban needs Node.js ${MINIMUM_NODE} or newer (its HTTP client, undici, does not run on older versions); this is Node.js ${version}`;
}

const refusal = unsupportedNode(process.versions.node);
if (refusal !== undefined) {
  process.stderr.write(`${refusal}\n`);
  process.exit(1);
}
