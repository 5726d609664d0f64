/** Headers of answers that must never be cached (health, readiness, redirects to expiring URLs). */
export const NO_STORE: Readonly<Record<string, string>> = { 'Cache-Control': 'no-store' };
