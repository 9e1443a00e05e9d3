import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { windowClosesAt } from './whatsapp-window.js';

describe('windowClosesAt', () => {
  it('closes 24 hours after the last message, and is shut for someone who never wrote', () => {
    assert.equal(windowClosesAt(new Date('2026-11-21T09:00:00Z'))?.toISOString(), '2026-11-22T09:00:00.000Z');
    assert.equal(windowClosesAt(null), null);
  });
});
