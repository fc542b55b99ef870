import { createHash } from 'node:crypto';

/** Identifies an org policy text: cached `.aiconfig` results are valid only against the same one. */
export const orgDigest = (text: string): string => createHash('sha256').update(text).digest('base64url');
