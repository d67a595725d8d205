// Writes JSON-like values as Lua table literals, so the lua5.4 interpreter (which has no JSON
// library) can load Kubernetes objects for the Argo CD health-check tests.

/** A Lua expression for `value`: objects and arrays become tables; null and undefined become nil. */
export function toLuaLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'string') return luaString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as Lua`);
    return String(value);
  }
  if (Array.isArray(value)) return `{${value.map((item) => toLuaLiteral(item)).join(', ')}}`;
  if (typeof value === 'object') {
    const fields = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== null && item !== undefined)
      .map(([key, item]) => `[${luaString(key)}] = ${toLuaLiteral(item)}`);
    return `{${fields.join(', ')}}`;
  }
  throw new Error(`cannot write a ${typeof value} as Lua`);
}

/** A double-quoted Lua string; every byte outside printable ASCII is written as a decimal escape. */
function luaString(text: string): string {
  let out = '"';
  for (const byte of Buffer.from(text, 'utf8')) {
    if (byte === 0x22) out += '\\"';
    else if (byte === 0x5c) out += '\\\\';
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\${byte.toString().padStart(3, '0')}`;
  }
  return `${out}"`;
}
