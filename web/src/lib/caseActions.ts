// Which forms a case page offers: exactly the actions the server says the reader may take now
// (CaseDetail.actions, decided by the domain's rules), each mapped to the form that sends it.
// Nothing here looks at roles or statuses; the server still decides each action when it is sent.

/** Forms of the staff case page. The acceptance checklist sends accept, refuse and the notice. */
export type StaffForm =
  | 'acceptance'
  | 'complete_step'
  | 'decide'
  | 'start_special_procedure'
  | 'end_special_procedure'
  | 'issue'
  | 'close'
  | 'assign'
  | 'supplement'
  | 'return'

/** Forms of the applicant's case page. */
export type ApplicantForm = 'submit' | 'provide_supplement' | 'withdraw'

const STAFF_FORM_OF: Record<string, StaffForm> = {
  accept: 'acceptance',
  complete_step: 'complete_step',
  decide: 'decide',
  start_special_procedure: 'start_special_procedure',
  end_special_procedure: 'end_special_procedure',
  issue: 'issue',
  close: 'close',
  assign: 'assign',
  request_supplement: 'supplement',
  return: 'return',
}

const APPLICANT_FORMS: readonly ApplicantForm[] = ['submit', 'provide_supplement', 'withdraw']

/** The staff forms for the server's `actions`, each once, in the order the actions came. At the
 * acceptance desk the checklist itself sends the supplement notice. */
export function staffForms(actions: readonly string[]): StaffForm[] {
  const forms: StaffForm[] = []
  for (const a of actions) {
    const f = STAFF_FORM_OF[a]
    if (f && !forms.includes(f)) forms.push(f)
  }
  return forms.includes('acceptance') ? forms.filter((f) => f !== 'supplement') : forms
}

/** The applicant's forms for the server's `actions`. */
export function applicantForms(actions: readonly string[]): ApplicantForm[] {
  return APPLICANT_FORMS.filter((f) => actions.includes(f))
}

/** Forms with a component of their own; the step form component holds the rest. */
const OWN_COMPONENT: readonly StaffForm[] = ['acceptance', 'issue', 'assign', 'supplement', 'return']

/** Forms of the step form component. */
export function stepForms(forms: readonly StaffForm[]): StaffForm[] {
  return forms.filter((f) => !OWN_COMPONENT.includes(f))
}
