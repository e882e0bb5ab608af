/**
 * The dealer home's help section, as a shell: the section itself (its forms, lists and strings in
 * use) loads on demand, so the first visit carries nothing of it but this.
 */
import { lazy, Suspense } from 'react';

const Section = lazy(() => import('./portal-section.js').then((m) => ({ default: m.PortalSection })));

/** "Ask for help", the dealer's requests and its service balances (src/web/pages/home-page.tsx renders it for dealers). */
export function PortalHelp() {
  return <Suspense fallback={null}><Section /></Suspense>;
}
