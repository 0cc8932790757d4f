// Speaker suggestions for the Advanced settings panel, from /api/speakers. Everything else works without script.
(function () {
  const input = document.getElementById("speaker");
  const list = document.getElementById("speaker-list");
  if (!input || !list) return;
  let timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(async function () {
      const prefix = input.value.trim();
      const response = await fetch("/api/speakers?limit=12&prefix=" + encodeURIComponent(prefix));
      if (!response.ok) return;
      const data = await response.json();
      list.replaceChildren(...data.speakers.map(function (s) {
        const option = document.createElement("option");
        option.value = s.name;
        option.label = s.name + " (" + s.turns + ")";
        return option;
      }));
    }, 150);
  });
  // Opening a turn's permalink highlights it and moves keyboard focus there.
  function focusTarget() {
    const target = location.hash && document.getElementById(location.hash.slice(1));
    if (target) target.focus({ preventScroll: false });
  }
  window.addEventListener("hashchange", focusTarget);
  focusTarget();
})();
