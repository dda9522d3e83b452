// The shop's frontend code: it calls its API on another origin, as it does in production.
// The API origin as in production; `?api=` points the page elsewhere (the cost test's direct run).
const API = new URLSearchParams(location.search).get('api') ?? 'https://api.shop.example';
const status = document.querySelector('#status');
document.querySelector('#picture').src = `${API}/img/teapot.svg`;

async function loadOrders() {
  const res = await fetch(`${API}/api/orders`);
  document.querySelector('#total').textContent = `(${res.headers.get('X-Total')})`;
  for (const order of await res.json()) {
    const li = document.createElement('li');
    li.textContent = `${order.id}: ${order.qty} × ${order.item}`;
    document.querySelector('#orders').append(li);
  }
}

document.querySelector('#save').addEventListener('click', async () => {
  try {
    const res = await fetch(`${API}/api/orders/7`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ qty: 2 }) });
    status.textContent = res.ok ? 'saved' : `error ${res.status}`;
  } catch (error) {
    // What users see: "Failed to fetch", no cause.
    status.textContent = `could not save: ${error.message}`;
  }
});

const worker = new Worker(`/worker.js?api=${encodeURIComponent(API)}`);
worker.onmessage = (event) => {
  document.querySelector('#health').textContent = `api health: ${event.data}`;
};

loadOrders().catch((error) => {
  status.textContent = `could not load: ${error.message}`;
});
