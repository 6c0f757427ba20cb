import { useRouter } from 'vue-router'
import { useI18n } from 'vue-i18n'
import { ElMessage } from 'element-plus'
import { logout } from '../api/auth'
import { setMe } from '../session'
import { useRequest } from './useRequest'

/** Log out (the server deletes the session and clears the cookie), then back to the portal. */
export function useLogout() {
  const router = useRouter()
  const { t } = useI18n()
  return useRequest(
    async () => {
      await logout()
      setMe(null)
      ElMessage.success(t('common.loggedOut'))
      await router.push('/')
    },
    { immediate: false },
  )
}
