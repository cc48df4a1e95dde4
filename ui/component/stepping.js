// The step, owned here: the step buttons, the scrubber, the records Python sent, and
// telling Python where the learner paused (also before a link leaves the page).

// Draw state k from its record: the data chart's layers, the marks on the line charts,
// the update's numbers (a frame of Play has none: the last ones stay, marked as older).
function showRecord(root, rec) {
  state.overlay = overlayOf(rec);
  drawOverlay(root, state.overlay);
  root.querySelectorAll(".pp-series").forEach((div, j) => {
    const fig = state.data.series[j];
    if (!fig) return; // hand-fit mode has one line chart
    const points = (fig.data || []).map((t, i) => ({
      name: t.name,
      color: t.line.color,
      y: (rec.marks[j] || [])[i],
    }));
    div.__ppStep = Object.assign({}, fig.step, {
      k: rec.k,
      points: points.filter((p) => p.y !== null && p.y !== undefined),
    });
    drawStep(div);
  });
  if (rec.numbers) drawNumbers(root, rec.numbers);
  root.querySelector(".pp-numbers").classList.toggle("pp-stale", !rec.numbers);
  if (rec.alt) root.querySelectorAll(".pp-alt").forEach((p, j) => (p.textContent = rec.alt[j] || ""));
  if (rec.tally) root.querySelector(".pp-readout").textContent = rec.tally;
  root.dataset.k = String(rec.k); // read by the browser tests and benchmarks
  updateStepControls(root, rec.k);
  drawPredict(root, rec);
}

// Where each step button goes from k (Epoch: the end of k's epoch, or of the next one
// when k is an epoch's end; also from a step whose record has not arrived yet).
function targets(k) {
  const d = state.data;
  const per = Math.max(1, d.per_epoch);
  return {
    start: 0,
    back: Math.max(0, k - 1),
    step: Math.min(d.n_updates, k + 1),
    epoch: Math.min(d.n_updates, (Math.floor(k / per) + 1) * per),
    end: d.n_updates,
  };
}

// In hand-fit mode Step takes a gradient step and Back undoes a move; the rest is hidden.
const HAND_LABELS = { step: "Gradient step", back: "Undo move" };

function updateStepControls(root, k) {
  const K = state.data.n_updates;
  const hand = handMode();
  const off = { start: k <= 0, back: k <= 0, step: k >= K, epoch: k >= K, end: k >= K };
  root.querySelectorAll(".pp-step").forEach((btn) => {
    const go = btn.dataset.go;
    btn.hidden = hand && !HAND_LABELS[go];
    const label = (hand && HAND_LABELS[go]) || btn.dataset.name;
    if (btn.dataset.shown !== label) {
      setButton(btn, go, label);
      btn.dataset.shown = label;
    }
    btn.disabled = hand ? (go === "back" && state.data.hand.moves === 0) : K === 0 || off[go];
  });
  root.querySelector(".pp-scrub-row").hidden = hand;
  const scrub = root.querySelector(".pp-scrub");
  scrub.max = String(K);
  scrub.value = String(k);
  scrub.disabled = K === 0;
  root.querySelector(".pp-scrub-label").textContent = K
    ? `Step ${k.toLocaleString("en-US")} of ${K.toLocaleString("en-US")}`
    : "No run yet";
}

// The learner asked for step k: show it now if its record is here, else ask Python.
// t0: when the input event happened (performance.now() time), for the latency figure.
function moveTo(root, k, t0 = performance.now()) {
  const d = state.data;
  if (!d || d.n_updates === 0) return;
  if (state.playTimer) stopPlay(null);
  k = Math.max(0, Math.min(d.n_updates, Math.round(k)));
  const from = state.want;
  state.want = k;
  if (predicting()) {
    if (k === from + 1) reveal(k);
    else state.steppedTo = null;
  }
  const rec = state.records.get(k);
  if (rec) {
    showRecord(root, rec);
    say(root, rec.said);
    measureToFrame("pp-step", t0);
  } else {
    root.querySelector(".pp-status").textContent = `Going to step ${k.toLocaleString("en-US")}…`;
    updateStepControls(root, k);
  }
  scheduleReport(!rec || nearEdge(k) ? 0 : REPORT_AFTER);
}

