// The app being developed: its source (and the API key someone pasted into it while testing) is what a dev server
// serves, bundled, with a source map holding this very file.
const API_KEY = 'sk-test-do-not-ship';

export function greet(name) {
  return `hello, ${name}`;
}

document.body.append(greet('developer'), ` (key ${API_KEY.slice(0, 7)}…)`);
