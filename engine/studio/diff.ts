/**
 * What a new version changes, in words staff read ("Label "Usia" → "Umur"", "Pilihan baru "MAL"
 * di Jenis Kontrasepsi", "Kolom (9) dipindah menjadi (10)"): compared on the form models, so the
 * sentences follow the paper (sections, fields, options, rules), not the JSON.
 */
import type { FieldNode, FormModel, PartNode } from '../model-types.js';
import { rekeyModel, renamesFrom } from '../rename-key.js';

export interface Change {
  /** `tambah`, `hapus`, `ubah`, `pindah`: what kind of change (a removal can lose data). */
  readonly kind: 'tambah' | 'hapus' | 'ubah' | 'pindah';
  readonly text: string;
}

const fieldsOf = (p: PartNode): readonly FieldNode[] => (p.kind === 'section' ? p.fields : p.columns);
const columnText = (c: FieldNode['column']) => (c === undefined ? 'tanpa nomor' : typeof c === 'number' ? `(${c})` : Object.entries(c).map(([k, n]) => `${k} (${n})`).join(', '));
const q = (s: unknown) => `"${String(s)}"`;

function fieldChanges(before: FieldNode, after: FieldNode, where: string): Change[] {
  const out: Change[] = [];
  const at = `${q(after.label)} di ${where}`;
  if (before.label !== after.label) out.push({ kind: 'ubah', text: `Label ${q(before.label)} → ${q(after.label)} (${where})` });
  if (before.type !== after.type) out.push({ kind: 'ubah', text: `Jenis isian ${at} berubah dari ${before.type} menjadi ${after.type}` });
  if (before.required !== after.required) out.push({ kind: 'ubah', text: `Isian ${at} ${after.required ? 'menjadi wajib' : 'tidak lagi wajib'}` });
  if ((before.help ?? '') !== (after.help ?? '')) out.push({ kind: 'ubah', text: `Teks bantuan ${at} diubah` });
  if (JSON.stringify(before.column) !== JSON.stringify(after.column)) out.push({ kind: 'pindah', text: `Kolom ${columnText(before.column)} ${q(after.label)} dipindah menjadi ${columnText(after.column)}` });
  for (const [name, a, b] of [['Batas bawah', before.minimum, after.minimum], ['Batas atas', before.maximum, after.maximum], ['Panjang paling sedikit', before.minLength, after.minLength], ['Panjang paling banyak', before.maxLength, after.maxLength]] as const) {
    if (a !== b) out.push({ kind: 'ubah', text: `${name} ${at}: ${a ?? 'tidak ada'} → ${b ?? 'tidak ada'}` });
  }
  if ((before.pattern ?? '') !== (after.pattern ?? '')) out.push({ kind: 'ubah', text: `Pola isian ${at} diubah` });
  if (before.personal !== after.personal) out.push({ kind: 'ubah', text: `Isian ${at} ${after.personal ? 'ditandai sebagai data pribadi' : 'tidak lagi data pribadi'}` });
  if (JSON.stringify(before.showWhen) !== JSON.stringify(after.showWhen)) out.push({ kind: 'ubah', text: `Syarat tampil ${at} diubah` });
  const oldOptions = new Map((before.options ?? []).map((o) => [String(o.value), o.label]));
  const newOptions = new Map((after.options ?? []).map((o) => [String(o.value), o.label]));
  for (const [code, label] of newOptions) {
    if (!oldOptions.has(code)) out.push({ kind: 'tambah', text: `Pilihan baru ${q(code)} (${label}) di ${after.label}` });
    else if (oldOptions.get(code) !== label) out.push({ kind: 'ubah', text: `Pilihan ${q(code)} di ${after.label}: ${q(oldOptions.get(code))} → ${q(label)}` });
  }
  for (const [code, label] of oldOptions) if (!newOptions.has(code)) out.push({ kind: 'hapus', text: `Pilihan ${q(code)} (${label}) dihapus dari ${after.label}` });
  return out;
}

/** Every change from `before` to `after`, in paper order. */
export function describeChanges(published: FormModel, after: FormModel): Change[] {
  const out: Change[] = [];
  // A renamed key is said once; everything else is compared with the keys already renamed (a
  // show-when or rule that names the field changed only by the rename is no change).
  const renames = renamesFrom(published, after);
  const before = rekeyModel(published, renames);
  if (before.title !== after.title) out.push({ kind: 'ubah', text: `Judul formulir ${q(before.title)} → ${q(after.title)}` });
  if (before.code !== after.code) out.push({ kind: 'ubah', text: `Kode formulir ${q(before.code)} → ${q(after.code)}` });
  const oldParts = new Map(before.parts.map((p) => [p.key, p]));
  const newKeys = new Set(after.parts.map((p) => p.key));
  for (const part of after.parts) {
    const old = oldParts.get(part.key);
    if (!old) {
      out.push({ kind: 'tambah', text: `Bagian baru ${q(part.title)} dengan ${fieldsOf(part).length} isian` });
      continue;
    }
    if (old.title !== part.title) out.push({ kind: 'ubah', text: `Judul bagian ${q(old.title)} → ${q(part.title)}` });
    const oldFields = new Map(fieldsOf(old).map((f) => [f.key, f]));
    const newFields = fieldsOf(part);
    for (const f of newFields) {
      const was = oldFields.get(f.key);
      const renamed = renames.find((r) => r.part === part.key && r.to === f.key);
      if (renamed) out.push({ kind: 'ubah', text: `Kunci isian ${q(f.label)} di ${part.title}: ${q(renamed.from)} → ${q(f.key)} (data tersimpan ikut pindah)` });
      if (!was) out.push({ kind: 'tambah', text: `Isian baru ${q(f.label)} (${f.key}) di ${part.title}${f.required ? ', wajib' : ''}` });
      else out.push(...fieldChanges(was, f, part.title));
    }
    for (const f of fieldsOf(old)) if (!newFields.some((n) => n.key === f.key)) out.push({ kind: 'hapus', text: `Isian ${q(f.label)} (${f.key}) dihapus dari ${part.title}` });
    // Order of the fields that stayed: a move is said once per field that changed place.
    const kept = fieldsOf(old).map((f) => f.key).filter((k) => newFields.some((n) => n.key === k));
    const keptNew = newFields.map((f) => f.key).filter((k) => oldFields.has(k));
    keptNew.forEach((k, i) => {
      if (kept[i] !== k && kept.indexOf(k) > i) out.push({ kind: 'pindah', text: `Isian ${q(newFields.find((f) => f.key === k)!.label)} dipindah ke atas di ${part.title}` });
    });
  }
  for (const part of before.parts) if (!newKeys.has(part.key)) out.push({ kind: 'hapus', text: `Bagian ${q(part.title)} dihapus` });
  const oldRules = new Map(before.rules.map((r) => [`${r.repeat ?? ''}/${r.rule.id}`, r.rule]));
  const newRules = new Map(after.rules.map((r) => [`${r.repeat ?? ''}/${r.rule.id}`, r.rule]));
  for (const [id, rule] of newRules) {
    const was = oldRules.get(id);
    if (!was) out.push({ kind: 'tambah', text: `Aturan baru: ${rule.message}` });
    else if (JSON.stringify(was) !== JSON.stringify(rule)) out.push({ kind: 'ubah', text: `Aturan diubah: ${rule.message}` });
  }
  for (const [id, rule] of oldRules) if (!newRules.has(id)) out.push({ kind: 'hapus', text: `Aturan dihapus: ${rule.message}` });
  return out;
}