// Whether k is within RECORDS_MARGIN of the edge of the unbroken run of records around it
// (an edge at step 0 or K is no edge).
function nearEdge(k) {
  let hi = k;
  let lo = k;
  while (hi - k < RECORDS_MARGIN && state.records.has(hi + 1)) hi += 1;
  while (k - lo < RECORDS_MARGIN && state.records.has(lo - 1)) lo -= 1;
  return (hi - k < RECORDS_MARGIN && hi < state.data.n_updates) || (k - lo < RECORDS_MARGIN && lo > 0);
}

function scheduleReport(delay) {
  clearTimeout(state.reportTimer);
  state.reportTimer = setTimeout(report, delay);
}

// Tell Python the step on show (it writes the URL and sends records around it).
function report() {
  state.reportTimer = null;
  if (state.want === null || !state.data || state.want === state.data.k) return;
  state.reported = state.want;
  state.trigger("paused_at", { k: state.want, resume: false, t: Date.now() });
}

// A new payload: its records replace the old; the learner's step stays what it was when
// the payload answers a report while the learner went on (the same run), else it is
// Python's (a new run, Back/Forward, another page).
function takeRecords(data) {
  const sameRun = state.run === data.series_key;
  state.records = new Map(data.records.map((r) => [r.k, r]));
  const keep = sameRun && state.want !== null && state.reported !== null && data.k === state.reported;
  if (!keep) state.want = data.k;
  if (data.k === state.want) state.reported = null;
  state.run = data.series_key;
  return state.records.get(state.want) || state.records.get(data.k);
}

// The step buttons: what each does, its label, and its keys.
const STEP_BUTTONS = [
  ["start", "Start", "Back to step 0 (Home)", "Home"],
  ["back", "Back", "One update back (Left arrow, PageUp)", "ArrowLeft PageUp"],
  ["step", "Step", "One update forward (Right arrow, PageDown)", "ArrowRight PageDown"],
  ["epoch", "Epoch", "Forward to the end of this epoch", ""],
  ["end", "End", "To the last update (End)", "End"],
];

const STEP_KEYS = {
  ArrowRight: "step", PageDown: "step", ArrowLeft: "back", PageUp: "back", Home: "start", End: "end",
};

function stepBar(root) {
  const bar = root.querySelector(".pp-stepbar");
  for (const [go, label, tip, keys] of STEP_BUTTONS) {
    const btn = document.createElement("button");
    btn.type = "button";
    btn.className = `pp-step pp-button${go === "step" ? " pp-primary" : ""}`;
    btn.dataset.go = go;
    btn.dataset.name = label;
    btn.title = tip;
    if (keys) btn.setAttribute("aria-keyshortcuts", keys);
    setButton(btn, go, label);
    btn.addEventListener("click", (ev) =>
      handMode() ? handStep(go) : moveTo(root, targets(state.want ?? 0)[go], ev.timeStamp),
    );
    bar.appendChild(btn);
  }
  const scrub = root.querySelector(".pp-scrub");
  scrub.addEventListener("input", (ev) => moveTo(root, Number(scrub.value), ev.timeStamp));
}

// Before the page is left by a link (another page of the app), the step on show must reach
// Python first, or the other page would open at the old one: the link's click waits for
// Python's answer to the report (at most LINK_WAIT ms), then goes ahead. A reload or a
// closed tab reports at once.
const LINK_WAIT = 2000;

function hookLeaving() {
  if (state.leavingHooked) return;
  state.leavingHooked = true;
  document.addEventListener(
    "click",
    (ev) => {
      const link = ev.target.closest && ev.target.closest("a[href]");
      if (!link || link === state.releasing || !unreported()) return;
      ev.preventDefault();
      ev.stopPropagation();
      state.deferred = link;
      clearTimeout(state.reportTimer);
      report();
      setTimeout(releaseLink, LINK_WAIT);
    },
    true,
  );
  window.addEventListener("pagehide", () => unreported() && report());
}

// Whether the step on show differs from the step Python has.
function unreported() {
  return !!(state.data && document.querySelector(".pp-root") && state.want !== null && state.want !== state.data.k);
}

function releaseLink() {
  const link = state.deferred;
  state.deferred = null;
  if (!link || !link.isConnected) return;
  state.releasing = link; // this click is ours: let it through
  link.click();
  state.releasing = null;
}
