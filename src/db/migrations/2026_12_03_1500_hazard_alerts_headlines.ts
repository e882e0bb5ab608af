import type { Kysely } from 'kysely';

// Every language's headline of a warning, stored beside it (JSON [{ language, headline }]) so an
// advisory, a match or a portal card shows the warning in its reader's language, not the one
// headline (zh-CN first) kept at parse time. Rows stored before are filled from their parsed alert.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('hazard_alerts').addColumn('headlines_json', 'text').execute();
  const rows: { id: string; alert_json: string }[] = await db.selectFrom('hazard_alerts').select(['id', 'alert_json']).execute();
  for (const r of rows) {
    let infos: { language?: unknown; headline?: unknown; event?: unknown }[] = [];
    try { infos = (JSON.parse(r.alert_json) as { infos?: typeof infos }).infos ?? []; } catch { continue; }
    const out: { language: string; headline: string }[] = [];
    for (const i of infos) {
      const language = typeof i.language === 'string' ? i.language : '';
      const headline = (typeof i.headline === 'string' && i.headline.trim()) || (typeof i.event === 'string' ? i.event.trim() : '');
      if (language && headline && !out.some((h) => h.language.toLowerCase() === language.toLowerCase())) out.push({ language, headline });
    }
    await db.updateTable('hazard_alerts').set({ headlines_json: JSON.stringify(out) }).where('id', '=', r.id).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('hazard_alerts').dropColumn('headlines_json').execute();
}
