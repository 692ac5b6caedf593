from django import forms
from django.db.models import CharField, Value
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from authors.models import Author
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


class PlainSelect(forms.Select):
    """A <select> whose options are written in Python rather than one template each.

    Django renders every <option> through its own template include. The search form offers
    every topic and author (550 options on the benchmark corpus), and rendering them that way
    took about 8 ms of each search page.
    """

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        chosen = set(self.format_value(value))
        options = "".join(
            f'<option value="{escape(key)}"{" selected" if str(key) in chosen else ""}>'
            f"{escape(label)}</option>"
            for key, label in self.choices
        )
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        # Every value and label is escaped above; flatatt escapes the attributes.
        return mark_safe(f'<select name="{escape(name)}"{attributes}>{options}</select>')


class SearchForm(forms.Form):
    """The reader's search box and filters. Bad values never fail the page: they are dropped."""

    q = forms.CharField(label="Search articles", required=False)
    topic = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, widget=PlainSelect)
    author = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None, widget=PlainSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs.update({"maxlength": MAX_QUERY_LENGTH, "autocomplete": "off"})
        topics, authors = filter_choices()
        self.fields["topic"].choices = [("", "All topics"), *topics]
        self.fields["author"].choices = [("", "All authors"), *authors]

    def query(self) -> str:
        return clean_query(self.data.get("q"))

    def filters(self) -> SearchFilters:
        # Each filter is checked on its own, so one bad value does not drop the other.
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return SearchFilters(topic_id=cleaned.get("topic"), author_id=cleaned.get("author"))
