import functools
import html

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import CharField, Value
from django.forms.utils import flatatt
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from authors.models import Author
from core.forms import public_form_renderer
from pagecache import collection, snapshots
from topics.models import Topic

from .search import MAX_QUERY_LENGTH, SearchFilters, clean_query


def filter_choices() -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(topics, authors) as (id, name) pairs in name order, read in one query.

    Both lists fill the search form's selects and check the submitted filters, so a search
    page costs one query for its filters whatever is chosen (see the search query budget).
    """
    kind = "kind"
    topics = Topic.objects.annotate(**{kind: Value("topic", output_field=CharField())})
    authors = Author.objects.annotate(**{kind: Value("author", output_field=CharField())})
    rows = (
        # Each part drops its model's default ordering: a UNION is ordered once, as a whole.
        topics.order_by()
        .values_list(kind, "pk", "name")
        .union(authors.order_by().values_list(kind, "pk", "name"), all=True)
        .order_by(kind, "name", "pk")
    )
    choices: dict[str, list[tuple[int, str]]] = {"topic": [], "author": []}
    for row_kind, pk, name in rows:
        choices[row_kind].append((pk, name))
    return choices["topic"], choices["author"]


#: What the filters' choices depend on: these tags move on when a topic or an author is
#: added, renamed or deleted (website/cache_rules.py), and the search page declares them.
FILTER_CHOICE_TAGS = (collection("topics"), collection("authors"))

#: filter_choices() as this process read it last, kept while FILTER_CHOICE_TAGS stand.
_kept_choices = snapshots.KeptCopy(filter_choices, shows=lambda _: FILTER_CHOICE_TAGS)


def kept_filter_choices(
    request: HttpRequest | None = None,
) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """filter_choices(), read once in each process and kept while no topic or author changes.

    Every search page offers them: reading and compiling their query was about 2.5 ms of each
    search at 550 topics and authors; checking the two tags' versions is one cache read. Without
    a reachable cache they are read each time. With the request, checked against the versions
    the page has read already (snapshots.current with FILTER_CHOICE_TAGS), when it has."""
    return _kept_choices.get(request)


def forget_filter_choices() -> None:
    """Drop this process's copy at once (a change's versions move only on commit)."""
    _kept_choices.forget()


class OptionsSelect(forms.Widget):
    """A <select> of many options, written as one string.

    The search form offers every topic and author (550 options on the benchmark corpus). As a
    ChoiceField with Django's Select, each form normalised its choices, checked the chosen one
    against them and rendered every <option> through a template: about 13 ms of each search
    page. Here the options' HTML is built once per list of options in each process (the lists
    change only when a topic or author does) and the chosen option is marked in it.
    """

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs)
        self.options: tuple[tuple[str, str], ...] = ()

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        options = _options_html(self.options)
        if value not in (None, ""):
            chosen = f'<option value="{html.escape(str(value))}">'
            options = options.replace(chosen, chosen[:-1] + " selected>", 1)
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        # Every value and label is escaped in _options_html; flatatt escapes the attributes.
        return mark_safe(f'<select name="{html.escape(name)}"{attributes}>{options}</select>')


@functools.lru_cache(maxsize=8)
def _options_html(options: tuple[tuple[str, str], ...]) -> str:
    return "".join(
        f'<option value="{html.escape(value)}">{html.escape(label)}</option>'
        for value, label in options
    )


class IdChoiceField(forms.Field):
    """An optional choice of one object by id (a topic, an author): the id, or None.

    set_options() gives it the objects' (id, name) pairs; a value that is not one of their ids
    is invalid. Checked with a dict, not by scanning every choice as ChoiceField does.
    """

    widget = OptionsSelect
    default_error_messages = {"invalid_choice": "Select a valid choice."}

    def __init__(self, *, empty_label: str, **kwargs) -> None:
        super().__init__(required=False, **kwargs)
        self.empty_label = empty_label
        self.names: dict[int, str] = {}

    def set_options(self, pairs: list[tuple[int, str]]) -> None:
        self.names = dict(pairs)
        self.widget.options = (("", self.empty_label), *((str(pk), name) for pk, name in pairs))

    def to_python(self, value) -> int | None:
        if value in self.empty_values:
            return None
        try:
            pk = int(str(value).strip())
        except ValueError:
            pk = None
        if pk not in self.names:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return pk


class SearchForm(forms.Form):
    """The reader's search box and filters. Bad values never fail the page: they are dropped."""

    default_renderer = public_form_renderer

    q = forms.CharField(label="Search articles", required=False)
    topic = IdChoiceField(empty_label="All topics")
    author = IdChoiceField(empty_label="All authors")

    def __init__(self, *args, request: HttpRequest | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs.update({"maxlength": MAX_QUERY_LENGTH, "autocomplete": "off"})
        topics, authors = kept_filter_choices(request)
        self.fields["topic"].set_options(topics)
        self.fields["author"].set_options(authors)

    def query(self) -> str:
        return clean_query(self.data.get("q"))

    def filters(self) -> SearchFilters:
        # Each filter is checked on its own, so one bad value does not drop the other.
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return SearchFilters(topic_id=cleaned.get("topic"), author_id=cleaned.get("author"))
