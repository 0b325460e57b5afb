"""The model requests are served with, swapped atomically when another is activated.

A request takes the current triager once and uses it to the end, so a
switch never changes a model under a request in flight.  A model that fails
to load leaves the old one active.  Several server processes stay in step
through ``models/ACTIVE``: each polls it and loads what it names.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from api import modelops
from nlp.artifacts import active_version, set_active_version
from router.profile import Profile
from router.triage import Triager

log = logging.getLogger("rasd")


class ActiveModel:
    def __init__(self, *, models_dir: Path, profile: Profile, version: str | None = None):
        self.models_dir = models_dir
        self.profile = profile
        self._lock = threading.Lock()
        self._seen_active_file = active_version(models_dir)
        self._triager: Triager = modelops.load_triager(models_dir=models_dir, profile=profile,
                                                       version=version)

    @property
    def triager(self) -> Triager:
        return self._triager

    @property
    def version(self) -> str:
        return self._triager.model_version

    def activate(self, version: str) -> Triager:
        """Load ``version``, then make it the one every request and process uses."""
        with self._lock:
            triager = modelops.load_triager(models_dir=self.models_dir, profile=self.profile,
                                            version=version)
            set_active_version(self.models_dir, version)
            self._seen_active_file = version
            self._triager = triager
        log.info("active model is now %s", version)
        return triager

    def follow_active_file(self) -> None:
        """Load the model ``models/ACTIVE`` names if another process changed it."""
        named = active_version(self.models_dir)
        if named is None or named == self._seen_active_file:
            return
        with self._lock:
            self._seen_active_file = named
            try:
                self._triager = modelops.load_triager(models_dir=self.models_dir,
                                                      profile=self.profile, version=named)
                log.info("followed models/ACTIVE to %s", named)
            except Exception as error:  # keep serving the old model, say why
                log.error("models/ACTIVE names %s, which cannot load: %s", named, error)
