import { afterEach, describe, expect, it } from 'vitest';
import { TargetUnderTest } from '../../test-support/target-under-test.js';
import { referenceTarget } from './reference-targets.js';

describe('ReferenceTarget.retireRooms', () => {
  let under: TargetUnderTest | undefined;
  afterEach(async () => {
    await under?.close();
    under = undefined;
  });

  it('drops the retired rooms’ records from the database and leaves the other rooms’ as they were', async () => {
    under = await TargetUnderTest.start('ref-retire', referenceTarget('decoupled').start, [
      { id: 'done', members: ['alice'] },
      { id: 'live', members: ['alice'] },
    ]);
    const alice = under.client('alice', ['done', 'live']);
    await alice.connect();
    const sent = await alice.send('done', 'first');
    await alice.edit('done', sent.message!.id, 'first, edited');
    await alice.send('live', 'second');
    expect(await under.target.snapshot(['done'])).toHaveLength(1);

    await under.target.retireRooms!(['done']);

    expect(await under.target.snapshot(['done'])).toEqual([]);
    const live = await under.target.snapshot(['live']);
    expect(live.map((m) => m.text)).toEqual(['second']);
    // The server goes on in the rooms it still has.
    const next = await alice.send('live', 'third');
    expect(next.message?.seq).toBe(2);
  });
});
