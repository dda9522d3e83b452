/**
 * Where each rule comes from, named once. Section numbers are those of the Fetch Standard living standard as of
 * July 2026 (whatwg/fetch 586cd2a) and of the MIME Sniffing Standard as of its 2026-07 review draft; if a later
 * edition renumbers, change them here and nowhere else.
 */
export const SOURCE = {
  methods: 'Fetch §2.2.1 Methods',
  headers: 'Fetch §2.2.2 Headers',
  requests: 'Fetch §2.2.5 Requests',
  responses: 'Fetch §2.2.6 Responses',
  newHeaderSyntax: 'Fetch §3.3.4 HTTP new-header syntax',
  corsHttpResponses: 'Fetch §3.3.3 HTTP responses',
  mainFetch: 'Fetch §4.1 Main fetch',
  httpFetch: 'Fetch §4.4 HTTP fetch',
  redirectFetch: 'Fetch §4.5 HTTP-redirect fetch',
  requestOrigin: 'Fetch §2.2.5 Requests (redirect-taint, serializing a request origin)',
  statuses: 'Fetch §2.2.3 Statuses',
  preflightFetch: 'Fetch §4.8 CORS-preflight fetch',
  preflightCache: 'Fetch §4.9 CORS-preflight cache',
  corsCheck: 'Fetch §4.10 CORS check',
  headersClass: 'Fetch §5.1 Headers class',
  requestClass: 'Fetch §5.4 Request class',
  parseMimeType: 'MIME Sniffing §4.4 Parsing a MIME type',
  httpLists: 'RFC 9110 §5.6.1 Lists',
  httpTokens: 'RFC 9110 §5.6.2 Tokens',
  origins: 'HTML Standard, Origins (serialization of an origin)',
  preflightCacheWpt: 'WPT cors/preflight-cache.htm',
  redirectWpt: 'WPT fetch/api/cors/cors-redirect.any.js',
  redirectCredentialsWpt: 'WPT fetch/api/cors/cors-redirect-credentials.any.js',
  redirectModeWpt: 'WPT fetch/api/redirect/redirect-mode.any.js',
  redirectCountWpt: 'WPT fetch/api/redirect/redirect-count.any.js',
  redirectMethodWpt: 'WPT fetch/api/redirect/redirect-method.any.js',
  preflightRedirectWpt: 'WPT fetch/api/cors/cors-preflight-redirect.any.js',
  mixedContent: 'Mixed Content, "Should fetching request be blocked as mixed content?"',
  potentiallyTrustworthy: 'Secure Contexts, "Is origin potentially trustworthy?"',
  fontFetching: 'CSS Fonts 4 §4.8.2 Font fetching requirements',
  linkPreload: 'HTML Standard, link type "preload" (fire load or error at the link)',
} as const;

export type Source = (typeof SOURCE)[keyof typeof SOURCE];
