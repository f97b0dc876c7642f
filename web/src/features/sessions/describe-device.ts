/** Device is how a session's user agent reads to a person. */
export interface Device {
  /** E.g. "Chrome on macOS", or "Unknown device". */
  label: string;
  kind: 'desktop' | 'mobile';
}

const browsers: [RegExp, string][] = [
  [/Edg(e|A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/HeadlessChrome\//, 'Headless Chrome'],
  [/Chrome\/|CriOS\/|Chromium\//, 'Chrome'],
  [/Safari\//, 'Safari'],
  [/curl\//, 'curl'],
];

const systems: [RegExp, string][] = [
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Android/, 'Android'],
  [/CrOS/, 'ChromeOS'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/Windows/, 'Windows'],
  [/Linux|X11/, 'Linux'],
];

/** describeDevice turns a User-Agent header into "Browser on System". */
export function describeDevice(userAgent: string): Device {
  const browser = browsers.find(([pattern]) => pattern.test(userAgent))?.[1];
  const system = systems.find(([pattern]) => pattern.test(userAgent))?.[1];
  const kind = /Mobi|iPhone|iPod|Android.*Mobile/.test(userAgent) ? 'mobile' : 'desktop';
  if (browser && system) return { label: `${browser} on ${system}`, kind };
  const either = browser ?? system;
  if (either !== undefined) return { label: either, kind };
  return { label: 'Unknown device', kind };
}
