// chartkeeper's pages work without this script; it only adds conveniences.

// The runs grid while runs are under way: reload every few seconds until all have finished,
// unless the visitor is typing in a form (a reload would lose it).
(() => {
  const live = document.querySelector('[data-live]');
  if (!live) return;
  const seconds = Number(live.getAttribute('data-live')) || 3;
  setTimeout(() => {
    const typing =
      document.activeElement && /^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName);
    if (!typing) location.reload();
  }, seconds * 1000);
})();

// The chart page's date picker goes straight to the chart's path (the server would redirect
// there too, but a static copy has no server).
(() => {
  const form = document.querySelector('form.date-pick');
  if (!form) return;
  form.addEventListener('submit', (event) => {
    const input = form.querySelector('input[type=date]');
    if (!input || !/^\d{4}-\d{2}-\d{2}$/.test(input.value)) return;
    event.preventDefault();
    const base = form.getAttribute('action').replace(/\/[^/]*$/, '');
    location.href = `${base}/${input.value}`;
  });
})();
