// Play: frames on the clock; the Play/Pause button and the icons of every button.

function stopPlay(report) {
  if (!state.playTimer) return;
  cancelAnimationFrame(state.playTimer);
  state.playTimer = null;
  const f = state.data.frames;
  const k = f[Math.min(state.frameIndex, f.length - 1)].k;
  state.want = k;
  // At the end of the frames sent so far Python sends the next window and Play goes on.
  const resume = report === "window-end" && k < state.data.n_updates;
  if (report) {
    state.reported = k;
    state.trigger("paused_at", { k: k, resume: resume, t: Date.now() });
  }
  const rec = state.records.get(k);
  if (rec) showRecord(state.root, rec);
}

function showFrame(root, i) {
  const d = state.data;
  const frame = d.frames[i];
  showRecord(root, state.records.get(frame.k) || frame);
  root.dataset.playK = String(frame.k); // read by the browser tests and the Play-rate benchmark
}

// When the system asks for reduced motion, Play keeps the chosen speed in updates per
// second but draws at most REDUCED_MOTION_FPS still pictures a second: no smooth motion.
const REDUCED_MOTION = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)");

const REDUCED_MOTION_FPS = 2;

// Play follows the clock, not the frame rate: at speed s it shows update k0 + s·t at time t,
// skipping frames the browser has no time to draw, so the speed holds on a slow machine.
function startPlay(root) {
  const d = state.data;
  const f = d.frames;
  if (!f || f.length < 2) return;
  clearTimeout(state.reportTimer);
  const k0 = f[0].k;
  const t0 = performance.now();
  state.frameIndex = 0;
  let shown = -1;
  let shownAt = -Infinity;
  // Said once (a live region), not per frame: the step bar's "Step k of K" counts.
  root.querySelector(".pp-status").textContent =
    `Playing at ${d.speed} updates a second` +
    (REDUCED_MOTION && REDUCED_MOTION.matches
      ? `, ${REDUCED_MOTION_FPS} pictures a second (your system asks for reduced motion)`
      : "");
  const tick = () => {
    const now = performance.now();
    const target = k0 + ((now - t0) / 1000) * d.speed;
    while (state.frameIndex + 1 < f.length && f[state.frameIndex + 1].k <= target) {
      state.frameIndex += 1;
    }
    const last = state.frameIndex >= f.length - 1;
    const calm = REDUCED_MOTION && REDUCED_MOTION.matches;
    if (state.frameIndex !== shown && (!calm || last || now - shownAt >= 1000 / REDUCED_MOTION_FPS)) {
      showFrame(root, state.frameIndex);
      shown = state.frameIndex;
      shownAt = now;
    }
    if (last) {
      stopPlay("window-end");
      updatePlayButton(root);
      return;
    }
    state.playTimer = requestAnimationFrame(tick);
  };
  state.playTimer = requestAnimationFrame(tick);
  updatePlayButton(root);
}

// Icons are drawn, not typed: a glyph such as ⏸ is an empty box where no emoji font is.
const ICONS = {
  start: '<path d="M3 2.5v11M13 2.5 6 8l7 5.5z" stroke="currentColor" stroke-width="1.6" fill="currentColor"/>',
  back: '<path d="M10.5 2.5 5 8l5.5 5.5" stroke="currentColor" stroke-width="2" fill="none"/>',
  step: '<path d="M5.5 2.5 11 8l-5.5 5.5" stroke="currentColor" stroke-width="2" fill="none"/>',
  epoch: '<path d="M2 2.5 8 8l-6 5.5zM8 2.5 14 8l-6 5.5z" fill="currentColor"/>',
  end: '<path d="M13 2.5v11M3 2.5 10 8l-7 5.5z" stroke="currentColor" stroke-width="1.6" fill="currentColor"/>',
  play: '<path d="M4 2.5v11l9-5.5z" fill="currentColor"/>',
  pause: '<path d="M3.5 2.5h3v11h-3zM9.5 2.5h3v11h-3z" fill="currentColor"/>',
  fit: '<path d="M2 6V2h4M10 2h4v4M14 10v4h-4M6 14H2v-4" stroke="currentColor" stroke-width="1.8" fill="none"/>',
};

function setButton(btn, icon, label) {
  btn.innerHTML = `<svg viewBox="0 0 16 16" aria-hidden="true">${ICONS[icon]}</svg>`;
  const text = document.createElement("span");
  text.textContent = label;
  btn.appendChild(text);
}

function updatePlayButton(root) {
  const btn = root.querySelector(".pp-play");
  const playing = !!state.playTimer;
  setButton(btn, playing ? "pause" : "play", playing ? "Pause (P)" : "Play (P)");
  btn.setAttribute("aria-pressed", playing ? "true" : "false");
  const d = state.data;
  btn.disabled = !playing && !(d && d.n_updates > 0);
  btn.title = btn.disabled ? "Place points of both classes to have a run to play" : "";
  if (!playing) root.querySelector(".pp-status").textContent = "";
}

// Play asks Python for its frames from the step on show (one round trip), then plays them
// as they arrive (the payload's autoplay).
function togglePlay(root) {
  if (state.playTimer) stopPlay("paused");
  else if (state.data && state.data.n_updates > 0) {
    clearTimeout(state.reportTimer);
    const k = state.want ?? state.data.k;
    state.reported = k;
    state.trigger("paused_at", { k: k, resume: true, t: Date.now() });
    updatePlayButton(root);
    root.querySelector(".pp-status").textContent = "Starting Play…";
    return;
  }
  updatePlayButton(root);
}
