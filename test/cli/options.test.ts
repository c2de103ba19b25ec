import { describe, expect, it } from 'vitest';
import { parseAt, parseSeconds, targetOf } from '../../src/cli/commands/options.js';
import { httpTimeoutMs } from '../../src/cli/credentials.js';
import { ledgerFile } from '../../src/io/ledger.js';

describe('the shared flag parsers', () => {
  it('--at takes an ISO time and refuses anything else with an example', () => {
    expect((parseAt('2026-11-26T09:00:00+08:00') as Date).toISOString()).toBe('2026-11-26T01:00:00.000Z');
    expect(parseAt('2026-11-26T09:00')).toEqual({ local: '2026-11-26T09:00' });
    expect(() => parseAt('tomorrow')).toThrow(/`tomorrow` is not an ISO time, e\.g\. --at 2026-11-26T09:00:00\+08:00/);
  });

  it('--wait-timeout and --lock-wait are seconds, 0 allowed; anything else names the flag and an example', () => {
    expect(parseSeconds('--lock-wait', '0')).toBe(0);
    expect(parseSeconds('--wait-timeout', '1.5')).toBe(1_500);
    for (const bad of ['', ' ', '-1', 'ten', 'Infinity']) expect(() => parseSeconds('--lock-wait', bad)).toThrow(/--lock-wait `.*` is not a number of seconds/);
  });

  it('the target comes from the environment it is given, not the process', () => {
    expect(targetOf(true, { DINGTALK_BASE_URL: 'http://127.0.0.1:1' })).toBe('sandbox');
    expect(targetOf(false, { DINGTALK_BASE_URL: 'http://127.0.0.1:8787//' })).toBe('http://127.0.0.1:8787');
    // Without DINGTALK_BASE_URL a run writes DingTalk's own ledger, whatever name that constant has elsewhere.
    expect(ledgerFile('/p', targetOf(false, {}))).toBe(ledgerFile('/p'));
  });
});

describe('DINGCAST_HTTP_TIMEOUT', () => {
  it('is seconds, 10 by default; anything else is a clear error', () => {
    expect(httpTimeoutMs({})).toBe(10_000);
    expect(httpTimeoutMs({ DINGCAST_HTTP_TIMEOUT: '2.5' })).toBe(2_500);
    for (const bad of ['0', '-1', 'ten', 'Infinity']) expect(() => httpTimeoutMs({ DINGCAST_HTTP_TIMEOUT: bad })).toThrow(/DINGCAST_HTTP_TIMEOUT `.*` is not a number of seconds/);
  });
});
