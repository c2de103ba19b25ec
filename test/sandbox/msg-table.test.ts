import { describe, expect, it } from 'vitest';
import { checkMsgRecipients, checkMsgShape, checkMsgSize } from '../../src/core/msg/index.js';
import { checkMessage, checkMsgFields } from '../../src/sandbox/rules/message.js';
import { MSG_LIMITS, MSG_TABLE, type FieldRule } from '../../src/sandbox/rules/msgTable.js';
import msgSchema from '../../schema/msg.schema.json' with { type: 'json' };

// The sandbox judges messages by its own table of DingTalk's documented rules (src/sandbox/rules/msgTable.ts), the
// client by src/core/msg. Here every documented field and limit of the sandbox's table becomes probes (at the
// limit, one over, missing, empty, the wrong type, an unknown key beside it), and both sides must give the same
// verdict for each. The second describe shows that a changed rule on one side is caught.

type Msg = Record<string, unknown>;
type Table = Readonly<Record<string, readonly FieldRule[]>>;

/** A valid msg per msgtype holding every documented field, so each rule has a place to probe. */
const BASES: Msg[] = [
  { msgtype: 'text', text: { content: 'hi' } },
  { msgtype: 'image', image: { media_id: '@img' } },
  { msgtype: 'voice', voice: { media_id: '@voice', duration: '10' } },
  { msgtype: 'file', file: { media_id: '@file' } },
  { msgtype: 'link', link: { messageUrl: 'https://a.example', picUrl: '@pic', title: 't', text: 'x' } },
  { msgtype: 'markdown', markdown: { title: 't', text: 'x' } },
  {
    msgtype: 'oa',
    oa: {
      message_url: 'https://a.example', pc_message_url: 'https://b.example',
      head: { bgcolor: 'FFBBBBBB', text: 'h' },
      status_bar: { status_value: '进行中', status_bg: '0xFFF65E5E' },
      body: { title: 't', form: [{ key: 'k', value: 'v' }], rich: { num: '1', unit: '元' }, content: 'c', image: '@i', file_count: '1', author: 'a' },
    },
  },
  { msgtype: 'action_card', action_card: { title: 't', markdown: 'm', single_title: 's', single_url: 'https://a.example' } },
  { msgtype: 'action_card', action_card: { title: 't', markdown: 'm', btn_orientation: '1', btn_json_list: [{ title: 'b', action_url: 'https://a.example' }] } },
];

/** Boundary samples for the documented formats, beyond "not the format at all". */
const FORMAT_SAMPLES: Record<string, string[]> = {
  'voice.duration': ['1', '59', '60', '0', '010', '5.5'],
  'oa.head.bgcolor': ['FFBBBBBB', 'ffbbbbbb', '0xFFBBBB', 'FFBBBBB', 'FFBBBBBBB'],
};

const concrete = (path: readonly string[]): (string | number)[] => path.map((step) => (step === '[]' ? 0 : step));

function has(msg: unknown, path: (string | number)[]): boolean {
  let at: unknown = msg;
  for (const step of path) {
    if (typeof at !== 'object' || at === null || !(step in at)) return false;
    at = (at as Record<string | number, unknown>)[step];
  }
  return true;
}

const DELETE = Symbol('delete');
function withValue(msg: Msg, path: (string | number)[], value: unknown): Msg {
  const copy = structuredClone(msg);
  let at = copy as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) at = at[step] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (value === DELETE) delete at[last];
  else at[last] = value;
  return copy;
}

interface Probe { name: string; msg: Msg }

