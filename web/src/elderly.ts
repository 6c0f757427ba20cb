// 适老化 mode: larger text and higher contrast across the whole site, one switch in the header,
// remembered in this browser. It is a class on <html>; styles.css raises the font sizes and
// deepens the colours through CSS variables under that class.
import { readonly, ref } from 'vue'

export const ELDERLY_CLASS = 'ow-elderly'
const STORAGE_KEY = 'ow.elderly'

/** The remembered choice: on only when it was switched on before. */
export function initialElderly(storage: Pick<Storage, 'getItem'> | undefined): boolean {
  return storage?.getItem(STORAGE_KEY) === '1'
}

const on = ref(initialElderly(typeof localStorage === 'undefined' ? undefined : localStorage))
export const elderly = readonly(on)

/** Puts the class on <html> (or takes it off) to match the choice. */
export function applyElderly(root: Element = document.documentElement) {
  root.classList.toggle(ELDERLY_CLASS, on.value)
}

export function setElderly(value: boolean) {
  on.value = value
  try {
    if (value) localStorage.setItem(STORAGE_KEY, '1')
    else localStorage.removeItem(STORAGE_KEY)
  } catch {
    // Private mode or storage disabled: the choice lasts for this page only.
  }
  applyElderly()
}
