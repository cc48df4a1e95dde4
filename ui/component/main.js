// The keys with nothing focused, and the component's entry point: build the DOM once,
// then draw each payload Python sends.

// A focused control that uses the arrow keys itself (a slider, a radio group, a list).
function widget(el) {
  const role = el && el.getAttribute && el.getAttribute("role");
  return ["slider", "radio", "radiogroup", "tab", "listbox", "option", "combobox", "spinbutton", "menu", "menuitem"].includes(role);
}

function hookKeys(root) {
  if (state.keysHooked) return;
  state.keysHooked = true;
  // Back/Forward: tell Python which address the browser went to (see ui/state.py).
  window.addEventListener("popstate", () => {
    if (document.querySelector(".pp-root")) {
      state.trigger("history", { query: window.location.search, t: Date.now() });
    }
  });
  document.addEventListener("keydown", (ev) => {
    const el = document.activeElement;
    const typing = el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.isContentEditable);
    if (typing || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const live = document.querySelector(".pp-root");
    if (!live) return;
    if ((ev.key === "p" || ev.key === "P") && !handMode()) {
      ev.preventDefault();
      togglePlay(live);
    } else if (STEP_KEYS[ev.key] && !widget(el)) {
      // Clickers send PageDown/PageUp. The step moves here, with no server round trip.
      ev.preventDefault();
      if (handMode()) handStep(STEP_KEYS[ev.key]);
      else if (state.data) moveTo(live, targets(state.want ?? 0)[STEP_KEYS[ev.key]], ev.timeStamp);
    } else if (ANSWER_KEYS[ev.key] !== undefined && predicting() && !widget(el)) {
      if (answer(live, ANSWER_KEYS[ev.key])) ev.preventDefault();
    } else if (["0", "1", "e", "E"].includes(ev.key)) {
      ev.preventDefault();
      state.trigger("key", { key: ev.key.toLowerCase() === "e" ? "e" : ev.key, t: Date.now() });
    }
  });
}

// A new mode was chosen (the focus is still on its picker in the step bar, whose arrow keys
// would choose another): predicting, the focus goes to the question's first answer; fitting by hand,
// it leaves the picker, so → and ← take a gradient step and undo one.
function modeChanged(root, mode) {
  if (state.mode === mode) return;
  const first = state.mode === undefined;
  state.mode = mode;
  const el = document.activeElement;
  if (first || !el || !el.closest || !el.closest(".st-key-stepbar")) return;
  const option = root.querySelector(".pp-option");
  if (mode === "predict" && option) option.focus({ preventScroll: true });
  else el.blur();
}

