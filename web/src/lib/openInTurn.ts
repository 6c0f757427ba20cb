// "Open in turn" (依次办理): the inbox's selected cases, opened one after another. It is only the
// reader's own working list, kept for the browser tab; who answers for a step is its assignment
// (指派, on the server), which this does not change.
import { ref } from 'vue'

const KEY = 'ow.openInTurn'

function load(): string[] {
  try {
    const v = JSON.parse(sessionStorage.getItem(KEY) ?? '[]')
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
  } catch {
    return []
  }
}

export const queue = ref<string[]>(typeof sessionStorage === 'undefined' ? [] : load())

export function setQueue(numbers: string[]) {
  queue.value = [...new Set(numbers)]
  try {
    sessionStorage.setItem(KEY, JSON.stringify(queue.value))
  } catch {
    // storage disabled: the list lasts for this page only
  }
}

/** The case after `current` in the list, if `current` is in it and not the last. */
export function nextAfter(list: readonly string[], current: string): string | undefined {
  const i = list.indexOf(current)
  return i >= 0 ? list[i + 1] : undefined
}

/** 1-based position of `current` in the list, or 0. */
export function positionOf(list: readonly string[], current: string): number {
  return list.indexOf(current) + 1
}