function probesOf(table: Table): Probe[] {
  const probes: Probe[] = BASES.map((msg) => ({ name: `${String(msg.msgtype)} with every documented field`, msg }));
  for (const [msgtype, rules] of Object.entries(table)) {
    for (const rule of rules) {
      const path = concrete(rule.path);
      const base = BASES.find((b) => b.msgtype === msgtype && has(b, path.slice(0, -1)));
      if (!base) throw new Error(`no base msg holds ${rule.path.join('.')}: add it to BASES`);
      const shown = rule.path.join('.');
      const at = (name: string, value: unknown): void => void probes.push({ name: `${shown} ${name}`, msg: withValue(base, path, value) });
      at('missing', DELETE);
      at('of the wrong type', rule.type === 'string' ? 1 : 'x');
      if (rule.type === 'object') at('with an unknown key', { ...(has(base, path) ? structuredClone(readAt(base, path) as object) : {}), not_documented: 'x' });
      if (rule.type === 'string') at('empty', '');
      if (rule.maxChars !== undefined) {
        for (const ch of ['x', '汉', '😀']) {
          at(`of ${rule.maxChars} × ${ch}`, ch.repeat(rule.maxChars));
          at(`of ${rule.maxChars + 1} × ${ch}`, ch.repeat(rule.maxChars + 1));
        }
      }
      if (rule.pattern || rule.values) at('not in its format', 'zz');
      for (const v of [...(rule.values ?? []), ...(FORMAT_SAMPLES[shown] ?? [])]) at(`= ${JSON.stringify(v)}`, v);
    }
  }
  // Two buttons whose action_urls (≤ 700 each) fill the list's JSON text to exactly `chars` characters.
  const buttons = (chars: number): Msg => {
    const fill = chars - JSON.stringify([{ title: 'b', action_url: '' }, { title: 'b', action_url: '' }]).length;
    const first = Math.ceil(fill / 2);
    return withValue(BASES.at(-1)!, ['action_card', 'btn_json_list'], [{ title: 'b', action_url: 'u'.repeat(first) }, { title: 'b', action_url: 'u'.repeat(fill - first) }]);
  };
  probes.push({ name: `btn_json_list of ${MSG_LIMITS.buttonListJsonChars} JSON characters`, msg: buttons(MSG_LIMITS.buttonListJsonChars) });
  probes.push({ name: `btn_json_list of ${MSG_LIMITS.buttonListJsonChars + 1} JSON characters`, msg: buttons(MSG_LIMITS.buttonListJsonChars + 1) });
  probes.push({ name: 'action_card with both styles', msg: withValue(BASES.at(-1)!, ['action_card', 'single_title'], 's') });
  probes.push({ name: 'action_card with no button', msg: { msgtype: 'action_card', action_card: { title: 't', markdown: 'm' } } });
  probes.push({ name: 'action_card with an empty button list', msg: withValue(BASES.at(-1)!, ['action_card', 'btn_json_list'], []) });
  probes.push({ name: 'an unknown msgtype', msg: { msgtype: 'video', video: { media_id: '@v' } } });
  probes.push({ name: 'two payloads', msg: { ...BASES[0], markdown: { title: 't', text: 'x' } } });
  return probes;
}

function readAt(msg: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((at, step) => (at as Record<string | number, unknown>)[step], msg);
}

/** 0 when accepted, else the errcode. The client may report several problems; the sandbox answers one. */
const sandboxVerdict = (msg: Msg, table: Table, limits: { buttonListJsonChars: number } = MSG_LIMITS): number => checkMsgFields(msg, table, limits)?.errcode ?? 0;
const clientVerdicts = (msg: Msg): number[] => checkMsgShape(msg).map((p) => p.errcode);

function disagreements(table: Table, limits: { buttonListJsonChars: number } = MSG_LIMITS): string[] {
  const out: string[] = [];
  for (const { name, msg } of probesOf(table)) {
    const sandbox = sandboxVerdict(msg, table, { ...MSG_LIMITS, ...limits });
    const client = clientVerdicts(msg);
    const agree = sandbox === 0 ? client.length === 0 : client.includes(sandbox);
    if (!agree) out.push(`${name}: sandbox ${sandbox || 'accepts'}, client ${client.length ? client.join('/') : 'accepts'}`);
  }
  return out;
}

/**
 * Where the client refuses more than DingTalk documents, on purpose: an optional string that is present but empty
 * (a blank title in the conversation list, a button with no label or link). The docs say nothing, so the sandbox
 * accepts them; the client stops them before they leave. Any other disagreement fails the test.
 */
