/**
 * The in-process failure limits (docs/decisions.md, "Failed authentications are rate limited"):
 * the fixed-window counter, the source of an address (IPv6 by /64), the two budgets of client
 * authentication, and budgets shared between the processes of KEYWAY_WORKERS through a failure
 * channel.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { ClientAuthLimits, SOURCE_BUDGET_FACTOR } from '../../../src/adapters/rate-limit/client-auth-limits.js';
import type { FailureChannel } from '../../../src/adapters/rate-limit/failure-channel.js';
import { FixedWindowCounter } from '../../../src/adapters/rate-limit/fixed-window.js';
import { ManagementAuthLimits } from '../../../src/adapters/rate-limit/management-auth-limits.js';
import { sourceOf } from '../../../src/adapters/rate-limit/source-address.js';

/** A clock the test moves. */
function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

/**
 * Channels of `count` processes, joined as the primary joins workers: what one sends reaches each
 * other one (at once here), and never comes back to the sender. `sent` records every send.
 */
function processes(count: number) {
  const sent: Array<{ from: number; counter: string; key: string }> = [];
  const receivers = Array.from({ length: count }, () => new Map<string, (key: string) => void>());
  const channels: FailureChannel[] = receivers.map((mine, from) => ({
    send: (counter, key) => {
      sent.push({ from, counter, key });
      receivers.forEach((theirs, to) => to !== from && theirs.get(counter)?.(key));
    },
    listen: (counter, receive) => void mine.set(counter, receive),
  }));
  return { channels, sent };
}

describe('FixedWindowCounter', () => {
  test('a key may fail `limit` times; then it waits until the window its first failure opened ends', () => {
    const c = clock();
    const counter = new FixedWindowCounter({ limit: 3, windowMs: 60_000, now: c.now });
    assert.equal(counter.waitMs('k'), 0);
    assert.equal(counter.fail('k'), false);
    c.advance(10_000);
    assert.equal(counter.fail('k'), false);
    assert.equal(counter.waitMs('k'), 0, 'two of three failures: still allowed');
    assert.equal(counter.fail('k'), true, 'the third failure spends the budget, and says so');
    assert.equal(counter.waitMs('k'), 50_000);
    assert.equal(counter.waitSeconds('k'), 50);
    c.advance(49_500);
    assert.equal(counter.waitSeconds('k'), 1, 'rounded up: a client told to wait never comes back early');
    assert.equal(counter.fail('k'), false, 'says so only once per window');
    c.advance(500);
    assert.equal(counter.waitMs('k'), 0, 'the window ended');
    assert.equal(counter.fail('k'), false, 'a new window starts with one failure');
    assert.equal(counter.waitMs('k'), 0);
  });

  test('keys are counted apart, and asking writes nothing', () => {
    const c = clock();
    const counter = new FixedWindowCounter({ limit: 1, windowMs: 1_000, now: c.now });
    for (let i = 0; i < 100; i++) assert.equal(counter.waitMs(`asked-${i}`), 0);
    assert.equal(counter.size, 0);
    assert.equal(counter.fail('a'), true);
    assert.ok(counter.waitMs('a') > 0);
    assert.equal(counter.waitMs('b'), 0);
  });

  test('memory is capped: expired entries go first, then the oldest live one', () => {
    const c = clock();
    const counter = new FixedWindowCounter({ limit: 1, windowMs: 1_000, maxEntries: 3, now: c.now });
    counter.fail('a');
    c.advance(600);
    counter.fail('b');
    counter.fail('c');
    assert.equal(counter.size, 3);
    c.advance(500); // a's window (opened at 0) has ended; b's and c's (600) have not
    counter.fail('d');
    assert.equal(counter.size, 3);
    assert.ok(counter.waitMs('b') > 0 && counter.waitMs('c') > 0 && counter.waitMs('d') > 0);
    counter.fail('e'); // full of live entries: the oldest (b) is evicted, the limit fails open for it
    assert.equal(counter.size, 3);
    assert.equal(counter.waitMs('b'), 0);
    assert.ok(counter.waitMs('c') > 0 && counter.waitMs('e') > 0);
  });

  test('a flood of distinct keys never holds more than maxEntries', () => {
    const c = clock();
    const counter = new FixedWindowCounter({ limit: 5, windowMs: 60_000, maxEntries: 1_000, now: c.now });
    for (let i = 0; i < 20_000; i++) counter.fail(`k${i}`);
    assert.equal(counter.size, 1_000);
  });

  test('a renewed window moves its key to the back of the eviction order', () => {
    const c = clock(0);
    const counter = new FixedWindowCounter({ limit: 1, windowMs: 1_000, maxEntries: 2, now: c.now });
    counter.fail('a');
    c.advance(500);
    counter.fail('b');
    c.advance(500); // a's window ended, b's has not
    counter.fail('a'); // a opens a new window, behind b
    c.advance(100);
    counter.fail('c'); // full: the oldest window goes, which is now b's
    assert.equal(counter.waitMs('b'), 0);
    assert.ok(counter.waitMs('a') > 0, 'a, renewed, was kept');
    assert.ok(counter.waitMs('c') > 0);
  });
});

