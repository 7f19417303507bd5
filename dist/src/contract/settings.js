/**
 * Each messaging transport's settings as its adapter receives them: parsed, defaulted
 * and checked once, when the scenario is loaded (src/scenario/schema.ts builds these
 * types from the scenario file and a compile-time check keeps the two in step).
 * Adapters read them as they are and never parse them again. Types only.
 */
export {};
//# sourceMappingURL=settings.js.map