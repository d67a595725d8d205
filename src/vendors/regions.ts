// Where each vendor's API lives, by the `region` of a RoomProvider. Unknown regions are a
// Terminal configuration error naming the region, never a guess.

import { VendorConfigError } from './errors.ts';

/**
 * TRTC (docs/vendors.md#trtc-endpoints-and-regions): one access point; the X-TC-Region header selects the region. The
 * regions a given SdkAppId accepts are UNCONFIRMED (ap-beijing, ap-guangzhou, ap-singapore in the
 * international docs), so any well-formed region name is passed through and the vendor's
 * UnsupportedRegion answer is Terminal.
 */
export const TRTC_DEFAULT_HOST = 'trtc.tencentcloudapi.com';
export const TRTC_SERVICE = 'trtc';
const TRTC_REGION_PATTERN = /^[a-z]{2,}-[a-z0-9-]+$/;

export function trtcRegion(region: string): string {
  if (!TRTC_REGION_PATTERN.test(region)) {
    throw new VendorConfigError(
      'Config.UnknownRegion',
      `tencentTRTC region "${region}" is not a TencentCloud region name (e.g. ap-guangzhou, ap-singapore)`,
    );
  }
  return region;
}

/**
 * Tencent Chat REST domains (docs/vendors.md#chat-endpoints-and-regions), by the region names a RoomProvider accepts:
 * china, singapore, korea, japan, germany, india, usa, indonesia (case-insensitive). Room Engine
 * is documented on singapore and china only; the others are UNCONFIRMED for room_engine_http_srv,
 * and india (Mumbai) is missing from newer copies of the page (UNCONFIRMED whether still offered).
 */
export const TENCENT_CHAT_DOMAINS: Readonly<Record<string, string>> = {
  china: 'console.tim.qq.com',
  singapore: 'adminapisgp.im.qcloud.com',
  korea: 'adminapikr.im.qcloud.com',
  japan: 'adminapijpn.im.qcloud.com',
  germany: 'adminapiger.im.qcloud.com',
  india: 'adminapiind.im.qcloud.com',
  usa: 'adminapiusa.im.qcloud.com',
  indonesia: 'adminapiidn.im.qcloud.com',
};

export function tencentChatDomain(region: string): string {
  const domain = ownValue(TENCENT_CHAT_DOMAINS, region.toLowerCase());
  if (domain === undefined) {
    throw new VendorConfigError(
      'Config.UnknownRegion',
      `tencentChat region "${region}" is unknown; accepted: ${Object.keys(TENCENT_CHAT_DOMAINS).join(', ')}`,
    );
  }
  return domain;
}

/**
 * Volcengine RTC hosts by signing region (docs/vendors.md#volcengine-endpoints-and-regions). cn-north-1 is documented. The
 * Singapore endpoint's scope region is UNCONFIRMED (ap-southeast-1 on the request-structure page,
 * ap-singapore-1 on the response page): both names are accepted and signed as given. us-east-1
 * appears as a Region value but no host for it was found, so it is not accepted.
 */
export const VOLCENGINE_RTC_HOSTS: Readonly<Record<string, string>> = {
  'cn-north-1': 'rtc.volcengineapi.com',
  'ap-southeast-1': 'open-ap-singapore-1.volcengineapi.com',
  'ap-singapore-1': 'open-ap-singapore-1.volcengineapi.com',
};
export const VOLCENGINE_RTC_SERVICE = 'rtc';

export function volcengineRtcHost(region: string): string {
  const host = ownValue(VOLCENGINE_RTC_HOSTS, region);
  if (host === undefined) {
    throw new VendorConfigError(
      'Config.UnknownRegion',
      `volcengineRTC region "${region}" is unknown; accepted: ${Object.keys(VOLCENGINE_RTC_HOSTS).join(', ')}`,
    );
  }
  return host;
}

/**
 * `table[key]` only when `key` is the table's own: a user string such as "constructor" must not
 * find Object.prototype's members and escape as a TypeError instead of an unknown-region error.
 */
function ownValue(table: Readonly<Record<string, string>>, key: string): string | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** A custom endpoint is a base URL (http or https) the caller allowed; anything else is Terminal. */
export function parseEndpoint(vendor: string, endpoint: string): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new VendorConfigError('Config.InvalidEndpoint', `${vendor} endpoint is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new VendorConfigError('Config.InvalidEndpoint', `${vendor} endpoint must be http or https`);
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new VendorConfigError(
      'Config.InvalidEndpoint',
      `${vendor} endpoint must be a plain base URL (no credentials, query or fragment)`,
    );
  }
  return url;
}

/** Joins a base URL's path with a vendor path ("/" + "v4/..." without doubling slashes). */
export function joinPath(base: URL, path: string): URL {
  const url = new URL(base.href);
  const basePath = url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
  url.pathname = `${basePath}/${path.replace(/^\//, '')}`;
  return url;
}
