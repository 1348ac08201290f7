/**
 * Why the client stopped. Every failure of the journey names what the client expected and
 * what came back, so the trace's last line is a diagnosis rather than a stack trace.
 */
import { JsonObjectError, parseJsonObject, type JsonObject } from '@mcp-auth-demo/common';

export class StepFailure extends Error {
  override readonly name = 'StepFailure';
  constructor(
    /** What the spec (or the client) needed at this point. */
    readonly expected: string,
    /** What the server actually did. */
    readonly received: string,
  ) {
    super(`expected ${expected}; received ${received}`);
  }
}

/** Describes a non-success HTTP response in one line for a `StepFailure`. */
export async function describeResponse(response: Response): Promise<string> {
  let detail = '';
  try {
    const text = (await response.text()).trim();
    // Printable only: a hostile server's error body must not put control characters in the message.
    detail = text ? `: ${JSON.stringify(text.slice(0, 200))}` : '';
  } catch (error) {
    // The body could not be read (or was over the bound); the status says enough.
    if (error instanceof StepFailure) detail = ` (body not shown: ${error.received})`;
  }
  return `HTTP ${response.status} from ${response.url || 'the server'}${detail}`;
}

/** Reads a JSON object body or fails the step saying what came instead. */
export async function readJsonObject(response: Response, what: string): Promise<JsonObject> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    // A body over the size or time bound (bounded-fetch.ts) says so itself.
    if (error instanceof StepFailure) throw error;
    throw new StepFailure(`${what} as a JSON object`, `a body that could not be read (HTTP ${response.status})`);
  }
  try {
    return parseJsonObject(text);
  } catch (error) {
    if (!(error instanceof JsonObjectError)) throw error;
    throw new StepFailure(
      `${what} as a JSON object`,
      error.found === 'not JSON' ? `a body that is not JSON (HTTP ${response.status})` : `JSON ${error.found}`,
    );
  }
}
