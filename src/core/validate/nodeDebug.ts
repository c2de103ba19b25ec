/**
 * Node's debug logging prints request lines: DingTalk's `gettoken` takes the app secret in the query string and
 * every call carries the access token there too, so `NODE_DEBUG=fetch` (or undici, http, net, tls) would print
 * them to stderr and into CI logs. dingcast cannot turn it off once Node has read it; it can say so.
 */
const LEAKY = ['fetch', 'undici', 'http', 'http2', 'https', 'net', 'tls'];

export function nodeDebugWarning(nodeDebug: string | undefined): string | undefined {
  const modules = (nodeDebug ?? '').split(/[\s,]+/).map((m) => m.toLowerCase()).filter((m) => m !== '');
  const leaky = modules.filter((m) => LEAKY.includes(m) || m === '*');
  if (leaky.length === 0) return undefined;
  return `NODE_DEBUG=${nodeDebug ?? ''} makes Node print request URLs, which carry the app secret (gettoken) and the access token; unset NODE_DEBUG (or drop ${leaky.join(', ')}) before sending to DingTalk`;
}
