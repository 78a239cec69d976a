/** A snapshot may be applied; or one the platform took later was already, at `appliedAtMs`. */
export type SnapshotClaim = { fresh: true } | { fresh: false; appliedAtMs: number };

/**
 * Per platform order, when the platform took (its updated_at) the newest full snapshot the
 * gateway applied, so that an older snapshot delivered later (a delayed retry, a resend, a
 * replayed body with a new delivery id) cannot roll the order back.
 */
export interface AppliedSnapshots {
  /**
   * Records that the snapshot of the order taken at `takenAtMs` is applied, unless one taken
   * later already was: then records nothing. A snapshot taken in the same millisecond as the
   * applied one is fresh: platforms stamp whole seconds, and two real changes within a second
   * arrive in order far more often than out of order. Runs inside the order write's
   * transaction, so that the check and the write are one step.
   */
  claim(platform: string, platformOrderId: string, takenAtMs: number): SnapshotClaim;
}
