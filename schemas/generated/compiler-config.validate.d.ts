import type { GeneratedValidator } from './validators.d.ts';

export declare const validateCompilerConfig: GeneratedValidator;
