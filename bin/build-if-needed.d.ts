/** Compiles TypeScript into dist/ when dist/ is missing or older than the sources. */
export function buildIfNeeded(): void;
