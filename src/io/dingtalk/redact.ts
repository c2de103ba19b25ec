/** Query parameters whose values are credentials. */
const SECRET_PARAMS = /([?&](?:access_token|appsecret|corpsecret|suitesecret|suiteticket|signature|session)=)[^&#\s"']*/gi;

/** `https://x/gettoken?appkey=k&appsecret=s` → `https://x/gettoken?appkey=k&appsecret=<redacted>`. Works on any text. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1<redacted>');
}

/**
 * Removes credentials from text that came from elsewhere (server errmsg, socket errors): first the known
 * secret values wherever they appear, then any credential query parameter.
 */
export function scrubSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) {
    // Very short values would redact ordinary words; real tokens and secrets are long.
    if (s && s.length >= 6) out = out.split(s).join('<redacted>');
  }
  return redactUrl(out);
}
