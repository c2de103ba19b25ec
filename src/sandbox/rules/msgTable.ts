/**
 * DingTalk's documented `msg` shapes and hard limits, written for the sandbox alone from
 * ../shared/dingtalk-api.md §2 (TYPES) and the 34016 list (ERRORS). The client's own rules live in src/core/msg;
 * keeping this table separate lets an end-to-end test catch a wrong rule in either one, and
 * test/sandbox/msg-table.test.ts checks that the two agree on every limit written here.
 *
 * Only what DingTalk rejects is here. "Recommended" lengths (a text's 500, a link title's 100) are accepted.
 */

/** One documented field: `path` inside the msg, `[]` marking "every element of this array". */
export interface FieldRule {
  path: readonly string[];
  type: 'string' | 'object' | 'array';
  required?: boolean;
  /** Hard cap in characters (Unicode code points), answered with 34016. */
  maxChars?: number;
  /** A documented format (a string field), answered with 40035. */
  pattern?: RegExp;
  /** A documented set of values (a string field), answered with 40035. */
  values?: readonly string[];
  /** Where the rule comes from, as dingtalk-api.md tags it. */
  source: string;
}

const s = (path: string, extra: Partial<FieldRule> = {}, source = 'TYPES'): FieldRule => ({ path: path.split('.'), type: 'string', ...extra, source });
const o = (path: string, extra: Partial<FieldRule> = {}, source = 'TYPES'): FieldRule => ({ path: path.split('.'), type: 'object', ...extra, source });
const a = (path: string, extra: Partial<FieldRule> = {}, source = 'TYPES'): FieldRule => ({ path: path.split('.'), type: 'array', ...extra, source });
const required = { required: true } as const;

/** msgtype → its documented fields. A key not listed is refused (40035): the sandbox models the documented shape. */
export const MSG_TABLE: Readonly<Record<string, readonly FieldRule[]>> = {
  text: [o('text', required), s('text.content', { ...required, maxChars: 5000 }, 'TYPES; ERRORS 34016')],
  image: [o('image', required), s('image.media_id', required)],
  voice: [o('voice', required), s('voice.media_id', required), s('voice.duration', { ...required, pattern: /^(?:[1-9]|[1-5][0-9])$/ }, 'TYPES: a string holding a positive integer < 60')],
  file: [o('file', required), s('file.media_id', required)],
  link: [o('link', required), s('link.messageUrl', required), s('link.picUrl', required), s('link.title', required), s('link.text', required)],
  markdown: [o('markdown', required), s('markdown.title', required), s('markdown.text', { ...required, maxChars: 5000 }, 'TYPES: max 5000 chars')],
  oa: [
    o('oa', required),
    s('oa.message_url', required),
    s('oa.pc_message_url'),
    o('oa.head', required),
    s('oa.head.bgcolor', { ...required, pattern: /^[0-9A-Fa-f]{8}$/ }, 'TYPES: 8 hex chars ARGB, no 0x'),
    s('oa.head.text', required),
    o('oa.status_bar'),
    s('oa.status_bar.status_value'),
    s('oa.status_bar.status_bg'),
    o('oa.body', required),
    s('oa.body.title'),
    a('oa.body.form'),
    o('oa.body.form.[]'),
    s('oa.body.form.[].key'),
    s('oa.body.form.[].value'),
    o('oa.body.rich'),
    s('oa.body.rich.num'),
    s('oa.body.rich.unit'),
    s('oa.body.content'),
    s('oa.body.image'),
    s('oa.body.file_count'),
    s('oa.body.author'),
  ],
  action_card: [
    o('action_card', required),
    s('action_card.title', { maxChars: 64 }, 'ERRORS 34016'),
    s('action_card.markdown', { ...required, maxChars: 5000 }, 'TYPES; ERRORS 34016'),
    s('action_card.single_title', { maxChars: 20 }, 'TYPES; ERRORS 34016'),
    s('action_card.single_url', { maxChars: 500 }, 'TYPES; ERRORS 34016'),
    s('action_card.btn_orientation', { values: ['0', '1'] }, 'TYPES: "0" vertical, "1" horizontal'),
    a('action_card.btn_json_list'),
    o('action_card.btn_json_list.[]'),
    s('action_card.btn_json_list.[].title', { ...required, maxChars: 20 }),
    s('action_card.btn_json_list.[].action_url', { ...required, maxChars: 700 }, 'TYPES (the SDK comment says 500)'),
  ],
};

/** Limits that are not one field's: the whole msg and its recipients. */
export const MSG_LIMITS = {
  /** The whole msg as UTF-8 JSON [D SEND] → 45002. */
  msgBytes: 2048,
  /** action_card.btn_json_list measured as its JSON text [D ERRORS 34016] → 34016. */
  buttonListJsonChars: 1000,
  /** An OA status bar goes only to a userid_list of at most 5, no departments, not everyone [D TYPES, FAQ] → 400002. */
  statusBarUsers: 5,
} as const;

export const ERRCODES = {
  unknownMsgtype: 40008,
  invalidParameter: 40035,
  tooLong: 34016,
  tooLarge: 45002,
  parameterError: 400002,
  isvToAll: 41028,
} as const;
