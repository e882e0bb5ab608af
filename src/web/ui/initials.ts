/**
 * The letters on an avatar: the last two Han characters of a Chinese name (the given name), else
 * the first letter of the first two words. Only letters and Han characters count: a name shown
 * with its company in brackets ("何晓燕（宏达）") gives "晓燕", never "达）".
 */
export function initials(name: string): string {
  // A bracketed part is a company or a note, not the name (unless it is all there is).
  const core = name.replace(/[（(【[][^）)】\]]*[）)】\]]/gu, ' ').trim() || name;
  const han = core.match(/\p{Script=Han}/gu);
  if (han?.length) return han.slice(-2).join('');
  const words = core.split(/[^\p{L}\p{M}'’-]+/u).filter((w) => /\p{L}/u.test(w));
  return words.slice(0, 2).map((w) => ([...w].find((c) => /\p{L}/u.test(c)) ?? '').toUpperCase()).join('');
}
