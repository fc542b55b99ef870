import { RE2 } from 're2';

/**
 * The native RE2 binding (linear-time matching, no backtracking) and its instance types, which the
 * package's typings only expose through `typeof`.
 */
export { RE2 };
// `prototype` rather than InstanceType: the constructor also inherits RegExp's construct signatures.
export type Re2 = typeof RE2.prototype;
export type Re2Set = typeof RE2.Set.prototype;
