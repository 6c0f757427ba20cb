// Links within a page that keeps its place in the URL hash (the API reference): following one
// adds a history entry (so Back returns), and the page opens and scrolls to what it names.
import { useRoute, useRouter } from 'vue-router'

/** Scrolls the element with this id to the top of the window (its CSS scroll-margin-top applies). */
export function scrollToId(id: string) {
  document.getElementById(id)?.scrollIntoView({ block: 'start' })
}

/** Goes to `#id` on this page, keeping the query; already there, it scrolls back to it. */
export function useHashLink() {
  const route = useRoute()
  const router = useRouter()
  return (id: string) => {
    if (route.hash === `#${id}`) scrollToId(id)
    else void router.push({ query: route.query, hash: `#${id}` })
  }
}
