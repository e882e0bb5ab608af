/**
 * Transport modes by their names in the reader's language. Shipments carry the mode as the source
 * system wrote it ("Ocean", "Truck", "Air Charter", "N/A", "海运"; the demo and the lane planner
 * write ship, rail, road): the spellings of one mode share one name, a mode we do not know shows
 * as it was written, and "N/A" or nothing shows as "mode not given". One helper for every screen
 * that shows a mode: the OTIF dashboard, the account's Delivery tab, the shipment lists, the lanes.
 */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

export const modeKeys = ['ship', 'rail', 'road', 'air', 'air_charter', 'multimodal', 'courier'] as const;
export type ModeKey = (typeof modeKeys)[number];

/** Spellings (lower case; spaces, hyphens and underscores as one space) of each mode; `null`: the source says no mode was recorded. */
const spellings: Record<string, ModeKey | null> = {};
const add = (key: ModeKey | null, ...names: string[]) => { for (const n of names) spellings[n] = key; };
add('ship', 'ship', 'sea', 'ocean', 'sea freight', 'ocean freight', 'vessel', 'barge', 'waterway', 'water', 'inland waterway', '水运', '海运', '船运', '内河', '河运');
add('rail', 'rail', 'railway', 'train', 'rail freight', '铁路', '铁运', '火车');
add('road', 'road', 'truck', 'trucking', 'lorry', 'road freight', '公路', '汽运', '卡车', '陆运');
add('air', 'air', 'air freight', 'airfreight', '空运', '航空');
add('air_charter', 'air charter', 'charter', 'charter flight', '包机', '包机空运');
add('multimodal', 'multimodal', 'intermodal', 'combined', '多式联运', '联运');
add('courier', 'courier', 'express', 'parcel', '快递', '快运');
add(null, 'n/a', 'na', 'none', 'not applicable', 'unknown', '—', '无', '未知');

/**
 * The mode a text names: a key, `null` when it says there is none (blank, "N/A"), or
 * `undefined` when we do not know the word (shown as written).
 */
export function modeKeyOf(raw: string | null | undefined): ModeKey | null | undefined {
  const text = (raw ?? '').normalize('NFKC').toLowerCase().replace(/[\s_-]+/g, ' ').trim();
  if (!text) return null;
  return text in spellings ? spellings[text] : undefined;
}

/** `name(mode)`: the mode in the reader's language, the raw text for an unknown one, "mode not given" for none. */
export function useModeName(): (raw: string | null | undefined) => string {
  const { t } = useTranslation();
  return useCallback((raw: string | null | undefined) => {
    const key = modeKeyOf(raw);
    if (key === undefined) return raw!.trim();
    return key === null ? t('delivery.unknownMode') : t(`delivery.modes.${key}`);
  }, [t]);
}

/**
 * Names of several modes for one list (a chart's axis, a select): two spellings that share a name
 * keep their own text beside it ("Ship (Ocean)" beside "Ship"), so that two bars never read the same.
 */
export function distinctModeNames(raws: readonly (string | null | undefined)[], name: (raw: string | null | undefined) => string): string[] {
  const names = raws.map(name);
  const seen = new Map<string, number>();
  for (const n of names) seen.set(n, (seen.get(n) ?? 0) + 1);
  const raw = (i: number) => raws[i]?.trim() ?? '';
  return names.map((n, i) => ((seen.get(n) ?? 0) > 1 && n.toLowerCase() !== raw(i).toLowerCase() ? `${n} (${raw(i) || '—'})` : n));
}

/** `names(modes)`: distinctModeNames in the reader's language. */
export function useModeNames(): (raws: readonly (string | null | undefined)[]) => string[] {
  const modeName = useModeName();
  return useCallback((raws: readonly (string | null | undefined)[]) => distinctModeNames(raws, modeName), [modeName]);
}
