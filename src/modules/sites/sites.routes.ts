import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { accountRecordRoutes, type AccountRecordSpec } from '../../server/account-records.js';
import type { Deps } from '../../server/context.js';
import { CreateSiteBody, Site, SiteKind, UpdateSiteBody } from './sites.contract.js';

type Body = Partial<z.infer<typeof CreateSiteBody>>;

export const siteSpec: AccountRecordSpec<Site, z.infer<typeof CreateSiteBody>, z.infer<typeof UpdateSiteBody>> = {
  table: 'sites', entity: 'site', label: 'Site', path: '/api/v1/sites', tag: 'sites',
  readPolicy: 'site:read', writePolicy: 'site:write',
  item: Site, createBody: CreateSiteBody, updateBody: UpdateSiteBody,
  filters: { kind: SiteKind.optional(), province: z.string().max(50).optional() },
  applyFilters: (q, f) => {
    if (f.kind) q = q.where('sites.kind', '=', f.kind);
    if (f.province) q = q.where('sites.province', '=', f.province);
    return q;
  },
  sorts: { name: 'sites.name', createdAt: 'sites.created_at' },
  defaultSort: 'name',
  searchColumns: ['name', 'address', 'city'],
  toItem: (r) => ({
    id: r.id, accountId: r.account_id, name: r.name as string, kind: r.kind as Site['kind'], address: r.address as string | null,
    city: r.city as string | null, province: r.province as string | null, lat: r.lat as number | null, lng: r.lng as number | null,
    openingHours: r.opening_hours ? (JSON.parse(r.opening_hours as string) as Site['openingHours']) : null,
    createdAt: r.created_at as string, updatedAt: r.updated_at as string, version: r.version,
  }),
  toRow: (b: Body) => {
    const row: Record<string, unknown> = {};
    for (const k of ['name', 'kind', 'address', 'city', 'province', 'lat', 'lng'] as const) if (b[k] !== undefined) row[k] = b[k];
    if (b.openingHours !== undefined) row.opening_hours = b.openingHours === null ? null : JSON.stringify(b.openingHours);
    return row;
  },
};

export const sitesRoutes = (app: FastifyInstance, deps: Deps) => accountRecordRoutes(app, deps, siteSpec);
