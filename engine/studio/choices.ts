/**
 * The editor's fixed vocabularies (field kinds, comparisons, roll-up kinds): tables from the name a
 * picker posts to what it means, each with the label staff read. Looked up and offered here only,
 * so that a posted name is checked once against the table's own entries: "constructor" or
 * "__proto__" pick nothing.
 */
export type Choices = Readonly<Record<string, { readonly label: string }>>;

/** The entry a posted name picks, or undefined when the table has no such entry of its own. */
export function picked<T extends Choices>(choices: T, name: string): T[keyof T] | undefined {
  return Object.hasOwn(choices, name) ? (choices[name] as T[keyof T]) : undefined;
}

/** The table as a picker's options, in its order. */
export function pickerOptions(choices: Choices): { value: string; label: string }[] {
  return Object.entries(choices).map(([value, c]) => ({ value, label: c.label }));
}
