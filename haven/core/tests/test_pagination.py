import pytest
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from haven.core.pagination import KeysFirstPaginator


@pytest.mark.django_db
def test_the_same_pages_as_a_plain_paginator_in_two_queries_each():
    for n in range(7):
        User.objects.create(username=f"u{n}", last_name="same" if n % 2 else f"l{n}")
    users = User.objects.select_related().order_by("-last_name", "-id")
    plain, keys_first = Paginator(users, 3), KeysFirstPaginator(users, 3)
    assert keys_first.count == plain.count == 7
    for number in (1, 2, 3):
        with CaptureQueriesContext(connection) as queries:
            page = keys_first.page(number)
            rows = list(page)
        assert rows == list(plain.page(number))
        assert len(queries) == 2  # the page's keys, then its rows
    assert list(keys_first.get_page(99)) == list(plain.get_page(99))
