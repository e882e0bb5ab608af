import { v7 } from 'uuid';

/** A new UUIDv7 (time-ordered) as text: every record id in OpenKAM. */
export const newId = (): string => v7();
