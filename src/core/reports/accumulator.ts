import { Source } from '../discovery';
import { UsageEvent } from '../events';
import { TokenCounts, addTokens, cacheCreation, totalTokens, zeroTokens } from '../tokens';

/** Token fields as ccusage names them, so users can switch tools. */
export interface TokenFields {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  reasoningTokens: number;
  totalTokens: number;
}

export interface ModelBreakdown {
  modelName: string;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  reasoningTokens: number;
  cost: number;
}

export function tokenFields(t: TokenCounts): TokenFields {
  return {
    inputTokens: t.input,
    outputTokens: t.output,
    cacheCreationTokens: cacheCreation(t),
    cacheReadTokens: t.cacheRead,
    reasoningTokens: t.reasoning,
    totalTokens: totalTokens(t),
  };
}

class Sum {
  readonly tokens = zeroTokens();
  cost = 0;
  add(e: UsageEvent): void {
    addTokens(this.tokens, e.tokens);
    if (e.cost !== undefined) this.cost += e.cost;
  }
}

/** Sums events into tokens, cost, per-model and per-source totals; remembers models without a price. */
export class Accumulator {
  readonly total = new Sum();
  readonly byModel = new Map<string, Sum>();
  readonly bySource = new Map<Source, Sum>();
  readonly unpriced = new Set<string>();
  first = Infinity;
  last = -Infinity;
  count = 0;

  add(e: UsageEvent): void {
    this.count++;
    this.total.add(e);
    let m = this.byModel.get(e.model);
    if (!m) this.byModel.set(e.model, (m = new Sum()));
    m.add(e);
    let s = this.bySource.get(e.source);
    if (!s) this.bySource.set(e.source, (s = new Sum()));
    s.add(e);
    if (e.cost === undefined) this.unpriced.add(e.model);
    if (e.timestamp < this.first) this.first = e.timestamp;
    if (e.timestamp > this.last) this.last = e.timestamp;
  }

  get tokens(): TokenCounts {
    return this.total.tokens;
  }

  get cost(): number {
    return this.total.cost;
  }

  modelsUsed(): string[] {
    return [...this.byModel.keys()].sort();
  }

  modelBreakdowns(): ModelBreakdown[] {
    return [...this.byModel.entries()]
      .map(([modelName, s]) => {
        const f = tokenFields(s.tokens);
        return {
          modelName,
          inputTokens: f.inputTokens,
          outputTokens: f.outputTokens,
          cacheCreationTokens: f.cacheCreationTokens,
          cacheReadTokens: f.cacheReadTokens,
          reasoningTokens: f.reasoningTokens,
          cost: s.cost,
        };
      })
      .sort((a, b) => b.cost - a.cost || a.modelName.localeCompare(b.modelName));
  }

  sources(): Partial<Record<Source, TokenFields & { totalCost: number }>> {
    const out: Partial<Record<Source, TokenFields & { totalCost: number }>> = {};
    for (const src of [...this.bySource.keys()].sort()) {
      const s = this.bySource.get(src)!;
      out[src] = { ...tokenFields(s.tokens), totalCost: s.cost };
    }
    return out;
  }

  unpricedModels(): string[] {
    return [...this.unpriced].sort();
  }
}
