/** The definition studio's engine side: drafts and publications, checks, diff, impact, publishing. */
export * from './store.js';
export { describeChanges, type Change } from './diff.js';
export { draftImpact, type Impact } from './impact.js';
export { checkDraft, publishDraft, type PublishOutcome, type PublishRequest, type StudioContext } from './publish.js';
export { runTestCases, type CaseFailure, type TestCase } from './test-cases.js';
export {
  addField, addRule, addTestCase, describeCondition, editField, editRule, EditRefused, FIELD_KINDS, moveField, partsOf, removeOption, removeRule, renameField, ruleHolders, RULE_OPERATORS, setOption,
  type FieldEdit, type FieldKind, type PartRef, type RuleHolder, type RuleInput, type RuleOperator,
} from './edit.js';
export { rollupRows, setRollup, ROLLUP_KINDS, type RollupInput, type RollupKind, type RollupRow } from './edit-rollup.js';
export { picked, pickerOptions, type Choices } from './choices.js';
