// A todo frontend whose every call carries the user's session: fetch with credentials: 'include', an XHR and an
// EventSource withCredentials. The journey: read the list, mark several todos (PATCH with JSON: a preflight each, as
// each URL is new), read three items at once, the count by XHR, one sync event; with ?profile=1 the profile too.
const params = new URLSearchParams(location.search);
const API = params.get('api') ?? 'https://api.shop.example';
const patches = Number(params.get('patches') ?? 3);
const $ = (selector) => document.querySelector(selector);

function xhrJson(url) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('GET', url);
    xhr.withCredentials = true;
    xhr.onload = () => resolve(JSON.parse(xhr.responseText));
    xhr.onerror = () => reject(new Error('XHR failed'));
    xhr.send();
  });
}

function oneEvent(url) {
  return new Promise((resolve, reject) => {
    const source = new EventSource(url, { withCredentials: true });
    source.onmessage = (event) => {
      source.close();
      resolve(event.data);
    };
    source.onerror = () => {
      source.close();
      reject(new Error('EventSource failed'));
    };
  });
}

async function journey() {
  const list = await (await fetch(`${API}/api/todos`, { credentials: 'include' })).json();
  for (const todo of list) {
    const li = document.createElement('li');
    li.textContent = todo.title;
    $('#todos').append(li);
  }
  for (let id = 1; id <= patches; id++) {
    await fetch(`${API}/api/todos/${id}`, { method: 'PATCH', credentials: 'include', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ done: true }) });
  }
  await Promise.all([1, 2, 3].map((id) => fetch(`${API}/api/todos/${id}`, { credentials: 'include' }).then((res) => res.json())));
  $('#count').textContent = `(${(await xhrJson(`${API}/api/todos/count`)).count})`;
  $('#sync').textContent = await oneEvent(`${API}/api/events`);
  if (params.has('profile')) {
    try {
      $('#profile').textContent = `signed in as ${(await (await fetch(`${API}/api/profile`, { credentials: 'include' })).json()).name}`;
    } catch (error) {
      $('#profile').textContent = `could not load the profile: ${error.message}`;
    }
  }
}

// The journey's end as a promise (the bench awaits it instead of polling for #done: see tests/cost.spec.ts), with
// the ms its requests took in the page, from the first call to the last answer.
const started = performance.now();
window.todosDone = journey()
  .catch((error) => {
    $('#done').dataset.error = error.message;
  })
  .then(() => performance.now() - started)
  .finally(() => {
    $('#done').textContent = 'done';
  });
