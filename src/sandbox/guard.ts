import type { IncomingMessage } from 'node:http';

/** A request the sandbox cannot read (bad percent-encoding, a malformed URL): answered 400, never 500. */
export class MalformedRequest extends Error {}

/** decodeURIComponent that reports bad percent-encoding as a client mistake. */
export function decodePathPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new MalformedRequest(`bad percent-encoding in ${JSON.stringify(part.slice(0, 80))}`);
  }
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The admin API changes what the sandbox answers and shows every message, so only the machine's own tools
 * may use it:
 * - the Host header must name this server (a loopback name or the address it is bound to, with its port):
 *   a DNS-rebinding page reaches us under its own host name and is refused;
 * - a write (anything but GET/HEAD) from a browser page of another origin is refused: browsers send
 *   `Origin` (and `Sec-Fetch-Site`) with cross-origin form posts and fetches. Tools without a browser send neither.
 * Returns why the request is refused, or null.
 */
export function adminRefusal(req: IncomingMessage, boundHost: string, port: number): string | null {
  const host = req.headers.host;
  if (!host || !allowedHost(host, boundHost, port)) return `foreign Host header ${JSON.stringify(host ?? '')}: the admin API answers only to ${boundHost}:${port}`;
  const method = req.method ?? 'GET';
  if (method === 'GET' || method === 'HEAD') return null;
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return 'cross-origin write refused';
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) return `cross-origin write from ${JSON.stringify(origin)} refused`;
  return null;
}

function allowedHost(host: string, boundHost: string, port: number): boolean {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host.trim().toLowerCase());
  if (!m) return false;
  const [, name, p] = m;
  if (p !== undefined && Number(p) !== port) return false;
  const bound = boundHost.includes(':') && !boundHost.startsWith('[') ? `[${boundHost}]` : boundHost;
  return LOOPBACK_NAMES.has(name!) || name === bound.toLowerCase();
}