const CLIENT_STRICTER = [
  'oa.pc_message_url empty: sandbox accepts, client 40035',
  'oa.status_bar.status_value empty: sandbox accepts, client 40035',
  'action_card.title empty: sandbox accepts, client 40035',
  'action_card.single_title empty: sandbox accepts, client 40035',
  'action_card.single_url empty: sandbox accepts, client 40035',
];

describe('the sandbox rule table and the client agree on every documented limit', () => {
  it('on the same msgtypes', () => {
    expect(Object.keys(MSG_TABLE).sort()).toEqual([...msgSchema.properties.msgtype.enum].sort());
  });

  it('on every probe of every field and list limit', () => {
    const probes = probesOf(MSG_TABLE);
    expect(probes.length).toBeGreaterThan(150);
    // Both sides accept something and refuse something, so agreement is not "both accept everything".
    expect(probes.filter((p) => sandboxVerdict(p.msg, MSG_TABLE) === 0).length).toBeGreaterThan(20);
    expect(probes.filter((p) => sandboxVerdict(p.msg, MSG_TABLE) === 34016).length).toBeGreaterThan(15);
    expect(disagreements(MSG_TABLE)).toEqual(CLIENT_STRICTER);
  });

  it('on the 2048 bytes of the whole msg (45002)', () => {
    const ofBytes = (n: number): Msg => ({ msgtype: 'text', text: { content: 'x'.repeat(n - JSON.stringify({ msgtype: 'text', text: { content: '' } }).length) } });
    const at = (msg: Msg): [number, number[]] => [checkMessage(msg, { users: ['u'], depts: [], all: false, given: { users: true, depts: false, all: false } }, 'internal')?.errcode ?? 0, checkMsgSize(msg).map((p) => p.errcode)];
    expect(at(ofBytes(MSG_LIMITS.msgBytes))).toEqual([0, []]);
    expect(at(ofBytes(MSG_LIMITS.msgBytes + 1))).toEqual([45002, [45002]]);
  });

  it.each([
    ['5 users', { users: ['a', 'b', 'c', 'd', 'e'], depts: [], all: false }, 'internal'],
    ['6 users', { users: ['a', 'b', 'c', 'd', 'e', 'f'], depts: [], all: false }, 'internal'],
    ['5 users, one twice', { users: ['a', 'b', 'c', 'd', 'e', 'a'], depts: [], all: false }, 'internal'],
    ['a department', { users: ['a'], depts: ['1'], all: false }, 'internal'],
    ['everyone', { users: [], depts: [], all: true }, 'internal'],
    ['everyone from an ISV app', { users: [], depts: [], all: true }, 'isv'],
  ] as const)('on who an OA status bar may go to: %s', (_name, to, kind) => {
    const oa = BASES.find((b) => b.msgtype === 'oa')!;
    const sandbox = checkMessage(oa, { ...to, users: [...to.users], depts: [...to.depts], given: { users: to.users.length > 0, depts: to.depts.length > 0, all: to.all } }, kind)?.errcode ?? 0;
    const client = checkMsgRecipients(oa, { users: [...to.users], departments: [...to.depts], all: to.all }, kind).map((p) => p.errcode);
    expect(sandbox === 0 ? client : client.includes(sandbox)).toEqual(sandbox === 0 ? [] : true);
  });
});

describe('a rule changed on one side is caught', () => {
  const changed = (msgtype: string, path: string, change: Partial<FieldRule>): Table => ({
    ...MSG_TABLE,
    [msgtype]: MSG_TABLE[msgtype]!.map((r) => (r.path.join('.') === path ? { ...r, ...change } : r)),
  });

  it('a text content cap of 4000 instead of 5000', () => {
    expect(disagreements(changed('text', 'text.content', { maxChars: 4000 }))).toContain('text.content of 4001 × x: sandbox 34016, client accepts');
  });

  it('a link title the sandbox no longer requires', () => {
    expect(disagreements(changed('link', 'link.title', { required: false }))).toContain('link.title missing: sandbox accepts, client 40035');
  });

  it('a button list of 900 JSON characters', () => {
    expect(disagreements(MSG_TABLE, { buttonListJsonChars: 900 })).toContain('btn_json_list of 1000 JSON characters: sandbox 34016, client accepts');
  });
});
