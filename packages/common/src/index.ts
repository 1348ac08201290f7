export * from './oauth-error.ts';
export * from './trace.ts';
export * from './defaults.ts';
export * from './loopback.ts';
export * from './serve-process.ts';
export * from './trace-printer.ts';
export * from './trace-writer.ts';
export * from './well-known.ts';
