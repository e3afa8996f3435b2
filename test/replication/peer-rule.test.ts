import { createdFirst, replicationRoleName } from '../../src/replication/private/peer-rule';
import { replicationKeyAlias } from '../../src/replication/private/replication-role';

describe('names both regions compute alike', () => {
  test('the replication role name is deterministic, within IAM\'s 64 characters, and differs per bucket', () => {
    // GIVEN
    const long = `${'a'.repeat(40)}.${'b'.repeat(22)}`;

    // THEN
    expect(long).toHaveLength(63);
    expect(replicationRoleName(long)).toHaveLength(64);
    expect(replicationRoleName(long)).toMatch(/^[\w+=,.@-]+$/);
    expect(replicationRoleName('acme-orders')).toEqual(replicationRoleName('acme-orders'));
    expect(replicationRoleName(`${'a'.repeat(40)}-x`)).not.toEqual(replicationRoleName(`${'a'.repeat(40)}-y`));
  });

  test('exactly one bucket of a pair is created first, whichever side asks', () => {
    expect([createdFirst('a-east', 'b-west'), createdFirst('b-west', 'a-east')]).toEqual([true, false]);
  });

  test('the key alias takes the bucket name with dots as hyphens (aliases take no dots)', () => {
    expect(replicationKeyAlias('acme.orders-1')).toEqual('alias/s3-replication/acme-orders-1');
  });
});
