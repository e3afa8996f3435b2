import { createHash } from 'crypto';
import { Names, Stack } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';

/** What a singleton's users must share: constructs (by their unique id) and plain values. */
export type SingletonKey = Record<string, IConstruct | IConstruct[] | string | number | boolean | undefined>;

/**
 * The construct of a stack that every user with the same `key` shares; the first creates it.
 * Its id is `prefix` and a hash of the whole key, so users that differ in anything that must
 * match get their own, however long the key. An empty key (nothing to match) keeps `prefix`.
 */
export function stackSingleton<T extends IConstruct>(scope: IConstruct, prefix: string, key: SingletonKey,
  create: (stack: Stack, id: string) => T): T {
  const stack = Stack.of(scope);
  const id = Object.keys(key).length === 0 ? prefix : `${prefix}${hash(key)}`;
  return (stack.node.tryFindChild(id) as T | undefined) ?? create(stack, id);
}

function hash(key: SingletonKey): string {
  const canonical = Object.keys(key).sort().map((name) => [name, identify(key[name])]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 16).toUpperCase();
}

function identify(value: SingletonKey[string]): unknown {
  if (Array.isArray(value)) {
    return value.map((c) => Names.nodeUniqueId(c.node));
  }
  return Construct.isConstruct(value) ? Names.nodeUniqueId(value.node) : value ?? null;
}
