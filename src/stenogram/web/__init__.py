"""The web interface: JSON API and pages (``create_app``)."""

from stenogram.web.app import create_app

__all__ = ["create_app"]
