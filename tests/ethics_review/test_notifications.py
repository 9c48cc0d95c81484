"""Notifications: who hears of which step (pure rules, a table), the outbox written with the
action on a real catalogue, mailed to a real SMTP server on this machine (a small one written
here: Python 3.12 drops ``smtpd`` and aiosmtpd is not a dependency), failures recorded and
nothing lost, and `cartable outbox list|send`."""

import email
import email.policy
import json
import socket
import socketserver
import threading
from datetime import UTC, date, datetime

import pytest

from catalog.errors import CartableError
from catalog.roles import Account
from ethics_review.models import Condition, Decision, Grant, ReviewRequest, State
from ethics_review.notifications import Message, messages_for, reminder_messages
from ethics_review.outbox import MailSettings, Outbox
from ethics_review.service import ReviewService

from .conftest import PEOPLE
from .test_decision_record import access_body, ai_approval, committee_approval

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
ACCOUNTS = [
    Account(username=name, display_name=name.title(), roles=roles, organizations=organizations)
    for name, (roles, organizations) in PEOPLE.items()
]
COMMITTEE = ["rprp", "delegue", "ethique1", "ethique2", "ethique3"]


def request(state=State.DRAFT, **changes):
    base = ReviewRequest(
        id="DEM-2026-0007", title="Effet du tutorat", requester="analyste", organization="css-x",
        created_at=NOW, state=state,
        body=access_body([{"urn": "urn:li:dataset:(urn:li:dataPlatform:sqlite,css-x.a.b,PROD)"}]),
    )  # fmt: skip
    return base.model_copy(update=changes)


APPROVAL = Decision(
    outcome="approved", by="ethique2", role="ethics_member", at=NOW, round=1,
    grounds="Intérêt public démontré.",
    conditions=[Condition(code="deidentify", policy="recherche", policy_digest="ab" * 32),
                Condition(code="no_linkage")],
)  # fmt: skip
GRANT = Grant(starts=date(2026, 12, 1), ends=date(2027, 12, 1), remind_on=date(2027, 11, 1))
ASSESSED = {"level": 3}


@pytest.mark.parametrize(
    ("before", "after", "kind", "recipients"),
    [
        (request(), request(State.SUBMITTED), "submitted", ["rprp", "delegue"]),
        (request(State.REVISE), request(State.SUBMITTED), "submitted", ["rprp", "delegue"]),
        (request(State.SUBMITTED), request(State.TRIAGE), None, []),
        (request(State.TRIAGE), request(State.PRIVACY_REVIEW), None, []),
        (request(State.PRIVACY_REVIEW), request(State.COMMITTEE_REVIEW), "referred", COMMITTEE),
        (request(State.PRIVACY_REVIEW, assessment={"level": 4}),
         request(State.COMMITTEE_REVIEW, assessment={"level": 4}), "referred", [*COMMITTEE, "dg"]),
        (request(State.COMMITTEE_REVIEW), request(State.COMMITTEE_REVIEW), None, []),  # a vote
        (request(State.COMMITTEE_REVIEW),
         request(State.APPROVED, decisions=[APPROVAL], grant=GRANT), "decision", ["analyste"]),
        (request(State.PRIVACY_REVIEW),
         request(State.REFUSED, decisions=[APPROVAL.model_copy(update={"outcome": "refused"})]),
         "decision", ["analyste"]),
        (request(State.APPROVED), request(State.ACTIVE), None, []),
        (request(State.ACTIVE, grant=GRANT), request(State.REVOKED, grant=GRANT), "revoked",
         ["analyste"]),
        (request(State.ACTIVE, grant=GRANT), request(State.EXPIRED, grant=GRANT), "expired",
         ["analyste"]),
        (request(State.EXPIRED), request(State.CLOSED), None, []),
    ],
)  # fmt: skip
def test_who_hears_of_each_step(before, after, kind, recipients):
    messages = messages_for(before, after, ACCOUNTS)
    assert sorted(m.recipient for m in messages) == sorted(recipients)
    assert {m.kind for m in messages} == ({kind} if kind else set())
    assert all(m.request_id == "DEM-2026-0007" for m in messages)


def test_nobody_is_told_of_their_own_request():
    officer = request(requester="rprp")
    submitted = messages_for(
        officer, officer.model_copy(update={"state": State.SUBMITTED}), ACCOUNTS
    )
    assert [m.recipient for m in submitted] == ["delegue"]
    referred = messages_for(
        officer.model_copy(update={"state": State.PRIVACY_REVIEW}),
        officer.model_copy(update={"state": State.COMMITTEE_REVIEW}),
        ACCOUNTS,
    )
    assert "rprp" not in [m.recipient for m in referred]


