// Types for the generated validator modules (scripts/gen-validators.ts).
import type { ErrorObject } from 'ajv/dist/2020.js';

export interface GeneratedValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}
