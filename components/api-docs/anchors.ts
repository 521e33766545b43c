/** The anchor of an error code's row in the one error table, on /api-docs (client-safe: no imports). */
export const errorAnchor = (code: string) => `error-${code}`;
