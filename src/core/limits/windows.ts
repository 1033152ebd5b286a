/**
 * One vocabulary for limit windows of both sources. A window has a base (its length: `fiveHour`,
 * `weekly`, or another kind) and, for a model's own limit, a scope (the model's display name).
 * Its name is unique per source: `weekly`, `weekly:fable`, `fiveHour:codex_gpt-5.3-codex-spark`.
 */

/** The two windows every plan has; others are named by their own kind or length. */
export type WindowBase = 'fiveHour' | 'weekly' | (string & {});

export interface WindowId {
  /** Unique per source: `base` or `base:scopeKey`. */
  name: string;
  base: WindowBase;
  /** Display name of the model (or product) the window is scoped to, e.g. "Fable". */
  scope?: string;
  /** "5-hour", "Weekly", "Weekly · Fable". */
  label: string;
}

/** Lower case, non-alphanumerics as `-`: a stable key for a display name. */
export function scopeKey(s: string): string {
  return s.trim().toLowerCase().replace(/[^a-z0-9._]+/g, '-').replace(/^-+|-+$/g, '') || 'scoped';
}

/** "opus" -> "Opus"; a name the provider already capitalised is kept. */
function displayScope(s: string): string {
  const t = s.trim();
  return t ? t[0].toUpperCase() + t.slice(1) : t;
}

export function baseLabel(base: WindowBase): string {
  if (base === 'fiveHour') return '5-hour';
  if (base === 'weekly') return 'Weekly';
  const m = /^(\d+)m$/.exec(base);
  if (m) {
    const min = Number(m[1]);
    return min % 1440 === 0 ? `${min / 1440}-day` : min % 60 === 0 ? `${min / 60}-hour` : `${min}-minute`;
  }
  return base.replace(/_/g, ' ');
}

/**
 * A window's identity from its base and optional scope. `key` overrides the scope's key where the
 * source has a stable id of its own (Codex `limit_id`). The object is shared: copy it before changing it.
 */
export function windowId(base: WindowBase, scope?: string, key?: string): WindowId {
  // Every rate-limit line names its windows again: the same few identities, made once.
  const memo = `${base}\u0000${scope ?? ''}\u0000${key ?? ''}`;
  let id = ids.get(memo);
  if (!id) {
    const shown = scope || key ? displayScope(scope ?? key ?? '') : undefined;
    id = shown === undefined ? { name: base, base, label: baseLabel(base) } : { name: `${base}:${key ?? scopeKey(scope!)}`, base, scope: shown, label: `${baseLabel(base)} · ${shown}` };
    if (ids.size > 1000) ids.clear();
    ids.set(memo, id);
  }
  return id;
}
const ids = new Map<string, WindowId>();

/** The label of a window name alone (charts and tables that only kept the name). */
export function labelOfName(name: string, scope?: string): string {
  const i = name.indexOf(':');
  if (i < 0) return baseLabel(name);
  return `${baseLabel(name.slice(0, i))} · ${scope ?? name.slice(i + 1)}`;
}

/** The base of a window name (`weekly:fable` -> `weekly`). */
export function baseOf(name: string): WindowBase {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(0, i);
}

/** Window length by base, where it is known. */
export function baseMinutes(base: WindowBase): number | undefined {
  if (base === 'fiveHour') return 300;
  if (base === 'weekly') return 10080;
  const m = /^(\d+)m$/.exec(base);
  return m ? Number(m[1]) : undefined;
}

/** Severity as the Claude endpoint reports it (`normal`, `warning`, `critical`; others kept as given). */
export type Severity = 'normal' | 'warning' | 'critical' | (string & {});
