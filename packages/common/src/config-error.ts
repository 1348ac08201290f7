/**
 * The one error for an invalid configuration, in every party: thrown while an app is built
 * (each factory, such as `createAuthorizationServer(config)`, validates before it serves
 * anything), never while serving a request. A server process ends on it with its message and
 * `EXIT_INVALID_CONFIG` (see serve-process.ts).
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Exit code of a server process whose configuration is invalid (2, like a usage error). */
export const EXIT_INVALID_CONFIG = 2;
