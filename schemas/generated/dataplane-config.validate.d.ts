import type { GeneratedValidator } from './validators.d.ts';

export declare const validateDataplaneConfig: GeneratedValidator;
