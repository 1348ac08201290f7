/**
 * Which tools the client calls when the user named none (`pnpm client <url>` without `--call`):
 * only those that are safe to call blind, that is with no arguments and without tasks.
 *
 * - A tool whose input schema requires properties cannot be called with `{}`: the server would
 *   refuse it, and guessing values is not the client's business.
 * - A tool whose `execution.taskSupport` is `"required"` must be called as a task (MCP 2025-11-25
 *   tools, "Tool execution"; the tasks utility); a plain `tools/call` is refused with -32600.
 *   This client does not run tasks, so it says so and moves on instead of failing.
 */
import type { ListedTool } from './mcp-connection.ts';

/** One `tools/call` the client makes: a tool and its arguments. */
export interface ToolCall {
  name: string;
  arguments: Record<string, unknown>;
}

export interface ToolSelection {
  calls: ToolCall[];
  skipped: { name: string; reason: string }[];
}

export function selectDefaultCalls(tools: readonly ListedTool[]): ToolSelection {
  const selection: ToolSelection = { calls: [], skipped: [] };
  for (const tool of tools) {
    if (tool.required.length > 0) {
      selection.skipped.push({ name: tool.name, reason: `needs arguments (${tool.required.join(', ')}); name it with --call and --args` });
    } else if (tool.taskSupport === 'required') {
      selection.skipped.push({ name: tool.name, reason: 'requires task-based execution (execution.taskSupport "required"); this client does not run tasks' });
    } else {
      selection.calls.push({ name: tool.name, arguments: {} });
    }
  }
  return selection;
}
