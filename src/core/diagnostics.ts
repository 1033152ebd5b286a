/** Per-file record of lines that could not be used. Parsers never throw: they report here. */
export interface LineProblem {
  line: number;
  reason: string;
}

export interface FileDiagnostics {
  file: string;
  /** Lines that looked relevant (passed the pre-filter) but could not be parsed or validated. */
  problemCount: number;
  /** The first problems, kept for display (at most MAX_KEPT). */
  problems: LineProblem[];
  /** A read error for the whole file (permission, I/O), if any. */
  readError?: string;
}

const MAX_KEPT = 20;

export function newDiagnostics(file: string): FileDiagnostics {
  return { file, problemCount: 0, problems: [] };
}

export function reportProblem(d: FileDiagnostics, line: number, reason: string): void {
  d.problemCount++;
  if (d.problems.length < MAX_KEPT) d.problems.push({ line, reason: reason.slice(0, 300) });
}

/** A short description of a zod error's first issue, never including the input values. */
export function describeZodError(err: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): string {
  const i = err.issues[0];
  if (!i) return 'invalid';
  const path = i.path.map(String).join('.');
  return path ? `${path}: ${i.message}` : i.message;
}
