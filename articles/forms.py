from django import forms

from authors.models import Author
from topics.models import Topic

from .search import MAX_QUERY_LENGTH, SearchFilters, clean_query


class SearchForm(forms.Form):
    """The reader's search box and filters. Bad values never fail the page: they are dropped."""

    q = forms.CharField(label="Search articles", required=False)
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.order_by("name"), required=False, empty_label="All topics"
    )
    author = forms.ModelChoiceField(
        queryset=Author.objects.order_by("name"), required=False, empty_label="All authors"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs.update({"maxlength": MAX_QUERY_LENGTH, "autocomplete": "off"})

    def query(self) -> str:
        return clean_query(self.data.get("q"))

    def filters(self) -> SearchFilters:
        if not self.is_valid():
            return SearchFilters()
        topic, author = self.cleaned_data["topic"], self.cleaned_data["author"]
        return SearchFilters(
            topic_id=topic.pk if topic else None, author_id=author.pk if author else None
        )
