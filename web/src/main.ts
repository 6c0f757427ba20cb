import { createApp } from 'vue'
import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import './styles.css'
import App from './App.vue'
import { i18n, currentLocale } from './i18n'
import { router } from './router'
import { onUnauthorized } from './api/client'
import { redirectOn401 } from './lib/authRedirect'
import { setMe } from './session'
import { applyElderly } from './elderly'

// A 401 on a page that needs a session (e.g. it expired) goes to the login page and back.
onUnauthorized((status) => {
  const target = redirectOn401(status, router.currentRoute.value)
  if (target) {
    setMe(null)
    void router.replace(target)
  }
})

document.documentElement.lang = currentLocale()
applyElderly()
createApp(App).use(i18n).use(router).use(ElementPlus).mount('#app')
