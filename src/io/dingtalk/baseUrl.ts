/** DingTalk's own API host: where a run goes when DINGTALK_BASE_URL does not point elsewhere (a sandbox, a proxy). */
export const DINGTALK_BASE_URL = 'https://oapi.dingtalk.com';

/** The base URL a command talks to: DINGTALK_BASE_URL without trailing slashes, else DingTalk itself. */
export function baseUrlFromEnv(env: NodeJS.ProcessEnv): string {
  return (env.DINGTALK_BASE_URL ?? DINGTALK_BASE_URL).replace(/\/+$/, '');
}
