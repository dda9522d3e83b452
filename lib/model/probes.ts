/** What a case derived from an intent probes, so that a finding and the diagnosis can name it. */
export const PROBES = ['simple-read', 'credentialed-read', 'intended-method', 'credentialed-method', 'unintended-method', 'intended-headers', 'unintended-header'] as const;
export type Probe = (typeof PROBES)[number];
