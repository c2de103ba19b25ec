import type { Diagnostic } from '../diagnostics.js';
import { walkScalars, type YamlSource } from '../load/yamlSource.js';
import { locate } from '../schemaErrors.js';

// Credentials come only from the environment (design.md §1.2): a secret committed in YAML is leaked for good.
const SECRET_KEY = /^(app_?secret|app_?key|client_?secret|client_?id|corp_?secret|suite_?secret|secret|access_?token|token|password)$/i;
const ENV_REFERENCE = /^\$\{[A-Z_][A-Z0-9_]*\}$/;
// DingTalk app keys look like `dingxxxxxxxxxxxxxxxx`; a token or secret embedded in a URL's query is just as bad.
const APP_KEY_VALUE = /^ding[a-z0-9]{14,}$/i;
const SECRET_IN_URL = /[?&](access_token|appsecret|appkey)=[^&${\s]+/i;
// A database connection string names the host and user, and often the password: DINGCAST_STATE is a secret.
const STATE_URL = /^postgres(ql)?:\/\//i;

export function checkSecrets(source: YamlSource): Diagnostic[] {
  const problems = [];
  for (const { path, value } of walkScalars(source.value)) {
    if (typeof value !== 'string' && typeof value !== 'number') continue;
    const text = String(value);
    if (text === '' || ENV_REFERENCE.test(text)) continue;
    const key = String(path[path.length - 1] ?? '');
    if (STATE_URL.test(text.trim())) {
      problems.push({
        path,
        at: 'key' as const, // where an unknown key (`state.url`) is reported too: one problem, said once
        code: 'secret/in-yaml',
        message: `a database connection string is written into the file at \`${path.join('.')}\``,
        hint: 'Remove it (and rotate its password if it was committed): put it in the `DINGCAST_STATE` environment variable from your secret store; `state: { backend: postgres }` makes that variable required.',
      });
      continue;
    }
    if (SECRET_KEY.test(key) || APP_KEY_VALUE.test(text) || SECRET_IN_URL.test(text)) {
      problems.push({
        path,
        at: SECRET_KEY.test(key) ? ('key' as const) : ('value' as const),
        code: 'secret/in-yaml',
        message: `a credential is written into the file at \`${path.join('.')}\``,
        hint: 'Remove it (and rotate it if it was committed): dingcast reads DINGTALK_APP_KEY and DINGTALK_APP_SECRET from the environment only.',
      });
    }
  }
  return locate(source, problems);
}
