// The web app shares the server's Zod contracts as types only, so no schema code ships to the browser.
export type { Account } from '../../modules/accounts/accounts.contract.js';
export type { Activity } from '../../modules/activities/activities.contract.js';
export type { AuditEntry } from '../../modules/audit/audit.contract.js';
export type { Me } from '../../modules/auth/auth.contract.js';
export type { Contact } from '../../modules/contacts/contacts.contract.js';
export type { Home, HomeAccount, HomeActivity, HomeBirthday, PublicConfig } from '../../modules/home/home.contract.js';
export type { Site } from '../../modules/sites/sites.contract.js';
export type { Team, User } from '../../modules/users/users.contract.js';

export type Page<T> = { items: T[]; nextCursor: string | null };
export type Territory = { id: string; code: string; name: string; nameZh: string };
export type ApiToken = { id: string; name: string; prefix: string; scope: 'read' | 'read-write'; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };
export type Role = 'admin' | 'director' | 'manager' | 'logistics' | 'executive' | 'service' | 'dealer';
export type Locale = 'en' | 'zh-CN';
