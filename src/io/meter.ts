import { QUOTA_EXHAUSTED } from '../core/send/quota.js';
import { DingTalkError } from '../errors.js';
import type { DingTalkClient } from './dingtalk/index.js';

/** A client that counts the calls DingTalk meters against the monthly quota (core/send/quota.ts). */
export interface MeteredClient {
  client: DingTalkClient;
  /** Metered requests made so far: each try of every call (send, upload, follow-up, recall, status-bar update). */
  calls(): number;
  /** Whether any call met 90020 (the organisation's monthly quota is used up). */
  exhausted(): boolean;
}

/**
 * Tokens and contacts APIs are exempt (dingtalk-api.md [D EXEMPT]). Every call's retries are counted try by try (its
 * `attempts`, also a failed call's): DingTalk cannot be asked whether a refused try counted, so the count errs high.
 */
export function meterClient(inner: DingTalkClient): MeteredClient {
  let calls = 0;
  let exhausted = false;
  const metered = async <T>(run: () => Promise<T>, tries: (value: T) => number): Promise<T> => {
    try {
      const value = await run();
      calls += tries(value);
      return value;
    } catch (e) {
      calls += (e as { attempts?: number }).attempts ?? 1;
      if (e instanceof DingTalkError && e.errcode === QUOTA_EXHAUSTED) exhausted = true;
      throw e;
    }
  };
  const client: DingTalkClient = {
    sendMessage: (req) => metered(() => inner.sendMessage(req), (r) => r.attempts),
    sendByTemplate: (req) => metered(() => inner.sendByTemplate(req), (r) => r.attempts),
    getSendProgress: (taskId) => metered(() => inner.getSendProgress(taskId), (r) => r.attempts),
    getSendResult: (taskId) => metered(() => inner.getSendResult(taskId), (r) => r.attempts),
    uploadMedia: (up) => metered(() => inner.uploadMedia(up), (r) => r.attempts),
    recall: (taskId) => metered(() => inner.recall(taskId), (r) => r.attempts),
    updateStatusBar: (taskId, value, bg) => metered(() => inner.updateStatusBar(taskId, value, bg), (r) => r.attempts),
    checkCredentials: () => inner.checkCredentials(),
    callContacts: (path, body) => inner.callContacts(path, body),
    credentialValues: () => inner.credentialValues(),
    close: () => inner.close(),
  };
  return { client, calls: () => calls, exhausted: () => exhausted };
}
