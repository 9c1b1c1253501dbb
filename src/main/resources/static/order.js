// Polls the order until it reaches a final state and shows its keys; no framework needed.
(function () {
  const main = document.getElementById('order');
  const orderNo = main.dataset.orderNo;
  const token = main.dataset.token;
  const final = ['DELIVERED', 'NEEDS_REFUND', 'EXPIRED'];
  const statusEl = document.getElementById('status');
  const keysEl = document.getElementById('keys');
  const hintEl = document.getElementById('hint');

  function render(order) {
    statusEl.textContent = order.status;
    if (order.keys && keysEl.children.length === 0) {
      for (const key of order.keys) {
        const li = document.createElement('li');
        li.textContent = key;
        keysEl.appendChild(li);
      }
      if (hintEl) hintEl.remove();
    }
  }

  async function poll() {
    try {
      const response = await fetch('/api/orders/' + encodeURIComponent(orderNo), {
        headers: { 'X-Order-Token': token, 'Accept': 'application/json' }, cache: 'no-store'
      });
      if (response.ok) {
        const order = await response.json();
        render(order);
        if (final.includes(order.status)) return;
      }
    } catch (e) {
      // Network hiccup: try again on the next tick.
    }
    setTimeout(poll, 400);
  }

  if (!final.includes(statusEl.textContent.trim())) poll();
})();
