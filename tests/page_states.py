"""Every page of the site in every state a visitor or an organiser meets, walked in Chromium."""

from datetime import datetime

from bluehats.core.clock import PARIS

from browser_helpers import log_in, propose
from helpers import VALID

INVITED = "nouvelle@numerique.gouv.fr"


def add_cospeakers_breaks_and_recording(app) -> None:
    """Give the published talk two co-speakers of two administrations, a recording, and the day two breaks."""
    from bluehats.extensions import db
    from bluehats.models import Break, CoSpeaker, Proposal

    with app.app_context():
        talk = db.session.get(Proposal, 1)
        talk.cospeakers = [
            CoSpeaker(position=0, first_name="Alexis", last_name="Kauffmann", email="a@x.fr", administration="MENJS"),
            CoSpeaker(position=1, first_name="Jérémy", last_name="Lal", email="j@x.fr", administration="Debian"),
        ]
        talk.video_url = "https://tube.numerique.gouv.fr/w/abc"
        for label, start, end in (("Accueil", 8, 9), ("Pause déjeuner", 12, 14)):
            day = datetime(2022, 11, 8, tzinfo=PARIS)
            db.session.add(Break(edition="osxp-2022", label=label, starts_at=day.replace(hour=start),
                                 ends_at=day.replace(hour=end)))  # fmt: skip
        db.session.commit()


def walk(app, page, smtp, clock) -> list[tuple[str, str]]:
    """Visit every page in every state; return (name, the HTML the server sent) for each."""
    base = app.base_url
    documents = []
    page.on(
        "response",
        lambda response: (
            response.request.resource_type == "document"
            and not 300 <= response.status < 400
            and documents.append(response)
        ),
    )
    states: list[tuple[str, str]] = []

    def visit(name: str, url: str | None = None) -> None:
        if url:
            page.goto(base + url)
        page.wait_for_load_state("load")
        for _ in range(50):  # the page's own document, not the one before it
            if documents and documents[-1].url == page.url:
                break
            page.wait_for_timeout(100)
        assert documents[-1].url == page.url, f"{name}: no document for {page.url}"
        states.append((name, documents[-1].text()))

    visit("accueil", "/")
    visit("mentions-legales", "/mentions-legales")
    visit("donnees-personnelles", "/donnees-personnelles")
    visit("accessibilite", "/accessibilite")
    visit("plan-du-site", "/plan-du-site")
    visit("programme-non-publie", "/programme")
    visit("page-introuvable", "/nulle-part")
    visit("formulaire", "/proposer")
    page.get_by_role("button", name="Envoyer ma proposition").click()
    visit("formulaire-erreurs")
    propose(page, base, kind=0, duration=2)
    visit("confirmation")
    link = smtp.to(VALID["email"])[0].get_body(("plain",)).get_content()
    private = link[link.index("http://") :].split()[0]
    visit("page-personnelle", private.replace(base, ""))
    visit("retrait", private.replace(base, "") + "/retrait")
    page.goto(private)
    page.get_by_text("Modifier ma proposition").click()
    page.fill("#title", "")
    page.get_by_role("button", name="Enregistrer les modifications").click()
    visit("page-personnelle-erreurs")
    visit("lien-personnel-tronque", private.replace(base, "")[:-5])
    visit("retrouver-mon-lien", "/proposition/retrouver")
    page.get_by_role("button", name="Recevoir mes liens").click()
    visit("retrouver-mon-lien-erreur")
    page.fill("#email", VALID["email"])
    page.get_by_role("button", name="Recevoir mes liens").click()
    visit("retrouver-mon-lien-envoye")
    visit("connexion", "/organisation/connexion")
    page.fill("#email", "inconnu@x.fr")
    page.fill("#password", "faux mot de passe")
    page.get_by_role("button", name="Se connecter").click()
    visit("connexion-erreur")
    log_in(page, base)
    visit("tableau-de-bord")
    visit("propositions", "/organisation/propositions")
    visit("proposition", "/organisation/propositions/1")
    page.get_by_role("button", name="Ajouter la note").click()
    visit("proposition-note-vide")
    page.goto(f"{base}/organisation/propositions/1")
    page.get_by_role("button", name="Donner mon avis").click()
    visit("proposition-avis-erreur")
    page.click("label[for=opinion-0]")
    page.fill("#comment", "Un bon sujet pour l’après-midi")
    page.get_by_role("button", name="Donner mon avis").click()
    page.wait_for_url("**#avis")
    visit("proposition-avis", "/organisation/propositions/1")
    visit("propositions-avis", "/organisation/propositions?avis=sans-mon-avis&tri=avis-favorables")
    visit("equipe", "/organisation/equipe")
    page.fill("#email", "pas-une-adresse")
    page.get_by_role("button", name="Envoyer l’invitation").click()
    visit("equipe-erreur")
    page.fill("#email", INVITED)
    page.get_by_role("button", name="Envoyer l’invitation").click()
    visit("equipe-invitation")
    visit("compte", "/organisation/compte")
    page.fill("#current", "faux")
    page.get_by_role("button", name="Changer le mot de passe").click()
    visit("compte-erreurs")
    visit("donnees", "/organisation/donnees")
    page.fill("#before", "2030-01-01")
    page.get_by_role("button", name="Voir ce qui serait effacé").click()
    visit("donnees-erreur")
    mail = smtp.to(INVITED)[0].get_body(("plain",)).get_content()
    visit("choisir-mot-de-passe", mail[mail.index("/organisation/mot-de-passe/") :].split()[0])
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    visit("choisir-mot-de-passe-erreurs")
    visit("mot-de-passe-oublie", "/organisation/mot-de-passe-oublie")
    page.get_by_role("button", name="Recevoir un lien").click()
    visit("mot-de-passe-oublie-erreur")
    visit("lien-expire", "/organisation/mot-de-passe/inconnu")
    visit("reponses", "/organisation/reponses")
    page.goto(f"{base}/organisation/propositions/1")
    page.click("label[for=decision-accepted]")
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.goto(f"{base}/organisation/reponses")
    page.click("label[for=confirm]")
    page.get_by_role("button", name="Envoyer les réponses").click()
    visit("reponses-envoyees")
    visit("programme-organisation", "/organisation/programme")
    page.get_by_role("button", name="Horaires à la suite, dans cet ordre").click()
    page.get_by_role("button", name="Publier maintenant").click()
    visit("programme-organisation-publie")
    visit("courriels", "/organisation/courriels?statut=sent")
    add_cospeakers_breaks_and_recording(app)
    visit("programme-publie", "/programme")
    visit("intervention", "/programme/BH22-0001")
    visit("programme-edition", "/editions/osxp-2022/programme")
    clock.set(datetime(2022, 10, 19, tzinfo=PARIS))
    visit("appel-clos", "/proposer")
    visit("donnees-confirmation", "/organisation/donnees/effacer?before=2022-10-15")
    clock.set(datetime(2022, 10, 21, 10, tzinfo=PARIS))  # the answer has left: the speaker reads it
    visit("page-personnelle-retenue", private.replace(base, ""))
    return states
