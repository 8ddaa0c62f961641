import { helsinkiDate, type DomainEvent, type LocalDate } from '@puolesta/domain';
import type { AuditActor } from '../repositories/audit.repository.js';
import type { DatabaseHandle, Db } from '../db/database.js';
import type { Logger } from '../logger.js';
import { AuthorizationIndex } from './authorization-index.js';
import type { Name3 } from '../db/schema.js';
import type { NotifySettings } from '../notifications/types.js';
import type { GuardedFetch } from '../adapters/guarded-fetch.js';
import type { CheckMetrics } from '../notifications/metrics.js';
import type { NameCache } from './parties.js';
import { bundleRows, issueRows, latestCatalogueVersion, municipalityRows } from '../repositories/catalogue.repository.js';

export interface Catalogue {
  /** The common catalogue's version these were read at. */
  version: number;
  issues: { code: string; name: Name3 }[];
  bundles: { code: string; name: Name3; issues: string[] }[];
  issueCodes: Set<string>;
  bundleByCode: Map<string, { code: string; name: Name3; issues: string[] }>;
  municipalities: Map<string, { code: string; name: Name3; languages: string[] }>;
}

/** Everything a use case needs, passed explicitly. `now` is injectable for tests. */
export interface Context {
  h: DatabaseHandle;
  db: Db;
  index: AuthorizationIndex;
  log: Logger;
  now: () => Date;
  catalogue: Catalogue;
  /** The one guarded client for outbound fetches (PTV imports): `outbound.allows(url)` is the allow-list (configured base URLs; in demo mode also the named simulators). */
  outbound: GuardedFetch;
  /** How commands write their messages (the outbox). */
  notify: NotifySettings;
  /** What a command's events set going in the same unit of work (services/reactions.ts; wired by the app, so the unit of work imports no use case). */
  react?: (u: UnitOfWork, e: DomainEvent) => Promise<void>;
  /** Counts the checks answered (the app's metrics, GET /metrics); absent: not counted. */
  checks?: CheckMetrics;
  /** Display names read lately (services/parties.ts `namesOf`); absent: every list reads the registers. */
  names?: NameCache;
}

export const today = (ctx: Pick<Context, 'now'>): LocalDate => helsinkiDate(ctx.now());

export async function loadCatalogue(db: Db): Promise<Catalogue> {
  const issues = (await issueRows(db)) as Catalogue['issues'];
  const bundles = (await bundleRows(db)) as Catalogue['bundles'];
  const municipalities = (await municipalityRows(db)) as { code: string; name: Name3; languages: string[] }[];
  const version = await latestCatalogueVersion(db);
  return {
    version,
    issues,
    bundles,
    issueCodes: new Set(issues.map((i) => i.code)),
    bundleByCode: new Map(bundles.map((b) => [b.code, b])),
    municipalities: new Map(municipalities.map((m) => [m.code, m])),
  };
}

/** One command's transaction: the change, its audit entries, its domain events and the authorization version. */
export interface UnitOfWork {
  /** The context with `db` bound to the transaction (on PGlite there is only one connection: read through it). */
  readonly ctx: Context;
  readonly db: Db;
  /** The authorization version that stamps changed rows; bumped once, when first asked. */
  authzVersion(): Promise<number>;
  /** Records what happened; its audit entry and event row are written before the transaction commits. `by` overrides the command's actor (e.g. a person acting for the side the mandate shows once read). */
  emit(event: DomainEvent, by?: AuditActor): void;
  /** Runs part of the command that may fail without failing the rest: on an error its changes and events are undone (a SQL savepoint) and the error is thrown on. */
  savepoint<T>(part: () => Promise<T>): Promise<T>;
}
