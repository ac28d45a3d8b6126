import type { Generated } from 'kysely';
import type { AuditChainRow } from '../../../common/audit/audit-chain';

/**
 * The hub's tables as Kysely sees them: one description for both engines. Times are ISO-8601
 * UTC text in both (they sort as text), JSON is text, counters and versions are integers
 * (PostgreSQL int8 and numeric are parsed to numbers by open-hub-store.ts).
 */
export interface HubTables {
  users: {
    id: string;
    username: string;
    display_name: string;
    role: string;
    password_hash: string;
    created_at: string;
    /** Migration 20: a consultant's GMC number (7 digits). */
    gmc_number: string | null;
    /** Migration 65: accounts the operator manages. */
    deactivated_at: string | null;
    password_reset_at: string | null;
    /** JSON array of names. */
    subspecialties: Generated<string>;
  };
  tokens: { token_hash: string; user_id: string; created_at: string; expires_at: string; revoked_at: string | null };
  cases: {
    id: string;
    version: number;
    record_json: string;
    status: string;
    priority_rank: number;
    due_on: string;
    received_at: string;
    assigned_to: string | null;
    lease_expires_at: string | null;
    batch_id: string | null;
    routed_to_subspecialty: string | null;
    created_at: string;
    updated_at: string;
    /** Migration 40: the referring practice (was only inside record_json). */
    practice_ods: string | null;
    /** Migration 40: when the first decision was accepted (turnaround). */
    first_decided_at: string | null;
    /** Migration 85: the patient's NHS number when it passes Modulus 11 (links earlier cases), else null. */
    verified_nhs_number: string | null;
    /** Migration 85: the patient's date of birth, the second identifier an earlier case must share. */
    patient_birth_date: string | null;
  };
  case_images: { case_id: string; sha256: string; media_type: string };
  /** Migration 70: photographs streamed in before the referral or answer that cites them. */
  photo_uploads: {
    id: string;
    owner: string;
    sha256: string;
    bytes: number;
    media_type: string;
    width: number;
    height: number;
    created_at: string;
    used_at: string | null;
  };
  assignments: { case_id: string; consultant_id: string; first_at: string };
  pass_ons: {
    id: Generated<number>;
    case_id: string;
    consultant_id: string;
    note: string;
    to_consultant: string | null;
    to_subspecialty: string | null;
    at: string;
  };
  changes: {
    seq: Generated<number>;
    consultant_id: string;
    case_id: string;
    kind: string;
    version: number;
    at: string;
  };
  decisions: {
    id: string;
    case_id: string;
    consultant_id: string;
    version: number;
    supersedes: string | null;
    payload_json: string;
    payload_hash: string;
    receipt_json: string;
    accepted_at: string;
  };
  idempotency: {
    user_id: string;
    key: string;
    fingerprint: string;
    state: string;
    status: number | null;
    body: string | null;
    created_at: string;
  };
  /** Each workstation's hash-chained audit rows, as it sent them. */
  audit_events: AuditChainRow & {
    consultant_id: string;
    received_at: string;
  };
  audit_conflicts: {
    id: Generated<number>;
    consultant_id: string;
    seq: number;
    row_json: string;
    received_at: string;
  };
  sealed_recoveries: {
    id: Generated<number>;
    consultant_id: string;
    kind: string;
    ref_id: string;
    payload_hash: string;
    payload_json: string;
    outcome: string;
    message: string;
    received_at: string;
  };
  image_annotations: {
    case_id: string;
    sha256: string;
    version: number;
    doc_json: string;
    save_id: string;
    saved_by: string;
    saved_at: string;
  };
  meta: { key: string; value: string };
  practice_accounts: { user_id: string; ods_code: string; practice_name: string };
  door_cases: { case_id: string; ods_code: string; source: string; submitted_by: string; created_at: string };
  outcome_acks: { decision_id: string; case_id: string; user_id: string; at: string };
  info_responses: {
    id: string;
    case_id: string;
    decision_id: string;
    by: string;
    note: string;
    image_count: number;
    at: string;
  };
  patient_links: {
    id: string;
    token_hash: string;
    ods_code: string;
    created_by: string;
    kind: string;
    case_id: string | null;
    draft_json: string;
    created_at: string;
    expires_at: string;
    spent_at: string | null;
    result_case_id: string | null;
  };
  feedback: {
    id: string;
    at: string;
    source: string;
    ods_code: string | null;
    rating: number;
    comment: string;
  };
  upload_checks: { id: Generated<number>; at: string; actor: string; ok: number; issues_json: string };
  door_audit: {
    seq: Generated<number>;
    at: string;
    actor: string;
    action: string;
    subject: string | null;
    detail_json: string;
  };
  /** Migration 30 (closing the loop). */
  practice_settings: {
    ods_code: string;
    mailbox: string | null;
    failsafe_working_days: number;
    patient_copy: number;
    updated_at: string;
  };
  outcome_tracking: {
    decision_id: string;
    case_id: string;
    ods_code: string;
    needs_action: number;
    dispatched_at: string;
    due_on: string | null;
    acknowledged_at: string | null;
    acknowledged_by: string | null;
    escalated_at: string | null;
    closed_at: string | null;
    closed_reason: string | null;
  };
  outbound_messages: {
    id: string;
    dedupe_key: string;
    channel: string;
    template: string;
    recipient: string;
    params_json: string | null;
    reference: string;
    status: string;
    attempts: number;
    next_attempt_at: string;
    claimed_until: string | null;
    last_error: string | null;
    created_at: string;
    sent_at: string | null;
  };
  /** Migration 40: fixed-window counters shared by every hub process. */
  rate_limits: { bucket: string; key: string; window_start_ms: number; count: number };
  /** Migration 90: what an issued outcome letter depends on, fixed at acceptance, and its rendered bytes. */
  issued_letters: {
    decision_id: string;
    case_id: string;
    issued_at: string;
    record_json: string;
    marks_json: string;
    letterhead_json: string;
    attestation_json: string | null;
    letter_sha256: string | null;
    patient_copy_sha256: string | null;
  };
  patient_link_guards: { link_id: string; failures: number; last_failure_at: string; locked_at: string | null };
}
