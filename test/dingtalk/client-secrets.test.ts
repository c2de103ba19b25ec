import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { clearTokenCache, createDingTalkClient, type ClientEvent, type DingTalkClient } from '../../src/io/dingtalk/index.js';
import { APP, FAST, GETTOKEN, SEND, startScriptServer, type Reply, type Script, type ScriptServer } from './script-server.js';

const TOKEN = 'tok-0123456789abcdef';
const SECRET = APP.appSecret;

let server: ScriptServer;
let client: DingTalkClient;
afterEach(async () => {
  await client?.close();
  await server?.close();
  clearTokenCache();
});

/** A hostile server that echoes the credentials back in every way it can. */
const echo = (code: number): Reply => ({
  json: { errcode: code, errmsg: `bad token ${TOKEN} for secret ${SECRET} at /x?access_token=${TOKEN}&appsecret=${SECRET}` },
});
const okToken: Reply = { json: { errcode: 0, access_token: TOKEN, expires_in: 7200 } };

const CASES: [string, Script][] = [
  // The client cannot know a token it never received, so this server only echoes the secret.
  ['gettoken refusal echoing the secret', { [GETTOKEN]: [{ json: { errcode: 40089, errmsg: `bad secret ${SECRET} in /gettoken?appsecret=${SECRET}` } }] }],
  ['API failure echoing token and secret', { [GETTOKEN]: [okToken], [SEND]: [echo(40031)] }],
  ['token rejected twice', { [GETTOKEN]: [okToken, okToken], [SEND]: [echo(42001), echo(42001)] }],
  ['retries exhausted', { [GETTOKEN]: [okToken], [SEND]: [echo(-1), echo(90018)] }],
  ['non-JSON answer quoting the token', { [GETTOKEN]: [okToken], [SEND]: [{ text: `token=${TOKEN}`, contentType: 'text/plain' }, { text: `access_token=${TOKEN}`, contentType: 'text/plain' }] }],
  ['gettoken 5xx', { [GETTOKEN]: [{ text: SECRET, status: 503, contentType: 'text/plain' }, { text: SECRET, status: 503, contentType: 'text/plain' }] }],
  ['dropped connections', { [GETTOKEN]: [okToken], [SEND]: [{ destroy: true }, { destroy: true }] }],
];

describe('the token and the secret never leak', () => {
  it.each(CASES)('%s', async (_name, script) => {
    server = await startScriptServer(script);
    const events: ClientEvent[] = [];
    client = createDingTalkClient({ baseUrl: server.url, ...APP, ...FAST, maxAttempts: 2, onEvent: (e) => events.push(e) });
    const error = await client.sendMessage({ userids: ['u1'], msg: { msgtype: 'text', text: { content: 'x' } } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const texts = [
      String(error),
      (error as Error).stack ?? '',
      inspect(error, { depth: 5 }),
      JSON.stringify(error),
      JSON.stringify(events),
    ];
    for (const text of texts) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(SECRET);
    }
    // The check above only means something if the client did talk to the server and report on it.
    expect(server.seen.length).toBeGreaterThan(0);
    expect(texts.join('\n')).toMatch(/redacted|errcode|HTTP|connection/);
  });
});

describe('credentialValues', () => {
  it('names the app secret and every token fetched, for the report guard', async () => {
    server = await startScriptServer({ [GETTOKEN]: [okToken] });
    client = createDingTalkClient({ baseUrl: server.url, ...APP, ...FAST });
    // Before a token is fetched only the secret is known.
    expect(client.credentialValues()).toEqual([SECRET]);
    await client.checkCredentials();
    expect(client.credentialValues().sort()).toEqual([SECRET, TOKEN].sort());
  });
});
