import { ERRCODE, problem, type MsgProblem } from './problem.js';

/** DingTalk rules about a msg's content that JSON Schema cannot say well. Each takes any value and
 * returns its problems; they run after the schema, so they stay silent on shapes the schema reports. */
export type MsgRule = (msg: unknown) => MsgProblem[];

/** 34016 caps the whole button list, measured as its JSON text. */
export const BTN_JSON_LIST_MAX_CHARS = 1000;

/** An action_card takes exactly one style: one whole-card button, or a list of buttons. */
export function actionCardHasOneStyle(msg: unknown): MsgProblem[] {
  const card = actionCard(msg);
  if (card === undefined) return [];
  const single = 'single_title' in card || 'single_url' in card;
  const buttons = 'btn_orientation' in card || 'btn_json_list' in card;
  if (single && buttons) {
    return [problem('msg/action-card-style', ['action_card'], ERRCODE.invalidParameter,
      'action_card has both a single button (single_title/single_url) and a button list (btn_orientation/btn_json_list)',
      'Keep single_title + single_url for one whole-card button, or btn_orientation + btn_json_list for several.')];
  }
  if (!single && !buttons) {
    return [problem('msg/action-card-style', ['action_card'], ERRCODE.invalidParameter,
      'action_card has no button',
      'Add single_title + single_url for one whole-card button, or btn_orientation + btn_json_list for several.')];
  }
  return single
    ? bothOrNeither(card, 'single_title', 'single_url')
    : bothOrNeither(card, 'btn_orientation', 'btn_json_list');
}

function bothOrNeither(card: Record<string, unknown>, a: string, b: string): MsgProblem[] {
  const [present, missing] = a in card ? [a, b] : [b, a];
  if (missing in card) return [];
  return [problem('msg/missing-field', ['action_card', missing], ERRCODE.invalidParameter,
    `action_card.${present} needs action_card.${missing}`, `Add ${missing}, or remove ${present}.`)];
}

/** The whole btn_json_list, as JSON, is at most 1000 characters. */
export function btnJsonListLength(msg: unknown): MsgProblem[] {
  const list = actionCard(msg)?.btn_json_list;
  if (!Array.isArray(list)) return [];
  const chars = [...JSON.stringify(list)].length;
  if (chars <= BTN_JSON_LIST_MAX_CHARS) return [];
  return [problem('msg/too-long', ['action_card', 'btn_json_list'], ERRCODE.fieldTooLong,
    `action_card.btn_json_list is ${chars} characters as JSON; DingTalk allows at most ${BTN_JSON_LIST_MAX_CHARS}`,
    'Use fewer buttons or shorter titles and URLs.')];
}

/** Every content rule, in the order checkMsgShape reports them. */
export const MSG_RULES: readonly MsgRule[] = [actionCardHasOneStyle, btnJsonListLength];

function actionCard(msg: unknown): Record<string, unknown> | undefined {
  const root = record(msg);
  if (root?.msgtype !== 'action_card') return undefined;
  return record(root.action_card);
}

export function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
