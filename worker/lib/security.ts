import type { secureHeaders } from 'hono/secure-headers';

/**
 * Security headers of every response: the Worker's (hono/secure-headers) and, through the _headers
 * file that scripts/build-assets.ts derives from the same options, the static assets'.
 */
export const securityHeaders: NonNullable<Parameters<typeof secureHeaders>[0]> = {
  // No inline script or style anywhere: scripts and styles come from our own fingerprinted files.
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    // The Mastodon share form is answered with a redirect to the visitor's own instance, and Chrome
    // checks form-action on the redirect too.
    formAction: ["'self'", 'https:'],
    frameAncestors: ["'none'"],
  },
  xFrameOptions: 'DENY',
  referrerPolicy: 'strict-origin-when-cross-origin',
  strictTransportSecurity: 'max-age=31536000; includeSubDomains',
  // Everything here is public; other sites and apps may show our social cards and call the API.
  crossOriginResourcePolicy: 'cross-origin',
  // The share block uses the Web Share API and the clipboard; nothing uses the rest.
  permissionsPolicy: {
    camera: [],
    microphone: [],
    geolocation: [],
    payment: [],
    usb: [],
    browsingTopics: [],
    webShare: ['self'],
    clipboardWrite: ['self'],
  },
};
