import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDateOf, localTimeOf, weekdayOfDate, type Weekday } from '../../src/shared/time.js';
import { DEMO_PASSWORD } from './e2e-world.js';
import { CHROMIUM, chromiumArgs, type E2eServer, expectNoSeriousAxeViolations, signIn, hasChromium, reportChromiumMissing, root, startE2eServer, shot } from './harness.js';

const shots = path.join(root, 'test-results/visits');
const desktop = { width: 1440, height: 900 };
const phone = { width: 390, height: 844 };
const MANAGER = 'manager1@demo.openkam.local';
const DIRECTOR = 'director1@demo.openkam.local';
const TZ = 'Asia/Shanghai';
const OUTCOME_NOTES = 'Reviewed the spring order; stock is low on 42.5 cement.';
const ISSUE = 'Two pallets arrived damaged';


type Api = <T>(method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown, headers?: Record<string, string>) => Promise<{ status: number; body: T }>;
type Site = { id: string; name: string; lat: number | null; lng: number | null };
type Plan = { id: string; accountId: string; accountName: string; accountNameEn: string | null; weekday: Weekday; startTime: string; routeId: string | null; version: number };
type Named = { id: string; name: string; nameEn?: string | null };
/** How an English page names an account or a contact (web/names.ts): the English name when there is one. */
const english = (x: { name: string; nameEn?: string | null } | { accountName: string; accountNameEn: string | null }) => ('accountName' in x ? x.accountNameEn || x.accountName : x.nameEn || x.name);
type Visit = { id: string; status: string; order: { amountMinor: number; currency: string } | null; checkIn: { distanceMetres: number | null } | null; outcomeNotes: string | null; issues: { text: string }[] };

