"""Capacity Capture's places on other apps' pages: a section of "My learning" and a link on the
offering page. Importing this module registers them (the app's hooks import it)."""

from wagtail import hooks

from .capture_views import learning_panel, offering_panel

PANELS = (("learning_dashboard_panels", learning_panel), ("offering_page_panels", offering_panel))

for hook_name, panel in PANELS:
    hooks.register(hook_name, panel)
