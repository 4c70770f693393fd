/** What a route needs from the account asking (checked by the guard in access.ts). */
/** `:id` in its path names the form or report for `form`/`report`. */
export type Need =
  | { readonly kind: 'public' }
  | { readonly kind: 'signed-in' }
  | { readonly kind: 'form'; readonly action: 'read' | 'write' }
  /** A stored submission by id (any form): reading stored forms. */
  | { readonly kind: 'submission' }
  | { readonly kind: 'report'; readonly action: 'read' | 'write' }
  /** Monitoring pages (timeliness, targets, approval): roles that read reports, in their region. */
  | { readonly kind: 'monitor' }
  /** The definition studio: `read` and drafts for staff who propose changes, `publish` for the national level. */
  | { readonly kind: 'studio'; readonly action: 'read' | 'publish' }
  | { readonly kind: 'admin' };