describe('sourceOf: the key of a peer address', () => {
  test('an IPv4 address is itself, also when a dual-stack socket reports it as ::ffff:a.b.c.d', () => {
    assert.equal(sourceOf('192.0.2.7'), '192.0.2.7');
    assert.equal(sourceOf('::ffff:192.0.2.7'), '192.0.2.7');
    assert.equal(sourceOf('::FFFF:192.0.2.7'), '192.0.2.7');
  });

  test('IPv6 addresses count by their /64 prefix (RFC 4291 §2.5.4), whatever their written form', () => {
    const a = sourceOf('2001:db8:1:2:aaaa:bbbb:cccc:dddd');
    assert.equal(a, '2001:0db8:0001:0002::/64');
    assert.equal(sourceOf('2001:db8:1:2::1'), a);
    assert.equal(sourceOf('2001:0DB8:0001:0002:0:0:0:ffff'), a);
    assert.notEqual(sourceOf('2001:db8:1:3::1'), a, 'the next /64 is another source');
    assert.equal(sourceOf('::1'), '0000:0000:0000:0000::/64');
  });

  test('anything else is kept as it is', () => {
    assert.equal(sourceOf('unknown'), 'unknown');
  });
});

describe('FixedWindowCounter shared through a failure channel (KEYWAY_WORKERS)', () => {
  test("a key's budget is one across the processes: failures counted by either spend it, and both refuse after", () => {
    const c = clock();
    const { channels, sent } = processes(2);
    const [a, b] = channels.map((channel) => new FixedWindowCounter({ limit: 3, now: c.now, shared: { channel, name: 'test' } })) as [FixedWindowCounter, FixedWindowCounter];
    assert.equal(a.fail('k'), false);
    assert.equal(b.fail('k'), false);
    assert.equal(a.waitSeconds('k'), 0);
    assert.equal(a.fail('k'), true, 'the third failure, at either process, uses the last of the budget');
    assert.equal(a.waitSeconds('k'), 60);
    assert.equal(b.waitSeconds('k'), 60, 'the other process refuses too');
    assert.equal(b.waitSeconds('other'), 0);
    assert.deepEqual(sent, [{ from: 0, counter: 'test', key: 'k' }, { from: 1, counter: 'test', key: 'k' }, { from: 0, counter: 'test', key: 'k' }], 'each failure is sent once, by the process that saw it; a received one is not sent again');
    c.advance(60_000);
    assert.equal(b.waitSeconds('k'), 0, 'the window ends alike');
  });

  test('counters of another name are not touched', () => {
    const c = clock();
    const { channels } = processes(2);
    const a = new FixedWindowCounter({ limit: 1, now: c.now, shared: { channel: channels[0] as FailureChannel, name: 'one' } });
    const b = new FixedWindowCounter({ limit: 1, now: c.now, shared: { channel: channels[1] as FailureChannel, name: 'two' } });
    a.fail('k');
    assert.equal(b.waitSeconds('k'), 0);
    assert.equal(b.size, 0);
  });

  test('ClientAuthLimits and ManagementAuthLimits share each of their budgets through the channel', () => {
    const c = clock();
    const { channels } = processes(3);
    const clients = channels.map((channel) => new ClientAuthLimits({ perClient: 2, now: c.now, channel }));
    const [first, second, third] = clients.map((limits) => limits.forRequest('env', '198.51.100.7'));
    first?.failed('victim');
    assert.deepEqual(second?.failed('victim'), { source: '198.51.100.7', limit: 2, windowSeconds: 60 });
    assert.equal(third?.waitSeconds('victim'), 60, 'the client budget');
    for (let i = 0; i < 2 * SOURCE_BUDGET_FACTOR - 2; i++) first?.failed(`sprayed-${i}`);
    assert.equal(third?.waitSeconds(), 60, 'the source budget');

    const management = channels.map((channel) => new ManagementAuthLimits({ perSource: 2, now: c.now, channel }));
    management[0]?.failed('203.0.113.9');
    management[1]?.failed('203.0.113.9');
    assert.equal(management[2]?.waitSeconds('203.0.113.9'), 60);
  });
});

