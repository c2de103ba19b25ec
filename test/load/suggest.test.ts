import { describe, expect, it } from 'vitest';
import { checkMsgShape } from '../../src/core/msg/index.js';
import { describeSchemaErrors } from '../../src/core/schemaErrors.js';
import { schemaValidator } from '../../src/core/schemas.js';
import { closestMatch } from '../../src/core/suggest.js';

describe('closestMatch: the one "did you mean"', () => {
  it.each([
    ['singleURL', ['single_url', 'single_title'], 'single_url'], // another API's casing
    ['message_url', ['messageUrl', 'picUrl'], 'messageUrl'],
    ['dialy', ['daily', 'weekly'], 'daily'], // two neighbours swapped: one edit
    ['titel', ['title', 'text'], 'title'],
    ['contnet', ['content'], 'content'],
    ['foo', ['to', 'msg'], undefined], // nothing close: no guess
  ])('%s among %j → %s', (word, candidates, expected) => {
    expect(closestMatch(word, candidates)).toBe(expected);
  });

  it('decides the hints of project files and of msg objects alike', () => {
    const validate = schemaValidator('notifications');
    validate({ notifications: { n: { template: 't', to: { users: ['u'] }, varz: {} } } });
    const inFile = describeSchemaErrors(validate.errors ?? []).find((p) => p.code === 'schema/unknown-key');
    const inMsg = checkMsgShape({ msgtype: 'text', text: { contnet: 'hi' } }).find((p) => p.code === 'msg/unknown-key');
    expect([inFile?.hint, inMsg?.hint]).toEqual(['Did you mean `vars`?', 'Did you mean `content`?']);
  });
});
