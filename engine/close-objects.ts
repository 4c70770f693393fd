/**
 * Storage keeps only the fields a definition declares (one column per `properties` entry), so a
 * section or row that accepted other keys would take them on saving and silently lose them.
 * Every object node of the resolved schema is therefore closed: `additionalProperties: false` is
 * added where the author left it out (the documented small example omits it on its sections).
 * Opening an object (`true`, `patternProperties`, …) is refused earlier by the meta-schema.
 */
import type { JsonObject } from './resolve-refs.js';

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Close the form, its sections and its rows in place; returns the same schema. */
export function closeObjects(schema: JsonObject): JsonObject {
  const visit = (node: unknown): void => {
    if (!isObject(node)) return;
    if ((node.type === 'object' || isObject(node.properties)) && !('additionalProperties' in node)) node.additionalProperties = false;
    if (isObject(node.properties)) Object.values(node.properties).forEach(visit);
    if (isObject(node.$defs)) Object.values(node.$defs).forEach(visit);
    visit(node.items);
  };
  visit(schema);
  return schema;
}
