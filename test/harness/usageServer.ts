import * as http from 'node:http';
import { AddressInfo } from 'node:net';

/** How the fake endpoint answers next: a real HTTP server speaking the OAuth usage protocol. */
export type UsageScript =
  | { kind: 'ok'; fiveHour: number; sevenDay: number; extra?: Record<string, unknown> }
  | { kind: 'status'; status: number; body?: string; contentType?: string; retryAfter?: string }
  | { kind: 'stall'; ms: number }
  | { kind: 'reset' };

export interface SeenRequest {
  at: number;
  method: string;
  path: string;
  authorization?: string;
  beta?: string;
  userAgent?: string;
  /** What it was answered (0: connection reset or stalled). */
  status: number;
}

export class FakeUsageServer {
  private server?: http.Server;
  script: UsageScript = { kind: 'ok', fiveHour: 20, sevenDay: 10 };
  readonly requests: SeenRequest[] = [];
  private sockets = new Set<import('node:net').Socket>();

  constructor(private readonly now: () => number = Date.now) {}

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/api/oauth/usage`;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const seen: SeenRequest = { at: this.now(), method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization, beta: req.headers['anthropic-beta'] as string | undefined, userAgent: req.headers['user-agent'], status: 0 };
    this.requests.push(seen);
    res.on('finish', () => (seen.status = res.statusCode));
    if (req.url !== '/api/oauth/usage' || req.method !== 'GET') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"type":"not_found_error"}}');
      return;
    }
    const s = this.script;
    switch (s.kind) {
      case 'ok': {
        const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');
        const body = {
          five_hour: { utilization: s.fiveHour, resets_at: iso(this.now() + 2 * 3600_000 + 15 * 60_000) },
          seven_day: { utilization: s.sevenDay, resets_at: iso(this.now() + 4 * 86_400_000) },
          seven_day_opus: null,
          seven_day_sonnet: null,
          extra_usage: { is_enabled: false, monthly_limit: null, used_credits: null, utilization: null },
          ...s.extra,
        };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        return;
      }
      case 'status': {
        const headers: Record<string, string> = { 'content-type': s.contentType ?? 'application/json' };
        if (s.retryAfter !== undefined) headers['retry-after'] = s.retryAfter;
        res.writeHead(s.status, headers).end(s.body ?? JSON.stringify({ error: { type: s.status === 429 ? 'rate_limit_error' : 'api_error', message: 'scripted' } }));
        return;
      }
      case 'stall':
        setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'), s.ms).unref();
        return;
      case 'reset':
        req.socket.destroy();
        return;
    }
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
