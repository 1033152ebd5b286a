import { Attribution } from '../attribution';
import { SessionRow } from './sessions';

export interface RepositoryRow {
  repoKey: string;
  repo: string;
  repoConfidence: Attribution['confidence'];
  repoRoot?: string;
  threads: SessionRow[];
  totalTokens: number;
  totalCost: number;
  lastActivity: string;
  unpricedModels?: string[];
}

/** Groups threads by the repository they are attributed to; the most recently active first. */
export function repositoryReport(sessions: readonly SessionRow[]): RepositoryRow[] {
  const groups = new Map<string, RepositoryRow>();
  for (const s of sessions) {
    let g = groups.get(s.repoKey);
    if (!g) {
      g = { repoKey: s.repoKey, repo: s.repo, repoConfidence: s.repoConfidence, repoRoot: s.repoRoot, threads: [], totalTokens: 0, totalCost: 0, lastActivity: s.lastActivity };
      groups.set(s.repoKey, g);
    }
    g.threads.push(s);
    g.totalTokens += s.totalTokens;
    g.totalCost += s.totalCost;
    if (s.lastActivity > g.lastActivity) g.lastActivity = s.lastActivity;
    if (!g.repoRoot && s.repoRoot) g.repoRoot = s.repoRoot;
    if (s.repoConfidence === 'exact') g.repoConfidence = 'exact';
    if (s.unpricedModels) g.unpricedModels = [...new Set([...(g.unpricedModels ?? []), ...s.unpricedModels])].sort();
  }
  return [...groups.values()].sort((a, b) => b.lastActivity.localeCompare(a.lastActivity) || a.repo.localeCompare(b.repo));
}
