import { ClaudeRecord } from '../claude/parse';
import { totalTokens } from '../tokens';

/** Claude records as number arrays over a string table: a fraction of the size of plain JSON objects. */
export function encodeClaude(records: Iterable<ClaudeRecord>): { strings: string[]; records: number[][] } {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const str = (v: string | undefined) => {
    if (v === undefined) return -1;
    let i = index.get(v);
    if (i === undefined) {
      i = strings.push(v) - 1;
      index.set(v, i);
    }
    return i;
  };
  const out: number[][] = [];
  for (const r of records) {
    const t = r.tokens;
    out.push([str(r.key), str(r.messageId), r.timestamp, str(r.sessionId), str(r.model), t.input, t.output, t.cacheWrite5m, t.cacheWrite1h, t.cacheRead, r.sidechain ? 1 : 0, str(r.cwd), str(r.gitBranch), r.costUSD ?? -1, r.line]);
  }
  return { strings, records: out };
}

export function decodeClaude(file: string, e: { strings: string[]; records: number[][] }): Map<string, ClaudeRecord> {
  const s = (i: number) => (i >= 0 ? e.strings[i] : undefined);
  const m = new Map<string, ClaudeRecord>();
  for (const a of e.records) {
    const tokens = { input: a[5], output: a[6], cacheWrite5m: a[7], cacheWrite1h: a[8], cacheRead: a[9], reasoning: 0 };
    const r: ClaudeRecord = {
      key: s(a[0])!,
      messageId: s(a[1])!,
      timestamp: a[2],
      sessionId: s(a[3])!,
      model: s(a[4])!,
      tokens,
      total: totalTokens(tokens),
      sidechain: a[10] === 1,
      cwd: s(a[11]),
      gitBranch: s(a[12]),
      costUSD: a[13] >= 0 ? a[13] : undefined,
      file,
      line: a[14],
    };
    m.set(r.key, r);
  }
  return m;
}
