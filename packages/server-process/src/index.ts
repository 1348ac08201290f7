/**
 * How each server runs as a process: the HTTP layer every app sits behind (`http-server.ts`:
 * bounded headers, early answers, no stack traces) and the serve entry (`serve-process.ts`:
 * listen, announce, trace to stdout, exit with the parent).
 */
export * from './http-server.ts';
export * from './serve-process.ts';
export { QUIET_PERIOD_MS } from './idle-collection.ts';
