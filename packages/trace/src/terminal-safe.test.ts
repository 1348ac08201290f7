import { describe, expect, it } from 'vitest';
import { hasUnsafeCharacters, terminalSafe } from './terminal-safe.ts';

describe('terminalSafe (issue 8 item 1: no value reaches the terminal as a control sequence)', () => {
  it.each([
    ['OSC 52 clipboard write', '\u001b]52;c;ZWNobyBwd25lZA==\u0007', '\\x1b]52;c;ZWNobyBwd25lZA==\\x07'],
    ['OSC 0 window retitle', '\u001b]0;sudo password?\u0007', '\\x1b]0;sudo password?\\x07'],
    ['screen clear and cursor home', '\u001b[2J\u001b[H', '\\x1b[2J\\x1b[H'],
    ['fake line after a newline', 'x\n    ✔ Journey complete', 'x\\x0a    ✔ Journey complete'],
    ['carriage return overwriting the line', 'ok\r✔ fine', 'ok\\x0d✔ fine'],
    ['8-bit CSI (C1)', '\u009b2J', '\\x9b2J'],
    ['8-bit OSC (C1)', '\u009d52;c;eA==\u009c', '\\x9d52;c;eA==\\x9c'],
    ['DEL', 'a\u007fb', 'a\\x7fb'],
    ['NUL', 'a\u0000b', 'a\\x00b'],
    ['bidi override (Trojan Source)', 'evil\u202egpj.exe', 'evil\\u202egpj.exe'],
    ['bidi isolate', '\u2066x\u2069', '\\u2066x\\u2069'],
    ['line separator', 'a\u2028b', 'a\\u2028b'],
  ])('%s is made visible', (_name, input, expected) => {
    expect(hasUnsafeCharacters(input)).toBe(true);
    expect(terminalSafe(input)).toBe(expected);
    expect(hasUnsafeCharacters(terminalSafe(input))).toBe(false);
  });

  it.each([
    ['plain ASCII', 'POST /token → 400 invalid_grant'],
    ['the printer’s own symbols', '→ ← ✔ ✘ … §'],
    ['non-Latin text', 'Zürich, 東京, Москва'],
  ])('%s is left alone', (_name, input) => {
    expect(hasUnsafeCharacters(input)).toBe(false);
    expect(terminalSafe(input)).toBe(input);
  });
});
