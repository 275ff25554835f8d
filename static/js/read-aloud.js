// "Read this page aloud": the browser's own speech reads the main content, in order.
// Nothing leaves the tablet: only voices the browser says are local are used, and the button
// stays hidden where there is no speech or no local voice for the page's language.
(function () {
  "use strict";
  var button = document.getElementById("read-aloud");
  var speech = window.speechSynthesis;
  if (!button || !speech || !window.SpeechSynthesisUtterance) return;

  var MAX_CHUNK = 200; // long utterances stall in some browsers: speak a sentence or two at a time
  var SKIP = "[aria-hidden='true'], .visually-hidden, [hidden], script, style, progress, " +
    ".nav-buttons, .no-read, dialog";
  var language = (document.documentElement.lang || "en").toLowerCase();
  var label = button.querySelector(".read-aloud-label");
  var readLabel = label.textContent;
  var stopLabel = button.getAttribute("data-stop-label");
  var reading = false;
  var run = 0; // which reading an utterance belongs to: a stopped one must not reset a new one

  function localVoice() {
    var voices = speech.getVoices().filter(function (v) { return v.localService; });
    var base = language.split("-")[0];
    var same = voices.filter(function (v) { return v.lang.toLowerCase() === language; });
    var near = voices.filter(function (v) { return v.lang.toLowerCase().split("-")[0] === base; });
    var found = same.concat(near);
    return found.filter(function (v) { return v.default; })[0] || found[0] || null;
  }

  function blockOf(node) {
    var el = node.parentElement;
    while (el && el.id !== "main" && getComputedStyle(el).display.indexOf("inline") === 0) {
      el = el.parentElement;
    }
    return el;
  }

  // The visible text of #main, one piece per block (heading, paragraph, list item...).
  function pieces() {
    var main = document.getElementById("main");
    var walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
    var found = [];
    var block = null;
    var node;
    while ((node = walker.nextNode())) {
      var parent = node.parentElement;
      if (!node.nodeValue.trim() || parent.closest(SKIP) || !parent.getClientRects().length) {
        continue;
      }
      var here = blockOf(node);
      if (here !== block || !found.length) {
        found.push("");
        block = here;
      }
      found[found.length - 1] += node.nodeValue;
    }
    return found.map(function (t) { return t.replace(/\s+/g, " ").trim(); })
      .filter(Boolean);
  }

  function chunks(text) {
    if (text.length <= MAX_CHUNK) return [text];
    var sentences = text.match(/[^.!?]+[.!?]*\s*/g) || [text];
    var out = [""];
    sentences.forEach(function (s) {
      if (out[out.length - 1] && (out[out.length - 1] + s).length > MAX_CHUNK) out.push("");
      out[out.length - 1] += s;
    });
    return out.map(function (t) { return t.trim(); }).filter(Boolean);
  }

  function show(isReading) {
    reading = isReading;
    label.textContent = isReading ? stopLabel : readLabel;
    button.classList.toggle("active", isReading);
  }

  function stop() {
    run += 1;
    speech.cancel();
    show(false);
  }

  function read() {
    var voice = localVoice();
    if (!voice) return;
    stop();
    var mine = run;
    var done = function () { if (mine === run) show(false); };
    var all = [];
    pieces().forEach(function (piece) { all = all.concat(chunks(piece)); });
    all.forEach(function (text, i) {
      var utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = voice.lang;
      utterance.voice = voice;
      if (i === all.length - 1) utterance.onend = done;
      utterance.onerror = done;
      speech.speak(utterance);
    });
    show(all.length > 0);
  }

  function offerIfLocal() {
    button.hidden = !localVoice();
  }

  button.addEventListener("click", function () {
    if (reading) stop(); else read();
  });
  // Stop when the page changes or the tablet is put down.
  window.addEventListener("pagehide", stop);
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) stop();
  });
  offerIfLocal();
  if (speech.addEventListener) speech.addEventListener("voiceschanged", offerIfLocal);
})();
