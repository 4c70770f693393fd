/** The engine's public surface: load definitions, build models, validate submissions. */
export { loadDefinition, loadDefinitionFile, loadForms, loadSharedDefs, definitionProblems, FORMS_DIR } from './load-definition.js';
export { validatorFor, validatorStats, type FormValidator, type ValidateOptions } from './validator.js';
export { DefinitionError, type DefinitionProblem, type ValidationIssue } from './issues.js';
export { labelFor, indexModel, readPointer } from './model-index.js';
export { evaluate, type RuleEnv } from './rules.js';
export type * from './model-types.js';
export type * from './rule-types.js';
export { convertText } from './convert-text.js';
export { normalizeSubmission, textProblem } from './text-hygiene.js';
export { REGION_LEVELS, regionChildren, regionByCode, regionNames, deepestRegion, type Region, type RegionLevel } from './regions.js';
export * from './reports/index.js';
export * from './storage/index.js';
export { loadFormsChecked, type FileProblem, type FormsChecked } from './load-definition.js';
export { checkSharedDefs, readJsonFile, type SharedDefsChecked } from './load-definition.js';
export { compileProblems } from './compile-check.js';
export * from './monitoring/index.js';
export * from './studio/index.js';
export { renameKey, rekeyModel, carryFormerKeys, renamesFrom, type KeyRename } from './rename-key.js';
