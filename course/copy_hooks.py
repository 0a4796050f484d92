"""Work another app does on a page an adoption copied or pulled, so this app never names it.

A copied page's content may refer to things that are not pages (a quiz's questions): the app that
owns them registers a hook for its page type and gives the copy its own. The adoption copier calls
the hooks after copying a page, a pull after writing the master's content into a copy."""

_hooks = []


def register_copy_hook(page_model, hook):
    """Call ``hook(page, adoption)`` with each copied or pulled page of ``page_model`` (specific)."""
    if (page_model, hook) not in _hooks:
        _hooks.append((page_model, hook))


def run_copy_hooks(page, adoption):
    page = page.specific
    for page_model, hook in _hooks:
        if isinstance(page, page_model):
            hook(page, adoption)
