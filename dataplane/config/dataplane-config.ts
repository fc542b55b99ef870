import type { TrustedKey } from '../../policy/verify-bundle.ts';

/** Where bundles come from. `local` compiles an org policy in-process (unsigned, local trust). */
export type BundleSourceConfig =
  | { readonly kind: 'file'; readonly file: string; readonly pollMs: number; readonly trustedKeys: readonly TrustedKey[] }
  | { readonly kind: 'url'; readonly url: string; readonly pollMs: number; readonly trustedKeys: readonly TrustedKey[]; readonly authToken: string | undefined }
  | { readonly kind: 'local'; readonly orgPolicy: string; readonly aiconfigs: string | undefined; readonly pollMs: number };

/** The validated, resolved proxy configuration (schemas/dataplane-config.schema.json). */
export interface DataplaneConfig {
  readonly listen: { readonly host: string; readonly port: number };
  readonly tls: { readonly certFile: string; readonly keyFile: string } | undefined;
  readonly gitlab: { readonly url: string; readonly timeoutMs: number; readonly caFile: string | undefined };
  readonly bundle: BundleSourceConfig;
  readonly stateDir: string;
  readonly audit: { readonly dir: string; readonly flushMs: number; readonly fsync: boolean };
  readonly cache: { readonly tokenTtlMs: number; readonly tokenNegativeTtlMs: number; readonly projectTtlMs: number };
  readonly context: { readonly maxFileSize: number };
}
