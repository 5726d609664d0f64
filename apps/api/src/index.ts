export * from './app.js';
export * from './auth/auth-strategy.js';
export * from './auth/auth-user.js';
export * from './auth/create-authenticate.js';
export * from './auth/static-token-matcher.js';
export * from './auth/static-token-strategy.js';

export * from './readiness/readiness-check.js';
export * from './readiness/redis-readiness.js';
export * from './readiness/run-readiness-checks.js';
export * from './readiness/storage-readiness.js';
export * from './routes/openapi-document.js';
export * from './routes/route-module.js';
export * from './routes/route-registry.js';
export * from './routes/route-spec.js';
export * from './start-http-server.js';
