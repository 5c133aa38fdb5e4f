/**
 * Failure limits shared between instances on one database (src/adapters/rate-limit/
 * broadcast-failures.ts), over a store broadcast simulated in memory: what one instance sends
 * reaches every other one and never comes back to the sender, as PostgresStore.openBroadcast
 * delivers it.
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { broadcastFailureChannel, FLUSH_MS, MAX_MESSAGES_PER_FLUSH, MAX_PENDING } from '../../../src/adapters/rate-limit/broadcast-failures.js';
import { FixedWindowCounter } from '../../../src/adapters/rate-limit/fixed-window.js';
import type { Broadcast } from '../../../src/store/types.js';

/** `count` instances on one in-memory broadcast; `messages` records every message sent, by sender. */
function instances(count: number) {
  const messages: Array<{ from: number; message: string }> = [];
  const receivers: Array<(message: string) => void> = [];
  let closed = 0;
  const channels = Array.from({ length: count }, (_, from) =>
    broadcastFailureChannel((receive): Broadcast => {
      receivers[from] = receive;
      return {
        send: (message) => {
          messages.push({ from, message });
          receivers.forEach((deliver, to) => to !== from && deliver(message));
        },
        close: async () => void (closed += 1),
      };
    }),
  );
  return { channels, messages, receivers, closed: () => closed };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, FLUSH_MS * 4));

describe('failure limits shared over the store broadcast', () => {
  test('a failure counted at one instance is counted at the others, once, and not again at its own', async () => {
    const { channels } = instances(3);
    const now = () => 1_000_000;
    const counters = channels.map((channel) => new FixedWindowCounter({ limit: 3, now, shared: { channel, name: 'client-auth.client' } }));
    counters[0]!.fail('env 10.0.0.1 app');
    counters[1]!.fail('env 10.0.0.1 app');
    await settle();
    for (const counter of counters) assert.equal(counter.waitMs('env 10.0.0.1 app'), 0, 'two failures of three: counted once each');
    counters[2]!.fail('env 10.0.0.1 app');
    await settle();
    for (const counter of counters) assert.ok(counter.waitMs('env 10.0.0.1 app') > 0, 'three failures in all: the budget is spent everywhere');
    assert.equal(counters[0]!.waitMs('env 10.0.0.1 other-app'), 0);
  });

  test('counters of different names stay apart', async () => {
    const { channels } = instances(2);
    const now = () => 1_000_000;
    const [client, source] = [{ name: 'client-auth.client', limit: 1 }, { name: 'client-auth.source', limit: 1 }].map(({ name, limit }) =>
      channels.map((channel) => new FixedWindowCounter({ limit, now, shared: { channel, name } })),
    );
    client![0]!.fail('k');
    await settle();
    assert.ok(client![1]!.waitMs('k') > 0);
    assert.equal(source![1]!.waitMs('k'), 0);
  });

  test(`the failures of one flush travel in one message, at most ${MAX_MESSAGES_PER_FLUSH} messages a flush, ${MAX_PENDING} waiting at most`, async () => {
    const { channels, messages } = instances(2);
    const heard: string[] = [];
    channels[1]!.listen('c', (key) => heard.push(key));
    for (let i = 0; i < 3; i++) channels[0]!.send('c', `key-${i}`);
    await settle();
    assert.equal(messages.length, 1, 'one message for three failures');
    assert.deepEqual(heard, ['key-0', 'key-1', 'key-2']);

    messages.length = 0;
    heard.length = 0;
    const long = 'k'.repeat(500);
    for (let i = 0; i < MAX_PENDING + 50; i++) channels[0]!.send('c', `${i} ${long}`);
    // Checked at once: a wait shorter than the flush would fail whenever a busy machine held the
    // sending loop past it.
    assert.equal(messages.length, 0, 'nothing is sent before the flush');
    await settle();
    const sentSoFar = messages.length;
    assert.ok(sentSoFar >= 1 && sentSoFar <= MAX_MESSAGES_PER_FLUSH * 4, `bounded per flush: ${sentSoFar}`);
    for (let i = 0; i < 200 && heard.length < MAX_PENDING; i++) await settle();
    assert.equal(heard.length, MAX_PENDING, 'what was past the bound was not announced');
    assert.deepEqual(heard.slice(0, 2), [`0 ${long}`, `1 ${long}`], 'in order');
  });

  test('what is not a list of (counter, key) pairs, or is too long, is ignored', async () => {
    const { channels, receivers } = instances(2);
    const heard: string[] = [];
    channels[1]!.listen('c', (key) => heard.push(key));
    for (const bad of ['not json', '{}', '[["c"]]', '[["c", 7]]', `[["c", "${'k'.repeat(600)}"]]`, `[["${'c'.repeat(70)}", "k"]]`]) receivers[1]!(bad);
    receivers[1]!('[["c", "ok"], ["c"], ["other", "x"]]');
    assert.deepEqual(heard, ['ok']);
    channels[0]!.send('c', 'k'.repeat(600));
    await settle();
    assert.deepEqual(heard, ['ok'], 'a key longer than any real one is not sent');
  });

  test('the listening connection is reported: its loss, and its return at the same level', () => {
    const lines: string[] = [];
    let events: { listening(): void; lost(reason: string): void } | undefined;
    broadcastFailureChannel(
      (_receive, e) => {
        events = e;
        return { send: () => {}, close: async () => {} };
      },
      { info: (msg) => void lines.push(`info ${msg}`), warn: (fields, msg) => void lines.push(`warn ${msg} ${JSON.stringify(fields)}`) },
    );
    events!.listening();
    events!.lost('connection ended');
    events!.listening();
    assert.deepEqual(lines, [
      'info failure broadcast listening',
      'warn failure broadcast lost its connection; failures at other instances are not counted here until it reconnects {"reason":"connection ended"}',
      'warn failure broadcast listening again {}',
    ]);
  });

  test('closing stops what waits and closes the broadcast', async () => {
    const { channels, messages, closed } = instances(1);
    channels[0]!.send('c', 'k');
    await channels[0]!.close();
    await settle();
    assert.equal(messages.length, 0);
    assert.equal(closed(), 1);
  });
});