describe.skipIf(!hasChromium)('visit program in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  const consoleErrors: string[] = [];
  let dataWords: Set<string>;
  /** What beforeAll planned, for the tests to use. */
  const world = {} as {
    accountIds: string[]; managerId: string; todaySite: Site; movedPlan: Plan; movedName: string; targetDay: Weekday; routeDay: Weekday; contactName: string; todayAccount: string;
    newPlan: { accountName: string; site: Site };
  };

  async function apiAs(email: string): Promise<Api> {
    const res = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: DEMO_PASSWORD } });
    const cookie = res.cookies.find((c) => c.name === 'openkam_session')!.value;
    const csrf = (res.json() as { csrfToken: string }).csrfToken;
    return async <T>(method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown, headers: Record<string, string> = {}) => {
      const r = await server.app.inject({ method, url, payload: body as object | undefined, cookies: { openkam_session: cookie }, headers: { 'x-csrf-token': csrf, ...headers } });
      return { status: r.statusCode, body: (r.body ? r.json() : null) as T };
    };
  }

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    [server, browser] = await Promise.all([startE2eServer(), chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs })]);
    const api = await apiAs(MANAGER);
    const accounts = (await api<{ items: Named[] }>('GET', '/api/v1/accounts?limit=200')).body.items;
    // Manager1's accounts with a located site (the visits need a place to check in at).
    const located: { account: Named; site: Site }[] = [];
    for (const a of accounts) {
      const site = (await api<{ items: Site[] }>('GET', `/api/v1/sites?accountId=${a.id}&limit=50`)).body.items.find((s) => s.lat !== null && s.lng !== null);
      if (site) located.push({ account: a, site });
    }
    expect(located.length, 'manager1 has accounts with located sites').toBeGreaterThanOrEqual(2);
    // The demo world gives manager1 a whole program; this test builds its own from nothing, so the
    // program of manager1's located accounts (theirs or a colleague's) is cleared first.
    const k0 = server.db.kysely;
    const me = await k0.selectFrom('users').select('id').where('email', '=', MANAGER).executeTakeFirstOrThrow();
    const ids = located.map((l) => l.account.id);
    for (const table of ['visits', 'call_plan_changes', 'call_plans'] as const) {
      await k0.deleteFrom(table).where((eb) => eb.or([eb('manager_id', '=', me.id), eb('account_id', 'in', ids)])).execute();
    }
    await k0.deleteFrom('visit_routes').where('manager_id', '=', me.id).execute();
    const now = new Date();
    const today = localDateOf(now, TZ);
    const todayDay = weekdayOfDate(today);
    const routeDay: Weekday = todayDay === 'tue' ? 'wed' : 'tue';
    const targetDay: Weekday = todayDay === 'thu' ? 'mon' : 'thu';
    const [hh, mm] = localTimeOf(now, TZ).split(':').map(Number) as [number, number];
    const startNow = `${String(hh).padStart(2, '0')}:${String(Math.floor(mm / 5) * 5).padStart(2, '0')}`;

    const first = located[0]!;
    const create = async (body: Record<string, unknown>) => {
      const r = await api<Plan>('POST', '/api/v1/call-plans', body);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body;
    };
    // Today: one visit starting now at the first site.
    await create({ accountId: first.account.id, siteId: first.site.id, weekday: todayDay, startTime: startNow, durationMinutes: 60 });
    // A route on another weekday through the other sites, in a deliberately poor order.
    const stops = located.slice(1, 4).length >= 2 ? located.slice(1, 4) : located;
    const base = { label: '台州办事处', lat: stops[0]!.site.lat! + 0.02, lng: stops[0]!.site.lng! - 0.02 };
    const route = await api<{ id: string }>('POST', '/api/v1/visit-routes', { name: '台州线', weekday: routeDay, base, dayStart: '08:00', dayEnd: '18:00' });
    expect(route.status).toBe(201);
    const times = ['09:00', '10:30', '14:00'];
    const plans: Plan[] = [];
    for (const [i, s] of stops.entries()) {
      plans.push(await create({ accountId: s.account.id, siteId: s.site.id, weekday: routeDay, startTime: times[i]!, durationMinutes: 60, routeId: route.body.id, routePosition: stops.length - i }));
    }
    // A change that waits for the director (so the approvals page has something to decide).
    const pendingPlan = plans[plans.length - 1]!;
    const pending = await api('POST', `/api/v1/call-plans/${pendingPlan.id}/changes`, { reason: 'manager_capacity', note: '周二下午另有培训', slot: { startTime: '15:30' } }, { 'if-match': `"${pendingPlan.id}.${pendingPlan.version}"` });
    expect(pending.status, JSON.stringify(pending.body)).toBe(201);
    expect((await api('POST', '/api/v1/visits/materialise', { weeks: 2 })).status).toBe(200);

    const moved = plans[0]!;
    const contacts = (await api<{ items: Named[] }>('GET', `/api/v1/contacts?accountId=${moved.accountId}&limit=100&sort=name`)).body.items;
    expect(contacts.length, 'the moved account has contacts').toBeGreaterThan(0);
    Object.assign(world, { managerId: (await api<{ id: string }>('GET', '/api/v1/auth/me')).body.id, accountIds: located.map((l) => l.account.id), todaySite: first.site, movedPlan: moved, movedName: english(moved), targetDay, routeDay, contactName: english(contacts[0]!), todayAccount: english(first.account),
      newPlan: { accountName: english(located[located.length - 1]!.account), site: located[located.length - 1]!.site } });

    const k = server.db.kysely;
    const text = [
      ...(await k.selectFrom('accounts').select(['code', 'name', 'city', 'province']).execute()).flatMap((r) => Object.values(r)),
      ...(await k.selectFrom('users').select(['name', 'email']).execute()).flatMap((r) => Object.values(r)),
      ...(await k.selectFrom('teams').select(['name']).execute()).flatMap((r) => Object.values(r)),
      ...(await k.selectFrom('sites').select(['name', 'address', 'city']).execute()).flatMap((r) => Object.values(r)),
      ...(await k.selectFrom('contacts').select(['name', 'title']).execute()).flatMap((r) => Object.values(r)),
      // What people wrote (the demo's English-speaking managers write their notes in English).
      ...(await k.selectFrom('call_plan_changes').select(['note', 'decision_note']).execute()).flatMap((r) => Object.values(r)),
      ...(await k.selectFrom('visit_routes').select(['name', 'base_label']).execute()).flatMap((r) => Object.values(r)),
      ...(await k.selectFrom('visits').select(['outcome_notes', 'missed_reason', 'moved_note']).execute()).flatMap((r) => Object.values(r)),
    ].filter((v): v is string => typeof v === 'string');
    dataWords = new Set(text.flatMap((s) => s.match(/[A-Za-z][A-Za-z'-]+/g) ?? []));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const signedIn = (email: string, locale: 'en' | 'zh-CN', viewport = desktop, geo?: { latitude: number; longitude: number }) => signIn(browser, server, email, locale, consoleErrors, {
    viewport, timezoneId: 'UTC', ...(geo && { geolocation: { ...geo, accuracy: 15 }, permissions: ['geolocation'] }),
  });

  const axe = expectNoSeriousAxeViolations;


  async function englishLeftOver(page: Page): Promise<string[]> {
    // What the tests wrote in English (notes, the feed's default name) is data too.
    const typed = `${OUTCOME_NOTES} ${ISSUE} My visits`.match(/[A-Za-z][A-Za-z'-]+/g) ?? [];
    const allowed = new Set(['OpenKAM', 'EN', 'VMI', 'Natural', 'Earth', 'ECharts', 'GeoNames', 'CC', 'BY', 'Outlook', 'Google', ...typed, ...dataWords]);
    const text = await page.evaluate(() => [...document.querySelectorAll('.ok-code')].reduce((t, el) => t.split((el as HTMLElement).innerText).join(' '), document.body.innerText));
    return [...new Set(text.match(/[A-Za-z][A-Za-z'-]+/g) ?? [])].filter((w) => !allowed.has(w));
  }

  /** Waits until the visit page `name` shows its data (the pages are aria-busy while any query loads). */
  async function settled(page: Page, name: string): Promise<void> {
    await page.waitForFunction((n) => !!document.querySelector(`.ok-visits[data-page="${n}"][aria-busy="false"]`) && !document.querySelector('[role="status"]'), name);
  }

  /** Goes to a path inside the single-page app without reloading it. */
  async function navigate(page: Page, url: string): Promise<void> {
    await page.evaluate((u) => { window.history.pushState(null, '', u); window.dispatchEvent(new PopStateEvent('popstate')); }, url);
  }

  it('moves a slot by drag and drop at the customer\'s request, and the history shows it', async () => {
    const { context, page } = await signedIn(MANAGER, 'en');
    await page.goto('/visits/week');
    await settled(page, 'week');
    const { movedPlan, movedName, targetDay, contactName } = world;
    // An English page names the account in English (names.ts), never in Chinese beside an English UI.
    // Two accounts may share an English name (台州 and 泰州 are both Taizhou): the card is found by its plan.
    const card = page.getByTestId(`day-column-${movedPlan.weekday}`).locator(`[data-testid="slot-card"][data-plan-id="${movedPlan.id}"]`);
    await card.waitFor();
    expect(await card.innerText()).toContain(movedName);
    if (movedPlan.accountNameEn) expect(await card.innerText()).not.toContain(movedPlan.accountName);
    await shot(page, path.join(shots, 'week-en-1440.png'));
    await axe(page, 'week plan');

    // The calendar starts at the first hour label; 11:00 is (11 − first) hours of 64 px below it. A
    // slot early in the day (the world's visit of today, made at the hour the suite runs) starts it at
    // midnight: a window as tall as the whole day keeps both ends of the drag on screen.
    await page.setViewportSize({ width: 1440, height: 2200 });
    const firstHour = Number((await page.locator('.ok-week-hour').first().innerText()).slice(0, 2));
    const target = page.getByTestId(`day-column-${targetDay}`);
    await card.dragTo(target, { sourcePosition: { x: 12, y: 6 }, targetPosition: { x: 30, y: (11 - firstHour) * 64 + 6 } });
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await expect.poll(() => dialog.getByLabel('New day').inputValue()).toBe({ mon: 'Monday', thu: 'Thursday' }[targetDay as 'mon' | 'thu']);
    expect(await dialog.getByLabel('New start time').inputValue()).toBe('11:00');
    // Customer request is the default reason: it needs the contact who asked.
    await dialog.getByRole('button', { name: 'Move the slot' }).click();
    await dialog.getByText('Choose the contact who asked for the change.').waitFor();
    await dialog.getByLabel('Who asked for it').click();
    await page.getByRole('option', { name: new RegExp(`^${contactName}`) }).click();
    await shot(page, path.join(shots, 'move-dialog-en-1440.png'), false);
    await axe(page, 'move dialog');
    await dialog.getByRole('button', { name: 'Move the slot' }).click();
    await dialog.waitFor({ state: 'detached' });
    const movedCard = page.getByTestId(`day-column-${targetDay}`).locator(`[data-testid="slot-card"][data-plan-id="${movedPlan.id}"]`);
    await movedCard.waitFor();
    await expect.poll(() => movedCard.innerText()).toContain('11:00');

    await movedCard.getByRole('button', { name: `History of the slot of ${movedName}` }).click();
    const history = page.getByTestId('slot-history');
    await history.waitFor();
    // The drawer has slid in completely.
    await page.waitForFunction(() => { const el = document.querySelector('.mantine-Drawer-content'); return !!el && Math.abs(el.getBoundingClientRect().right - window.innerWidth) < 1 && getComputedStyle(el).opacity === '1'; });
    expect(await history.innerText()).toContain('Customer request');
    expect(await history.innerText()).toContain(`Asked by ${contactName}`);
    await shot(page, path.join(shots, 'history-en-1440.png'), false);
    await axe(page, 'slot history');

    const api = await apiAs(MANAGER);
    const plan = (await api<Plan>('GET', `/api/v1/call-plans/${movedPlan.id}`)).body;
    expect(plan).toMatchObject({ weekday: targetDay, startTime: '11:00', routeId: null });

    // A calendar feed: the secret URL is shown once, and it serves iCalendar.
    await page.keyboard.press('Escape');
    await page.getByTestId('slot-history').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Create feed' }).click();
    const feedUrl = await page.getByTestId('feed-url').inputValue();
    expect(feedUrl).toMatch(new RegExp(`^${server.url}/api/v1/calendar/feeds/.+\\.ics$`));
    const ics = await context.request.get(feedUrl);
    expect(ics.status()).toBe(200);
    expect(await ics.text()).toContain('BEGIN:VCALENDAR');
    await page.getByRole('button', { name: 'Revoke the feed My visits' }).waitFor();
    await context.close();
  }, 40_000);

  it('checks in and out of today\'s first visit on a phone, with the position, order and issues', async () => {
    const site = world.todaySite;
    const { context, page } = await signedIn(MANAGER, 'en', phone, { latitude: site.lat! + 0.0004, longitude: site.lng! });
    await page.goto('/today');
    await settled(page, 'today');
    const focus = page.getByTestId('today-focus');
    await focus.getByText(world.todayAccount).waitFor();
    await expect.poll(() => page.getByTestId('today-distance').innerText()).toMatch(/^\d+ m$/);
    await shot(page, path.join(shots, 'today-next-stop-en-390.png'));
    await axe(page, 'today');
    await focus.getByRole('button', { name: 'Check in' }).click();
    await focus.getByRole('button', { name: 'Check out' }).waitFor();
    // The account's figures from every module, at the counter: what needs attention first.
    await focus.getByTestId('visit-account-facts').locator('.ok-fact').first().waitFor();
    await focus.getByLabel('Outcome notes').fill(OUTCOME_NOTES);
    await focus.getByLabel('Order taken').fill('12,500.50');
    await focus.getByRole('textbox', { name: 'Issue' }).fill(ISSUE);
    await focus.getByRole('button', { name: 'Add the issue' }).click();
    await shot(page, path.join(shots, 'today-checked-in-en-390.png'));
    await axe(page, 'today, checked in');
    await focus.getByRole('button', { name: 'Check out' }).click();
    await page.getByText('Checked out. Thank you!').waitFor();

    const api = await apiAs(MANAGER);
    const today = (await api<{ visits: (Visit & { accountId: string })[] }>('GET', '/api/v1/visits/today')).body;
    const visit = today.visits.find((v) => v.accountId === world.accountIds[0])!;
    expect(visit.status).toBe('completed');
    expect(visit.order).toEqual({ amountMinor: 1_250_050, currency: 'CNY' });
    expect(visit.checkIn!.distanceMetres!).toBeLessThan(100);
    expect(visit.issues.map((i) => i.text)).toEqual([ISSUE]);
    expect(visit.outcomeNotes).toBe(OUTCOME_NOTES);
    // The check-in is the account's activity too, with the outcome of the check-out.
    const activities = (await api<{ items: { visitId: string | null; kind: string; notes: string | null }[] }>('GET', `/api/v1/activities?accountId=${world.accountIds[0]}`)).body.items;
    expect(activities.filter((a) => a.visitId === visit.id)).toEqual([expect.objectContaining({ kind: 'visit', notes: OUTCOME_NOTES })]);
    await shot(page, path.join(shots, 'today-done-en-390.png'));
    await context.close();
  }, 40_000);

  it('creates a plan on the plans screen (field errors shown on the fields), then changes its slot with a reason', async () => {
    const { context, page } = await signedIn(MANAGER, 'en');
    await page.goto('/visits/plans');
    await settled(page, 'plans');
    await page.getByTestId('routes-table').waitFor();
    await page.getByRole('button', { name: 'New plan' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('plan-form').waitFor();
    // Without an account the form says so on the field.
    await dialog.getByRole('button', { name: 'Create the plan' }).click();
    await dialog.getByText('This field is required.').waitFor();
    const { accountName, site } = world.newPlan;
    await dialog.getByLabel('Account').fill(accountName.slice(0, 4));
    await page.getByRole('option', { name: new RegExp(`^${accountName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }).first().click();
    await dialog.getByLabel('Site').click();
    await page.getByRole('option', { name: new RegExp(`^${site.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }).first().click();
    await dialog.getByLabel('Weekday').click();
    await page.getByRole('option', { name: 'Saturday' }).click();
    await dialog.getByLabel('Start time (local)').click();
    await page.getByRole('option', { name: '16:00', exact: true }).click();
    await shot(page, path.join(shots, 'plan-dialog-en-1440.png'), false);
    await axe(page, 'plan dialog');
    await dialog.getByRole('button', { name: 'Create the plan' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.getByTestId('plan-row').filter({ hasText: accountName }).filter({ hasText: 'Saturday 16:00' });
    await row.waitFor();
    const api = await apiAs(MANAGER);
    const created = (await api<{ items: (Plan & { siteId: string; siteName: string })[] }>('GET', `/api/v1/call-plans?managerId=${world.managerId}&limit=200`)).body.items
      .find((p) => p.weekday === 'sat' && p.startTime === '16:00')!;
    expect(created).toMatchObject({ siteId: site.id, siteName: site.name });
    expect(created.accountNameEn ?? created.accountName).toBe(accountName);
    expect((await api<{ items: unknown[] }>('GET', `/api/v1/visits?planId=${created.id}`)).body.items.length).toBeGreaterThan(0);

    // Editing the slot goes through the change request: a reason, then the director.
    await row.getByRole('button', { name: `Edit the plan of ${accountName}` }).click();
    await dialog.getByTestId('plan-form').waitFor();
    await dialog.getByLabel('Start time (local)').click();
    await page.getByRole('option', { name: '16:30', exact: true }).click();
    await dialog.getByRole('button', { name: 'Next: reason' }).click();
    await dialog.getByRole('radio', { name: 'Manager capacity' }).check();
    await dialog.getByRole('button', { name: 'Send for approval' }).click();
    await dialog.getByText('Say why in a note.').waitFor();
    await dialog.getByLabel('Note').fill('周六下午晚些开始');
    await dialog.getByRole('button', { name: 'Send for approval' }).click();
    await dialog.waitFor({ state: 'detached' });
    await row.getByText('1 change pending').waitFor();
    const after = (await api<Plan & { pendingChanges: number }>('GET', `/api/v1/call-plans/${created.id}`)).body;
    expect(after).toMatchObject({ startTime: '16:00', pendingChanges: 1 });
    await context.close();
  }, 40_000);

  it('proposes weekdays for a changed account and shows kept, placed and moved slots', async () => {
    const { context, page } = await signedIn(MANAGER, 'en');
    await page.goto('/visits/optimise');
    await settled(page, 'optimise');
    await page.getByRole('combobox', { name: 'Changed accounts' }).click();
    await page.getByRole('option', { name: new RegExp(`^${world.movedName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }).first().click();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Propose' }).click();
    const proposal = page.getByTestId('week-proposal');
    await proposal.waitFor();
    expect(await page.getByTestId('week-assignment').count() + (await page.getByTestId('week-unassigned').count())).toBeGreaterThan(0);
    expect(await proposal.innerText()).toMatch(/kept|placed|moved/i);
    await shot(page, path.join(shots, 'optimise-proposal-en-1440.png'));
    await axe(page, 'week optimisation');
    await context.close();
  }, 40_000);

  it('renders every visit page at 1440 and 390 px in English and Chinese, accessible and without console errors', async () => {
    const pages: Record<string, [string, string][]> = {
      [MANAGER]: [['week', '/visits/week'], ['today', '/today'], ['route', '/visits/route'], ['account-tab', `/accounts/${world.accountIds[1]}?tab=visit-plan`], ['plans', '/visits/plans'], ['optimise', '/visits/optimise']],
      [DIRECTOR]: [['changes', '/visits/changes'], ['compliance', '/visits/compliance'], ['week-director', `/visits/week?manager=${world.managerId}`]],
    };
    for (const [who, list] of Object.entries(pages)) {
      const { context, page, csrfToken } = await signedIn(who, 'en');
      for (const locale of ['en', 'zh-CN'] as const) {
        await context.request.patch('/api/v1/auth/me', { data: { locale }, headers: { 'x-csrf-token': csrfToken } });
        for (const viewport of [desktop, phone]) {
          await page.setViewportSize(viewport);
          let loaded = false;
          for (const [name, url] of list) {
            // The first page at a size or language loads the app afresh; the others navigate inside it.
            if (loaded) await navigate(page, url); else await page.goto(url);
            loaded = true;
            await settled(page, name.replace('-director', ''));
            if (name === 'week-director') await page.getByTestId('slot-card').first().waitFor();
            if (name === 'route') {
              const map = page.getByTestId('route-map');
              await map.locator('.ok-stop-marker').first().waitFor();
              await map.locator('.leaflet-basemap-pane path').first().waitFor({ state: 'attached' });
              await page.getByRole('button', { name: locale === 'en' ? 'Propose' : '生成建议' }).click();
              await page.getByTestId('route-proposal').waitFor();
              // The proposal says what it saves: the drive now, the drive proposed, the difference.
              expect(await page.getByTestId('route-saving').innerText()).toMatch(locale === 'en' ? /Drive now\s+[\dh ]+min · [\d.,]+ k?m\s+Drive proposed\s+[\dh ]+min[^]*Saving\s+\S/ : /现在的行车\s+\d+[^]*分钟[^]*建议的行车\s+\d+[^]*分钟[^]*节省\s+\S/);
              await expect.poll(() => page.locator('.ok-route-proposed').count()).toBe(1);
            }
            if (name === 'changes') await page.getByTestId('pending-change').first().waitFor();
            if (name === 'compliance') await page.getByTestId('compliance-managers').waitFor();
            if (name === 'account-tab') await page.getByTestId('account-plans').waitFor();
            if (name === 'plans') await page.getByTestId('plans-list').waitFor();
            await page.evaluate(() => window.scrollTo(0, 0));
            await shot(page, path.join(shots, `${name}-${locale}-${viewport.width}.png`));
            // Accessibility in both languages and both sizes, without checking every combination.
            if ((locale === 'en') === (viewport === desktop)) await axe(page, `${name} (${locale}, ${viewport.width})`);
            if (locale === 'zh-CN') expect(await englishLeftOver(page), `${name} in Chinese`).toEqual([]);
          }
        }
      }
      await context.close();
    }
    expect(consoleErrors, consoleErrors.join(" | ")).toEqual([]);
  }, 90_000);
});

reportChromiumMissing('visit program in Chromium');
