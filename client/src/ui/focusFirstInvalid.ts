/**
 * After a submit that found errors: focus the form's first field marked invalid, once React has
 * drawn the marks (the next frame), so the user lands on what to fix.
 */
export function focusFirstInvalid(form: HTMLFormElement): void {
  requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
}
