// Which custom vendor endpoints (a provider's spec.<vendor>.endpoint) the operator will send signed
// requests and credentials to. Anyone who can write a provider names the URL, so by default none
// is honoured; `--allowed-endpoint-hosts` names the hosts that are (the setting for production
// sandboxes), `--allow-custom-endpoints` honours any (tests and local sandboxes). Link-local and
// cloud metadata addresses are refused under both: they answer with the node's own credentials.

import { isIP } from 'node:net';

export interface EndpointPolicyOptions {
  /** --allow-custom-endpoints: every host (except the ones always refused). */
  allowCustom: boolean;
  /** --allowed-endpoint-hosts: "host" (any port) or "host:port"; when set, only these. */
  allowedHosts: readonly string[];
}

export interface EndpointPolicy {
  /** Why `endpoint` may not be used, for a Stalled/InvalidSpec message; undefined when it may. */
  refusal(endpoint: string): string | undefined;
}

/** Names of metadata services that are not link-local addresses. */
const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata', 'metadata.tencentyun.com', '100.100.100.200', 'fd00:ec2::254']);

export function endpointPolicy(options: EndpointPolicyOptions): EndpointPolicy {
  const allowed = options.allowedHosts.map(parseAllowedHost);
  return {
    refusal(endpoint: string): string | undefined {
      if (!options.allowCustom && allowed.length === 0) {
        return 'this operator does not honour custom endpoints (--allowed-endpoint-hosts, or --allow-custom-endpoints for sandboxes)';
      }
      let url: URL;
      try {
        url = new URL(endpoint);
      } catch {
        return 'the endpoint is not a URL';
      }
      const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
      if (isLinkLocal(host) || METADATA_HOSTS.has(host)) return `the endpoint host ${host} is a link-local or cloud metadata address, which is never allowed`;
      if (allowed.length === 0) return undefined;
      const port = url.port === '' ? (url.protocol === 'https:' ? '443' : '80') : url.port;
      if (allowed.some((entry) => entry.host === host && (entry.port === undefined || entry.port === port))) return undefined;
      return `the endpoint host ${host}:${port} is not in --allowed-endpoint-hosts`;
    },
  };
}

interface AllowedHost {
  host: string;
  port: string | undefined;
}

/** "example.com", "example.com:8443", "10.0.0.1:80", "[::1]:9000". */
export function parseAllowedHost(entry: string): AllowedHost {
  const trimmed = entry.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(trimmed);
  if (bracketed) return { host: bracketed[1] ?? '', port: bracketed[2] };
  const hostPort = /^([^:]+)(?::(\d+))?$/.exec(trimmed);
  if (hostPort && trimmed !== '') return { host: hostPort[1] ?? '', port: hostPort[2] };
  if (isIP(trimmed) === 6) return { host: trimmed, port: undefined };
  throw new RangeError(`--allowed-endpoint-hosts: "${entry}" is not host or host:port`);
}

/** The IPv4 address inside an IPv4-mapped IPv6 address (::ffff:a.b.c.d, which URL writes as ::ffff:xxxx:xxxx). */
function ipv4Mapped(host: string): string | undefined {
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host)?.[1];
  if (dotted !== undefined) return dotted;
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
  if (hex === null) return undefined;
  const [high, low] = [parseInt(hex[1] ?? '0', 16), parseInt(hex[2] ?? '0', 16)];
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** 169.254.0.0/16 and fe80::/10 (also IPv4-mapped), where cloud metadata services answer. */
function isLinkLocal(host: string): boolean {
  const mapped = ipv4Mapped(host) ?? host;
  if (isIP(mapped) === 4) return mapped.startsWith('169.254.');
  if (isIP(host) === 6) return /^fe[89ab][0-9a-f]:/.test(host);
  return false;
}
