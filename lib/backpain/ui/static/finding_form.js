// The differential lab's finding form (see finding_form.py). Every piece of text goes in through
// textContent or an attribute, never parsed as HTML, so data text can never become markup.

const STATES = ["unknown", "present", "absent"];

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function render({ model, el: root }) {
  let rows = new Map(); // finding id -> {row, buttons: {state: button}}
  let counts = new Map(); // group id -> count span
  let chips = null;
  let labels = new Map();
  const collapsed = new Set(); // groups the student folded, kept across a change of language

  function answers() {
    return model.get("answers") || {};
  }

  function setAnswer(id, state) {
    const next = { ...answers() };
    if (state === "unknown") delete next[id];
    else next[id] = state;
    model.set("answers", next);
    model.save_changes();
  }

  function build() {
    root.replaceChildren();
    rows = new Map();
    counts = new Map();
    labels = new Map();
    const phrases = model.get("phrases") || {};
    const names = phrases.answers || {};
    const symbols = phrases.symbols || {};
    const form = el("div", "bp-form");
    form.setAttribute("lang", model.get("lang"));
    form.setAttribute("aria-label", phrases.form || "");

    const summary = el("div", "bp-form-summary");
    summary.append(el("b", "bp-form-summary-title", phrases.summary || ""));
    chips = el("div", "bp-chips");
    summary.append(chips);
    form.append(summary);

    const groups = el("div", "bp-groups");
    const sections = new Map();
    for (const group of model.get("groups") || []) {
      const details = el("details", "bp-group");
      details.open = !collapsed.has(group.id);
      details.dataset.group = group.id;
      details.addEventListener("toggle", () => {
        if (details.open) collapsed.delete(group.id);
        else collapsed.add(group.id);
      });
      const head = el("summary", "bp-group-head");
      head.append(el("span", "bp-group-label", group.label));
      const count = el("span", "bp-group-count");
      head.append(count);
      details.append(head);
      counts.set(group.id, count);
      sections.set(group.id, details);
      groups.append(details);
    }
    for (const finding of model.get("findings") || []) {
      labels.set(finding.id, finding.label);
      const row = el("div", `bp-finding bp-finding-${finding.id}`);
      row.dataset.finding = finding.id;
      const seg = el("div", "bp-seg");
      seg.setAttribute("role", "group");
      seg.setAttribute("aria-label", finding.label);
      const buttons = {};
      for (const state of STATES) {
        const button = el("button", `bp-seg-${state}`, symbols[state] || state);
        button.type = "button";
        button.title = names[state] || state;
        button.setAttribute("aria-label", `${finding.label}: ${names[state] || state}`);
        button.dataset.state = state;
        button.addEventListener("click", () => setAnswer(finding.id, state));
        seg.append(button);
        buttons[state] = button;
      }
      row.append(seg, el("span", "bp-finding-label", finding.label));
      (sections.get(finding.group) || groups).append(row);
      rows.set(finding.id, { row, buttons });
    }
    form.append(groups);
    root.append(form);
    update();
  }

  function update() {
    const phrases = model.get("phrases") || {};
    const names = phrases.answers || {};
    const symbols = phrases.symbols || {};
    const given = answers();
    const perGroup = new Map();
    for (const finding of model.get("findings") || []) {
      const state = given[finding.id] || "unknown";
      const entry = rows.get(finding.id);
      if (!entry) continue;
      if (entry.row.dataset.state !== state) {  // touch only the rows that changed: restyling 116 rows costs a click
        entry.row.dataset.state = state;
        for (const s of STATES) entry.buttons[s].setAttribute("aria-pressed", String(s === state));
      }
      if (state !== "unknown") perGroup.set(finding.group, (perGroup.get(finding.group) || 0) + 1);
    }
    for (const [group, span] of counts) {
      const n = perGroup.get(group) || 0;
      span.textContent = n ? (phrases.n_set || "{n}").replace("{n}", n) : "";
    }
    chips.replaceChildren();
    const set = (model.get("findings") || []).filter((f) => given[f.id]);
    if (!set.length) chips.append(el("span", "bp-chips-none", phrases.none_set || ""));
    for (const finding of set) {
      const state = given[finding.id];
      const chip = el("button", `bp-chip bp-chip-${state}`);
      chip.type = "button";
      chip.dataset.finding = finding.id;
      chip.title = `${names[state] || state} · ${phrases.clear || ""}`;
      chip.append(el("span", "bp-chip-mark", symbols[state] || ""), el("span", "", finding.label), el("span", "bp-chip-x", "×"));
      chip.addEventListener("click", () => setAnswer(finding.id, "unknown"));
      chips.append(chip);
    }
  }

  model.on("change:answers", update);
  model.on("change:findings", build);
  model.on("change:phrases", build);
  build();
  return () => {
    model.off("change:answers", update);
    model.off("change:findings", build);
    model.off("change:phrases", build);
  };
}

export default { render };