describe('ClientAuthLimits', () => {
  const ENV_A = '11111111-1111-4111-8111-111111111111';
  const ENV_B = '22222222-2222-4222-8222-222222222222';

  test('a client is limited per source: failing as it from one address leaves other addresses, clients and environments alone', () => {
    const c = clock();
    const limits = new ClientAuthLimits({ perClient: 3, now: c.now });
    const attacker = limits.forRequest(ENV_A, '198.51.100.1');
    assert.equal(attacker.failed('victim'), undefined);
    assert.equal(attacker.failed('victim'), undefined);
    assert.deepEqual(attacker.failed('victim'), { source: '198.51.100.1', limit: 3, windowSeconds: 60 });
    assert.equal(attacker.waitSeconds('victim'), 60);
    assert.equal(attacker.waitSeconds(), 0, 'the source as a whole is under its larger budget');
    assert.equal(attacker.waitSeconds('other-client'), 0);
    assert.equal(limits.forRequest(ENV_A, '198.51.100.2').waitSeconds('victim'), 0, 'the victim from its own address');
    assert.equal(limits.forRequest(ENV_B, '198.51.100.1').waitSeconds('victim'), 0, 'the same id in another environment');
    c.advance(60_000);
    assert.equal(attacker.waitSeconds('victim'), 0, 'the window ended');
  });

  test(`one source spraying client ids is limited at ${SOURCE_BUDGET_FACTOR} times the client budget, in its environment only`, () => {
    const c = clock();
    const limits = new ClientAuthLimits({ perClient: 2, now: c.now });
    const sprayer = limits.forRequest(ENV_A, '2001:db8:0:1::1');
    for (let i = 0; i < 2 * SOURCE_BUDGET_FACTOR; i++) {
      assert.equal(sprayer.waitSeconds(), 0, `failure ${i}`);
      sprayer.failed(`random-${i}`);
    }
    assert.equal(sprayer.waitSeconds(), 60);
    assert.equal(limits.forRequest(ENV_A, '2001:db8:0:1::ffff').waitSeconds(), 60, 'the same /64');
    assert.equal(limits.forRequest(ENV_A, '2001:db8:0:2::1').waitSeconds(), 0, 'another /64');
    assert.equal(limits.forRequest(ENV_B, '2001:db8:0:1::1').waitSeconds(), 0, 'another environment');
  });

  test('failures that name no client count against the source only', () => {
    const c = clock();
    const limits = new ClientAuthLimits({ perClient: 1, now: c.now });
    const source = limits.forRequest(ENV_A, '192.0.2.1');
    for (let i = 0; i < SOURCE_BUDGET_FACTOR; i++) assert.equal(source.failed(undefined), undefined);
    assert.ok(source.waitSeconds() > 0);
    assert.equal(source.waitSeconds('any'), 0);
  });

  test('long client ids are cut in the key, so entries stay small', () => {
    const c = clock();
    const limits = new ClientAuthLimits({ perClient: 1, now: c.now });
    const source = limits.forRequest(ENV_A, '192.0.2.1');
    source.failed(`${'x'.repeat(64)}${'y'.repeat(10_000)}`);
    assert.ok(source.waitSeconds(`${'x'.repeat(64)}z`) > 0);
  });
});

describe('ManagementAuthLimits', () => {
  test('failed tokens count per source address', () => {
    const c = clock();
    const limits = new ManagementAuthLimits({ perSource: 2, now: c.now });
    limits.failed('203.0.113.5');
    assert.equal(limits.waitSeconds('203.0.113.5'), 0);
    limits.failed('::ffff:203.0.113.5');
    assert.equal(limits.waitSeconds('203.0.113.5'), 60);
    assert.equal(limits.waitSeconds('203.0.113.6'), 0);
    c.advance(60_000);
    assert.equal(limits.waitSeconds('203.0.113.5'), 0);
  });
});
