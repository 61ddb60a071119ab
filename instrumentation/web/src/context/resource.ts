import type { Attributes } from '@opentelemetry/api';

export const SDK_VERSION = '0.1.0';

interface UAData { brands?: { brand: string; version: string }[]; mobile?: boolean; platform?: string }
interface Connection { type?: string; effectiveType?: string }
type Nav = Partial<Navigator> & { userAgentData?: UAData; connection?: Connection };

/** Browser name + major version from `userAgentData` brands, else a tiny UA regex (the collector parses the full UA). */
export function browserFromUA(ua: string, brands?: UAData['brands']): { name?: string; version?: string } {
  const real = brands?.filter((b) => !/not.?a.?brand|chromium/i.test(b.brand));
  const brand = real?.[0] ?? brands?.find((b) => /chromium/i.test(b.brand));
  if (brand) return { name: brand.brand, version: brand.version };
  // The most specific token wins (Edge and Opera UAs also say Chrome; Chrome's also says Safari).
  let m: RegExpExecArray | string[] | null = null;
  for (const token of ['Edg', 'OPR', 'SamsungBrowser', 'Firefox', 'FxiOS', 'CriOS', 'Chrome']) {
    if ((m = new RegExp(`(${token})/(\\d+)`).exec(ua))) break;
  }
  if (!m && /Safari/.test(ua)) m = ['', 'Safari', /Version\/(\d+)/.exec(ua)?.[1] ?? ''];
  if (!m) return {};
  const names: Record<string, string> = { Edg: 'Microsoft Edge', OPR: 'Opera', FxiOS: 'Firefox', CriOS: 'Google Chrome', Chrome: 'Google Chrome' };
  return { name: names[m[1]!] ?? m[1], version: m[2] };
}

export function osFromUA(ua: string, platform?: string): string | undefined {
  if (platform) return platform;
  const m = /(Windows|Android|iPhone|iPad|Mac OS X|CrOS|Linux)/.exec(ua);
  if (!m) return undefined;
  return ({ iPhone: 'iOS', iPad: 'iOS', 'Mac OS X': 'macOS', CrOS: 'Chrome OS' } as Record<string, string>)[m[1]!] ?? m[1];
}

export function deviceType(ua: string, mobile?: boolean): 'mobile' | 'tablet' | 'desktop' {
  if (/iPad|Tablet|Android(?!.*Mobile)/i.test(ua)) return 'tablet';
  if (mobile || /Mobi|iPhone|Android/i.test(ua)) return 'mobile';
  return 'desktop';
}

/** Resource attributes for this page: service, SDK, browser, OS, device, screen, language, connection. */
export function browserResourceAttributes(service: { name: string; version?: string; environment?: string }, g: typeof globalThis = globalThis): Attributes {
  const nav = (g.navigator ?? {}) as Nav;
  const ua = nav.userAgent ?? '';
  const uad = nav.userAgentData;
  const browser = browserFromUA(ua, uad?.brands);
  const attrs: Attributes = {
    'service.name': service.name,
    'service.version': service.version,
    'deployment.environment.name': service.environment,
    'telemetry.sdk.name': 'opentelemetry',
    'telemetry.sdk.language': 'webjs',
    'telemetry.distro.name': 'stitch-web',
    'telemetry.distro.version': SDK_VERSION,
    'user_agent.original': ua || undefined,
    'user_agent.name': browser.name,
    'user_agent.version': browser.version,
    'browser.brands': uad?.brands?.map((b) => `${b.brand} ${b.version}`),
    'browser.platform': uad?.platform,
    'browser.mobile': uad?.mobile,
    'browser.language': nav.language,
    'os.name': osFromUA(ua, uad?.platform),
    'stitch.device.type': deviceType(ua, uad?.mobile),
    'network.connection.type': nav.connection?.type,
    'stitch.network.effective_type': nav.connection?.effectiveType,
  };
  if (g.screen) attrs['stitch.screen.size'] = `${g.screen.width}x${g.screen.height}`;
  if (g.innerWidth) attrs['stitch.viewport.size'] = `${g.innerWidth}x${g.innerHeight}`;
  for (const k in attrs) if (attrs[k] === undefined) delete attrs[k];
  return attrs;
}
