"""The same recipe sent to a DataHub server through DataHub's own ``datahub-rest`` sink.

The server is a stand-in for DataHub's GMS on this machine (no DataHub server runs here): it
answers the sink's ``/config`` probe and keeps the proposals the sink posts, which are then
read back with DataHub's own classes and compared with what the catalogue stores.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import yaml
from datahub.emitter.serialization_helper import post_json_transform
from datahub.metadata.schema_classes import ASPECT_NAME_MAP, MetadataChangeProposalClass

from catalog.ingest import ingest_recipe_file
from catalog.service import Catalog

# what GMS answers at /config: the sink requires noCode "true"; no commit, no lookup online
SERVER_CONFIG = {
    "noCode": "true",
    "statefulIngestionCapable": True,
    "versions": {"acryldata/datahub": {"version": "v1.2.0"}},
    "datahub": {"serverType": "dev"},
}


class StandInGms(BaseHTTPRequestHandler):
    """GMS's configuration probe, its proposal endpoints, and empty answers to the graph
    reads a SQL source makes for view lineage."""

    proposals: list[dict[str, Any]]
    lock: threading.Lock

    def do_GET(self) -> None:
        if self.path == "/config":
            self._reply(SERVER_CONFIG)
        elif self.path.startswith("/openapi/v3/entity/"):
            self._reply({"entities": [], "scrollId": None})
        else:
            self._reply({"message": f"unexpected GET {self.path}"}, status=404)

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        with self.lock:
            if self.path == "/aspects?action=ingestProposalBatch":
                self.proposals.extend(body["proposals"])
                return self._reply({})
            if self.path == "/aspects?action=ingestProposal":
                self.proposals.append(body["proposal"])
                return self._reply({"value": body["proposal"]["entityUrn"]})
        if self.path.startswith("/openapi/v3/entity/") and self.path.endswith("/batchGet"):
            return self._reply([])
        self._reply({"message": f"unexpected POST {self.path}"}, status=404)

    def _reply(self, body: Any, status: int = 200) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def gms() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """(server URL, the proposals it received)."""
    received: list[dict[str, Any]] = []
    handler = type("Handler", (StandInGms,), {"proposals": received, "lock": threading.Lock()})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_recipe_sent_to_datahub_carries_what_the_catalogue_stores(
    tmp_path, sqlite_url, sqlite_recipe, gms, monkeypatch
):
    server, received = gms
    for name in ("NO_PROXY", "no_proxy"):  # a proxy set for the machine is not for us
        monkeypatch.setenv(name, "127.0.0.1")
    recipe = sqlite_recipe("css-x", {"eleves": "no_fiche TEXT PRIMARY KEY, nom TEXT"})
    assert ingest_recipe_file(recipe, db_url=sqlite_url).ok  # into the catalogue
    to_datahub = tmp_path / "vers-datahub.yml"
    sink = {"type": "datahub-rest", "config": {"server": server, "retry_max_times": 0}}
    to_datahub.write_text(yaml.safe_dump(yaml.safe_load(recipe.read_text()) | {"sink": sink}))

    outcome = ingest_recipe_file(to_datahub, db_url=sqlite_url)

    assert outcome.ok, outcome.error
    sent = {}
    for raw in received:  # each proposal as DataHub reads it
        proposal = MetadataChangeProposalClass.from_obj(post_json_transform(raw))
        assert proposal.validate() and proposal.aspect.contentType == "application/json"
        value = post_json_transform(json.loads(proposal.aspect.value))  # unions as GMS reads them
        aspect = ASPECT_NAME_MAP[proposal.aspectName].from_obj(value)
        assert aspect.validate()
        sent[(proposal.entityUrn, proposal.aspectName)] = aspect.to_obj()
    catalog = Catalog.open(sqlite_url)
    urn = "urn:li:dataset:(urn:li:dataPlatform:sqlite,css-x.sis.eleves,PROD)"
    stored = catalog.entity(urn).aspects
    assert {aspect for u, aspect in sent if u == urn} == set(stored)
    assert sent[(urn, "schemaMetadata")]["fields"] == stored["schemaMetadata"]["fields"]
    # the run is in Cartable's log all the same (what the sink counts is DataHub's to keep)
    run = catalog.runs.get(outcome.run.run_id)
    assert (run.pipeline_name, run.status, run.source_type) == ("vers-datahub", "SUCCESS", "sqlite")
    assert run.events_produced > 0 and run.recipe["sink"]["type"] == "datahub-rest"
