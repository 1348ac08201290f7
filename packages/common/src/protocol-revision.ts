/**
 * The MCP protocol revisions this project speaks: an MCP type, shared by the client, the MCP
 * server and the trace. 2025-11-25 is the default; 2026-07-28 is the newer, stateless revision.
 */
export type ProtocolRevision = '2025-11-25' | '2026-07-28';
