// The live round view: one EventSource pushed by the server (the browser itself reconnects,
// after the server's 3 s retry hint); nothing here polls.
(() => {
  const live = document.getElementById('live');
  if (!live || !window.EventSource) return;
  const source = new EventSource(live.dataset.source);
  source.addEventListener('live', (e) => { live.innerHTML = e.data; live.dataset.updates = String(Number(live.dataset.updates || '0') + 1); });
})();
