import { randomBytes } from 'node:crypto';
import type { Emulator } from '../context.js';
import { checkCredentials, issueToken } from '../rules/token.js';
import { isError } from '../rules/selectors.js';
import type { Answer } from '../types.js';

/** GET /gettoken?appkey=&appsecret= → { access_token, expires_in }. */
export function getToken(emu: Emulator, query: URLSearchParams): Answer {
  const app = checkCredentials(emu.config.apps, query.get('appkey') ?? undefined, query.get('appsecret') ?? undefined);
  if (isError(app)) return app;
  const now = emu.clock.now();
  const lifetimeMs = emu.config.tunables.tokenLifetimeSec * 1000;
  const currentToken = emu.state.tokenByApp.get(app.appkey);
  const current = currentToken === undefined ? undefined : emu.state.tokens.get(currentToken);
  const record = issueToken(app, current, now, lifetimeMs, () => randomBytes(16).toString('hex'));
  emu.state.tokens.set(record.token, record);
  emu.state.tokenByApp.set(app.appkey, record.token);
  return { errcode: 0, errmsg: 'ok', access_token: record.token, expires_in: emu.config.tunables.tokenLifetimeSec };
}
