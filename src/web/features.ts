import type { ComponentType, ReactNode } from 'react';
import type { Me, Role } from './api/types.js';

/**
 * A feature module's contribution to the web app, discovered from `src/modules/<feature>/web/feature.tsx`
 * (its default export), so feature modules add pages without editing the shell.
 */
export type WebFeature = {
  /** Pages: a path under the app and the component; shown only to the roles listed (all signed-in users when omitted). */
  routes?: { path: string; component: ComponentType; roles?: Role[] }[];
  /** Entries in the main navigation, after the built-in ones; `labelKey` is an i18n key. */
  nav?: { to: string; labelKey: string; icon: ReactNode; roles?: Role[]; order?: number }[];
  /** Tabs on the account page, after the built-in ones. */
  accountTabs?: { value: string; labelKey: string; icon: ReactNode; component: ComponentType<{ accountId: string }>; roles?: Role[] }[];
  /** Icons of the timeline and agenda kinds the module emits (decision 012), by kind. */
  kindIcons?: Record<string, ComponentType<{ size?: number }>>;
};

const modules = import.meta.glob<{ default: WebFeature }>('../modules/*/web/feature.tsx', { eager: true });

/** Every feature module's contribution, in module-name order. */
export const features: WebFeature[] = Object.keys(modules).sort().map((k) => modules[k]!.default);

/** The icon a feature module gave to a timeline or agenda kind, if any. */
export const kindIcon = (kind: string): ComponentType<{ size?: number }> | undefined => features.find((f) => f.kindIcons?.[kind])?.kindIcons?.[kind];

export const allowedFor = (me: Pick<Me, 'role'> | null | undefined, roles?: Role[]): boolean =>
  !!me && (!roles || roles.includes(me.role));
