export type Consent = 'pending' | 'granted' | 'denied';

/** True when the browser asks not to be tracked (Do-Not-Track or Global Privacy Control). */
export function doNotTrack(nav: Partial<Navigator> & { globalPrivacyControl?: boolean } | undefined = globalThis.navigator,
  win: { doNotTrack?: string } | undefined = globalThis as { doNotTrack?: string }): boolean {
  if (!nav) return false;
  return nav.globalPrivacyControl === true || nav.doNotTrack === '1' || nav.doNotTrack === 'yes' || win?.doNotTrack === '1';
}
