// The wallet pages: log in, show the balance and history, top up, pay an order. The login token is kept in this
// browser's local storage and sent as a bearer token; no framework needed.
(function () {
  const TOKEN = 'kami.wallet.token';
  const $ = (id) => document.getElementById(id);
  const token = () => localStorage.getItem(TOKEN);
  const money = (minor, currency) => (minor / 100).toFixed(2) + ' ' + currency;

  function showError(message) {
    const el = $('error');
    el.textContent = message || '';
    el.hidden = !message;
  }

  async function api(method, path, body, headers) {
    const response = await fetch(path, {
      method, cache: 'no-store',
      headers: Object.assign({ 'Accept': 'application/json', 'Content-Type': 'application/json' },
        token() ? { 'Authorization': 'Bearer ' + token() } : {}, headers || {}),
      body: body === undefined ? undefined : JSON.stringify(body)
    });
    const text = await response.text();
    const json = text ? JSON.parse(text) : null;
    if (response.status === 401 && path.startsWith('/api/wallet')) {
      localStorage.removeItem(TOKEN);
      render();
    }
    if (!response.ok) throw new Error((json && json.detail) || ('HTTP ' + response.status));
    return json;
  }

  async function login(event) {
    event.preventDefault();
    try {
      const session = await api('POST', '/api/users/login', { email: $('email').value, password: $('password').value });
      localStorage.setItem(TOKEN, session.token);
      showError('');
      render();
    } catch (e) { showError(e.message); }
  }

  async function signUp() {
    try {
      await api('POST', '/api/users', { email: $('email').value, password: $('password').value });
      await login(new Event('submit'));
    } catch (e) { showError(e.message); }
  }

  async function showBalance() {
    const wallet = await api('GET', '/api/wallet');
    const cny = wallet.balances.find((b) => b.currency === 'CNY');
    $('balance').textContent = money(cny ? cny.balanceMinor : 0, 'CNY');
  }

  async function showWallet() {
    // The top-up's status is read before the balance: a top-up is credited in the transaction that marks it
    // CREDITED, so a balance read after seeing CREDITED includes it. Read the other way round, a credit landing
    // between the two reads would show the old balance and stop the refresh.
    const topUpNo = new URLSearchParams(location.search).get('topUp');
    const topUp = topUpNo ? await api('GET', '/api/wallet/top-ups/' + encodeURIComponent(topUpNo)) : null;
    await showBalance();
    const history = await api('GET', '/api/wallet/history?currency=CNY&limit=50');
    $('history').replaceChildren(...history.entries.map((entry) => {
      const li = document.createElement('li');
      li.textContent = entry.at.substring(0, 19).replace('T', ' ') + '  ' + entry.kind + '  '
        + money(entry.amountMinor, history.currency) + '  → ' + money(entry.balanceAfterMinor, history.currency)
        + (entry.reference ? '  (' + entry.reference + ')' : '');
      return li;
    }));
    if (topUp) {
      $('top-up-status').hidden = false;
      $('top-up-status').textContent = 'Top-up ' + topUp.topUpNo + ': ' + topUp.status;
      if (topUp.status === 'PENDING') setTimeout(showWallet, 1000);
    }
  }

  // crypto.randomUUID needs a secure context (HTTPS or localhost); random bytes are available everywhere.
  function newKey() {
    return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  }

  async function topUp(event) {
    event.preventDefault();
    // The server renders the choices: channel/method, or channel/method/bank for online banking.
    const [channel, method, bank] = $('channel').value.split('/');
    try {
      const created = await api('POST', '/api/wallet/top-ups', {
        amountMinor: Math.round(parseFloat($('amount').value) * 100), currency: 'CNY', channel, method, bank
      }, { 'Idempotency-Key': newKey() });
      location.href = created.payment.payUrl;
    } catch (e) { showError(e.message); }
  }

  async function pay() {
    const page = $('wallet-pay');
    try {
      await api('POST', '/api/wallet/payments', { paymentNo: page.dataset.paymentNo });
      location.href = page.dataset.returnUrl;
    } catch (e) { showError(e.message); }
  }

  async function logout() {
    await fetch('/api/users/logout', { method: 'POST', headers: { 'Authorization': 'Bearer ' + token() } });
    localStorage.removeItem(TOKEN);
    render();
  }

  function render() {
    const signedIn = !!token();
    $('signed-out').hidden = signedIn;
    $('signed-in').hidden = !signedIn;
    if (!signedIn) return;
    ($('wallet-pay') ? showBalance() : showWallet()).catch((e) => showError(e.message));
  }

  $('login-form').addEventListener('submit', login);
  if ($('sign-up')) $('sign-up').addEventListener('click', signUp);
  if ($('top-up-form')) $('top-up-form').addEventListener('submit', topUp);
  if ($('logout')) $('logout').addEventListener('click', logout);
  if ($('pay')) $('pay').addEventListener('click', pay);
  render();
})();
