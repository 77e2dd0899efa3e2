"""Every page behind the login is registered through the one page frame, `ui.frame.desk_page`, which
does the login and the permission check once; only the login page itself is open."""

import inspect

from ui.app import PAGES
from ui.pages import login


def test_no_page_registers_itself_around_the_page_frame():
    for module in PAGES:
        if module is not login:
            assert "@ui.page(" not in inspect.getsource(module), module.__name__
