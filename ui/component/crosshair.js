// The keyboard's crosshair on the data chart, and the live region that says what happened.

// The data chart takes the focus (Tab): the arrow keys move a crosshair, Shift for bigger
// moves; Enter or Space places a point of the chosen class there, Delete or Backspace
// removes the point under it; the live region says where the crosshair is.
const CROSS_STEPS = 40; // a move is 1/40 of the view's width (Shift: 1/8)

const CROSS_REACH = 24; // px from the crosshair to a point it is "on"

const CROSS_KEYS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };

function onChartKey(ev, root) {
  const d = state.data;
  const gd = root.querySelector(".pp-main");
  const [xa, ya] = axes(gd);
  if (!d || !xa || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if (handMode()) return onHandKey(ev);
  const move = CROSS_KEYS[ev.key];
  const place = ev.key === "Enter" || ev.key === " ";
  const erase = ev.key === "Delete" || ev.key === "Backspace";
  if (!move && !place && !erase) return; // Page keys, P, 0/1/E: as anywhere else
  if (!state.keyFocus) return; // focused by a tap: the keys step, as with nothing focused
  ev.preventDefault();
  ev.stopPropagation();
  const c = crosshair(gd);
  let done = null; // what the keys did: "add", "erase", "nothing" (no point to remove)
  if (move) {
    const span = (xa.range[1] - xa.range[0]) / (ev.shiftKey ? 8 : CROSS_STEPS);
    const r = d.round;
    const clamp = (v, [lo, hi]) => Math.min(Math.max(v, lo), hi);
    c.x1 = clamp(Math.round((c.x1 + move[0] * span) * r) / r, xa.range);
    c.x2 = clamp(Math.round((c.x2 + move[1] * span) * r) / r, ya.range);
  } else if (!state.playTimer) {
    const tool = place ? "add" : "erase";
    done = editAt(root, xa.l2p(c.x1), ya.l2p(c.x2), tool, CROSS_REACH, ev.timeStamp) ? tool : "nothing";
  }
  drawCrosshair(root);
  say(root, crossText(gd, c, done));
}

// The crosshair's place in data units; at first the middle of the view.
function crosshair(gd) {
  const [xa, ya] = axes(gd);
  if (!state.cross) {
    state.cross = { x1: (xa.range[0] + xa.range[1]) / 2, x2: (ya.range[0] + ya.range[1]) / 2 };
  }
  return state.cross;
}

function crossText(gd, c, done) {
  const [xa, ya] = axes(gd);
  const d = state.data;
  const at = `(${c.x1.toFixed(2)}, ${c.x2.toFixed(2)})`.replaceAll("-", "−");
  const i = pointNear(gd, xa.l2p(c.x1), ya.l2p(c.x2), CROSS_REACH);
  const ov = state.overlay;
  const yhat = ov ? `, ŷ = ${sigmoid(ov.w[0] * c.x1 + ov.w[1] * c.x2 + ov.b).toFixed(3)}` : "";
  const on = i >= 0 ? `, on point ${i + 1} (class ${d.anim.y[i]})` : "";
  const what = {
    add: `Placed a class ${d.cls} point at ${at}`,
    erase: `Removed the point near ${at}`,
    nothing: `No point to remove at ${at}`,
  }[done] || `Crosshair at ${at}`;
  return what + yhat + on + ".";
}

function drawCrosshair(root) {
  const gd = root.querySelector(".pp-main");
  const svg = root.querySelector(".pp-cross");
  const [xa, ya] = axes(gd);
  svg.replaceChildren();
  if (!state.cross || !state.keyFocus || document.activeElement !== gd || !xa) return;
  const cx = xa._offset + xa.l2p(state.cross.x1);
  const cy = ya._offset + ya.l2p(state.cross.x2);
  const ink = state.overlay ? state.overlay.colors.boundary : "#111";
  const line = (x0, y0, x1, y1) =>
    svgEl("line", { x1: x0, y1: y0, x2: x1, y2: y1, stroke: ink, "stroke-width": 1.5, "stroke-dasharray": "4,3" });
  svg.append(
    line(xa._offset, cy, xa._offset + xa._length, cy),
    line(cx, ya._offset, cx, ya._offset + ya._length),
    svgEl("circle", { cx, cy, r: 9, fill: "none", stroke: ink, "stroke-width": 2.5 }),
  );
}

function say(root, text) {
  root.querySelector(".pp-said").textContent = text;
}

function hookCrosshair(root) {
  const gd = root.querySelector(".pp-main");
  gd.addEventListener("keydown", (ev) => onChartKey(ev, root));
  // A tap focuses the chart too (a mouse click does not: Plotly cancels mousedown); the
  // crosshair is for focus that came from the keyboard (Tab).
  gd.addEventListener("pointerdown", () => (state.pointerAt = performance.now()), true);
  gd.addEventListener("focus", () => {
    state.chartFocused = true;
    if (!state.refocusing) state.keyFocus = !(performance.now() - (state.pointerAt || -Infinity) < 1000);
    if (!state.keyFocus || !state.data || !axes(gd)[0]) return;
    say(root, crossText(gd, crosshair(gd), null));
    drawCrosshair(root);
  });
  gd.addEventListener("blur", () => {
    // A rerun that mounts the chart anew takes the focus away too: that is no blur.
    setTimeout(() => {
      if (gd.isConnected) state.chartFocused = state.keyFocus = false;
    }, 0);
    drawCrosshair(root);
  });
}
