/**
 * Three kinds of failure keep their kind to the end (style.md, habit 6):
 * - UserError: the command could not do its job because of its input (exit 2, one clean line + hint);
 * - DingTalkError: DingTalk (or the sandbox) answered errcode != 0;
 * - TransportError: the request never got a DingTalk answer (socket, timeout, 5xx, non-JSON).
 * Anything else is a bug and is printed with its stack.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export class DingTalkError extends Error {
  override readonly name = 'DingTalkError';
  constructor(
    readonly endpoint: string,
    readonly errcode: number,
    readonly errmsg: string,
    readonly subCode?: string,
  ) {
    super(`${endpoint}: errcode ${errcode} ${errmsg}`);
  }
}

export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    readonly endpoint: string,
    message: string,
    readonly status?: number,
  ) {
    super(`${endpoint}: ${message}`);
  }
}
