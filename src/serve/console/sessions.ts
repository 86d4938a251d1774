import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The console's cookie: a random session id, nothing else. */
export const SESSION_COOKIE = 'sa_console';
/** Sessions held at once; past it the oldest goes (a sign-in storm cannot grow memory). */
const MAX_SESSIONS = 1_000;
/** A session ends this long after sign-in: an on-call shift. */
const SESSION_TTL_MS = 12 * 3_600_000;

export interface ConsoleSession {
  readonly id: string;
  /** The name of the token signed in with, and its creation time: a revoked or recreated token ends the session. */
  readonly holder: string;
  readonly tokenCreated: string;
  /** Sent back in every form's hidden field: a POST without it is refused. */
  readonly csrf: string;
  readonly expiresAt: number;
  /** One line to show on the next page (what an action did). */
  flash?: string;
}

/**
 * The console's sessions, in memory (a restart signs everyone out): random ids, an expiry, a
 * bounded count.
 *
 * @example
 *   const session = sessions.create('alice', token.created, Date.now());
 *   sessions.get(cookieId, Date.now());  // the session, until it expires or ends
 */
export class ConsoleSessions {
  readonly #sessions = new Map<string, ConsoleSession>();

  constructor(
    readonly maxSessions = MAX_SESSIONS,
    readonly ttlMs = SESSION_TTL_MS,
  ) {}

  create(holder: string, tokenCreated: string, now: number): ConsoleSession {
    for (const [id, session] of this.#sessions) if (session.expiresAt <= now) this.#sessions.delete(id);
    // A Map iterates in insertion order: the first key is the oldest session.
    while (this.#sessions.size >= this.maxSessions) this.#sessions.delete(this.#sessions.keys().next().value!);
    const session: ConsoleSession = { id: randomBytes(32).toString('base64url'), holder, tokenCreated, csrf: randomBytes(32).toString('base64url'), expiresAt: now + this.ttlMs };
    this.#sessions.set(session.id, session);
    return session;
  }

  get(id: string | undefined, now: number): ConsoleSession | undefined {
    if (id === undefined) return undefined;
    const session = this.#sessions.get(id);
    if (session === undefined || session.expiresAt > now) return session;
    this.#sessions.delete(id);
    return undefined;
  }

  end(id: string): void {
    this.#sessions.delete(id);
  }

  get size(): number {
    return this.#sessions.size;
  }
}

/** Whether `presented` is the session's CSRF token, compared in constant time (over hashes, so lengths may differ). */
export function csrfMatches(session: ConsoleSession, presented: string | null | undefined): boolean {
  if (typeof presented !== 'string' || presented === '') return false;
  return timingSafeEqual(sha256(session.csrf), sha256(presented));
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
