/**
 * Streaming exports (issue 19): the routes of this area and what they need, spread into
 * `ROUTE_ACCESS` (server/access.ts). A form's exports are reads of that form (its region scope
 * and masking applied by the handlers); a report's workbook is `/api/reports/:file`, declared
 * with the report's other downloads.
 */
import type { Need } from '../route-need.js';

const READ_FORM: Need = { kind: 'form', action: 'read' };

export const EXPORT_ACCESS: readonly (readonly [method: string, path: string, need: Need])[] = [
  ['GET', '/api/forms/:id/submissions.csv', READ_FORM],
  ['GET', '/api/forms/:id/submissions.xlsx', READ_FORM],
  ['GET', '/api/forms/:id/submissions.zip', READ_FORM],
];
