/** Monitoring up the chain (issue 17): deadlines and timeliness, targets and progress, approval. */
export * from './deadlines.js';
export * from './timeliness.js';
export * from './targets.js';
export * from './approval.js';