def test_the_texts_are_french_and_say_what_happened():
    [decision] = messages_for(
        request(State.COMMITTEE_REVIEW),
        request(State.APPROVED, decisions=[APPROVAL], grant=GRANT),
        ACCOUNTS,
    )
    assert decision.subject == "Décision sur votre demande DEM-2026-0007 : approuvée"
    assert "Motifs : Intérêt public démontré." in decision.body
    assert "Aucun appariement avec d'autres renseignements" in decision.body
    assert f"(politique recherche, empreinte {'ab' * 32})" in decision.body
    assert "Accès accordé du 2026-12-01 au 2027-12-01." in decision.body
    [submitted] = messages_for(request(), request(State.SUBMITTED), ACCOUNTS[1:2])
    assert submitted.subject == "Nouvelle demande d'accès à des données à trier : DEM-2026-0007"
    [reminder] = reminder_messages(request(State.ACTIVE, grant=GRANT))
    assert reminder.recipient == "analyste" and reminder.kind == "reminder"
    assert reminder.subject == "Rappel : votre accès DEM-2026-0007 prend fin le 2027-12-01"
    assert "cartable review request-renewal DEM-2026-0007" in reminder.body
    assert reminder_messages(request(State.ACTIVE)) == []


def test_addresses_come_from_the_file_then_the_domain(tmp_path):
    addresses = tmp_path / "adresses.yml"
    addresses.write_text("rprp: protection@css-x.example\n", encoding="utf-8")
    settings = MailSettings.from_env(
        {"CARTABLE_MAIL_ADDRESSES": str(addresses), "CARTABLE_MAIL_DOMAIN": "css-x.example"}
    )
    assert settings.address("rprp") == "protection@css-x.example"
    assert settings.address("analyste") == "analyste@css-x.example"
    assert settings.from_address() == "cartable@css-x.example"
    assert MailSettings.from_env({}).address("rprp") is None
    addresses.write_text("- pas une table\n", encoding="utf-8")
    with pytest.raises(CartableError, match="expected username: address lines"):
        MailSettings.from_env({"CARTABLE_MAIL_ADDRESSES": str(addresses)})


# A real SMTP server on this machine ------------------------------------------------------------


class SmtpServer(socketserver.ThreadingTCPServer):
    """Enough of RFC 5321 for smtplib: EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, refuse=()):
        super().__init__(("127.0.0.1", 0), SmtpHandler)
        self.received = []  # (sender, recipients, email.message.EmailMessage)
        self.refuse = set(refuse)

    @property
    def url(self):
        return f"smtp://127.0.0.1:{self.server_address[1]}"


class SmtpHandler(socketserver.StreamRequestHandler):
    def say(self, line):
        self.wfile.write(line.encode("ascii") + b"\r\n")

    def handle(self):
        self.say("220 test ESMTP")
        sender, recipients = None, []
        while line := self.rfile.readline():
            command = line.decode("utf-8", "replace").strip()
            verb = command[:4].upper()
            if verb == "EHLO":
                self.wfile.write(b"250-test\r\n250 8BITMIME\r\n")
            elif verb == "HELO" or verb in ("NOOP", "RSET"):
                sender, recipients = (None, []) if verb == "RSET" else (sender, recipients)
                self.say("250 OK")
            elif verb == "MAIL":
                sender = command.split(":", 1)[1].strip().strip("<>")
                self.say("250 OK")
            elif verb == "RCPT":
                address = command.split(":", 1)[1].strip().strip("<>")
                if address in self.server.refuse:
                    self.say("550 no such mailbox")
                else:
                    recipients.append(address)
                    self.say("250 OK")
            elif verb == "DATA":
                self.say("354 end with <CRLF>.<CRLF>")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                mail = email.message_from_bytes(data, policy=email.policy.default)
                self.server.received.append((sender, recipients, mail))
                sender, recipients = None, []
                self.say("250 queued")
            elif verb == "QUIT":
                self.say("221 bye")
                return
            else:
                self.say("502 not implemented")


@pytest.fixture
def smtp():
    servers = []

    def start(refuse=()):
        server = SmtpServer(refuse)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def service(review_catalog):
    return ReviewService(review_catalog)


def flow_with_outbox(service, outbox):
    """Requests taken through the review: the service writes each action's messages in the
    action's own transaction, beside its journal entry."""
    return committee_approval(service), ai_approval(service)


def test_the_outbox_keeps_what_the_review_sends_and_mails_it(service, smtp):
    outbox = Outbox(service.catalog.database, MailSettings(domain="css-x.example"))
    committee, system = flow_with_outbox(service, outbox)
    stored = outbox.pending()
    assert sorted((m.request_id, m.kind, m.recipient) for m in stored) == sorted([
        (committee.id, "submitted", "rprp"), (committee.id, "submitted", "delegue"),
        *[(committee.id, "referred", member) for member in COMMITTEE],
        (committee.id, "decision", "analyste"),
        (system.id, "submitted", "rprp"), (system.id, "submitted", "delegue"),
        (system.id, "decision", "analyste"),
    ])  # fmt: skip
    server = smtp()
    report = outbox.send(server.url)
    assert report.configured and report.failed == {} and report.pending == 0
    assert report.sent == [m.id for m in stored]
    assert outbox.pending() == [] and all(m.sent_on for m in outbox.messages())
    assert len(server.received) == len(stored)
    sender, recipients, mail = server.received[-1]
    assert sender == "cartable@css-x.example" and recipients == ["analyste@css-x.example"]
    assert mail["Subject"] == f"Décision sur votre demande {system.id} : approuvée"
    assert mail["X-Cartable-Request"] == system.id
    assert "Motifs : Risque faible, supervision humaine." in mail.get_content()
    assert outbox.send(server.url).sent == []  # nothing sent twice


