// Fault injection: the next N requests matching a method and path pattern fail in a chosen way,
// so tests can show that discord.js (and the product) retry, time out or back off as they should.

export type FaultKind = 'error' | 'hang' | 'reset' | 'rate-limit' | 'delay';

export interface FaultSpec {
  /** HTTP method, or '*' (default) for any. */
  method?: string;
  /** Path after /api/v10, e.g. "/channels/:id/messages" or "/users/@me/channels"; ':x' or '*' matches one segment. */
  path: string;
  kind: FaultKind;
  /** How many matching requests fail (default 1). */
  count?: number;
  /** For 'error': the status (default 500). */
  status?: number;
  /** For 'hang': how long to hold the request before destroying the socket (default 20 s, past discord.js's 15 s timeout). */
  hangMs?: number;
  /** For 'delay': how long to hold the request before carrying it out as usual (default 5 s). */
  delayMs?: number;
  /** For 'rate-limit': retry_after in seconds (default 1). */
  retryAfter?: number;
  /** For 'rate-limit': answer as a global limit (X-RateLimit-Global) instead of a route limit. */
  global?: boolean;
  /** For 'rate-limit': X-RateLimit-Scope (default 'user', or 'global' when global). */
  scope?: 'user' | 'global' | 'shared';
  /**
   * 'before' (default): the request fails without effect. 'after': the request is carried out
   * (a message is stored) and then the answer is lost: the case that makes retries duplicate.
   */
  when?: 'before' | 'after';
}

export interface ActiveFault extends Required<Omit<FaultSpec, 'scope'>> {
  id: number;
  scope: 'user' | 'global' | 'shared';
  remaining: number;
}

export const DEFAULT_HANG_MS = 20_000;
export const DEFAULT_DELAY_MS = 5_000;

export class Faults {
  private faults: ActiveFault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): ActiveFault {
    const count = spec.count ?? 1;
    const fault: ActiveFault = {
      id: this.nextId++,
      method: (spec.method ?? '*').toUpperCase(),
      path: normalizePattern(spec.path),
      kind: spec.kind,
      count,
      remaining: count,
      status: spec.status ?? 500,
      hangMs: spec.hangMs ?? DEFAULT_HANG_MS,
      delayMs: spec.delayMs ?? DEFAULT_DELAY_MS,
      retryAfter: spec.retryAfter ?? 1,
      global: spec.global ?? false,
      scope: spec.scope ?? (spec.global ? 'global' : 'user'),
      when: spec.when ?? 'before',
    };
    this.faults.push(fault);
    return fault;
  }

  /** The first fault matching this request, consuming one of its occurrences. */
  take(method: string, segments: readonly string[]): ActiveFault | undefined {
    const fault = this.faults.find(
      (f) => (f.method === '*' || f.method === method) && matches(f.path, segments),
    );
    if (!fault) return undefined;
    if (--fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
    return fault;
  }

  list(): ActiveFault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  clear(): void {
    this.faults = [];
  }
}

export function validateFaultSpec(value: unknown): FaultSpec {
  const spec = value as Partial<FaultSpec> | null;
  if (!spec || typeof spec !== 'object' || typeof spec.path !== 'string')
    throw new Error('fault needs a path');
  if (!['error', 'hang', 'reset', 'rate-limit', 'delay'].includes(String(spec.kind))) {
    throw new Error("fault kind must be 'error', 'hang', 'reset', 'rate-limit' or 'delay'");
  }
  for (const field of ['hangMs', 'delayMs'] as const) {
    const ms = spec[field];
    if (ms !== undefined && (!Number.isInteger(ms) || ms < 0 || ms > 600_000)) {
      throw new Error(`fault ${field} must be an integer from 0 to 600000`);
    }
  }
  if (spec.count !== undefined && (!Number.isInteger(spec.count) || spec.count < 1)) {
    throw new Error('fault count must be a positive integer');
  }
  if (spec.when !== undefined && spec.when !== 'before' && spec.when !== 'after') {
    throw new Error("fault when must be 'before' or 'after'");
  }
  if (spec.kind === 'error' && spec.status !== undefined && (spec.status < 500 || spec.status > 599)) {
    throw new Error('error faults take a 5xx status');
  }
  return spec as FaultSpec;
}

function normalizePattern(path: string): string {
  return path.replace(/^\/api(\/v\d+)?/, '').replace(/\/+$/, '');
}

function matches(pattern: string, segments: readonly string[]): boolean {
  const parts = pattern.split('/').filter(Boolean);
  return (
    parts.length === segments.length &&
    parts.every(
      (p, i) => p === '*' || p.startsWith(':') || p === segments[i] || safeDecode(p) === segments[i],
    )
  );
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
