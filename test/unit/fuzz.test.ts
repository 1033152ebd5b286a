import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { UsageEngine } from '../../src/core/engine';
import { claudeRecordFromJson } from '../../src/core/claude/parse';
import { CodexSessionReader } from '../../src/core/codex/session';
import { totalTokens } from '../../src/core/tokens';
import { claudeLine, sessionMeta, tmpDir, tokenCount, turnContext, usage } from './helpers';

const total = (e: UsageEngine) => e.events().reduce((n, ev) => n + totalTokens(ev.tokens), 0);

/** A valid request, written as 1-3 streaming copies (the last one largest), or a piece of garbage. */
const request = fc.record({
  input: fc.integer({ min: 0, max: 50_000 }),
  output: fc.integer({ min: 1, max: 20_000 }),
  write: fc.integer({ min: 0, max: 10_000 }),
  read: fc.integer({ min: 0, max: 200_000 }),
  copies: fc.integer({ min: 1, max: 3 }),
});
const garbage = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ maxLength: 40 }).map((s) => `{"type":"assistant","message":{"usage":${s}`),
  fc.json({ maxDepth: 3 }),
  fc.constant('{"type":"assistant","message":{"id":"x","usage":{"input_tokens":-1,"output_tokens":2}},"timestamp":"2026-01-01T00:00:00Z"}'),
  fc.constant('{"type":"assistant","timestamp":"not a date","message":{"id":"y","usage":{"input_tokens":1,"output_tokens":2}}}'),
  fc.uint8Array({ maxLength: 60 }).map((b) => Buffer.from(b).toString('latin1').replace(/\n/g, ' ')),
);
const item: fc.Arbitrary<Item> = fc.oneof({ weight: 2, arbitrary: request.map((r) => ({ kind: 'req' as const, ...r })) }, { weight: 1, arbitrary: garbage.map((g) => ({ kind: 'junk' as const, text: g.replace(/\n/g, ' ') })) });

type Item = { kind: 'req'; input: number; output: number; write: number; read: number; copies: number } | { kind: 'junk'; text: string };

function render(items: Item[]): { text: string; expected: number } {
  const lines: string[] = [];
  let expected = 0;
  items.forEach((it, i) => {
    if (it.kind === 'junk') {
      lines.push(it.text);
      return;
    }
    for (let c = 1; c <= it.copies; c++) {
      const out = c === it.copies ? it.output : Math.min(c, it.output);
      lines.push(JSON.stringify(claudeLine({ id: `m${i}`, ts: new Date(Date.UTC(2026, 9, 5) + i * 1000).toISOString(), usage: { input_tokens: it.input, output_tokens: out, cache_creation_input_tokens: it.write, cache_read_input_tokens: it.read } })));
    }
    expected += it.input + it.output + it.write + it.read;
  });
  return { text: lines.join('\n') + '\n', expected };
}

/** Writes `bytes` to a fresh file in appended chunks cut at the given fractions, updating after each. */
async function appendInChunks(e: UsageEngine, f: string, bytes: Buffer, fractions: number[]): Promise<void> {
  const cuts = [...new Set(fractions.map((c) => Math.floor(c * bytes.length)))].sort((a, b) => a - b);
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, '');
  await e.scan();
  let at = 0;
  for (const c of [...cuts, bytes.length]) {
    fs.appendFileSync(f, bytes.subarray(at, c));
    at = c;
    await e.updateFile(f);
  }
}

describe('property tests (fast-check)', function () {
  this.timeout(120_000);

  it('the line parsers never throw, whatever they are given', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json({ maxDepth: 4 }).map((s) => JSON.parse(s) as unknown), fc.anything()), (v) => {
        claudeRecordFromJson(v, 'f', 1, 's');
        new CodexSessionReader().handle(v, 1);
        new CodexSessionReader().handle({ timestamp: '2026-01-01T00:00:00Z', type: 'event_msg', payload: v }, 1);
        new CodexSessionReader().handle({ timestamp: '2026-01-01T00:00:00Z', type: 'event_msg', payload: { type: 'token_count', info: v, rate_limits: v } }, 1);
        return true;
      }),
      { numRuns: 500 },
    );
  });

  it('any mix of valid and garbage lines counts exactly the valid usage, once', async () => {
    const dir = tmpDir();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(item, { maxLength: 40 }), async (items) => {
        const root = path.join(dir, `r${n++}`);
        const f = path.join(root, 'projects', 'p', 's.jsonl');
        fs.mkdirSync(path.dirname(f), { recursive: true });
        const { text, expected } = render(items);
        fs.writeFileSync(f, text);
        const e = new UsageEngine({ claudeRoots: [root], sources: ['claude'] });
        await e.scan();
        assert.equal(total(e), expected);
      }),
      { numRuns: 60 },
    );
  });

  it('any split of a Claude file into appended chunks gives the totals of reading it whole', async () => {
    const dir = tmpDir();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(item, { minLength: 1, maxLength: 25 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }), async (items, cutsRaw) => {
        const { text, expected } = render(items);
        const root = path.join(dir, `r${n++}`);
        const e = new UsageEngine({ claudeRoots: [root], sources: ['claude'] });
        await appendInChunks(e, path.join(root, 'projects', 'p', 's.jsonl'), Buffer.from(text), cutsRaw);
        assert.equal(total(e), expected);
      }),
      { numRuns: 60 },
    );
  });

  it('any split of a Codex rollout into appended chunks gives the totals of reading it whole', async () => {
    const dir = tmpDir();
    let n = 0;
    const turn = fc.record({ input: fc.integer({ min: 1, max: 40_000 }), cachedShare: fc.double({ min: 0, max: 1, noNaN: true }), output: fc.integer({ min: 0, max: 5000 }), reemits: fc.integer({ min: 0, max: 2 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(turn, { minLength: 1, maxLength: 15 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 10 }), async (turns, cutsRaw) => {
        const id = `0199a0b1-0000-7000-8000-${String(n).padStart(12, '0')}`;
        const lines: unknown[] = [sessionMeta('2026-10-05T12:00:00Z', id), turnContext('2026-10-05T12:00:00Z', 'gpt-5.4'), tokenCount('2026-10-05T12:00:01Z', null)];
        let tot = usage(0, 0, 0);
        let expected = 0;
        turns.forEach((t, i) => {
          const cached = Math.floor(t.input * t.cachedShare);
          const last = usage(t.input, cached, t.output);
          tot = usage(tot.input_tokens + t.input, tot.cached_input_tokens + cached, tot.output_tokens + t.output);
          const ts = new Date(Date.UTC(2026, 9, 5, 12, 1, i)).toISOString();
          for (let r = 0; r <= t.reemits; r++) lines.push(tokenCount(ts, tot, last));
          expected += t.input + t.output;
        });
        const home = path.join(dir, `h${n++}`);
        const e = new UsageEngine({ claudeRoots: [], codexHome: home, sources: ['codex'] });
        const f = path.join(home, 'sessions', '2026', '10', '05', `rollout-2026-10-05T12-00-00-${id}.jsonl`);
        await appendInChunks(e, f, Buffer.from(lines.map((l) => JSON.stringify(l)).join('\n') + '\n'), cutsRaw);
        assert.equal(total(e), expected);
      }),
      { numRuns: 60 },
    );
  });
});
