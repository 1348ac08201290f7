/**
 * Preloaded (`node --import`) into the third-party servers of the interop tests, which this
 * project did not write and does not patch: every `listen` binds the IPv4 loopback only (tests
 * talk to loopback only), and a port the server hard-codes is moved to one the test picked
 * (`INTEROP_PORT_MAP="3000=54321,3001=54322"`), so no fixed port is ever needed.
 */
import net from 'node:net';

const moved = new Map(
  (process.env.INTEROP_PORT_MAP ?? '').split(',').filter(Boolean).map((pair) => pair.split('=').map(Number)),
);
const listen = net.Server.prototype.listen;

net.Server.prototype.listen = function (...args) {
  const [first, ...rest] = args;
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof rest[0] === 'string') rest.shift(); // the server's own host: replaced by loopback
    return listen.call(this, moved.get(Number(first)) ?? Number(first), '127.0.0.1', ...rest);
  }
  if (first !== null && typeof first === 'object' && 'port' in first) {
    return listen.call(this, { ...first, port: moved.get(Number(first.port)) ?? first.port, host: '127.0.0.1' }, ...rest);
  }
  return listen.apply(this, args);
};
