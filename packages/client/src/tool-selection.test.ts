import { describe, expect, it } from 'vitest';
import { selectDefaultCalls } from './tool-selection.ts';

describe('the default tool selection calls only tools safe to call blind', () => {
  const tools = [
    { name: 'whoami', required: [], taskSupport: 'forbidden' },
    { name: 'greet', required: ['name'], taskSupport: 'forbidden' },
    { name: 'collect-user-info-task', required: [], taskSupport: 'required' },
    { name: 'maybe-task', required: [], taskSupport: 'optional' },
  ];

  it('calls tools with no required arguments whose tasks are not required, with {}', () => {
    expect(selectDefaultCalls(tools).calls).toEqual([
      { name: 'whoami', arguments: {} },
      { name: 'maybe-task', arguments: {} },
    ]);
  });

  it.each([
    ['greet', /needs arguments \(name\)/],
    ['collect-user-info-task', /execution\.taskSupport "required"/],
  ])('skips %s with its reason', (name, reason) => {
    const skipped = selectDefaultCalls(tools).skipped.find((s) => s.name === name);
    expect(skipped?.reason).toMatch(reason);
  });
});
