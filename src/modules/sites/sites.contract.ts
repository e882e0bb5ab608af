import { z } from 'zod';

export const SiteKind = z.enum(['warehouse', 'store', 'office', 'yard']);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
const weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
/** Opening hours per weekday, each a list of [open, close] local times; a missing day is closed. */
export const OpeningHours = z.partialRecord(weekday, z.array(z.tuple([hhmm, hhmm])).max(4));
export type OpeningHours = z.infer<typeof OpeningHours>;

export const Site = z.object({
  id: z.string(),
  accountId: z.string(),
  name: z.string(),
  kind: SiteKind,
  address: z.string().nullable(),
  city: z.string().nullable(),
  province: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  openingHours: OpeningHours.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Site = z.infer<typeof Site>;

const fields = {
  name: z.string().trim().min(1).max(120),
  kind: SiteKind,
  address: z.string().trim().max(300).nullable(),
  city: z.string().trim().max(80).nullable(),
  province: z.string().trim().max(50).nullable(),
  lat: z.number().min(-90).max(90).nullable(),
  lng: z.number().min(-180).max(180).nullable(),
  openingHours: OpeningHours.nullable(),
};
export const CreateSiteBody = z.strictObject({
  accountId: z.string().uuid(),
  ...fields,
  address: fields.address.default(null),
  city: fields.city.default(null),
  province: fields.province.default(null),
  lat: fields.lat.default(null),
  lng: fields.lng.default(null),
  openingHours: fields.openingHours.default(null),
});
export const UpdateSiteBody = z.strictObject(fields).partial();
