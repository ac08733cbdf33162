/*
 * The restart model, after Strimzi's connector auto-restart: what the restart policy allows, the
 * bookkeeping kept in the outputs, and the plan for a connector's health now. Pure: `now` is
 * passed in.
 */

/** The restart policy types, as `restartPolicy.type` spells them. */
export const RESTART_POLICY_TYPES = ["never", "on-failure"] as const;

export interface RestartPolicy {
  /** `never`, or `on-failure`: failed connectors and tasks are restarted on update and refresh. */
  readonly type: (typeof RESTART_POLICY_TYPES)[number];
  /** Restarts allowed (in a row, see `restartBackoffMinutes`) before the provider gives up. */
  readonly maxRestarts: number;
}

/** The policy of a connector that declares none. */
export const DEFAULT_RESTART_POLICY: RestartPolicy = { type: "on-failure", maxRestarts: 10 };

/** What refresh applies to a state stored before connectors had a policy: report only. */
export const POLICY_OF_STATE_WITHOUT_ONE: RestartPolicy = { type: "never", maxRestarts: 0 };

/** The longest wait between two restarts, as Strimzi's `DEFAULT_MAX_BACKOFF_MINUTES`. */
export const MAX_BACKOFF_MINUTES = 60;

/** Strimzi's auto-restart backoff: after the n-th restart in a row, wait min(n*n + n, 60) minutes. */
export function restartBackoffMinutes(restarts: number): number {
  return Math.min(restarts * restarts + restarts, MAX_BACKOFF_MINUTES);
}

export interface RestartBook {
  readonly restarts: number;
  /** ISO time, "" when never. */
  readonly lastRestartAt: string;
}

/** The book of a connector never restarted. */
export const NO_RESTARTS: RestartBook = { restarts: 0, lastRestartAt: "" };

export type RestartPlan =
  | { readonly action: "none"; readonly book: RestartBook }
  | { readonly action: "restart"; readonly book: RestartBook }
  | { readonly action: "wait"; readonly book: RestartBook; readonly notBefore: string }
  | { readonly action: "give-up"; readonly book: RestartBook; readonly reason: string };

/**
 * What to do about the connector's health now. A healthy connector that has run for the current
 * backoff since the last restart gets its count reset; a failed one is restarted when the policy
 * allows and the backoff has passed.
 */
export function planRestart(
  policy: RestartPolicy,
  book: RestartBook,
  failed: boolean,
  now: Date,
): RestartPlan {
  const last = book.lastRestartAt ? Date.parse(book.lastRestartAt) : 0;
  const backoffMs = restartBackoffMinutes(book.restarts) * 60_000;
  if (!failed) {
    if (book.restarts > 0 && now.getTime() - last >= backoffMs) {
      return { action: "none", book: { restarts: 0, lastRestartAt: book.lastRestartAt } };
    }
    return { action: "none", book };
  }
  if (policy.type !== "on-failure") {
    return { action: "give-up", book, reason: "the restart policy is `never`" };
  }
  if (book.restarts >= policy.maxRestarts) {
    return {
      action: "give-up",
      book,
      reason: `\`restartPolicy.maxRestarts\` (${policy.maxRestarts}) restarts were made already`,
    };
  }
  if (book.restarts > 0 && now.getTime() - last < backoffMs) {
    return { action: "wait", book, notBefore: new Date(last + backoffMs).toISOString() };
  }
  return {
    action: "restart",
    book: { restarts: book.restarts + 1, lastRestartAt: now.toISOString() },
  };
}
