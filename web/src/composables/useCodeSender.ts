// Sending a verification code to a phone, and the minute before another may be asked for: the
// server refuses a second code within it (code_too_soon), so the button counts it down.
import { computed, onBeforeUnmount, ref } from 'vue'
import { sendVerificationCode } from '../api/auth'
import { resendIn } from '../lib/registration'
import { useRequest } from './useRequest'

export function useCodeSender(phone: () => string) {
  const sentAt = ref<number | null>(null)
  const now = ref(Date.now())
  let ticker: ReturnType<typeof setInterval> | undefined
  const wait = computed(() => resendIn(sentAt.value, now.value))
  onBeforeUnmount(() => clearInterval(ticker))

  const sending = useRequest(
    async () => {
      const sent = await sendVerificationCode(phone())
      sentAt.value = now.value = Date.now()
      clearInterval(ticker)
      // The countdown ticks only while it runs.
      ticker = setInterval(() => {
        now.value = Date.now()
        if (wait.value === 0) clearInterval(ticker)
      }, 1000)
      return sent
    },
    { immediate: false },
  )
  return { sending, wait }
}
