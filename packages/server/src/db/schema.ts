import type { ColumnType, Generated } from 'kysely';

type Json<T> = ColumnType<T, string | T, string | T>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type TimestampDefault = ColumnType<Date, Date | string | undefined, Date | string>;

export interface Name3 { fi: string; sv: string; en: string }

/** How the applicant may act for the errand's principal (or a party): the basis the check found. */
export interface ErrandBasisRow { kind: 'self' | 'mandate' | 'guardianship' | 'court-guardianship' | 'organization-role' | 'owner' | 'signatures'; mandateId?: string; oneOff?: boolean }

export interface Database {
  municipalities: { code: string; name: Json<Name3>; languages: string[] };
  persons: {
    id: string;
    key: string | null;
    first_name: string;
    last_name: string;
    birth_date: string;
    municipality: string | null;
    language: string;
    contact: Json<Record<string, unknown>>;
  };
  guardianships: { guardian_id: string; child_id: string; change_version: Generated<number> };
  court_guardianships: { id: Generated<number>; guardian_id: string; ward_id: string; scope: string[]; valid_until: string | null; change_version: Generated<number> };
  organizations: { id: string; key: string | null; name: string; form: string; municipality: string | null; signing_rule: string | null };
  organization_roles: { organization_id: string; person_id: string; role: string; signing: 'alone' | 'jointly' | 'none'; change_version: Generated<number> };
  /** Tombstones of removed register rows, so that every process's index can drop them (decision 0006). */
  register_removals: {
    change_version: number;
    register: 'guardianship' | 'court-guardianship' | 'organization-role';
    /** The guardian, or the role holder. */
    person_id: string;
    /** The child, the ward, or the organisation. */
    other_id: string;
    court_id: number | null;
    role: string | null;
  };
  properties: { id: string; key: string | null; municipality: string; address: string | null };
  property_owners: { property_id: string; owner_type: 'person' | 'organization'; owner_id: string; share: string | null };
  issues: { code: string; name: Json<Name3>; position: number };
  bundles: { code: string; name: Json<Name3>; issues: string[]; position: number };
  staff: { key: string; name: string; municipality: string | null; roles: string[] };
  /** `display_name`: the e-service's name as a principal reads it in the usage log (migration 0011). */
  api_clients: { id: string; secret_hash: string; municipality: string; display_name: ColumnType<Name3 | null, string | null | undefined, string | null>; previous_secret_hash: ColumnType<string | null, string | null | undefined, string | null>; previous_valid_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null> };
  /** `id`: the SHA-256 (hex) of the cookie's value; `expires_at`: the absolute end; idle end: `last_seen_at` + the idle time (migration 0012). */
  sessions: { id: string; subject: Json<SessionSubject>; created_at: TimestampDefault; expires_at: Timestamp; last_seen_at: TimestampDefault; subject_key: Generated<string>; logout_hint: string | null };
  server_secrets: { name: string; value: string; created_at: TimestampDefault };
  /** Shared rate limits: calls taken from `key`'s fixed window starting at `window_start` (migration 0015, decision 0021). */
  rate_limit_windows: { key: string; window_start: Timestamp; expires_at: Timestamp; count: number };
  mandates: {
    id: string;
    principal_type: 'person' | 'organization';
    principal_id: string;
    agent_type: 'person' | 'organization';
    agent_id: string;
    issues: string[];
    bundle: string | null;
    valid_from: string;
    valid_until: string;
    status: string;
    one_off: boolean;
    target_type: string | null;
    target_id: string | null;
    municipality: string | null;
    source: string;
    /** Who created it: a person acting (possibly for an organisation or child), or staff. */
    created_by: Json<Record<string, unknown>>;
    /** Person ids whose approval the grant still needs / already has (joint signing, every guardian). */
    approvers_required: string[];
    approvers_done: string[];
    paper_document: Json<Record<string, unknown> | null>;
    created_at: TimestampDefault;
    updated_at: TimestampDefault;
    change_version: number;
    /** When retention erased its parties and other personal data (migration 0014, decision 0017). */
    erased_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  };
  mandate_uses: {
    id: Generated<number>;
    mandate_id: string;
    errand_ref: string;
    actor_type: string;
    actor_id: string;
    municipality: string | null;
    api_client: string | null;
    at: TimestampDefault;
  };
  /** Every column is covered by `hash` (see `auditContent` in packages/domain and docs/decisions/0005). */
  audit_log: {
    seq: number; at: Timestamp; mandate_id: string | null; event: string; actor: Json<Record<string, unknown>>;
    errand_ref: string | null; municipality: string | null; api_client: string | null; data: Json<Record<string, unknown>>;
    /** The personal part (actor, data) is hashed as `personal_digest`; `personal_salt` is null once it is erased (migration 0014, decision 0017). */
    personal_salt: string | null; personal_digest: string;
    prev_hash: string; hash: string;
  };
  audit_head: { id: number; seq: number; hash: string };
  domain_events: { id: Generated<number>; type: string; payload: Json<unknown>; actor: Json<unknown>; mandate_id: string | null; errand_id: Generated<string | null>; at: Timestamp };
  /** Errands and vendors' party requests (issue 9). */
  errands: {
    id: string; ref: string; kind: Generated<'errand' | 'party-request'>; municipality: string; service: string;
    applicant_id: string | null; api_client: string | null;
    subject: Json<{ type: string; id: string }>; principal: Json<{ type: 'person' | 'organization'; id: string } | null>;
    basis: Json<ErrandBasisRow | null>; status: string; involvement: string; policy: Json<{ kind: string; alternative?: string }>;
    data: Json<Record<string, unknown>>; document: Json<Record<string, unknown> | null>;
    version: Generated<number>; hash: string; attested: Generated<boolean>; mandate_request_id: string | null;
    deadline: string | null; reminded_on: string | null;
    information_request: Json<{ text: string; at: string; by: string; answer?: string; answeredAt?: string } | null>;
    decision: Json<{ outcome: 'approved' | 'rejected'; text: string; at: string; by: string } | null>;
    language: Generated<string>; created_at: Timestamp; updated_at: Timestamp; submitted_at: Timestamp | null; decided_at: Timestamp | null;
    /** When retention erased its personal data (migration 0014, decision 0017). */
    erased_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  };
  errand_parties: {
    errand_id: string; position: number; party_type: 'person' | 'organization'; party_id: string; source: 'register' | 'entered' | 'subject';
    represented: Generated<boolean>; basis: Json<ErrandBasisRow | null>; contact: Json<{ email?: string; phone?: string } | null>;
    declined_by: string | null; decline_reason: string | null; declined_at: Timestamp | null;
  };
  errand_answers: {
    id: Generated<number>; errand_id: string; position: number; person_id: string; answer: 'sign' | 'confirm';
    version: number; hash: string; at: Timestamp; voided_at: Timestamp | null;
  };
  errand_attachments: {
    id: string; errand_id: string; name: string; content_type: string; size: number; sha256: string; content: Buffer | Uint8Array;
    uploaded_by: string; created_at: Timestamp; removed_at: Timestamp | null;
    /** The order of adding (migration 0010). */
    seq: Generated<number>;
  };
  idempotency_keys: { scope: string; key: string; request_hash: string; response: Json<unknown>; created_at: Timestamp };
  contact_settings: {
    person_id: string; preferred_channel: string; email: string | null; phone: string | null; language: string;
    notify_every_use: boolean; updated_at: Timestamp;
  };
  /** The in-app inbox: one message to one person (decision 0010). */
  notifications: {
    id: string; key: string; recipient_id: string; municipality: string | null; event: string; language: string;
    subject: string; body: string; html: string; sms: string; link: string; chain: string[];
    mandate_id: string | null; errand_id: string | null; created_at: Timestamp; read_at: Timestamp | null;
  };
  /** The outbox: one message's delivery through one channel. */
  deliveries: {
    id: Generated<number>; notification_id: string; channel: string;
    status: 'pending' | 'sending' | 'delivered' | 'unavailable' | 'failed' | 'dead';
    attempts: Generated<number>; max_attempts: number; next_attempt_at: Timestamp; locked_by: string | null;
    last_error: string | null; provider_id: string | null; municipality: string | null;
    created_at: Timestamp; finished_at: Timestamp | null;
  };
  scheduled_runs: { job: string; day: string; node: string; started_at: Timestamp; finished_at: Timestamp | null };
  authz_state: { id: number; version: number };
  authz_nodes: { node_id: string; acked_version: number; lease_until: Timestamp };
  catalogue_versions: { version: number; created_at: TimestampDefault; created_by: string | null; note: string | null; snapshot: Json<unknown> };
  service_classes: {
    code: string; name: Json<Name3>; description: Json<Name3 | null>; subject: string; issues: string[]; parties: string;
    policy: Json<{ kind: string; alternative?: string }>; recommended_mandate: string | null; position: number; version: number;
  };
  municipal_services: {
    municipality: string; service_code: string; local_name: Json<Name3 | null>; links: Json<unknown[]>; contact: Json<Record<string, unknown> | null>;
    policy_override: Json<{ kind: string; alternative?: string } | null>; ptv_id: string | null; updated_at: TimestampDefault;
  };
  ptv_services: {
    municipality: string; ptv_id: string; type: string | null; names: Json<Partial<Name3>>; descriptions: Json<Partial<Name3>>;
    service_classes: Json<PtvClassRef[]>; raw: Json<unknown>; raw_hash: string; modified: string | null;
    suggested_service: string | null; score: number | null; linked_service: string | null;
    imported_at: TimestampDefault; updated_at: TimestampDefault;
  };
}

/** A PTV service class as stored with an imported service. */
export interface PtvClassRef { uri: string; code: string | null; name: Partial<Name3> }

export type SessionSubject = { kind: 'person'; id: string } | { kind: 'staff'; key: string };
