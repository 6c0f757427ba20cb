// Whether the window is phone-narrow (below 768 px, the breakpoint of every `@media` rule for
// phones). Parts whose markup differs on a phone use it (tables that become stacked cards);
// plain layout changes stay in CSS.
import { readonly, ref, type Ref } from 'vue'

export const PHONE_QUERY = '(max-width: 767.98px)'
/**
 * Below this the header's navigation and switches fold into its menu button: the full bar (five
 * links, an account name, both switches) needs about 1050 px in English, so tablets get the menu too.
 */
export const HEADER_MENU_QUERY = '(max-width: 1099.98px)'

const shared = new Map<string, Ref<boolean>>()

/** Whether `query` matches now; one listener per query for the whole app, set up on first use. */
export function useMedia(query: string): Readonly<Ref<boolean>> {
  let matches = shared.get(query)
  if (!matches) {
    const list = window.matchMedia(query)
    const m = ref(list.matches)
    list.addEventListener('change', (e) => {
      m.value = e.matches
    })
    shared.set(query, m)
    matches = m
  }
  return readonly(matches)
}

export function useNarrow(): Readonly<Ref<boolean>> {
  return useMedia(PHONE_QUERY)
}
