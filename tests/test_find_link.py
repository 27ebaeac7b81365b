"""« Retrouver mon lien »: an address's private links, mailed to that address only, the same answer for all."""

import re

from helpers import ORGANISERS, VALID, csrf_token, plain, submit, text_of

URL = "/proposition/retrouver"


def ask(client, address: str):
    return client.post(URL, data={"email": address, "csrf_token": csrf_token(client, URL)})


def said(client) -> str:
    return plain(text_of(client.get(URL).get_data(as_text=True)))


def test_the_links_go_to_the_address_only(app, client, smtp):
    submit(client)
    submit(client, title="Une seconde proposition sur les logiciels libres")
    confirmation_link = re.search(r"/proposition/\S+", smtp.to(VALID["email"])[0].get_body(("plain",)).get_content())
    smtp.messages.clear()
    smtp.envelopes.clear()
    stranger = app.test_client()
    answer = ask(stranger, "  Camille.Dupont@interieur.gouv.fr ")
    assert answer.status_code == 303
    assert "un courriel avec leurs liens personnels vient de partir vers elle" in said(stranger)
    [mail] = smtp.messages
    assert mail["To"] == VALID["email"]
    assert [envelope.rcpt_tos for envelope in smtp.envelopes] == [[VALID["email"]]]
    body = mail.get_body(("plain",)).get_content()
    assert "BH22-0001" in body and "BH22-0002" in body
    assert confirmation_link.group(0) in body
    assert not any(organiser in str(mail) for organiser in ORGANISERS)


def test_an_address_without_proposals_gets_the_same_answer_and_no_mail(app, client, smtp):
    submit(client)
    smtp.messages.clear()
    smtp.envelopes.clear()
    other = app.test_client()
    ask(other, "personne@exemple.gouv.fr")
    unknown = said(other)
    ask(client, VALID["email"])
    known = said(client)
    address = re.compile(r"Si l’adresse \S+ a envoyé")
    assert address.sub("", unknown) == address.sub("", known)
    assert [mail["To"] for mail in smtp.messages] == [VALID["email"]]


def test_a_wrong_address_is_said_wrong(client):
    page = ask(client, "pas-une-adresse")
    assert page.status_code == 200
    assert "Cette adresse électronique n’est pas valide" in plain(text_of(page.get_data(as_text=True)))


def test_the_page_is_rate_limited_per_address(app, client, smtp):
    submit(client)
    for _ in range(3):
        assert ask(app.test_client(), VALID["email"]).status_code == 303
    assert ask(app.test_client(), VALID["email"].upper()).status_code == 429
    assert ask(app.test_client(), "quelquun@exemple.gouv.fr").status_code == 303