def test_a_server_down_loses_nothing_and_a_refused_address_waits(service, smtp):
    settings = MailSettings(addresses={"rprp": "rprp@css-x.example", "delegue": "refus@x.example"})
    outbox = Outbox(service.catalog.database, settings)
    made = [
        Message(recipient=name, subject="Objet é", body="Corps « ok »", request_id="DEM-1",
                kind="submitted")
        for name in ("rprp", "delegue", "analyste")
    ]  # fmt: skip
    assert outbox.record(made) == 3
    down = outbox.send(f"smtp://127.0.0.1:{closed_port()}")
    assert down.sent == [] and len(down.failed) == 3 and down.pending == 3
    waiting = outbox.pending()
    assert len(waiting) == 3 and all("SMTP 127.0.0.1" in m.error for m in waiting)
    server = smtp(refuse={"refus@x.example"})
    report = outbox.send(server.url)
    by_recipient = {m.id: m.recipient for m in waiting}
    assert [by_recipient[i] for i in report.sent] == ["rprp"]
    errors = {by_recipient[i]: e for i, e in report.failed.items()}
    assert errors["delegue"].startswith("recipient refused: 550")
    assert errors["analyste"].startswith("no address for analyste")
    assert [m.recipient for m in outbox.pending()] == ["delegue", "analyste"]
    [(_, _, mail)] = server.received
    assert mail["Subject"] == "Objet é" and mail.get_content().strip() == "Corps « ok »"
    assert outbox.send(None).configured is False  # no server configured: nothing happens


def test_a_reminder_is_stored_once_per_grant_end(service):
    outbox = Outbox(service.catalog.database)
    due = request(State.ACTIVE, grant=GRANT)
    assert outbox.record(reminder_messages(due)) == 1
    assert outbox.record(reminder_messages(due)) == 0  # the next day's run
    later = due.model_copy(update={"grant": GRANT.model_copy(update={"ends": date(2028, 6, 1)})})
    assert outbox.record(reminder_messages(later)) == 1  # renewed: a new reminder


def test_the_outbox_rolls_back_with_its_transaction(service):
    outbox = Outbox(service.catalog.database)
    message = Message(recipient="rprp", subject="s", body="b", request_id="DEM-1", kind="submitted")
    with pytest.raises(RuntimeError), service.catalog.database.write() as conn:
        outbox.add(conn, [message])
        raise RuntimeError("the action failed")
    assert outbox.messages() == []


# The command line ------------------------------------------------------------------------------


@pytest.fixture
def run(cli, any_catalog_url):
    def invoke(*args):
        return cli(["--db-url", any_catalog_url, *args])

    return invoke


def test_cartable_outbox_list_and_send(service, run, smtp, monkeypatch):
    Outbox(service.catalog.database).record(
        [Message(recipient="rprp", subject="Nouvelle demande", body="b", request_id="DEM-1",
                 kind="submitted")]
    )  # fmt: skip
    code, out, err = run("outbox", "list", "--json")
    assert code == 0, err
    [listed] = json.loads(out)
    assert listed["recipient"] == "rprp" and listed["sent_on"] is None
    monkeypatch.delenv("CARTABLE_SMTP_URL", raising=False)
    code, out, err = run("outbox", "send", "--json")
    assert code == 0 and json.loads(out)["configured"] is False
    monkeypatch.setenv("CARTABLE_SMTP_URL", f"smtp://127.0.0.1:{closed_port()}")
    monkeypatch.setenv("CARTABLE_MAIL_DOMAIN", "css-x.example")
    code, out, err = run("outbox", "send", "--json")
    assert code == 1 and json.loads(out)["pending"] == 1
    server = smtp()
    monkeypatch.setenv("CARTABLE_SMTP_URL", server.url)
    code, out, err = run("outbox", "send")
    assert code == 0, err
    assert "1 message(s) envoyé(s), 0 en échec" in out
    assert server.received[0][1] == ["rprp@css-x.example"]
    code, out, err = run("outbox", "list", "--json")
    assert json.loads(out) == []
    code, out, err = run("outbox", "list", "--all", "--json")
    assert json.loads(out)[0]["sent_on"] is not None


def test_cartable_outbox_refuses_a_bad_configuration_in_one_line(
    service, run, tmp_path, monkeypatch
):
    monkeypatch.setenv("CARTABLE_MAIL_ADDRESSES", str(tmp_path / "absent.yml"))
    code, out, err = run("outbox", "send", "--json")
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [
        f"cartable: mail addresses {tmp_path / 'absent.yml'}: No such file or directory"
    ]
    monkeypatch.delenv("CARTABLE_MAIL_ADDRESSES")
    code, out, err = run("outbox", "send", "--smtp-url", "http://example.org:80", "--json")
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [
        "cartable: SMTP URL http://example.org:80: smtp://host:port or smtps://host:port"
    ]
