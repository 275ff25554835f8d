/* Shared-tablet privacy, added on top of pages that work without JavaScript.
 *
 * After a spell of no activity, ask "Are you still there?" and count down (at least 20 s).
 * If nobody answers, clear browser storage and hand the tablet back (the same form as the
 * "Stop and hand the tablet back" button), which ends the session on the server.
 */
(function () {
  "use strict";

  function clearStorage() {
    try { window.localStorage.clear(); } catch (e) { /* storage may be disabled */ }
    try { window.sessionStorage.clear(); } catch (e) { /* storage may be disabled */ }
  }

  // A page restored from the back-forward cache must be fetched again: the visit may be over.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { window.location.reload(); }
  });

  var body = document.body;
  if (body.hasAttribute("data-clear-storage")) { clearStorage(); }

  var endForm = document.getElementById("end-form");
  if (endForm) { endForm.addEventListener("submit", clearStorage); }

  var dialog = document.getElementById("idle-dialog");
  var idleSeconds = Number(body.getAttribute("data-idle-seconds") || 0);
  if (!dialog || !endForm || !idleSeconds || typeof dialog.showModal !== "function") { return; }

  var countdownSeconds = Math.max(20, Number(body.getAttribute("data-countdown-seconds") || 30));
  var countdown = document.getElementById("idle-countdown");
  var stay = document.getElementById("idle-stay");
  var idleTimer = null;
  var tickTimer = null;
  var remaining = countdownSeconds;

  function endVisit() {
    window.clearInterval(tickTimer);
    clearStorage();
    endForm.submit();
  }

  function tick() {
    remaining -= 1;
    countdown.textContent = String(Math.max(remaining, 0));
    if (remaining <= 0) { endVisit(); }
  }

  function warn() {
    remaining = countdownSeconds;
    countdown.textContent = String(remaining);
    dialog.showModal();
    stay.focus();
    tickTimer = window.setInterval(tick, 1000);
  }

  function restartIdleTimer() {
    if (dialog.open) { return; }  // only "I'm still here" dismisses the warning
    window.clearTimeout(idleTimer);
    idleTimer = window.setTimeout(warn, idleSeconds * 1000);
  }

  stay.addEventListener("click", function () {
    window.clearInterval(tickTimer);
    dialog.close();
    restartIdleTimer();
  });
  dialog.addEventListener("cancel", function (event) {
    event.preventDefault();  // Escape means "I'm still here", not "close and carry on counting"
    stay.click();
  });

  ["pointerdown", "keydown", "scroll", "touchstart", "input"].forEach(function (name) {
    document.addEventListener(name, restartIdleTimer, { passive: true });
  });
  restartIdleTimer();
}());
