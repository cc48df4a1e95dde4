// Predict, then reveal. In predict mode each step record carries the question about the
// next update (rec.ask: no answer in it) and the truth about its own update (rec.truth).
// The learner answers (a click, or ↑ ↓ = with nothing focused), then Step shows the next
// record's truth beside the answer; the "predicted" event tells Python, which scores it
// (each update once) and answers with the score. Python also takes the step from it.

function predicting() {
  return !!(state.data && state.data.mode === "predict");
}

// [option given, right or not] for update k, once revealed (Python's, or ours meanwhile).
function revealedAt(k) {
  const mine = state.revealed[k];
  const python = state.data.predict ? state.data.predict.answers[String(k)] : null;
  return python || mine || null;
}

// The label of option `id` of the question asked about update k, or the id itself.
function optionLabel(k, id) {
  const before = state.records.get(k - 1);
  const options = (before && before.ask && before.ask.options) || [];
  const found = options.find((o) => o[0] === id);
  return found ? found[1] : id;
}

// The verdict on update k (if the learner answered it, or just stepped past it).
function verdictText(rec) {
  if (!rec.truth) return null;
  const shown = revealedAt(rec.k);
  const truth = optionLabel(rec.k, rec.truth.answer);
  if (shown) {
    const said = optionLabel(rec.k, shown[0]);
    return shown[1]
      ? [`✓ Right: you said it ${said}.`, rec.truth.reason]
      : [`✗ Not this time: you said it ${said}; it ${truth}.`, rec.truth.reason];
  }
  if (state.steppedTo === rec.k) return [`Update ${rec.k} was not predicted: it ${truth}.`, rec.truth.reason];
  return null;
}

function drawPredict(root, rec) {
  const card = root.querySelector(".pp-ask");
  card.hidden = !predicting();
  if (!predicting() || !rec) return;
  const verdict = verdictText(rec);
  const top = card.querySelector(".pp-verdict");
  top.replaceChildren();
  if (verdict) {
    const head = document.createElement("strong");
    head.textContent = verdict[0];
    const why = document.createElement("span");
    why.textContent = " " + verdict[1];
    top.append(head, why);
  }
  top.hidden = !verdict;
  const question = card.querySelector(".pp-question");
  const options = card.querySelector(".pp-options");
  options.replaceChildren();
  const ask = rec.ask;
  if (ask) {
    question.textContent = ask.text;
    const chosen = state.given[rec.k + 1];
    ask.options.forEach(([id, label], i) => {
      const btn = document.createElement("button");
      btn.type = "button";
      btn.className = "pp-button pp-option" + (i === 2 ? " pp-option-rare" : "");
      btn.textContent = `${["↑", "↓", "="][i]} ${label}`;
      btn.setAttribute("aria-pressed", chosen === id ? "true" : "false");
      btn.setAttribute("aria-keyshortcuts", ["ArrowUp", "ArrowDown", "="][i]);
      btn.addEventListener("click", () => answer(root, i));
      options.appendChild(btn);
    });
  } else {
    question.textContent =
      rec.k >= state.data.n_updates ? "The run is over: no update left to predict." : "No question fits this update.";
  }
  const chosen = ask && state.given[rec.k + 1];
  card.querySelector(".pp-hint").textContent = chosen
    ? "Now step (→) to see what the update does."
    : ask
      ? "Choose an answer (↑, ↓ or =), then step."
      : "";
  const see = card.querySelector(".pp-see");
  see.hidden = rec.k >= state.data.n_updates;
  see.classList.toggle("pp-primary", !!chosen);
  card.querySelector(".pp-score").textContent = state.data.predict.score || "";
}

// The learner chose option i of the question on show (about the next update).
function answer(root, i) {
  const rec = state.records.get(state.want);
  if (!predicting() || !rec || !rec.ask || !rec.ask.options[i]) return false;
  state.given[rec.k + 1] = rec.ask.options[i][0];
  drawPredict(root, rec);
  say(root, `You answered: it ${rec.ask.options[i][1]}. Press Step to see.`);
  return true;
}

// One step forward in predict mode reveals update k: the answer (if any) goes to Python,
// which scores it and takes the step (so the step is reported with it).
function reveal(k) {
  state.steppedTo = k;
  const given = state.given[k];
  const rec = state.records.get(k);
  if (!given || !rec || !rec.truth || revealedAt(k)) return;
  state.revealed[k] = [given, given === rec.truth.answer];
  state.reported = k;
  clearTimeout(state.reportTimer);
  state.trigger("predicted", { k: k, given: given, t: Date.now() });
}

const ANSWER_KEYS = { ArrowUp: 0, ArrowDown: 1, "=": 2 };

// A new run forgets the answers given for the old one.
function takeAnswers(data) {
  if (state.answersRun !== data.series_key) {
    state.answersRun = data.series_key;
    state.given = {};
    state.revealed = {};
    state.steppedTo = null;
  }
}
