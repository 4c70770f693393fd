/**
 * The definition studio's routes and what they need, spread into `ROUTE_ACCESS` (server/access.ts):
 * province and national staff read and draft; only the national level publishes.
 */
import type { Need } from '../route-need.js';

const READ: Need = { kind: 'studio', action: 'read' };
const PUBLISH: Need = { kind: 'studio', action: 'publish' };

export const STUDIO_ACCESS: readonly (readonly [method: string, path: string, need: Need])[] = [
  ['GET', '/studio', READ],
  ['POST', '/studio/forms/:id/draf', READ],
  ['POST', '/studio/impor', READ],
  ['GET', '/studio/drafts/:id', READ],
  ['POST', '/studio/drafts/:id', READ],
  ['GET', '/studio/drafts/:id/pratinjau', READ],
  ['POST', '/studio/drafts/:id/pratinjau', READ],
  ['GET', '/studio/drafts/:id/validasi.js', READ],
  ['GET', '/studio/drafts/:id/definisi.json', READ],
  ['GET', '/studio/drafts/:id/dampak', READ],
  ['POST', '/studio/drafts/:id/terbitkan', PUBLISH],
  ['POST', '/studio/forms/:id/versions/:versi/pulihkan', PUBLISH],
  ['GET', '/api/studio/forms', READ],
  ['GET', '/api/studio/forms/:id/versions', READ],
  ['POST', '/api/studio/forms/:id/drafts', READ],
  ['POST', '/api/studio/drafts', READ],
  ['GET', '/api/studio/drafts/:id', READ],
  ['PUT', '/api/studio/drafts/:id', READ],
  ['POST', '/api/studio/drafts/:id/validate', READ],
  ['GET', '/api/studio/drafts/:id/diff', READ],
  ['GET', '/api/studio/drafts/:id/impact', READ],
  ['POST', '/api/studio/drafts/:id/publish', PUBLISH],
];
