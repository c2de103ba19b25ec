import { describe, expect, it } from 'vitest';
import { nodeDebugWarning } from '../../src/core/validate/nodeDebug.js';

// issue #10 item 8: NODE_DEBUG=fetch prints the gettoken URL with the app secret; send warns.
describe('nodeDebugWarning', () => {
  it.each([['fetch'], ['undici'], ['http'], ['net,tls'], ['worker, HTTP'], ['*']])('%s warns', (v) => {
    expect(nodeDebugWarning(v)).toMatch(/app secret/);
  });
  it.each([[undefined], [''], ['module'], ['worker,timer']])('%s is quiet', (v) => {
    expect(nodeDebugWarning(v)).toBeUndefined();
  });
});