export default function (component) {
  const { data, parentElement, setStateValue, setTriggerValue } = component;
  state.setState = setStateValue;
  state.trigger = setTriggerValue;
  let root = parentElement.querySelector(".pp-root");
  if (!root) {
    root = document.createElement("div");
    root.className = "pp-root";
    root.innerHTML = `
      <div class="pp-main-wrap">
        <div class="pp-stepbar" role="group" aria-label="Step through the run"></div>
        <div class="pp-toolbar">
          <button class="pp-play pp-button" type="button" aria-pressed="false"></button>
          <button class="pp-fit pp-button" type="button"
            title="Fit the view to the points (placing points never moves it)"></button>
          <label class="pp-scrub-row"><span class="pp-scrub-label"></span>
            <input class="pp-scrub" type="range" min="0" max="0" step="1" value="0">
          </label>
          <span class="pp-sr pp-said" role="status" aria-live="polite"></span>
          <div class="pp-legend"></div>
        </div>
        <div class="pp-plot pp-data">
          <canvas class="pp-shade"></canvas><svg class="pp-under"></svg>
          <div class="pp-main" role="figure" aria-label="Data chart" tabindex="0"
            aria-describedby="pp-alt-0 pp-keys-help"></div>
          <p class="pp-sr pp-alt" id="pp-alt-0"></p>
          <p class="pp-sr" id="pp-keys-help">Arrow keys move a crosshair, Shift for bigger
            moves; Enter or Space places a point of the chosen class there; Delete removes
            the point under it.</p>
          <svg class="pp-rings"></svg><svg class="pp-clicks"></svg>
          <svg class="pp-cross" aria-hidden="true"></svg><svg class="pp-drag" aria-hidden="true"></svg>
          <div class="pp-note" role="note" hidden></div>
          <div class="pp-probe" aria-hidden="true"></div>
          <div class="pp-flash" role="status" aria-live="polite" hidden></div>
          <span class="pp-status" role="status" aria-live="polite"></span>
        </div>
      </div>
      <div class="pp-side">
        <div class="pp-ask" role="group" aria-label="Your prediction" hidden>
          <p class="pp-verdict" hidden></p>
          <p class="pp-question"></p>
          <div class="pp-options"></div>
          <p class="pp-hint"></p>
          <button class="pp-see pp-button" type="button" aria-keyshortcuts="ArrowRight PageDown"
            title="One update forward: see what it does (Right arrow, PageDown)">Step and see</button>
          <p class="pp-score" role="status" aria-live="polite"></p>
        </div>
        <div class="pp-numbers" role="group" aria-label="Update k in numbers"></div>
        <p class="pp-readout"></p>
        <div class="pp-plot"><div class="pp-series" role="figure" aria-label="Loss chart"
          aria-describedby="pp-alt-1"></div><svg class="pp-overlay" aria-hidden="true"></svg>
          <p class="pp-sr pp-alt" id="pp-alt-1"></p></div>
        <div class="pp-plot"><div class="pp-series" role="figure" aria-label="Derivatives chart"
          aria-describedby="pp-alt-2"></div><svg class="pp-overlay" aria-hidden="true"></svg>
          <p class="pp-sr pp-alt" id="pp-alt-2"></p></div>
        <div class="pp-plot"><div class="pp-series" role="figure" aria-label="Weights chart"
          aria-describedby="pp-alt-3"></div><svg class="pp-overlay" aria-hidden="true"></svg>
          <p class="pp-sr pp-alt" id="pp-alt-3"></p></div>
      </div>`;
    parentElement.appendChild(root);
    stepBar(root);
    root.querySelector(".pp-play").addEventListener("click", () => togglePlay(root));
    root.querySelector(".pp-see").addEventListener("click", (ev) =>
      moveTo(root, targets(state.want ?? 0).step, ev.timeStamp),
    );
    const fit = root.querySelector(".pp-fit");
    setButton(fit, "fit", "Fit view");
    fit.addEventListener("click", () => state.trigger("fit", { t: Date.now() }));
    const main = root.querySelector(".pp-main");
    main.addEventListener("pointerdown", (ev) => onPointerDown(ev, root), true);
    main.addEventListener("mousemove", (ev) => showProbe(ev, root));
    main.addEventListener("mouseleave", () => (root.querySelector(".pp-probe").textContent = ""));
    hookCrosshair(root);
  }
  hookKeys(root);
  hookLeaving();
  hookPointers();
  watchSize(root);
  if (state.playTimer) stopPlay(false);

  const ack = data.ack || {};
  if (ack.client === state.clientId) {
    state.pending = state.pending.filter((p) => p.seq > ack.seq);
  }
  state.data = data;
  state.root = root;
  takeAnswers(data);
  const rec = takeRecords(data);
  if (state.deferred && data.k === state.want) releaseLink(); // Python has the step now
  updatePlayButton(root);
  checkTheme(parentElement);
  root.classList.toggle("pp-presenter", !!data.presenter);
  root.classList.toggle("pp-coarse", COARSE);
  root.classList.toggle("pp-hand", handMode());
  root.classList.toggle("pp-points-locked", !!data.points_locked);

  loadPlotly(data.plotly_url).then((Plotly) => {
    drawLegend(root, data.legend, data.main.overlay.colors.outline);
    drawMain(Plotly, root, data);
    drawPending(root);
    const main = root.querySelector(".pp-main");
    // The chart mounted anew under a keyboard user (after placing a point): keep the focus.
    if (state.chartFocused && state.keyFocus && document.activeElement !== main) {
      state.refocusing = true;
      main.focus({ preventScroll: true });
      state.refocusing = false;
    }
    drawCrosshair(root);
    root.querySelectorAll(".pp-series").forEach((div, j) => drawSeries(Plotly, div, j, data));
    if (handMode()) {
      showHand(root);
      updateStepControls(root, data.k);
      dragAnswered(root);
    } else {
      showRecord(root, rec);
    }
    if (!handMode() && state.want !== data.k) {
      // The learner went on meanwhile: show that step, and report it when they pause.
      const own = state.records.get(state.want);
      if (own) showRecord(root, own);
      scheduleReport(own ? REPORT_AFTER : 0);
    }
    modeChanged(root, data.mode);
    fitCharts(root); // the line charts follow the data chart's height
    root.dataset.rendered = String(data.render_id);
    if (data.autoplay && !state.playTimer) startPlay(root);
  });
}
