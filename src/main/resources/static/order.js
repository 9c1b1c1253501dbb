// Long-polls the order until it reaches a final state and shows its keys; no framework needed.
(function () {
  const main = document.getElementById('order');
  const orderNo = main.dataset.orderNo;
  const token = main.dataset.token;
  // EXPIRED is not final: a late payment can still deliver.
  // NEEDS_REFUND is not final either: the refund is under way and the page shows when it is done.
  const final = ['DELIVERED', 'REFUNDED'];
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
      // Kami holds the request until the status changes (or 25 s pass), so updates show at once.
      const response = await fetch('/api/orders/' + encodeURIComponent(orderNo) + '?waitSeconds=25', {
        headers: { 'X-Order-Token': token, 'Accept': 'application/json' }, cache: 'no-store'
      });
      if (response.ok) {
        const order = await response.json();
        render(order);
        if (final.includes(order.status)) return;
        setTimeout(poll, 0);
        return;
      }
    } catch (e) {
      // Network hiccup: try again shortly.
    }
    setTimeout(poll, 1000);
  }

  if (!final.includes(statusEl.textContent.trim())) poll();
})();
