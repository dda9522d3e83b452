// A dedicated worker that checks the API's health: its requests are the page's too.
fetch(`${new URLSearchParams(location.search).get('api')}/api/health`)
  .then((res) => res.json())
  .then((body) => postMessage(body.ok ? 'ok' : 'down'))
  .catch((error) => postMessage(`unreachable (${error.message})`));
