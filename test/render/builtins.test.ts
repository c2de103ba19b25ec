import { describe, expect, it } from 'vitest';
import { CTX, outcome } from './_render.js';

describe('built-in @data', () => {
  it.each([
    ['{{@now}}', CTX, '2024-03-05T00:30:05.000+08:00'], // the project's wall clock, with its offset
    ['{{@now}}', { ...CTX, timezone: 'UTC' }, '2024-03-04T16:30:05.000+00:00'],
    ['{{@now}}', { ...CTX, timezone: 'America/Los_Angeles' }, '2024-03-04T08:30:05.000-08:00'],
    ['{{@now}}', { ...CTX, timezone: 'Asia/Kolkata' }, '2024-03-04T22:00:05.000+05:30'],
    ['{{date @now "HH:mm"}}', CTX, '00:30'], // still ISO 8601: `date` reads it back to the same instant
    ['{{@now}}', { ...CTX, timezone: 'Nowhere/Else' }, '2024-03-04T16:30:05.000Z'], // the zone's error is reported elsewhere
    ['{{@today}}', CTX, '2024-03-05'], // already the 5th in Shanghai
    ['{{@today}}', { ...CTX, timezone: 'UTC' }, '2024-03-04'],
    ['{{@today}}', { ...CTX, timezone: 'America/Los_Angeles' }, '2024-03-04'],
    ['{{@notification}}', CTX, 'release-api'],
    ['{{@run_id}}', CTX, '20240304T163005Z-abc123'],
    ['{{@timezone}}', CTX, 'Asia/Shanghai'],
    ['{{@notification}}', { now: CTX.now, timezone: 'UTC' }, '!render/missing-variable'],
    ['{{default @notification "preview"}}', { now: CTX.now, timezone: 'UTC' }, 'preview'],
    ['{{#if @run_id}}run{{else}}no run{{/if}}', { now: CTX.now, timezone: 'UTC' }, 'no run'],
    ['{{@today}}', { ...CTX, timezone: 'Nowhere/Else' }, '!render/bad-timezone'],
    ['{{@now}}', { ...CTX, now: new Date(Number.NaN) }, '!render/bad-context'],
    ['{{@root.name}} {{#each list}}{{@root.name}}{{/each}}', CTX, 'top toptop'],
    ['{{@bogus}}', CTX, '!render/unknown-data'],
  ])('%s', (source, ctx, expected) => {
    expect(outcome(source, { name: 'top', list: [1, 2] }, ctx)).toBe(expected);
  });

  it('is deterministic: same vars and ctx, same output, whatever the real clock says', () => {
    const a = outcome('{{@now}} {{@today}} {{date}}', {}, CTX);
    const b = outcome('{{@now}} {{@today}} {{date}}', {}, { ...CTX, now: new Date(CTX.now.getTime()) });
    expect(a).toBe('2024-03-05T00:30:05.000+08:00 2024-03-05 2024-03-05 00:30');
    expect(b).toBe(a);
    expect(outcome('{{@today}}', {}, { ...CTX, now: new Date('2024-03-04T15:59:59Z') })).toBe('2024-03-04');
  });
});
