import { TokenCounts, promptTokens } from '../tokens';
import { ModelPrice, PRICES, Rates } from './priceTable';

const normCache = new Map<string, string>();

/**
 * Canonical model name: lower case, no provider prefix, no date or version suffix,
 * no `-fast` / `[1m]` / `-thinking` variants. `claude-sonnet-4-5-20250929[1m]` -> `claude-sonnet-4-5`.
 */
export function normaliseModel(raw: string): string {
  let n = normCache.get(raw);
  if (n !== undefined) return n;
  n = raw.trim().toLowerCase();
  n = n.replace(/\[[^\]]*\]$/, ''); // [1m]
  n = n.replace(/^(?:anthropic|openai|azure|bedrock|vertex_ai)[/.:]/, '');
  n = n.replace(/^(?:us|eu|apac|global)\.anthropic\./, '').replace(/^anthropic\./, '');
  n = n.replace(/-v\d+(?::\d+)?$/, ''); // bedrock -v1:0
  n = n.replace(/@\d{8}$/, ''); // vertex @20250514
  n = n.replace(/-(?:fast|thinking|latest-fast)$/, '');
  n = n.replace(/-\d{8}$/, ''); // -20250514
  n = n.replace(/-\d{4}-\d{2}-\d{2}$/, ''); // openai -2025-08-07
  n = n.replace(/-(?:fast)$/, '');
  normCache.set(raw, n);
  return n;
}

export function priceFor(model: string): ModelPrice | undefined {
  return PRICES[normaliseModel(model)];
}

function costAt(r: Rates, t: TokenCounts): number {
  return (
    (t.input * r.input +
      t.output * r.output +
      t.cacheWrite5m * r.cacheWrite5m +
      t.cacheWrite1h * r.cacheWrite1h +
      t.cacheRead * r.cacheRead) /
    1_000_000
  );
}

/**
 * Cost of one request in USD, or undefined when the model has no price.
 * A request whose prompt exceeds the model's long-context threshold is billed whole at the long-context rates.
 */
export function requestCost(model: string, t: TokenCounts): number | undefined {
  const p = priceFor(model);
  if (!p) return undefined;
  const rates = p.longContext && promptTokens(t) > p.longContext.above ? p.longContext : p;
  return costAt(rates, t);
}
