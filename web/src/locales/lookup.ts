// Reading one message out of a locale tree by its dotted key, as vue-i18n does; the tests use it
// to check that keys built at run time name a message.

/** The node at a dotted key (`cases.statuses.closed`), or undefined when the path leaves the tree. */
export function messageAt(tree: object, key: string): unknown {
  return key.split('.').reduce<unknown>((node, k) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[k] : undefined), tree)
}
