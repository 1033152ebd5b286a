import * as assert from 'node:assert/strict';
import { normaliseModel, priceFor, requestCost } from '../../src/core/pricing/pricing';
import { PRICES } from '../../src/core/pricing/priceTable';
import { TokenCounts } from '../../src/core/tokens';

const tk = (p: Partial<TokenCounts>): TokenCounts => ({ input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, reasoning: 0, ...p });
const close = (a: number | undefined, b: number) => assert.ok(a !== undefined && Math.abs(a - b) < 1e-9, `${a} != ${b}`);

describe('pricing', () => {
  it('normalises date suffixes, -fast, [1m] and provider prefixes', () => {
    assert.equal(normaliseModel('claude-sonnet-4-5-20250929'), 'claude-sonnet-4-5');
    assert.equal(normaliseModel('claude-sonnet-4-5-20250929[1m]'), 'claude-sonnet-4-5');
    assert.equal(normaliseModel('claude-opus-4-6-fast'), 'claude-opus-4-6');
    assert.equal(normaliseModel('anthropic/claude-haiku-4-5'), 'claude-haiku-4-5');
    assert.equal(normaliseModel('us.anthropic.claude-opus-4-1-20250805-v1:0'), 'claude-opus-4-1');
    assert.equal(normaliseModel('gpt-5-2025-08-07'), 'gpt-5');
    assert.equal(normaliseModel('GPT-5.4'), 'gpt-5.4');
  });

  it('prices every kind of token: 5m writes 1.25x, 1h writes 2x, reads 0.1x input (Claude)', () => {
    close(requestCost('claude-sonnet-4-6', tk({ input: 1e6 })), 3);
    close(requestCost('claude-sonnet-4-6', tk({ output: 1e6 })), 15);
    close(requestCost('claude-sonnet-4-6', tk({ cacheWrite5m: 1e6 })), 3.75);
    close(requestCost('claude-sonnet-4-6', tk({ cacheWrite1h: 1e6 })), 6);
    close(requestCost('claude-sonnet-4-6', tk({ cacheRead: 1e6 })), 0.3);
    close(requestCost('claude-opus-4-1-20250805', tk({ input: 1000, output: 1000 })), 0.09);
  });

  it('bills a whole request at the long-context rates when its prompt exceeds the threshold', () => {
    // 150k read + 60k input = 210k prompt > 200k: everything at the >200k rates of Sonnet 4.5
    close(requestCost('claude-sonnet-4-5', tk({ input: 60_000, cacheRead: 150_000, output: 1000 })), (60_000 * 6 + 150_000 * 0.6 + 1000 * 22.5) / 1e6);
    close(requestCost('claude-sonnet-4-5', tk({ input: 50_000, cacheRead: 150_000, output: 1000 })), (50_000 * 3 + 150_000 * 0.3 + 1000 * 15) / 1e6);
    // a model without a tier
    close(requestCost('claude-opus-4-6', tk({ input: 300_000 })), 1.5);
    // OpenAI: input counts cached (cacheRead) too; above 272k at 2x input, 1.5x output
    close(requestCost('gpt-5.4', tk({ input: 100_000, cacheRead: 200_000, output: 1000 })), (100_000 * 5 + 200_000 * 0.5 + 1000 * 22.5) / 1e6);
  });

  it('prices Codex cached input at the cache-read rate', () => {
    close(requestCost('gpt-5.3-codex', tk({ input: 600, cacheRead: 400, output: 50 })), (600 * 1.75 + 400 * 0.175 + 50 * 14) / 1e6);
  });

  it('reports an unknown model as unpriced, not as zero', () => {
    assert.equal(priceFor('claude-nimbus-9'), undefined);
    assert.equal(requestCost('claude-nimbus-9', tk({ input: 10 })), undefined);
  });

  it('has a complete, positive rate card for every model', () => {
    for (const [name, p] of Object.entries(PRICES)) {
      assert.ok(p.input > 0 && p.output > 0 && p.cacheRead > 0, name);
      assert.equal(normaliseModel(name), name, `${name} is not a normalised key`);
    }
  });
});
