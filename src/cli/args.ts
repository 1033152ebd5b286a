import { Source } from '../core/discovery';
import { WEEKDAYS, Weekday, isCalendarDate, isValidTimeZone, systemTimeZone } from '../core/time';

export const COMMANDS = ['daily', 'weekly', 'monthly', 'session', 'blocks', 'limits'] as const;
export type Command = (typeof COMMANDS)[number];

export interface CliOptions {
  command: Command;
  json: boolean;
  since?: string;
  until?: string;
  /** IANA zone; empty until resolved (the system zone is looked up only when none is given). */
  timezone: string;
  source: Source | 'all';
  claudeDirs: string[];
  codexHome?: string;
  breakdown: boolean;
  weekStartsOn: Weekday;
  verbose: boolean;
  /** limits: do not fetch Claude's official limits. */
  noFetch: boolean;
  help: boolean;
}

export class UsageError extends Error {}

export const USAGE = `Usage: agent-usage [daily|weekly|monthly|session|blocks|limits] [options]

Reports token usage and cost of Claude Code and OpenAI Codex from their local logs.

Options:
  --json                  JSON output (field names as in ccusage)
  --since YYYY-MM-DD      first day to include (inclusive)
  --until YYYY-MM-DD      last day to include (inclusive)
  --timezone IANA         time zone for days, weeks and months (default: system)
  --source S              claude, codex or all (default: all)
  --claude-dir DIR        a Claude config dir holding projects/ (repeatable; replaces discovery)
  --codex-home DIR        the Codex home holding sessions/ (default: $CODEX_HOME or ~/.codex)
  --breakdown             per-model rows in tables
  --start-of-week DAY     first day of weekly reports (default: monday)
  --verbose               list unreadable lines on stderr
  --no-fetch              limits: Codex only, no request for Claude's official limits
  -h, --help              this help
`;

function normDate(flag: string, v: string): string {
  const s = /^\d{8}$/.test(v) ? `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6)}` : v;
  if (!isCalendarDate(s)) throw new UsageError(`${flag} expects a date YYYY-MM-DD, got "${v}"`);
  return s;
}

export function parseArgs(argv: readonly string[]): CliOptions {
  const o: CliOptions = {
    command: 'daily',
    json: false,
    timezone: '',
    source: 'all',
    claudeDirs: [],
    breakdown: false,
    weekStartsOn: 'monday',
    verbose: false,
    noFetch: false,
    help: false,
  };
  let sawCommand = false;
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i];
    const eq = raw.startsWith('--') ? raw.indexOf('=') : -1;
    const flag = eq > 0 ? raw.slice(0, eq) : raw;
    const value = (): string => {
      if (eq > 0) return raw.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined || (v.startsWith('-') && v.length > 1)) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--json':
      case '-j':
        o.json = true;
        break;
      case '--breakdown':
      case '-b':
        o.breakdown = true;
        break;
      case '--verbose':
        o.verbose = true;
        break;
      case '--no-fetch':
        o.noFetch = true;
        break;
      case '-h':
      case '--help':
        o.help = true;
        break;
      case '--since':
      case '-s':
        o.since = normDate(flag, value());
        break;
      case '--until':
      case '-u':
        o.until = normDate(flag, value());
        break;
      case '--timezone':
      case '-z': {
        const tz = value();
        if (!isValidTimeZone(tz)) throw new UsageError(`unknown time zone "${tz}"`);
        o.timezone = tz;
        break;
      }
      case '--source': {
        const s = value();
        if (s !== 'claude' && s !== 'codex' && s !== 'all') throw new UsageError(`--source expects claude, codex or all, got "${s}"`);
        o.source = s;
        break;
      }
      case '--claude-dir':
        o.claudeDirs.push(value());
        break;
      case '--codex-home':
        o.codexHome = value();
        break;
      case '--start-of-week': {
        const d = value().toLowerCase();
        if (!(WEEKDAYS as readonly string[]).includes(d)) throw new UsageError(`--start-of-week expects a weekday name, got "${d}"`);
        o.weekStartsOn = d as Weekday;
        break;
      }
      default:
        if (!raw.startsWith('-') && !sawCommand && (COMMANDS as readonly string[]).includes(raw)) {
          o.command = raw as Command;
          sawCommand = true;
        } else if (raw.startsWith('-')) throw new UsageError(`unknown option ${flag}`);
        else throw new UsageError(`unknown command "${raw}"`);
    }
  }
  if (o.since && o.until && o.since > o.until) throw new UsageError('--since is after --until');
  if (!o.timezone) o.timezone = systemTimeZone();
  return o;
}
