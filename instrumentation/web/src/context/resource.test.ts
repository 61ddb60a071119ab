import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserFromUA, browserResourceAttributes, deviceType, osFromUA } from './resource.js';

const CHROME_WIN = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const SAFARI_IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';
const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const IPAD = 'Mozilla/5.0 (iPad; CPU OS 16_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.0 Mobile/15E148 Safari/604.1';
const EDGE = CHROME_WIN + ' Edg/131.0.0.0';

test('browser name and major version from brands, else the UA', () => {
  assert.deepEqual(browserFromUA('', [{ brand: 'Not_A Brand', version: '8' }, { brand: 'Chromium', version: '131' }, { brand: 'Google Chrome', version: '131' }]), { name: 'Google Chrome', version: '131' });
  assert.deepEqual(browserFromUA('', [{ brand: 'Chromium', version: '131' }, { brand: 'Not A(Brand', version: '24' }]), { name: 'Chromium', version: '131' });
  assert.deepEqual(browserFromUA(CHROME_WIN), { name: 'Google Chrome', version: '131' });
  assert.deepEqual(browserFromUA(EDGE), { name: 'Microsoft Edge', version: '131' });
  assert.deepEqual(browserFromUA(FIREFOX_LINUX), { name: 'Firefox', version: '133' });
  assert.deepEqual(browserFromUA(SAFARI_IPHONE), { name: 'Safari', version: '17' });
});

test('OS and device type', () => {
  assert.equal(osFromUA(CHROME_WIN), 'Windows');
  assert.equal(osFromUA(SAFARI_IPHONE), 'iOS');
  assert.equal(osFromUA(FIREFOX_LINUX), 'Linux');
  assert.equal(osFromUA('', 'macOS'), 'macOS');
  assert.equal(deviceType(CHROME_WIN), 'desktop');
  assert.equal(deviceType(SAFARI_IPHONE), 'mobile');
  assert.equal(deviceType(IPAD), 'tablet');
  assert.equal(deviceType('Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile Safari'), 'mobile');
  assert.equal(deviceType('Mozilla/5.0 (Linux; Android 14; SM-X910) Safari'), 'tablet');
});

test('resource attributes from a fake window', () => {
  const g = {
    navigator: { userAgent: CHROME_WIN, language: 'de-DE', connection: { effectiveType: '4g', type: 'wifi' } },
    screen: { width: 1920, height: 1080 }, innerWidth: 1280, innerHeight: 720,
  } as unknown as typeof globalThis;
  const attrs = browserResourceAttributes({ name: 'shop-web', version: '1.4.2', environment: 'production' }, g);
  assert.equal(attrs['service.name'], 'shop-web');
  assert.equal(attrs['service.version'], '1.4.2');
  assert.equal(attrs['deployment.environment.name'], 'production');
  assert.equal(attrs['telemetry.sdk.language'], 'webjs');
  assert.equal(attrs['user_agent.name'], 'Google Chrome');
  assert.equal(attrs['os.name'], 'Windows');
  assert.equal(attrs['stitch.device.type'], 'desktop');
  assert.equal(attrs['stitch.screen.size'], '1920x1080');
  assert.equal(attrs['stitch.viewport.size'], '1280x720');
  assert.equal(attrs['browser.language'], 'de-DE');
  assert.equal(attrs['network.connection.type'], 'wifi');
  assert.equal(attrs['stitch.network.effective_type'], '4g');
  assert.ok(Object.values(attrs).every((v) => v !== undefined));
});
