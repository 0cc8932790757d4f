"""The fallback for sites without a profile (reposts, blogs, embassies)."""

from stenogram.parse.sites import SiteProfile

PROFILE = SiteProfile(name="generic")
