// The app's code as the dev server hands it out: what a site the developer visits must not read.
export const apiKey = 'dev-only-key';
