"""The accessibility statement, written from the audit's grid on the model the State publishes."""

from collections.abc import Mapping, Sequence

from .audit import SAMPLE, Line, Verdict, criteria, rates, state_of_conformity

CONTACT = "logiciels-libres@data.gouv.fr"
# Criteria settled from Chromium's accessibility tree rather than with a screen reader in a person's hands.
HEARD_CRITERIA = ("1.3", "7.1", "7.5", "8.7", "11.2", "11.7", "12.8")


def percent(value: float) -> str:
    """Write a rate the French way, to one decimal when it is not whole."""
    text = f"{value:.0f}" if value == int(value) else f"{value:.1f}".replace(".", ",")
    return f"{text}\u00a0%"


def statement(lines: Sequence[Line], environment: Mapping[str, str]) -> str:
    """Return the statement's Markdown (front matter included): it says what the grid says, nothing else."""
    result = rates(lines)
    state = state_of_conformity(result.global_rate)
    titles = {criterion.number: criterion.title for criterion in criteria()}
    failing_pages: dict[str, list[Line]] = {}
    for line in lines:
        if line.verdict is Verdict.NON_CONFORME:
            failing_pages.setdefault(line.criterion, []).append(line)
    parts = [
        f"---\ntitle: Déclaration d’accessibilité\netat: {state}\n---\n",
        "La direction interministérielle du numérique (DINUM) s’engage à rendre ses sites internet accessibles "
        "conformément à l’article 47 de la loi n° 2005-102 du 11 février 2005.\n",
        "Cette déclaration d’accessibilité s’applique au site des Journées BlueHats.\n",
        "## État de conformité\n",
        f"Le site des Journées BlueHats est **{state}** avec le référentiel général d’amélioration de "
        "l’accessibilité (RGAA), version 4.1"
        + (".\n" if not result.failing else ", en raison des non-conformités énumérées ci-dessous.\n"),
        "## Résultats des tests\n",
        "L’audit de conformité, réalisé en interne par l’équipe qui développe le site, révèle que :\n",
        f"- **{percent(result.global_rate)} des critères du RGAA version 4.1 sont respectés** "
        f"({len(result.conforming)} critères conformes, {len(result.failing)} non conformes, "
        f"{len(result.not_applicable)} non applicables sur 106) ;",
        f"- le taux moyen de conformité des pages de l’échantillon s’élève à {percent(result.average_rate)}.\n",
        "Le taux de conformité compte les critères respectés sur toutes les pages où ils s’appliquent, rapportés "
        "aux critères applicables ; le taux moyen est la moyenne des taux de chaque page. Le détail, critère par "
        "critère et page par page, avec la manière dont chacun a été vérifié, est dans la grille d’audit, "
        "publiée avec le code du site (`docs/accessibilite/grille.md`).\n",
        "## Contenus non accessibles\n",
        "### Non-conformités\n",
    ]
    if failing_pages:
        for number, found in failing_pages.items():
            pages = ", ".join(line.page for line in found)
            parts.append(f"- Critère {number} ({titles[number]}) : {found[0].evidence} Pages : {pages}.")
        parts.append("")
    else:
        parts.append("Aucune : chaque critère applicable est respecté sur chaque page de l’échantillon.\n")
    parts += [
        "### Dérogations pour charge disproportionnée\n",
        "Aucune.\n",
        "### Contenus non soumis à l’obligation d’accessibilité\n",
        "- Les supports de présentation déposés par les intervenant·es (fichiers PDF ou autres), qui sont les "
        "leurs : le site les publie tels qu’ils les envoient, et demande à chacun·e un fichier accessible.",
        "- Les enregistrements vidéo des interventions, publiés sur une plateforme vidéo d’un autre site, vers "
        "laquelle le programme renvoie par un lien.\n",
        "## Établissement de cette déclaration\n",
        f"Cette déclaration a été établie le {environment['date']}. Elle repose sur un audit interne, mené par "
        "l’équipe qui développe le site et non par un organisme indépendant.\n",
        "### Technologies utilisées pour la réalisation du site\n",
        "HTML5, CSS (Système de design de l’État, DSFR) et JavaScript (le site fonctionne aussi sans).\n",
        "### Environnement de test\n",
        f"Navigateur {environment['browser']}, piloté par Playwright, à la taille d’un ordinateur (1 280 × 900 "
        "pixels) et d’un téléphone (360 × 740 pixels), puis à 320 pixels de large, avec un zoom de 200\u00a0%, à "
        "l’horizontale et avec l’espacement du texte du critère 10.12. Le clavier seul a servi à parcourir chaque "
        "page. Aucun lecteur d’écran n’a servi : les critères "
        + ", ".join(HEARD_CRITERIA)
        + " ont été vérifiés à partir de l’arbre d’accessibilité que le navigateur transmet aux lecteurs d’écran "
        "(noms, rôles, états, ordre), et une séance avec NVDA ou VoiceOver reste à mener pour les confirmer "
        "à l’oreille.\n",
        "### Outils pour évaluer l’accessibilité\n",
        f"- axe-core {environment['axe']} (règles WCAG 2.1 A et AA et règles RGAA), sur chaque page et dans "
        "chaque état, à chaque modification du site ;",
        f"- le validateur HTML du W3C (Nu Html Checker, vnu-jar {environment['vnu']}) ;",
        "- les tests du site (`tests/browser/test_rgaa.py`), qui vérifient page par page ce qu’un programme peut "
        "vérifier (titres, langue, structure, étiquettes, focus, ordre de tabulation, affichage) ;",
        "- la lecture du code et de la page, consignée pour chaque critère dans "
        "`docs/accessibilite/verifications.csv`.\n",
        "### Pages du site ayant fait l’objet de la vérification de conformité\n",
        *(f"- {page.label} (`{page.path}`)" for page in SAMPLE),
        "",
        "## Retour d’information et contact\n",
        "Si vous n’arrivez pas à accéder à un contenu ou à un service, vous pouvez contacter l’équipe du site "
        f"pour être orienté·e vers une alternative accessible ou obtenir le contenu sous une autre forme : "
        f"[{CONTACT}](mailto:{CONTACT}).\n",
        "## Voies de recours\n",
        "Cette procédure est à utiliser dans le cas suivant : vous avez signalé au responsable du site un défaut "
        "d’accessibilité qui vous empêche d’accéder à un contenu ou à un des services du site et vous n’avez pas "
        "obtenu de réponse satisfaisante.\n",
        "- Écrire un message au [Défenseur des droits](https://formulaire.defenseurdesdroits.fr/) ;",
        "- Contacter [le délégué du Défenseur des droits dans votre région](https://www.defenseurdesdroits.fr/"
        "saisir/delegues) ;",
        "- Envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : Défenseur des droits, "
        "Libre réponse 71120, 75342 Paris CEDEX 07.",
    ]
    return "\n".join(parts) + "\n"


def grid_table(lines: Sequence[Line]) -> str:
    """Return the grid as a Markdown page: the rates, then one row per criterion and page."""
    result = rates(lines)
    rows = [
        "# Grille d’audit RGAA 4.1",
        "",
        "Écrite par `flask accessibilite grille` à partir de `verifications.csv` et des résultats de "
        "`tests/browser/test_rgaa.py` ; ne pas la modifier à la main.",
        "",
        f"Taux de conformité : {percent(result.global_rate)} ({len(result.conforming)} conformes, "
        f"{len(result.failing)} non conformes, {len(result.not_applicable)} non applicables). "
        f"Taux moyen : {percent(result.average_rate)}.",
        "",
        "| critère | page | résultat | vérifié par | constat |",
        "| --- | --- | --- | --- | --- |",
    ]
    for line in lines:
        cells = [line.criterion, line.page, line.verdict.label, line.method, line.evidence]
        rows.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(rows) + "\n"
