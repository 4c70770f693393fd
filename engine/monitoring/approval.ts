/**
 * Approval up the chain (issue 17): a district submits its month, the province approves or returns
 * it; the province submits its month, the national level approves or returns it; the approving
 * level may reopen an approved month. Approved months lock the data behind them (the server's
 * lock reads `monthOf`, `approvedMonths` and `monthsChanged`).
 */
export * from './approval-rules.js';
export { ensureApprovalTables, approvalState, approvalStates, approvedMonths, approvalHistory, applyApproval, approvedCountQuery, ApprovalRefused, type ApprovalWatch, type ApprovalActor, type ApprovalRecord, type ApprovalHistoryEntry, type ApprovalChange, type ApprovalStep } from './approval-store.js';
export { monthFields, monthOf, candidateRevision, entityRevisions, monthsChanged } from './approval-period.js';
export type { RevisionRow as ApprovalRevisionRow } from '../storage/entities.js';
