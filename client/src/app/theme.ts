import { THEMES, type ThemeName } from '@gatehouse/shared';

// Remembered on the device so the sign-in page has the user's theme before the viewer loads.
const STORAGE_KEY = 'gatehouse:theme';

let preference: ThemeName = 'SYSTEM';
let darkQuery: MediaQueryList | null = null;

function render(): void {
  const dark = preference === 'DARK' || (preference === 'SYSTEM' && !!darkQuery?.matches);
  const root = document.documentElement;
  root.dataset.theme = dark ? 'dark' : 'light';
  root.style.colorScheme = dark ? 'dark' : 'light';
}

function storedTheme(): ThemeName {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return THEMES.find((theme) => theme === value) ?? 'SYSTEM';
  } catch {
    return 'SYSTEM';
  }
}

/** Applies the remembered theme and keeps "System" in step with the OS setting. */
export function initTheme(): void {
  darkQuery = window.matchMedia('(prefers-color-scheme: dark)');
  darkQuery.addEventListener('change', render);
  applyTheme(storedTheme());
}

export function applyTheme(theme: ThemeName): void {
  preference = theme;
  try {
    localStorage.setItem(STORAGE_KEY, theme);
  } catch {
    // Storage can be unavailable (private mode, quotas); the theme still applies for this page.
  }
  render();
}
