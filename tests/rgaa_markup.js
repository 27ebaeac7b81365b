// The RGAA checks made on a page's markup: evaluated in Chromium by tests/browser/test_rgaa.py.
// Each criterion gets [verdict, evidence]: "C", "NC", or "NA" when the page has nothing it applies to.
() => {
  const all = (selector, root = document) => Array.from(root.querySelectorAll(selector));
  const shown = (element) => !!(element.offsetWidth || element.offsetHeight || element.getClientRects().length)
    && getComputedStyle(element).visibility !== "hidden";
  const text = (element) => (element.textContent || "").replace(/\s+/g, " ").trim();
  const name = (element) => {
    const labelledby = element.getAttribute("aria-labelledby");
    if (labelledby) return labelledby.split(/\s+/).map((id) => text(document.getElementById(id) || {})).join(" ").trim();
    return (element.getAttribute("aria-label") || "").trim() || text(element) || (element.getAttribute("title") || "").trim()
      || all("img[alt]", element).map((image) => image.alt).join(" ").trim();
  };
  const result = {};
  const check = (criterion, applies, failures, what) => {
    if (!applies) { result[criterion] = ["NA", `Aucun ${what} sur la page.`]; return; }
    result[criterion] = failures.length ? ["NC", failures.slice(0, 5).join(" ; ")] : ["C", `${what} : vérifié.`];
  };

  // 1. Images: <img>, role="img", <svg>, <area>, <input type=image>, <object>, <embed>, <canvas>.
  const images = all("img, [role=img], input[type=image], area, object, embed, canvas");
  const informative = images.filter((image) => image.getAttribute("aria-hidden") !== "true" && image.getAttribute("alt") !== "");
  check("1.1", informative.length, informative.filter((image) => !name(image) && !image.getAttribute("alt"))
    .map((image) => `${image.tagName} sans alternative`), "image porteuse d’information");
  const svgs = all("svg").filter((svg) => svg.getAttribute("role") !== "img");
  check("1.2", svgs.length, svgs.filter((svg) => svg.getAttribute("aria-hidden") !== "true")
    .map(() => "svg décoratif sans aria-hidden"), "image de décoration");
  // 2. Frames.
  const frames = all("iframe, frame");
  check("2.1", frames.length, frames.filter((frame) => !frame.title).map(() => "cadre sans titre"), "cadre");
  // 4. Media: none may play without a text alternative; none is expected on this site.
  const media = all("video, audio, object[type^=video], object[type^=audio]");
  check("4.1", media.length, media.map((element) => `${element.tagName} à examiner`), "média temporel");
  // 5. Data tables: a caption, header cells, and their scope.
  const tables = all("table").filter((table) => table.getAttribute("role") !== "presentation");
  check("5.4", tables.length, tables.filter((table) => !(table.caption && text(table.caption))
    && !table.getAttribute("aria-label") && !table.getAttribute("aria-labelledby")).map(() => "tableau sans titre"),
    "tableau de données");
  check("5.6", tables.length, tables.filter((table) => !all("th", table).length).map(() => "tableau sans en-tête"),
    "tableau de données");
  check("5.7", tables.length, tables.flatMap((table) => all("th", table)).filter((th) => !th.getAttribute("scope")
    && !th.id).map((th) => `en-tête « ${text(th)} » sans scope`), "tableau de données");
  // 6. Links: each has a name, and no name says nothing out of context.
  const links = all("a[href]").filter(shown);
  const vague = /^(ici|cliquez ici|en savoir plus|lire la suite|plus|voir|lien)$/i;
  check("6.1", links.length, links.filter((link) => vague.test(name(link)) && !link.getAttribute("title")
    && !link.getAttribute("aria-label")).map((link) => `lien « ${name(link)} » hors contexte`), "lien");
  check("6.2", links.length, links.filter((link) => !name(link)).map((link) => `lien sans intitulé vers ${link.getAttribute("href")}`), "lien");
  // 8. Required elements: language, title.
  const lang = document.documentElement.getAttribute("lang");
  result["8.3"] = lang ? ["C", `lang="${lang}"`] : ["NC", "pas d’attribut lang sur html"];
  result["8.4"] = lang === "fr" ? ["C", "la page est en français, lang=\"fr\""] : ["NC", `lang="${lang}"`];
  const title = document.title.trim();
  result["8.5"] = title ? ["C", `« ${title} »`] : ["NC", "pas de titre"];
  const h1 = document.querySelector("h1");
  const heading = h1 ? text(h1).replace(/\u00a0/g, " ") : "";
  const titleText = title.replace(/\u00a0/g, " ");
  const words = (value) => new Set(value.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "")
    .split(/[^a-z0-9]+/).filter((word) => word.length >= 5));
  const shared = [...words(heading)].filter((word) => words(titleText).has(word));
  result["8.6"] = h1 && titleText.includes("BlueHats") && (titleText.includes(heading) || shared.length)
    ? ["C", `titre « ${title} », titre principal « ${heading} »`] : ["NC", `titre « ${title} » sans « ${heading} »`];
  const direction = all("[dir]").filter((element) => !["ltr", "rtl", "auto"].includes(element.getAttribute("dir")));
  check("8.10", all("[dir]").length, direction.map(() => "attribut dir invalide"), "changement de sens de lecture");
  // 9. Structure: one h1, no level skipped; landmarks; lists made of items.
  const headings = all("h1, h2, h3, h4, h5, h6, [role=heading]").filter(shown);
  const levels = headings.map((h) => Number(h.getAttribute("aria-level") || h.tagName[1]));
  const skips = levels.filter((level, index) => index > 0 && level > levels[index - 1] + 1);
  const failures = [];
  if (all("h1").length !== 1) failures.push(`${all("h1").length} titres h1`);
  if (skips.length) failures.push(`niveau sauté : ${levels.join(" ")}`);
  check("9.1", headings.length, failures, "titre");
  const landmarks = ["header[role=banner], [role=banner]", "main, [role=main]", "footer[role=contentinfo], [role=contentinfo]", "nav, [role=navigation]"];
  const missing = landmarks.filter((selector) => !document.querySelector(selector));
  result["9.2"] = missing.length ? ["NC", `manque ${missing.join(", ")}`] : ["C", "en-tête, navigation, contenu principal et pied de page balisés"];
  const lists = all("ul, ol");
  check("9.3", lists.length, lists.filter((list) => Array.from(list.children).some((child) => !["LI", "SCRIPT", "TEMPLATE"].includes(child.tagName)))
    .map(() => "liste avec un enfant qui n’est pas un élément de liste"), "liste");
  const quotes = all("q, blockquote");
  check("9.4", quotes.length, [], "citation");
  // 10. Presentation: no presentational markup; links told apart from the text around them.
  const presentational = all("font, center, basefont, big, blink, marquee, s, strike, tt, u, [align], [bgcolor], [border]:not(table), [vspace], [hspace]");
  result["10.1"] = presentational.length ? ["NC", presentational.slice(0, 3).map((element) => element.tagName).join(", ")]
    : ["C", "aucune balise ni aucun attribut de présentation ; la mise en forme vient des feuilles de style"];
  const inText = all("main p a[href], main li a[href]").filter(shown).filter((link) => {
    const parent = link.parentElement; return text(parent).length > text(link).length + 10;
  });
  check("10.6", inText.length, inText.filter((link) => {
    const style = getComputedStyle(link);
    return !style.textDecorationLine.includes("underline") && style.backgroundImage === "none";
  }).map((link) => `lien « ${text(link)} » non souligné`), "lien dans un texte");
  // 11. Forms: labels, names that contain them, groups, buttons, required fields, autocomplete.
  const fields = all("input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea")
    .filter((field) => shown(field) || field.type === "radio" || field.type === "checkbox" || field.type === "file");
  const labelOf = (field) => (field.labels && field.labels.length ? text(field.labels[0]) : "");
  check("11.1", fields.length, fields.filter((field) => !labelOf(field) && !field.getAttribute("aria-label")
    && !field.getAttribute("aria-labelledby") && !field.title).map((field) => `champ ${field.name} sans étiquette`), "champ de formulaire");
  check("11.2", fields.length, fields.filter((field) => labelOf(field) && field.getAttribute("aria-label")
    && !field.getAttribute("aria-label").includes(labelOf(field).slice(0, 10))).map((field) => `champ ${field.name} : nom accessible sans son étiquette visible`), "champ de formulaire");
  const groups = {};
  fields.filter((field) => field.type === "radio" || (field.type === "checkbox" && field.form && all(`input[type=checkbox][name="${field.name}"]`, field.form).length > 1))
    .forEach((field) => { (groups[field.name] = groups[field.name] || []).push(field); });
  const ungrouped = Object.entries(groups).filter(([, members]) => {
    const set = members[0].closest("fieldset, [role=group], [role=radiogroup]");
    return !set || !(set.querySelector("legend") || set.getAttribute("aria-labelledby") || set.getAttribute("aria-label"));
  });
  check("11.5", Object.keys(groups).length, ungrouped.map(([group]) => `groupe ${group} sans regroupement`), "groupe de cases ou de boutons radio");
  check("11.6", Object.keys(groups).length, ungrouped.map(([group]) => `groupe ${group} sans légende`), "groupe de cases ou de boutons radio");
  const buttons = all("button, input[type=submit], input[type=button], [role=button]").filter(shown);
  check("11.9", buttons.length, buttons.filter((button) => !name(button) && !button.value).map(() => "bouton sans intitulé"), "bouton");
  // A form's fields are mandatory unless their label says « facultatif »; a search or filter form (GET) has none.
  const forms = all("form").filter((form) => (form.method || "get").toLowerCase() === "post").filter((form) => all("input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea", form)
    .some((field) => field.name !== "website" && !(field.labels && field.labels.length && /facultatif/i.test(text(field.labels[0])))));
  check("11.10", forms.length, forms.filter((form) => {
    const around = text(form) + " " + text(form.previousElementSibling || {}) + " " + text(form.parentElement || {});
    return !/champs sont (obligatoires|facultatifs)/i.test(around);
  }).map((form) => `formulaire ${form.getAttribute("action") || ""} sans indication des champs obligatoires`), "formulaire à champs obligatoires");
  // A login's address is the account's name: « username » is the purpose WCAG lists for it.
  const personal = { first_name: ["given-name"], last_name: ["family-name"], email: ["email", "username"], administration: ["organization"] };
  // The person's own details only: a co-speaker's are someone else's, which the browser must not fill in.
  const personalFields = fields.filter((field) => field.name in personal);
  check("11.13", personalFields.length, personalFields.filter((field) => !personal[field.name].includes(field.getAttribute("autocomplete") || "")).map((field) => `champ ${field.name} sans autocomplete`), "champ sur la personne");
  // 12. Navigation: landmarks, skip links, tab order, a link to the site map.
  const skip = document.querySelector(".fr-skiplinks a[href^='#']");
  const target = skip && document.getElementById(skip.getAttribute("href").slice(1));
  result["12.7"] = skip && target ? ["C", `lien d’évitement « ${text(skip)} » vers #${target.id}`] : ["NC", "pas de lien d’évitement valide"];
  const main = document.querySelector("main");
  result["12.6"] = main && document.querySelector("header") && document.querySelector("footer") && document.querySelector("nav")
    ? ["C", "zones d’en-tête, de navigation, de contenu principal et de pied de page balisées"] : ["NC", "zone manquante"];
  const positive = all("[tabindex]").filter((element) => Number(element.getAttribute("tabindex")) > 0);
  result["12.8"] = positive.length ? ["NC", `${positive.length} tabindex positifs`] : ["C", "aucun tabindex positif : l’ordre de tabulation suit celui du code"];
  const sitemap = all("footer a[href]").find((link) => /plan-du-site$/.test(link.getAttribute("href")));
  result["12.4"] = sitemap ? ["C", "lien « Plan du site » dans le pied de page"] : ["NC", "pas de lien vers le plan du site"];
  const menu = document.querySelector("header nav, #menu nav, nav[role=navigation]");
  result["12.2"] = menu ? ["C", `menu : ${all("a", menu).map(text).join(", ")}`] : ["NC", "pas de menu"];
  // 13. No refresh nor redirect on a timer.
  const refresh = document.querySelector("meta[http-equiv=refresh i]");
  result["13.1"] = refresh ? ["NC", "meta refresh"] : ["C", "aucune actualisation ni redirection minutée"];
  // 7.5: what a script or an action writes on the page without taking the person elsewhere is announced: the
  // messages after an action (an alert that is not the page's own content) and the character counters.
  const messages = [...all(".fr-alert--sm"),
    ...all("[data-counter]").map((field) => document.getElementById(field.dataset.counter)).filter(Boolean)];
  check("7.5", messages.length, messages.filter((message) => !message.closest("[role=status], [role=alert], [aria-live]"))
    .map((message) => `message « ${text(message).slice(0, 40)} » non annoncé`), "message de statut");
  return result;
}
