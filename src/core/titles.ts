/** Thread titles: the first real prompt, shortened. Kept for the local UI only, never exported. */

const MAX = 80;

function clean(text: string): string | undefined {
  const t = text.replace(/\s+/g, ' ').trim();
  if (!t || t.startsWith('<') || t.startsWith('Caveat:')) return undefined; // command wrappers, injected context
  return t.length > MAX ? `${t.slice(0, MAX - 1)}…` : t;
}

function textOf(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    for (const c of content) {
      if (c && typeof c === 'object' && ((c as { type?: unknown }).type === 'text' || (c as { type?: unknown }).type === 'input_text')) {
        const t = (c as { text?: unknown }).text;
        if (typeof t === 'string') return t;
      }
    }
  }
  return undefined;
}

/** A Claude `type: "user"` line with the user's own words (not a tool result). */
export function claudePromptTitle(v: unknown): string | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const o = v as { type?: unknown; isSidechain?: unknown; isMeta?: unknown; message?: { role?: unknown; content?: unknown } };
  if (o.type !== 'user' || o.isSidechain === true || o.isMeta === true) return undefined;
  const t = textOf(o.message?.content);
  return t === undefined ? undefined : clean(t);
}

/** A Codex `event_msg` of type `user_message`. */
export function codexPromptTitle(v: unknown): string | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const p = (v as { type?: unknown; payload?: { type?: unknown; message?: unknown } }).payload;
  if ((v as { type?: unknown }).type !== 'event_msg' || p?.type !== 'user_message' || typeof p.message !== 'string') return undefined;
  return clean(p.message);
}

export const CLAUDE_TITLE_NEEDLE = '"type":"user"';
export const CODEX_TITLE_NEEDLE = '"user_message"';
