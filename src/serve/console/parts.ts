import type { Project } from '../../config/project.ts';
import type { DeliveryEngine } from '../../delivery/engine.ts';
import type { Logger } from '../../observability/log.ts';
import type { LoadedRule } from '../../rules/loader.ts';
import type { AlertStore } from '../../store/alert-store.ts';
import type { ServeTokens } from '../tokens.ts';
import type { ConsoleSessions } from './sessions.ts';

/** What the console reads and acts on: the same store, engine and project `serve` delivers with. */
export interface ConsoleParts {
  readonly store: AlertStore;
  /** Woken after a replay, so the replayed deliveries go now. */
  readonly engine: Pick<DeliveryEngine, 'pump'>;
  /** The project as `serve` started with it (outputs are re-read from conf/ for the outputs page). */
  readonly project: Project;
  readonly rules: readonly LoadedRule[];
  readonly tokens: ServeTokens;
  readonly sessions: ConsoleSessions;
  /** serve.degradedPendingMs: the overview says `degraded` as /healthz does. */
  readonly degradedPendingMs: number;
  readonly log: Logger;
}
