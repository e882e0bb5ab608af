import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../src/web/i18n/en.json' with { type: 'json' };
import zhCN from '../../src/web/i18n/zh-CN.json' with { type: 'json' };
import { CHROMIUM, chromiumArgs, type E2eServer, expectNoSeriousAxeViolations, signIn, hasChromium, reportChromiumMissing, root, startE2eServer, shot } from './harness.js';

const shots = path.join(root, 'test-results/editing');
const desktop = { width: 1440, height: 900 };
const phone = { width: 390, height: 844 };
const strings = { en, 'zh-CN': zhCN } as const;
type Locale = keyof typeof strings;
const MANAGER = 'manager1@demo.openkam.local';

reportChromiumMissing('editing accounts, contacts, sites and activities in Chromium');

describe.skipIf(!hasChromium)('editing accounts, contacts, sites and activities in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  let accountId: string;
  let accountCode: string;
  let managerName: string;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    [server, browser] = await Promise.all([startE2eServer(), chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs })]);
    // An account manager1 owns.
    const k = server.db.kysely;
    const manager = await k.selectFrom('users').select(['id', 'name']).where('email', '=', MANAGER).executeTakeFirstOrThrow();
    managerName = manager.name;
    const row = await k.selectFrom('accounts').select(['id', 'code']).where('owner_id', '=', manager.id).orderBy('code').executeTakeFirstOrThrow();
    accountId = row.id;
    accountCode = row.code;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const signedIn = (email: string, locale: Locale, viewport = desktop) => signIn(browser, server, email, locale, consoleErrors, { viewport });

  const axe = expectNoSeriousAxeViolations;


  const dialog = (page: Page) => page.getByRole('dialog');
  /** Lets the dialog's opening transition finish before a screenshot. */
  const settle = (page: Page) => page.waitForTimeout(400);
  /** A form field by its label (required fields add an asterisk to the label). */
  const field = (scope: Locator, label: string) => scope.getByLabel(new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\*)?$`));

  it('lets a manager add a contact, log a visit and edit the contact; a stale edit elsewhere is refused', async () => {
    const s = strings.en;
    const { context, page } = await signedIn(MANAGER, 'en');
    await page.goto(`/accounts/${accountId}?tab=contacts`);
    await page.getByRole('button', { name: s.contactForm.add }).click();
    const form = dialog(page);
    await field(form, s.contactForm.name).waitFor();

    // The form checks what the contract checks before sending.
    await field(form, s.contactForm.email).fill('not-an-address');
    await form.getByRole('button', { name: s.common.save }).click();
    await expect.poll(() => form.getByText(s.errors.field.required).count()).toBeGreaterThan(0);
    await expect.poll(() => form.getByText(s.errors.field.email).count()).toBe(1);

    await field(form, s.contactForm.name).fill('钱晓红');
    await field(form, s.contactForm.nameEn).fill('Qian Xiaohong');
    await field(form, s.contactForm.title).fill('Purchasing manager');
    await field(form, s.contactForm.email).fill('zhao.li@example.com');
    await field(form, s.contactForm.phone).fill('+86 576 8888 1234');
    await form.getByText('4', { exact: true }).click();
    await field(form, s.contactForm.birthday).fill('1985-06-12');
    await form.getByRole('button', { name: s.common.save }).click();
    await dialog(page).waitFor({ state: 'detached' });
    const card = page.getByTestId('contact-card').filter({ hasText: '钱晓红' });
    await card.waitFor();
    expect(await card.innerText()).toContain('Purchasing manager');
    expect((await card.innerText()).toLowerCase()).toContain(s.contacts.influenceValue.replace('{{value}}', '4').toLowerCase());

    // Log a visit (the default kind) from the page header.
    await page.getByRole('button', { name: s.activityForm.log }).first().click();
    const act = dialog(page);
    await field(act, s.activityForm.subject).fill('Quarterly review visit with Qian Xiaohong');
    await field(act, s.activityForm.notes).fill('Discussed the autumn promotion.');
    await act.getByRole('button', { name: s.activityForm.log }).click();
    await dialog(page).waitFor({ state: 'detached' });

    // Edit the contact.
    await card.getByRole('button', { name: s.forms.editNamed.replace('{{name}}', '钱晓红') }).click();
    const edit = dialog(page);
    await expect.poll(() => field(edit, s.contactForm.title).inputValue()).toBe('Purchasing manager');
    await field(edit, s.contactForm.title).fill('Purchasing director');
    await edit.getByRole('button', { name: s.common.save }).click();
    await dialog(page).waitFor({ state: 'detached' });
    await expect.poll(() => card.innerText()).toContain('Purchasing director');

    // Both show: the contact on the Contacts tab, the visit on the Activity tab.
    await page.getByRole('tab', { name: s.account.tabs.activity }).click();
    const visit = page.getByTestId('activity-item').filter({ hasText: 'Quarterly review visit with Qian Xiaohong' });
    await visit.waitFor();
    expect(await visit.innerText()).toContain(s.activityKinds.visit);
    await shot(page, path.join(shots, 'activity-logged-en-1440.png'));
    await page.getByRole('tab', { name: s.account.tabs.contacts }).click();
    await page.getByTestId('contact-card').filter({ hasText: 'Purchasing director' }).waitFor();

    // A second browser opens the same contact, the first saves again, the second's save is stale.
    const other = await signedIn(MANAGER, 'en');
    await other.page.goto(`/accounts/${accountId}?tab=contacts`);
    await other.page.getByTestId('contact-card').filter({ hasText: '钱晓红' }).getByRole('button', { name: s.forms.editNamed.replace('{{name}}', '钱晓红') }).click();
    const stale = dialog(other.page);
    await expect.poll(() => field(stale, s.contactForm.title).inputValue()).toBe('Purchasing director');

    await card.getByRole('button', { name: s.forms.editNamed.replace('{{name}}', '钱晓红') }).click();
    await expect.poll(() => field(dialog(page), s.contactForm.title).inputValue()).toBe('Purchasing director');
    await field(dialog(page), s.contactForm.title).fill('Head of purchasing');
    await dialog(page).getByRole('button', { name: s.common.save }).click();
    await dialog(page).waitFor({ state: 'detached' });

    await field(stale, s.contactForm.phone).fill('+86 576 8888 9999');
    await stale.getByRole('button', { name: s.common.save }).click();
    const alert = stale.getByTestId('stale-alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain(s.forms.staleTitle);
    await shot(other.page, path.join(shots, 'contact-stale-en-1440.png'), false);
    await axe(other.page, 'stale contact form');
    // Reload shows the other person's change, and saving then works.
    await alert.getByRole('button', { name: s.forms.reload }).click();
    await expect.poll(() => field(stale, s.contactForm.title).inputValue()).toBe('Head of purchasing');
    await field(stale, s.contactForm.phone).fill('+86 576 8888 9999');
    await stale.getByRole('button', { name: s.common.save }).click();
    await dialog(other.page).waitFor({ state: 'detached' });
    const saved = await server.db.kysely.selectFrom('contacts').select(['title', 'phone', 'version']).where('name', '=', '钱晓红').executeTakeFirstOrThrow();
    expect(saved).toEqual({ title: 'Head of purchasing', phone: '+86 576 8888 9999', version: 4 });

    // Deleting asks first.
    await card.getByRole('button', { name: s.forms.deleteNamed.replace('{{name}}', '钱晓红') }).waitFor();
    await other.context.close();
    await context.close();
  }, 120_000);

  it('shows the forms at 1440 and 390 px in English and Chinese, with no serious accessibility problem', async () => {
    for (const locale of ['en', 'zh-CN'] as const) {
      for (const viewport of [desktop, phone]) {
        const s = strings[locale];
        const { context, page } = await signedIn(MANAGER, locale, viewport);
        const tag = `${locale}-${viewport.width}`;
        const check = viewport === desktop && locale === 'en';
        await page.goto(`/accounts/${accountId}?tab=sites`);

        await page.getByRole('button', { name: s.accountForm.edit, exact: true }).click();
        await expect.poll(() => field(dialog(page), s.accountForm.code).inputValue()).toBe(accountCode);
        await settle(page);
        await shot(page, path.join(shots, `account-form-${tag}.png`), false);
        if (check) await axe(page, 'account form');
        await dialog(page).getByRole('button', { name: s.common.cancel }).click();
        await dialog(page).waitFor({ state: 'detached' });

        await page.getByRole('button', { name: s.siteForm.add }).click();
        await expect.poll(() => page.locator('[data-testid="coordinate-picker"] .leaflet-basemap-pane path').count(), { timeout: 10_000 }).toBeGreaterThan(30);
        if (check) {
          // A click on the map places the site.
          const box = (await page.getByTestId('coordinate-picker').boundingBox())!;
          await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
          await expect.poll(() => field(dialog(page), s.siteForm.lat).inputValue()).not.toBe('');
          await dialog(page).getByTestId('hours-mon').getByRole('switch').check({ force: true });
          await dialog(page).getByRole('button', { name: s.siteForm.addInterval.replace('{{day}}', s.weekdays.mon) }).click();
        }
        await settle(page);
        await shot(page, path.join(shots, `site-form-${tag}.png`), false);
        if (check) await axe(page, 'site form');
        await dialog(page).getByRole('button', { name: s.common.cancel }).click();
        await dialog(page).waitFor({ state: 'detached' });

        await page.getByRole('button', { name: s.activityForm.log }).first().click();
        await field(dialog(page), s.activityForm.subject).waitFor();
        await settle(page);
        await shot(page, path.join(shots, `activity-form-${tag}.png`), false);
        if (check) await axe(page, 'activity form');
        await dialog(page).getByRole('button', { name: s.common.cancel }).click();
        await dialog(page).waitFor({ state: 'detached' });

        await page.goto(`/accounts/${accountId}?tab=contacts`);
        await page.getByRole('button', { name: s.contactForm.add }).click();
        await field(dialog(page), s.contactForm.name).waitFor();
        await dialog(page).getByRole('button', { name: s.common.save }).click();
        await expect.poll(() => dialog(page).getByText(s.errors.field.required).count()).toBeGreaterThan(0);
        await settle(page);
        await shot(page, path.join(shots, `contact-form-${tag}.png`), false);
        if (check) await axe(page, 'contact form');
        await dialog(page).getByRole('button', { name: s.common.cancel }).click();

        if (check) {
          await page.goto('/accounts');
          await page.getByRole('button', { name: s.accountForm.new }).click();
          await field(dialog(page), s.accountForm.code).waitFor();
          await settle(page);
        await shot(page, path.join(shots, `account-new-${tag}.png`), false);
          await axe(page, 'new account form');
        }
        await context.close();
      }
    }
    // The users admin: a dealer's account is picked, not typed.
    const { context, page } = await signedIn('admin@demo.openkam.local', 'en');
    await page.goto('/admin/users');
    await page.getByRole('button', { name: en.users.editNamed.replace('{{name}}', managerName) }).click();
    await field(dialog(page), en.users.name).waitFor();
    await settle(page);
    await shot(page, path.join(shots, 'user-form-en-1440.png'), false);
    await axe(page, 'user form');
    await context.close();
    expect(consoleErrors.filter((e) => !/status of 412/.test(e))).toEqual([]);
  }, 180_000);

  it('shows no editing actions to an executive', async () => {
    const { context, page } = await signedIn('exec@demo.openkam.local', 'en');
    await page.goto(`/accounts/${accountId}?tab=contacts`);
    await page.getByRole('tab', { name: en.account.tabs.contacts }).waitFor();
    await page.getByTestId('contact-card').first().waitFor();
    expect(await page.getByRole('button', { name: en.contactForm.add }).count()).toBe(0);
    expect(await page.getByRole('button', { name: en.accountForm.edit, exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: en.activityForm.log }).count()).toBe(0);
    expect(await page.getByTestId('edit-record').count()).toBe(0);
    await context.close();
  }, 60_000);
});
