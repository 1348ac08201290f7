import { describe, expect, it } from 'vitest';
import { cast } from './trace-teaching.ts';

const deviation = /plain http on loopback, the lab's one transport deviation/;

describe('the cast names the lab\'s transport deviation only where it applies', () => {
  it.each([
    ['the lab over http', { server: 'http://localhost:8001/mcp', authorizationServer: 'http://localhost:9000', clientHost: 'http://localhost:3000' }, true],
    ['the lab with --https', { server: 'https://localhost:8001/mcp', authorizationServer: 'https://localhost:9000', clientHost: 'https://localhost:3000' }, false],
    ['an http server on 127.0.0.1, its AS not found yet', { server: 'http://127.0.0.1:8001/mcp' }, true],
    ['someone\'s remote https server', { server: 'https://mcp.example.com/mcp' }, false],
  ])('%s', (_name, urls, named) => {
    expect(cast({ ...urls, userAgent: 'headless' }).some((line) => deviation.test(line))).toBe(named);
  });
});
