/**
 * A client on a raw loopback socket that writes its whole request before it reads anything (a
 * slow or write-first client): the request head, then `bytes` of body in 64 KiB chunks, a few
 * per tick. For the tests that check an early answer reaches a client still sending its body.
 */
import net from 'node:net';

export interface RawExchange {
  /** Everything the server sent, as text. */
  received: string;
  /** A socket error the client saw (EPIPE, ECONNRESET), if any. */
  error?: string;
  /** Whether the server ended the connection (FIN) on its own. */
  endedByServer: boolean;
}

export interface SendSlowlyOptions {
  /** Body bytes after the head (default 0). */
  bytes?: number;
  /** Frame the body as chunked transfer coding, and end it with the last chunk. */
  chunked?: boolean;
  /** Written after the body instead of ending the connection (a second request, pipelined). */
  then?: string;
  /** Chunks written per tick (default 4), and the pause between ticks (default 5 ms). */
  chunksPerTick?: number;
  tickMs?: number;
}

export function sendSlowly(port: number, head: string, options: SendSlowlyOptions = {}): Promise<RawExchange> {
  const { bytes = 0, chunked = false, then = '', chunksPerTick = 4, tickMs = 5 } = options;
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const result: RawExchange = { received: '', endedByServer: false };
    socket.on('data', (data) => (result.received += data.toString('latin1')));
    socket.on('end', () => (result.endedByServer = true));
    socket.on('error', (error: NodeJS.ErrnoException) => (result.error ??= error.code));
    socket.on('close', () => resolve(result));
    socket.setTimeout(15_000, () => socket.destroy());
    socket.write(head);
    const full = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      for (let i = 0; i < chunksPerTick && sent < bytes; i++) {
        const chunk = full.subarray(0, Math.min(full.length, bytes - sent));
        sent += chunk.length;
        socket.write(chunked ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]) : chunk);
      }
      if (sent < bytes) setTimeout(pump, tickMs);
      else if (then) socket.write(then);
      else socket.end(chunked ? '0\r\n\r\n' : '');
    };
    pump();
  });
}
